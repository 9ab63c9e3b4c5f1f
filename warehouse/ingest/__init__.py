"""Department file ingestion: read in chunks, validate, reject with reasons, load with provenance."""

from warehouse.ingest.categories import CATEGORIES, Category, UnknownSource, resolve
from warehouse.ingest.loader import LoadAccountingError, Loader, LoadReport
from warehouse.ingest.readers import FileRefused

__all__ = ["CATEGORIES", "Category", "FileRefused", "LoadAccountingError", "LoadReport", "Loader", "UnknownSource", "resolve"]
