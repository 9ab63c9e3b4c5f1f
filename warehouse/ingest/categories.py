"""The category registry: each of the 96 business categories of the 11 departments, the theme
table it feeds and the file layout it is loaded with."""

from __future__ import annotations

from dataclasses import dataclass

from warehouse.departments import DEPARTMENTS, categories
from warehouse.errors import EpiError
from warehouse.ingest.layouts import LAYOUTS, Layout


class UnknownSource(EpiError, ValueError):
    """A department or category the registry does not know; str() lists the valid codes."""


@dataclass(frozen=True)
class Category:
    code: str
    department: str
    name: str
    table: str

    @property
    def layout(self) -> Layout | None:
        """The file layout, or None while the target table has no file mapping."""
        return LAYOUTS.get(self.table)


DEPARTMENT_NAMES = dict(DEPARTMENTS)
CATEGORIES = {code: Category(code, dept, name, table) for code, dept, name, table in categories()}


def resolve(department: str, category: str) -> Category:
    """The category `category` of `department`, or UnknownSource with the valid choices."""
    dept = department.strip().upper()
    if dept not in DEPARTMENT_NAMES:
        raise UnknownSource(
            f"未知部门 / unknown department {department!r}: use one of {', '.join(DEPARTMENT_NAMES)}"
        )
    found = CATEGORIES.get(category.strip().upper())
    if found is None or found.department != dept:
        own = ", ".join(f"{c.code} {c.name}" for c in CATEGORIES.values() if c.department == dept)
        raise UnknownSource(
            f"{DEPARTMENT_NAMES[dept]}没有业务类别 {category!r} / unknown category for {dept}: use one of {own}"
        )
    if found.layout is None:
        raise UnknownSource(
            f"类别 {found.code} {found.name} 写入 {found.table}，该表尚不接收文件 / "
            f"category {found.code} feeds {found.table}, which takes no file loads"
        )
    return found
