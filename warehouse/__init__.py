"""Theme warehouse: the ClickHouse client, schema migrations and data checks."""

from warehouse.client import Warehouse, get_warehouse, reset_warehouse
from warehouse.errors import EpiError, SchemaOutdated, WarehouseError, WarehouseLocked
from warehouse.settings import DATABASE, WarehouseSettings, load_settings

__all__ = [
    "DATABASE",
    "EpiError",
    "SchemaOutdated",
    "Warehouse",
    "WarehouseError",
    "WarehouseLocked",
    "WarehouseSettings",
    "get_warehouse",
    "load_settings",
    "reset_warehouse",
]
