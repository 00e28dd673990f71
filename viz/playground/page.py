"""The playground's ES module on a plain HTML page, outside Jupyter, wired to a widget in this process.

Jupyter connects the page and the kernel through a comm; here ``PageBridge`` plays that part
for a browser driven by Selenium (the tests and the bench use it): the page's stand-in for
the widget model keeps the traits, queues what the page sends (``window.rgpOutbox``), and
``window.rgpApply`` takes the updates the widget sends back. ``pump()`` carries both ways
through the same methods ipywidgets uses (``set_state`` for changed traits, the custom
message callbacks for ticks and clicks), so the widget cannot tell the difference.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

from .widget import Playground

_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{title}</title><style>{css}</style></head>
<body style="margin: 8px"><div id="playground"></div>
<script type="module">
const source = {source};
const initial = {initial};
const decode = (value) => {{
  if (value === null || typeof value !== "object" || value.__bytes__ === undefined) return value;
  const raw = atob(value.__bytes__);
  const bytes = new Uint8Array(raw.length);
  for (let k = 0; k < raw.length; k++) bytes[k] = raw.charCodeAt(k);
  return new DataView(bytes.buffer);
}};
const traits = {{}};
for (const [name, value] of Object.entries(initial)) traits[name] = decode(value);
const listeners = {{}};
const fire = (event) => (listeners[event] || []).slice().forEach((callback) => callback());
let pending = {{}};
const outbox = [];
const model = {{
  get: (name) => traits[name],
  set: (name, value) => {{ traits[name] = value; pending[name] = value; fire(`change:${{name}}`); }},
  save_changes: () => {{ outbox.push({{ kind: "set", changes: pending }}); pending = {{}}; }},
  send: (content) => outbox.push({{ kind: "send", content }}),
  on: (event, callback) => {{ (listeners[event] = listeners[event] || []).push(callback); }},
  off: (event, callback) => {{ listeners[event] = (listeners[event] || []).filter((c) => c !== callback); }},
}};
window.rgpOutbox = outbox;
window.rgpApply = (changes) => {{
  const names = Object.keys(changes);
  for (const name of names) traits[name] = decode(changes[name]);
  for (const name of names) fire(`change:${{name}}`);
}};
const url = URL.createObjectURL(new Blob([source], {{ type: "text/javascript" }}));
const module = await import(url);
module.default.render({{ model, el: document.getElementById("playground") }});
window.rgpReady = true;
</script></body></html>
"""


def _encoded(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"__bytes__": base64.b64encode(bytes(value)).decode("ascii")}
    return value


#: The traits the page reads (the rest of a widget's state is Jupyter's own).
PAGE_TRAITS = ("controls", "playing", "frame", "grids", "points", "notice", "labels", "options", "inspection")


def _synced_state(widget: Playground) -> dict[str, Any]:
    return {name: _encoded(getattr(widget, name)) for name in PAGE_TRAITS}


def page_html(widget: Playground, title: str = "retrograd playground") -> str:
    """A self-contained page showing ``widget`` as it is now (its module, its style and its traits inline)."""
    folder = Path(__file__).resolve().parent
    return _PAGE.format(
        title=title,
        css=(folder / "playground.css").read_text(encoding="utf-8"),
        source=json.dumps((folder / "playground.js").read_text(encoding="utf-8")),
        initial=json.dumps(_synced_state(widget)),
    )


class PageBridge:
    """Carries messages between ``widget`` and its page in a Selenium ``driver`` (in place of a Jupyter comm)."""

    def __init__(self, widget: Playground, driver: Any, path: str | Path, timeout: float = 20.0) -> None:
        self.widget, self.driver = widget, driver
        self._updates: dict[str, Any] = {}
        widget._send = self._record  # what the widget would send to the page through its comm
        path = Path(path)
        path.write_text(page_html(widget), encoding="utf-8")
        driver.get(path.resolve().as_uri())
        deadline = time.monotonic() + timeout
        while not driver.execute_script("return window.rgpReady === true"):
            if time.monotonic() > deadline:
                raise TimeoutError("the playground page did not start")
            time.sleep(0.05)

    def _record(self, msg: dict[str, Any], buffers: list | None = None) -> None:
        if msg.get("method") != "update":
            return  # echoes: the page already holds what it set
        state = dict(msg["state"])
        for path, buffer in zip(msg.get("buffer_paths", []), buffers or []):
            state[path[0]] = bytes(buffer)
        self._updates.update({name: value for name, value in state.items() if name in PAGE_TRAITS})

    def pump(self) -> int:
        """Hand the page's messages to the widget and the widget's updates to the page; returns messages handled."""
        messages = self.driver.execute_script("return window.rgpOutbox.splice(0)")
        for item in messages:
            if item["kind"] == "set":
                self.widget.set_state(item["changes"])
            else:
                self.widget._handle_custom_msg(item["content"], [])
        self.flush()
        return len(messages)

    def flush(self) -> None:
        """Send the page what the widget changed since the last call (changes made from code included)."""
        if self._updates:
            updates = {name: _encoded(value) for name, value in self._updates.items()}
            self._updates = {}
            self.driver.execute_script("window.rgpApply(arguments[0])", updates)

    def run_for(self, seconds: float) -> None:
        """Keep carrying messages for ``seconds`` (while playing, the page asks for a frame after each one)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not self.pump():
                time.sleep(0.002)
