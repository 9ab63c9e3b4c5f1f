"""The one error base and the warehouse's and queries' errors, for pages and portal modules.

Every error the project raises for a person derives from `EpiError` (str() is one sentence to
show); a page that can meet several catches `EpiError`. The portal's own errors (UserError,
PlanError, …) live beside the code that raises them and derive from it too.
"""

from queries.errors import EpiError, QueryError, SchemaOutdated, WarehouseError, WarehouseLocked

__all__ = ["EpiError", "QueryError", "SchemaOutdated", "WarehouseError", "WarehouseLocked"]
