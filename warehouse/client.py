"""The one way into ClickHouse: a small client over clickhouse-connect.

`EPI_WAREHOUSE_URL` picks the deployment: `chdb://<folder>` runs the real ClickHouse engine
in-process (the default), `http(s)://user:password@host:8123/epi` reaches a server or cluster.

Known limits of the embedded engine, which shape the rest of the portal:
- queries in one process run one at a time, so the portal keeps a single client and caches;
- one process per data folder: a second process opening the same folder is refused, so a
  writer (migrate, seed) checks the folder's lock first and says who to stop.
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, TypeVar
from urllib.parse import urlsplit

import clickhouse_connect
import pandas as pd
from clickhouse_connect.driver.exceptions import ClickHouseError, DatabaseError, OperationalError

from warehouse.errors import WarehouseError, WarehouseLocked
from warehouse.rules import clock
from warehouse.settings import DATABASE, WarehouseSettings, load_settings

if TYPE_CHECKING:
    import pyarrow as pa

T = TypeVar("T")
_before_engine: list[Callable[[], None]] = []


def before_engine_call(hook: Callable[[], None]) -> None:
    """Have `hook` called in the calling thread each time a call is about to wait for the engine
    (the portal gives up a page run's turn there: waiting for ClickHouse needs no turn)."""
    if hook not in _before_engine:
        _before_engine.append(hook)


class Read(NamedTuple):
    """What one SELECT gave: the rows, and how many rows the engine read (None if not told)."""

    frame: pd.DataFrame
    rows_read: int | None


def _check_data_dir(folder: Path) -> None:
    """Fail with one line if the embedded data folder cannot be created, written or locked."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseError(
            f"数据目录无法创建 / data folder {folder} cannot be created ({exc.strerror}): "
            "choose a writable folder in EPI_WAREHOUSE_URL=chdb://<folder>."
        ) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise WarehouseError(
            f"数据目录不可写 / data folder {folder} is not writable: fix its permissions or "
            "choose another folder in EPI_WAREHOUSE_URL=chdb://<folder>."
        )
    if _is_held(folder):
        raise _held(folder)


def _is_held(folder: Path) -> bool:
    """Whether another process holds the embedded folder (the engine locks its `status` file)."""
    status = folder / "status"
    if not status.exists():
        return False
    with open(status, "rb") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


def _held(folder: Path) -> WarehouseLocked:
    return WarehouseLocked(
        f"数据目录被占用 / the data folder {folder} is held by another process "
        "(usually the running portal): stop it first, or use a ClickHouse server "
        "via EPI_WAREHOUSE_URL for several processes at once."
    )


def _server_label(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or (8443 if parts.scheme == 'https' else 8123)}"


class Warehouse:
    """A single ClickHouse client with the portal's conventions applied."""

    def __init__(self, settings: WarehouseSettings | None = None):
        self.settings = settings or load_settings()
        self._lock = threading.Lock()
        self._types: dict[str, dict[str, str]] = {}
        self._dedup_setting: bool | None = None
        self.calls = 0  # calls that reached the engine, for the tests and benchmarks of the portal's caches
        url = self.settings.url
        try:
            if self.settings.embedded:
                _check_data_dir(self.settings.data_dir)
                self._client = clickhouse_connect.get_client(dsn=url, tz_mode="schema")
            elif url.startswith(("http://", "https://")):
                self._client = clickhouse_connect.get_client(
                    dsn=url, connect_timeout=5, tz_mode="schema", database="default"
                )
            else:
                raise WarehouseError(
                    f"无法识别的仓库地址 / EPI_WAREHOUSE_URL={url!r} is neither chdb://<folder> "
                    "nor http(s)://user:password@host:8123/epi."
                )
        except OperationalError:
            raise WarehouseError(
                f"无法连接数据仓库 / cannot reach the ClickHouse server at {_server_label(url)}: "
                "start it, or fix EPI_WAREHOUSE_URL (unset it to use the embedded engine)."
            ) from None
        except DatabaseError as exc:
            if self.settings.embedded and ("Cannot lock file" in str(exc) or _is_held(self.settings.data_dir)):
                # another process took the folder between the check above and the engine's start
                raise _held(self.settings.data_dir) from None
            if self.settings.embedded:
                raise WarehouseError(
                    f"嵌入式引擎无法打开 / the embedded engine cannot open {self.settings.data_dir}"
                    f" ({str(exc).splitlines()[0][:160]}): is another process using it?"
                ) from None
            raise WarehouseError(f"数据仓库拒绝连接 / the server refused: {exc}") from None

    # -- the one way a call reaches the engine -------------------------------------------
    def _call(self, fn: Callable[[], T]) -> T:
        """Run one client call under the process lock; ClickHouse errors become WarehouseError."""
        for hook in _before_engine:
            hook()
        with self._lock:
            self.calls += 1
            try:
                return fn()
            except ClickHouseError as exc:
                raise WarehouseError(_first_line(exc)) from exc

    def _settings(self, settings: dict[str, Any] | None, timeout_s: int | None = None,
                  max_rows: int | None = None) -> dict[str, Any]:
        """The portal's limits (time, and rows when asked), then the caller's own settings."""
        out: dict[str, Any] = {"max_execution_time": timeout_s or self.settings.query_timeout_s}
        if max_rows:
            out["max_result_rows"] = max_rows
            out["result_overflow_mode"] = "break"
        return {**out, **(settings or {})}

    # -- reading -------------------------------------------------------------------------
    def read(
        self,
        sql: str,
        parameters: dict[str, Any] | None = None,
        *,
        max_rows: int | None = None,
        timeout_s: int | None = None,
        settings: dict[str, Any] | None = None,
    ) -> Read:
        """Run one SELECT with bound {name:Type} parameters; times come back in Beijing time.
        `settings` go to the engine with the statement (e.g. max_threads, use_skip_indexes)."""
        parameters = parameters or {}
        merged = self._settings(settings, timeout_s, max_rows)

        def run() -> Read:
            context = self._client.create_query_context(
                query=sql, parameters=parameters, settings=merged, use_numpy=True, as_pandas=True
            )
            result = self._client.query(context=context)
            df = result.df_result
            if df.empty and len(df.columns) == 0:
                # the embedded engine returns an empty result without its columns:
                # DESCRIBE the same statement to learn their names
                described = self._client.query("DESCRIBE (" + sql + ")", parameters=parameters)
                df = pd.DataFrame(columns=[row[0] for row in described.result_rows])
            if any(pd.api.types.is_datetime64_any_dtype(t) for t in df.dtypes):
                df = self._to_business_time(df, sql, parameters)
            return Read(df, self._rows_read(result.summary))

        return self._call(run)

    def query_df(
        self,
        sql: str,
        parameters: dict[str, Any] | None = None,
        *,
        max_rows: int | None = None,
        timeout_s: int | None = None,
        settings: dict[str, Any] | None = None,
    ) -> pd.DataFrame:
        """read() for callers that only want the frame."""
        return self.read(sql, parameters, max_rows=max_rows, timeout_s=timeout_s, settings=settings).frame

    def _rows_read(self, summary: dict[str, Any] | None) -> int | None:
        """Rows the engine read, from a server's query summary. The embedded engine's summary
        holds the rows of the result, not the rows read, so it gives None."""
        if self.settings.embedded or not summary or "read_rows" not in summary:
            return None
        return int(summary["read_rows"])

    def _to_business_time(self, df: pd.DataFrame, sql: str, parameters: dict) -> pd.DataFrame:
        """DateTime columns arrive as naive UTC: show them as Beijing wall-clock times."""
        types = self._types.get(sql)
        if types is None:
            described = self._client.query("DESCRIBE (" + sql + ")", parameters=parameters)
            types = self._types[sql] = {row[0]: row[1] for row in described.result_rows}
        for name in df.columns:
            if "DateTime" in types.get(name, "") and pd.api.types.is_datetime64_any_dtype(df[name].dtype):
                df[name] = clock.wall_clock(df[name])
        return df

    def scalar(self, sql: str, parameters: dict[str, Any] | None = None, *,
               settings: dict[str, Any] | None = None) -> Any:
        rows = self.rows(sql, parameters, settings=settings)
        return rows[0][0] if rows else None

    def rows(self, sql: str, parameters: dict[str, Any] | None = None, *,
             settings: dict[str, Any] | None = None) -> list[tuple]:
        return self._call(
            lambda: self._client.query(sql, parameters=parameters or {}, settings=settings).result_rows
        )

    # -- writing -------------------------------------------------------------------------
    # Tables that department files feed keep a deduplication window (migration 0015) for the
    # loader's move, which names its token and asks for deduplication (dedup_settings). Every
    # other write turns it off: a row deleted and written again is not a repeat.
    def command(self, sql: str, parameters: dict[str, Any] | None = None, **settings: Any) -> Any:
        merged = {**self._plain_write(), **settings}
        return self._call(lambda: self._client.command(sql, parameters=parameters, settings=merged))

    def insert_df(self, table: str, df: pd.DataFrame) -> None:
        plain = self._plain_write()
        self._call(lambda: self._client.insert_df(table, df, database=DATABASE, settings=plain))

    def insert_arrow(self, table: str, data: "pa.Table") -> None:
        """Insert an Arrow table (column names are the target's); the fast path for file loads."""
        plain = self._plain_write()
        self._call(lambda: self._client.insert_arrow(table, data, database=DATABASE, settings=plain))

    def dedup_settings(self, token: str) -> dict[str, Any]:
        """Settings for an INSERT … SELECT that a run again must not repeat: blocks named by
        `token`, checked in the target and in every view's table. ClickHouse 25.x and later decide
        by deduplicate_insert(_select), which supersede insert_deduplicate."""
        out: dict[str, Any] = {"insert_deduplication_token": token, "insert_deduplicate": 1,
                               "deduplicate_blocks_in_dependent_materialized_views": 1}
        if self._new_dedup():
            out.update(deduplicate_insert="enable", deduplicate_insert_select="force_enable")
        return out

    def _plain_write(self) -> dict[str, Any]:
        return {"deduplicate_insert": "disable"} if self._new_dedup() else {"insert_deduplicate": 0}

    def _new_dedup(self) -> bool:
        if self._dedup_setting is None:
            self._dedup_setting = bool(self._call(lambda: self._client.query(
                "SELECT count() FROM system.settings WHERE name = 'deduplicate_insert'").result_rows[0][0]))
        return self._dedup_setting

    def close(self) -> None:
        self._client.close()


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    for line in text.splitlines():
        if "DB::Exception" in line or "Code:" in line:
            return line.strip()[:500]
    return text.splitlines()[0][:500] if text else type(exc).__name__


_shared: Warehouse | None = None
_shared_lock = threading.Lock()


def get_warehouse() -> Warehouse:
    """The process-wide client (the embedded engine allows one data folder per process)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Warehouse()
        return _shared


def reset_warehouse() -> None:
    """Forget the process-wide client (tests point the process at another folder)."""
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.close()
        _shared = None
