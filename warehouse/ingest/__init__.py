"""Department file ingestion: read in chunks, validate, reject with reasons, load with provenance."""

from warehouse.ingest.categories import CATEGORIES, Category, UnknownSource, resolve
from warehouse.ingest.loader import Loader, LoadReport
from warehouse.ingest.readers import FileRefused

__all__ = ["CATEGORIES", "Category", "FileRefused", "LoadReport", "Loader", "UnknownSource", "resolve"]
