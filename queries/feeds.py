"""Department feeds: the 11 source departments, their business categories, the Chinese labels
of the file columns, and loading one department file in this process (the portal's upload).

The orchestration (read in chunks, validate, reject with reasons, record the batch) stays in
warehouse.ingest; this is its thin facade for the layers above, which do not import the
warehouse.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from warehouse import get_warehouse
from warehouse.departments import DEPARTMENTS
from warehouse.ingest import CATEGORIES, Category, Loader, LoadReport
from warehouse.ingest.categories import DEPARTMENT_NAMES
from warehouse.ingest.layouts import LABELS

__all__ = ["CATEGORIES", "DEPARTMENTS", "DEPARTMENT_NAMES", "LABELS", "Category", "LoadReport", "load_file"]


def load_file(category: Category, path: Path, on_chunk: Callable | None = None) -> LoadReport:
    """Load one file into its category's theme table through the process's single client."""
    return Loader(get_warehouse()).load(category, path, on_chunk=on_chunk)
