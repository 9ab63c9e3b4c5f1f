"""The errors the layers above may catch, without importing the warehouse.

`EpiError` (defined in warehouse.errors, the lowest layer) is the base of every error raised on
purpose; str() is one sentence for a person. The portal re-exports these names (portal.errors).
"""

from queries.registry import QueryError
from warehouse.errors import EpiError, SchemaOutdated, WarehouseError, WarehouseLocked
from warehouse.ingest import FileRefused, LoadAccountingError, UnknownSource

__all__ = ["EpiError", "FileRefused", "LoadAccountingError", "QueryError", "SchemaOutdated", "UnknownSource",
           "WarehouseError", "WarehouseLocked"]
