"""Errors the warehouse raises, each with one line saying what is wrong and what to do.

`EpiError` is the one base of every error the project raises on purpose, in every layer: its
str() is one sentence a person can act on. queries/ re-exports it (queries.errors) and the
portal too (portal.errors), so a page catches the base without reaching past its layer. Each
subclass also keeps the built-in base it always had (ValueError, RuntimeError), so existing
`except ValueError` clauses keep working.
"""


class EpiError(Exception):
    """An error meant for a person; str() is the one sentence to show."""


class WarehouseError(EpiError, RuntimeError):
    """A warehouse problem a person can act on; str() is the one-line message."""


class WarehouseLocked(WarehouseError):
    """Another process holds the embedded data folder."""


class SchemaOutdated(WarehouseError):
    """The database schema is older than the code."""
