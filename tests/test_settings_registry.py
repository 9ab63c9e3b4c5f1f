"""The settings registry (warehouse.settings.ENVIRONMENT) lists every environment variable the code
reads, each with its default and meaning, and nothing that nobody reads; settings that name a
variable are really overridden by it and default to what the registry says."""

import ast
import dataclasses
import re
from pathlib import Path

from portal.settings import APPEAL_LIMIT_DEFAULTS, PortalSettings, load_portal_settings
from warehouse.settings import ENVIRONMENT, environment_table

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("portal", "pages", "queries", "seed", "warehouse")
NAME = re.compile(r"^EPI_[A-Z0-9_]+$")


def variables_read(source: str) -> set[str]:
    """EPI_ names the code passes to a call (os.environ.get, os.getenv, a helper such as
    _int_env, a setting(…, env) declaration) or looks up with os.environ[…]."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            values = [*node.args, *(k.value for k in node.keywords)]
        elif isinstance(node, ast.Subscript):
            values = [node.slice]
        else:
            continue
        found |= {v.value for v in values
                  if isinstance(v, ast.Constant) and isinstance(v.value, str) and NAME.match(v.value)}
    return found


def _read_by_the_code() -> dict[str, set[str]]:
    where: dict[str, set[str]] = {}
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for name in variables_read(path.read_text(encoding="utf-8")):
                where.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return where


def test_the_scan_would_catch_a_read():
    source = ('import os\nos.environ.get("EPI_A", "")\nos.getenv("EPI_B")\nos.environ["EPI_C"]\n'
              '_int_env("EPI_D", 5, 1, 9)\nx = "EPI_NOT_READ"\nprint(f"EPI_E")\n')
    assert variables_read(source) == {"EPI_A", "EPI_B", "EPI_C", "EPI_D"}


def test_every_variable_the_code_reads_is_registered_with_a_description():
    read = _read_by_the_code()
    assert len(read) >= 20
    assert {name: sorted(files) for name, files in read.items() if name not in ENVIRONMENT} == {}
    assert [name for name, (_default, meaning) in ENVIRONMENT.items() if len(meaning.strip()) < 10] == []


def test_the_registry_lists_no_variable_nobody_reads():
    assert sorted(set(ENVIRONMENT) - set(_read_by_the_code())) == []


def test_settings_that_name_a_variable_read_it_and_default_as_registered(monkeypatch):
    named = [f for f in dataclasses.fields(PortalSettings) if f.metadata.get("env")]
    assert {f.metadata["env"] for f in named} >= {"EPI_BUSY_MINUTES", "EPI_ZONE_LIFT_DAYS", "EPI_CACHE_TTL_S"}
    defaults = PortalSettings()
    for f in named:
        name, default = f.metadata["env"], getattr(defaults, f.name)
        if isinstance(default, dict):
            assert ENVIRONMENT[name][0] == ",".join(f"{k}={v}" for k, v in APPEAL_LIMIT_DEFAULTS.items())
            monkeypatch.setenv(name, "help=3")
            assert load_portal_settings().appeal_limit_days["help"] == 3
        else:
            assert ENVIRONMENT[name][0] == str(default), name
            monkeypatch.setenv(name, str(default + 1))
            assert getattr(load_portal_settings(), f.name) == default + 1, name
        monkeypatch.delenv(name)


def test_the_operations_guide_shows_the_registry():
    assert environment_table() in (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")


def test_every_setting_has_a_chinese_label():
    unlabelled = [f.name for f in dataclasses.fields(PortalSettings)
                  if f.name != "appeal_limits_error" and not re.search(r"[\u4e00-\u9fff]", f.metadata.get("label", ""))]
    assert unlabelled == []
