"""A portal session without a browser: Streamlit's own websocket protocol, spoken from Python.

The browser's side of the protocol, as the installed streamlit's frontend speaks it: one
websocket on `/_stcore/stream` (subprotocol `streamlit`); the client asks for a run with a
`BackMsg.rerun_script` (a `ClientState`: the page, the query string and the widget states);
the server answers with `ForwardMsg`s — `new_session` when a run starts, `delta`s (the elements,
each at its `metadata.delta_path`), `page_info_changed` (the query string), and
`script_finished` when the run ends (`FINISHED_EARLY_FOR_RERUN` when the script called
`st.rerun()`, in which case the next run follows by itself).

A session keeps what the browser keeps: the elements of the last run by place, the current
page's hash, the query string and the widget values it has sent. It signs in by filling the
sign-in form's two text inputs and pressing its submit button (the ids are read from the
elements the server sent, as the browser does) and reads KPI cards from the metric elements.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

STREAM = "/_stcore/stream"
FINISHED = ForwardMsg.ScriptFinishedStatus
RUN_TIMEOUT_S = 600.0


class SessionFailed(Exception):
    """The portal did not give the session what it asked for (an error shown, an exception, a refusal)."""


@dataclass
class Run:
    """What one run of the page sent: its elements by place, errors shown, the messages and bytes."""

    elements: dict[tuple, object] = field(default_factory=dict)
    fragments: dict[str, str] = field(default_factory=dict)  # widget id → the fragment it was drawn in
    status: int | None = None
    messages: int = 0
    bytes: int = 0
    by_reference: int = 0  # messages the server sent as a reference to one the client has cached

    def of_type(self, kind: str):
        for element in self.elements.values():
            if element.WhichOneof("type") == kind:
                yield getattr(element, kind)

    def errors(self) -> list[str]:
        out = [f"{e.type}: {e.message}"[:300] for e in self.of_type("exception")]
        out += [a.body[:300] for a in self.of_type("alert") if a.format == a.Format.ERROR]
        return out

    def widget(self, kind: str, label: str):
        """The first widget of a kind whose label starts with `label`."""
        for w in self.of_type(kind):
            if w.label.startswith(label):
                return w
        raise SessionFailed(f"no {kind} labelled {label!r} on the page (errors: {self.errors()})")

    def metric(self, label: str) -> int:
        """A KPI card's figure (cards show thousands separators; the label may carry its unit)."""
        for m in self.of_type("metric"):
            if m.label.startswith(label):
                digits = re.sub(r"[^\d-]", "", m.body)
                if digits:
                    return int(digits)
                raise SessionFailed(f"the card {m.label!r} shows {m.body!r}")
        raise SessionFailed(f"no card {label!r} on the page (errors: {self.errors()})")


class Session:
    """One person's tab on the portal, over its websocket."""

    def __init__(self, url: str, timezone: str = "Asia/Shanghai"):
        self.url = url.rstrip("/")
        self.timezone = timezone
        self.ws = None
        self.page_hash = ""
        self.query_string = ""
        self.session_id = ""
        self.widgets: dict[str, object] = {}  # id → a WidgetState the browser would send again
        self.last: Run | None = None

    async def open(self) -> None:
        ws_url = re.sub(r"^http", "ws", self.url) + STREAM
        self.ws = await connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=120,
                                ping_interval=None, compression=None)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def __aenter__(self):
        await self.open()
        return self

    async def __aexit__(self, *exc):
        await self.close()

    # -- the protocol ----------------------------------------------------------------------------

    async def send_rerun(self, states: dict | None = None, fragment_id: str = "") -> None:
        """Ask for a run of the current page with the widget values the browser holds, plus `states`
        (id → a function filling a WidgetState); trigger values (buttons) are sent once. A widget
        drawn inside a fragment (st.fragment) reruns that fragment only, as in the browser."""
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query_string
        cs.page_script_hash = self.page_hash
        cs.fragment_id = fragment_id
        cs.context_info.timezone = self.timezone
        cs.context_info.locale = "zh-CN"
        merged = dict(self.widgets)
        for wid, fill in (states or {}).items():
            state = cs.widget_states.widgets.add()
            state.id = wid
            fill(state)
            merged.pop(wid, None)
            if state.WhichOneof("value") not in ("trigger_value", "string_trigger_value", "json_trigger_value"):
                self.widgets[wid] = state
        for state in merged.values():
            cs.widget_states.widgets.add().CopyFrom(state)
        await self.ws.send(msg.SerializeToString())

    async def until_finished(self, timeout_s: float = RUN_TIMEOUT_S, stop_when=None) -> Run:
        """Read messages until a run ends for good (a run that calls st.rerun() is followed by the
        next); `stop_when(message)` true returns early, mid-run."""
        deadline = time.monotonic() + timeout_s
        run = Run()
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no end of the run within {timeout_s:.0f} s")
            data = await asyncio.wait_for(self.ws.recv(), left)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            run.messages += 1
            run.bytes += len(data)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                run = Run(messages=run.messages, bytes=run.bytes, by_reference=run.by_reference)
                self.page_hash = msg.new_session.page_script_hash or self.page_hash
                if msg.new_session.initialize.session_id:
                    self.session_id = msg.new_session.initialize.session_id
            elif kind == "delta":
                if msg.delta.WhichOneof("type") == "new_element":
                    element = msg.delta.new_element
                    run.elements[tuple(msg.metadata.delta_path)] = element
                    if msg.delta.fragment_id:
                        widget = getattr(element, element.WhichOneof("type"))
                        if getattr(widget, "id", ""):
                            run.fragments[widget.id] = msg.delta.fragment_id
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "ref_hash":
                run.by_reference += 1
            elif kind == "script_finished":
                run.status = msg.script_finished
                if msg.script_finished == FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY and self.last is not None:
                    # a fragment redraws its part only: the browser keeps the rest of the page
                    run.elements = {**self.last.elements, **run.elements}
                    run.fragments = {**self.last.fragments, **run.fragments}
                if msg.script_finished != FINISHED.FINISHED_EARLY_FOR_RERUN:
                    self.last = run
                    return run
            if stop_when is not None and stop_when(msg):
                return run

    async def first_run(self) -> Run:
        """The page the portal shows a new tab (the sign-in page for nobody signed in)."""
        await self.send_rerun()
        return await self.until_finished()

    async def sign_in(self, username: str, password: str, stop_when=None) -> Run:
        """Fill the sign-in form and submit it; returns the run of the page shown after it."""
        page = self.last
        user = page.widget("text_input", "用户名")
        secret = page.widget("text_input", "密码")
        button = page.widget("button", "登录")

        def text(value):
            def fill(state):
                state.string_value = value
            return fill

        def press(state):
            state.trigger_value = True

        await self.send_rerun({user.id: text(username), secret.id: text(password), button.id: press})
        return await self.until_finished(stop_when=stop_when)

    async def set_date(self, label: str, day) -> Run:
        """Choose a day in a date input and wait for the page's run."""
        widget = self.last.widget("date_input", label)

        def fill(state):
            state.string_array_value.data.append(day.isoformat())

        await self.send_rerun({widget.id: fill}, self.last.fragments.get(widget.id, ""))
        return await self.until_finished()
