"""Errors the warehouse raises, each with one line saying what is wrong and what to do."""


class WarehouseError(RuntimeError):
    """A warehouse problem a person can act on; str() is the one-line message."""


class WarehouseLocked(WarehouseError):
    """Another process holds the embedded data folder."""


class SchemaOutdated(WarehouseError):
    """The database schema is older than the code."""
