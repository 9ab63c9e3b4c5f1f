"""The one loader of `.sql` files: indicator queries, migrations, seed steps and benchmarks.

A file is read once (and again only when it changes on disk) into a `SqlFile`: its exact text,
the comment lines that open it, the `{name:Type}` parameters it declares, its statements split
on line-ending semicolons, and whether it writes (INSERT, DELETE, ALTER, CREATE, ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

_PARAM = re.compile(r"\{(\w+):([^}]+)\}")
_FIRST_WORD = re.compile(r"[A-Za-z]+")
_READING = {"SELECT", "WITH", "DESCRIBE", "DESC", "SHOW", "EXPLAIN", "EXISTS"}


@dataclass(frozen=True)
class SqlFile:
    path: Path
    text: str  # exactly as on disk (migration checksums are taken over it)

    @cached_property
    def header(self) -> str:
        """The comment lines that open the file, without their `--` (what it measures, grain, params)."""
        lines = []
        for line in self.text.splitlines():
            stripped = line.strip()
            if not stripped.startswith("--"):
                break
            lines.append(stripped.removeprefix("--").strip())
        return "\n".join(lines)

    @cached_property
    def body(self) -> str:
        """The text after the opening comment lines, without a trailing semicolon."""
        lines = self.text.splitlines()
        start = 0
        while start < len(lines) and lines[start].strip().startswith("--"):
            start += 1
        return "\n".join(lines[start:]).strip().rstrip(";").strip()

    @cached_property
    def parameters(self) -> dict[str, str]:
        """The {name:Type} parameters the file declares, in the order they first appear."""
        return dict(_PARAM.findall(self.text))

    @cached_property
    def writes(self) -> bool:
        """True when any statement is not a read (INSERT, DELETE, ALTER, CREATE, ...)."""
        return any(_verb(s) not in _READING for s in self.statements())

    def statements(self) -> list[str]:
        return split_statements(self.text)


def split_statements(text: str) -> list[str]:
    """Split on semicolons that end a line; comments stay with their statement."""
    parts = re.split(r";\s*\n", text.strip() + "\n")
    return [p.strip().rstrip(";") for p in parts if _has_sql(p)]


def _has_sql(chunk: str) -> bool:
    return any(line.strip() and not line.strip().startswith("--") for line in chunk.splitlines())


def _verb(statement: str) -> str:
    code = "\n".join(line for line in statement.splitlines() if not line.strip().startswith("--"))
    found = _FIRST_WORD.search(code)
    return found.group(0).upper() if found else ""


def load_sql(path: Path | str) -> SqlFile:
    """The file at `path`, read once per version on disk."""
    path = Path(path)
    stat = path.stat()
    return _read(path.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=1024)
def _read(path: Path, mtime_ns: int, size: int) -> SqlFile:
    return SqlFile(path, path.read_text(encoding="utf-8"))
