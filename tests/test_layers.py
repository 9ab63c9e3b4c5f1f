"""Layers stay apart: pages → portal → queries → warehouse, only warehouse/ imports the database
client, and pages hold no SQL."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQL = re.compile(r"\b(SELECT|INSERT INTO|GROUP BY)\b")
CLIENTS = {"clickhouse_connect", "chdb"}
# what each top-level package must not import (by top-level name): the database client anywhere
# but warehouse/, pages never below portal, portal never below queries, no layer above its own
FORBIDDEN = {
    "pages": {"queries", "warehouse", "seed", *CLIENTS},
    "portal": {"pages", "warehouse", "seed", *CLIENTS},
    "queries": {"pages", "portal", *CLIENTS},
    "warehouse": {"pages", "portal", "queries"},
    "seed": {"pages", "portal", *CLIENTS},
    "bench": set(CLIENTS),
}
# the domain's rules (policy, Beijing time, unit codes, ID numbers): no database access, so the
# portal may read them below queries; pages still go through the portal
RULES = "warehouse.rules"
READS_RULES = {"portal"}


def imported_modules(source: str) -> list[str]:
    """Every absolute module a file imports: import statements anywhere in it (function bodies
    too) and importlib.import_module / __import__ calls with a literal name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__"):
                found.append(node.args[0].value)
    return found


def layer_violations(root: Path) -> list[tuple[str, str]]:
    """(file relative to root, imported module) for every import that breaks FORBIDDEN."""
    violations = []
    for package, banned in FORBIDDEN.items():
        for path in sorted((root / package).rglob("*.py")):
            for module in imported_modules(path.read_text(encoding="utf-8")):
                if package in READS_RULES and (module == RULES or module.startswith(RULES + ".")):
                    continue
                if module.split(".")[0] in banned:
                    violations.append((path.relative_to(root).as_posix(), module))
    return violations


def test_every_layer_imports_only_what_it_may():
    for package in FORBIDDEN:
        assert any((ROOT / package).rglob("*.py")), f"{package}/ has no Python files: the check would see nothing"
    found = layer_violations(ROOT)
    assert found == []


def test_the_check_reports_a_bad_import(tmp_path):
    files = {
        "pages/x.py": "import clickhouse_connect\nfrom warehouse import get_warehouse\nfrom portal import ui\n",
        "pages/y.py": "def f():\n    from queries import registry\n    return registry\n",
        "portal/z.py": "import pandas as pd, chdb\nfrom .sibling import thing\nfrom queries import registry\n"
                       "from warehouse.rules import clock\nfrom warehouse.ingest import Loader\nimport seed.runner\n",
        "pages/w.py": "from warehouse.rules.clock import stamp\n",
        "queries/q.py": "import importlib\nimportlib.import_module('portal.app')\nfrom warehouse import get_warehouse\n",
        "warehouse/client.py": "import clickhouse_connect\nfrom chdb import session\n",
        "warehouse/w.py": "from queries.registry import run\n",
        "seed/s.py": "__import__('chdb')\n",
        "bench/b.py": "from portal.settings import PortalSettings\nfrom warehouse import get_warehouse\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert layer_violations(tmp_path) == [
        ("pages/w.py", "warehouse.rules.clock"),
        ("pages/x.py", "clickhouse_connect"),
        ("pages/x.py", "warehouse"),
        ("pages/y.py", "queries"),
        ("portal/z.py", "chdb"),
        ("portal/z.py", "warehouse.ingest"),
        ("portal/z.py", "seed.runner"),
        ("queries/q.py", "portal.app"),
        ("warehouse/w.py", "queries.registry"),
        ("seed/s.py", "chdb"),
    ]


def test_pages_hold_no_sql():
    offenders = [str(p.relative_to(ROOT)) for p in ROOT.joinpath("pages").rglob("*.py")
                 if SQL.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_every_query_binds_parameters_and_filters_by_scope():
    from queries import registry

    for name in registry.names():
        text = registry.load(name)
        assert "{scope:String}" in text, name
        assert "%s" not in text and "{}" not in text, name
