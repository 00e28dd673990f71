"""The in-browser viewer: a scene laid out once, its frames switched by our own JavaScript.

``viewer_page(scene, frames)`` returns one self-contained HTML page (no network, no server): the
layout (Graphviz, run once), every frame as the few texts and colours that change, and the
viewer's script and style (``viewer.js``, ``viewer.css`` beside this file), inline. The same page
is the standalone file ``BackpropStepper.to_html`` writes and, inside an ``<iframe srcdoc>``, what
Jupyter shows (JupyterLab, Notebook 7, VS Code and Colab all display it, and it still works in an
exported notebook, because nothing needs the kernel once the page exists).

Every text goes to the page as JSON inside the script, with ``<``, ``>`` and ``&`` written as
``\\u003c`` ..., so no label can end the script or open a comment; the script puts text in the
picture with ``textContent``, never as markup.
"""

from __future__ import annotations

import html
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .dot_binary import run_layout
from .graph import FONT, GradScale, column_chains, drawable
from .messages import message
from .scene import Scene

# The viewer draws text at this size (CSS pixels) at zoom 1, and never zooms below 9 px.
TEXT_PX = 12
LINE_PX = 16
# Width of one character at TEXT_PX in Helvetica/Arial (digits are 0.556 em; a little room to spare).
CHARACTER_PX = 7.0
BOX_PADDING_PX = 6
# In a dense picture (no room laid out for notes) an arrow's notes start this far along it from its tail.
NEAR_TAIL_PX = 14
HERE = Path(__file__).parent


@dataclass
class FrameView:
    """One frame as the viewer needs it: a caption, and per box/arrow the texts and colours it shows."""

    caption: str
    grad_rows: dict[str, list[str]]  # box key -> grad rows
    fills: dict[str, str]  # box key -> fill colour
    highlight: list[str] = field(default_factory=list)
    active: list[str] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)  # arrow key -> lines


def _box_size(lines: list[str], bold_first: bool) -> tuple[float, float]:
    widest = max(
        (len(line) * CHARACTER_PX * (1.08 if bold_first and k == 0 else 1.0) for k, line in enumerate(lines)),
        default=20,
    )
    return widest + 2 * BOX_PADDING_PX, max(len(lines), 1) * LINE_PX + 2 * BOX_PADDING_PX - 4


def _note_size(lines: list[str]) -> tuple[float, float]:
    widest = max((len(line) for line in lines), default=0) * (CHARACTER_PX - 0.6)
    return widest + 6, len(lines) * (LINE_PX - 2) + 4


def layout(scene: Scene, deltas: list[dict], rankdir: str = "LR", timeout: float | None = 60.0) -> dict:
    """Lay the scene out once (Graphviz, JSON output): box positions, arrow paths, group frames, label places.

    ``deltas`` are the frames as ``frame_deltas`` gives them: each box gets room for the most and the
    widest grad rows any frame writes in it, each arrow for its longest notes.
    """
    boxes = []
    # Without laid-out labels, notes go beside the arrows' tails: the ranks keep room for them.
    ranksep = 0.45 if scene.labelled_arrows else 2.8
    dot = [f'digraph viewer {{ rankdir={rankdir} nodesep=0.18 ranksep={ranksep} fontname="{FONT}"']
    dot.append('node [shape=box fixedsize=true label=""]')
    grad_lines_of: dict[str, int] = {}
    widest_grad: dict[str, int] = {}
    for delta in deltas:
        for key, rows in delta["grads"].items():
            grad_lines_of[key] = max(grad_lines_of.get(key, 0), len(rows))
            widest_grad[key] = max([widest_grad.get(key, 0), *(len(r) for r in rows)])
    groups: dict[str, list[str]] = {}
    for box in scene.boxes:
        lines = ([box.title] if box.title else []) + box.rows
        lines += ["x" * widest_grad.get(box.key, 0)] * grad_lines_of.get(box.key, 0)
        if box.kind == "op":
            width, height = max(len(box.title) * CHARACTER_PX + 18, 34), 26
        else:
            width, height = _box_size(lines, bool(box.title))
        boxes.append(
            {
                "key": box.key,
                "kind": box.kind,
                "title": drawable(box.title),
                "rows": [drawable(r) for r in box.rows],
                "w": width,
                "h": height,
            }
        )
        statement = (
            f"{box.key} [width={width / 96:.3f} height={height / 96:.3f}{' shape=ellipse' if box.kind == 'op' else ''}]"
        )
        (groups.setdefault(box.group, []) if box.group else dot).append(statement)
    chains = column_chains(scene.boxes, rankdir)
    dot.extend(chains.get(None, []))
    for number, (name, statements) in enumerate(groups.items()):
        dot.append(f"subgraph cluster_{number} {{ label={json.dumps(name)} fontsize=12 margin=10")
        dot.extend(statements)
        dot.extend(chains.get(name, []))
        dot.append("}")
    labelled = scene.labelled_arrows
    longest_note: dict[str, list[str]] = {}
    if labelled:
        for delta in deltas:
            for key, lines in delta["notes"].items():
                if sum(map(len, lines)) >= sum(map(len, longest_note.get(key, []))):
                    longest_note[key] = lines
    for arrow in scene.arrows:
        attributes = ""
        if arrow.key in longest_note:
            # A label of the right size keeps room for the notes; the viewer writes them there.
            placeholder = "<BR/>".join("x" * max(1, len(line)) for line in longest_note[arrow.key])
            attributes = f' [label=<{placeholder}> fontsize=9.5 fontname="{FONT}"]'
        dot.append(f"{arrow.tail} -> {arrow.head}{attributes}")
    dot.append("}")
    # json0: positions without the drawing instructions (a third of the text to write and read).
    laid_out = json.loads(run_layout("\n".join(dot), "json0", timeout=timeout))
    return _positions(laid_out, boxes, scene, labelled)


def _point(text: str, height: float) -> list[float]:
    x, y = text.split(",")[:2]
    return [round(float(x) * 96 / 72, 1), round((height - float(y)) * 96 / 72, 1)]


def _positions(laid_out: dict, boxes: list[dict], scene: Scene, labelled: bool) -> dict:
    """Graphviz's points (y up, 72 per inch) as CSS pixels (y down, 96 per inch)."""
    bb = [float(v) for v in laid_out["bb"].split(",")]
    height = bb[3]
    by_name = {}
    clusters = []
    for obj in laid_out.get("objects", []):
        if "bb" in obj and obj.get("name", "").startswith("cluster"):
            x0, y0, x1, y1 = (float(v) for v in obj["bb"].split(","))
            clusters.append(
                {
                    "x": round(x0 * 4 / 3, 1),
                    "y": round((height - y1) * 4 / 3, 1),
                    "w": round((x1 - x0) * 4 / 3, 1),
                    "h": round((y1 - y0) * 4 / 3, 1),
                    "title": drawable(obj.get("label", "")),
                }
            )
        elif "pos" in obj:
            by_name[obj["name"]] = obj
    for box in boxes:
        cx, cy = _point(by_name[box["key"]]["pos"], height)
        box["x"], box["y"] = round(cx - box["w"] / 2, 1), round(cy - box["h"] / 2, 1)
    arrows = []
    names = [obj.get("name") for obj in laid_out.get("objects", [])]
    edges = laid_out.get("edges", [])
    by_pair: dict[tuple[str, str], list[dict]] = {}
    for edge in edges:
        if "pos" in edge and edge.get("style") != "invis":
            by_pair.setdefault((names[edge["tail"]], names[edge["head"]]), []).append(edge)
    for arrow in scene.arrows:
        edge = by_pair[(arrow.tail, arrow.head)].pop(0)
        parts = edge["pos"].split()
        end = None
        if parts[0].startswith("e,"):
            end = _point(parts[0][2:], height)
            parts = parts[1:]
        points = [_point(p, height) for p in parts if not p.startswith("s,")]
        path = f"M{points[0][0]},{points[0][1]}"
        for k in range(1, len(points) - 2, 3):
            path += " C" + " ".join(f"{p[0]},{p[1]}" for p in points[k : k + 3])
        near_tail = None if labelled else _point_along(points, NEAR_TAIL_PX)
        arrows.append(
            {
                "key": arrow.key,
                "tail": arrow.tail,
                "head": arrow.head,
                "path": path,
                "from": points[-1],
                "to": end or points[-1],
                "label": _point(edge["lp"], height) if labelled and "lp" in edge else None,
                "near_tail": near_tail,
            }
        )
    return {
        "width": round(bb[2] * 4 / 3, 1),
        "height": round(height * 4 / 3, 1),
        "boxes": boxes,
        "arrows": arrows,
        "clusters": clusters,
    }


def _point_along(points: list[list[float]], distance: float) -> list[float]:
    """The point ``distance`` px along a chain of cubic Béziers (at most half way), sampled finely."""
    samples = [points[0]]
    for k in range(1, len(points) - 2, 3):
        p0, p1, p2, p3 = points[k - 1], points[k], points[k + 1], points[k + 2]
        for step in range(1, 21):
            t = step / 20
            u = 1 - t
            samples.append(
                [u**3 * p0[i] + 3 * u * u * t * p1[i] + 3 * u * t * t * p2[i] + t**3 * p3[i] for i in (0, 1)]
            )
    lengths = [0.0]
    for a, b in zip(samples, samples[1:]):
        lengths.append(lengths[-1] + ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5)
    wanted = min(distance, lengths[-1] / 2)
    for point, length in zip(samples, lengths):
        if length >= wanted:
            return [round(point[0], 1), round(point[1], 1)]
    return samples[-1]


def frame_deltas(frames: list[FrameView]) -> list[dict]:
    """Frames as the viewer's data: frame 0 in full, then only what changes (the page stays small and a
    frame change touches little). Texts are made drawable (control characters escaped)."""
    out = []
    previous: FrameView | None = None
    for frame in frames:
        entry: dict[str, Any] = {
            "caption": drawable(frame.caption),
            "highlight": frame.highlight,
            "active": frame.active,
        }
        if previous is None:
            entry["grads"] = {k: [drawable(r) for r in v] for k, v in frame.grad_rows.items()}
            entry["fills"] = dict(frame.fills)
            entry["notes"] = {k: [drawable(r) for r in v] for k, v in frame.notes.items()}
        else:
            entry["grads"] = {
                k: [drawable(r) for r in v] for k, v in frame.grad_rows.items() if previous.grad_rows.get(k) != v
            }
            entry["fills"] = {k: v for k, v in frame.fills.items() if previous.fills.get(k) != v}
            entry["notes"] = {k: [drawable(r) for r in v] for k, v in frame.notes.items() if previous.notes.get(k) != v}
            entry["notes"].update({k: [] for k in previous.notes if k not in frame.notes})
        out.append(entry)
        previous = frame
    return out


def script_json(value: Any) -> str:
    """JSON safe inside ``<script>``: no ``<``, ``>`` or ``&`` (so no ``</script>`` or ``<!--``), no line separators."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(character, escaped)
    return text


def viewer_data(
    scene: Scene,
    deltas: list[dict],
    *,
    title: str,
    rankdir: str = "LR",
    scale: GradScale | None = None,
    timeout: float | None = 60.0,
) -> dict:
    """Everything the viewer's script needs: the layout, the frames (``frame_deltas``) and the words of the controls."""
    started = time.perf_counter()
    data = layout(scene, deltas, rankdir, timeout=timeout)
    data.update(
        title=drawable(title),
        note=drawable(scene.note or ""),
        labelled=scene.labelled_arrows,
        frames=deltas,
        legend=[[text, colour] for text, colour in scale.legend_entries()] if scale is not None else [],
        legend_title=message("legend_title"),
        words={
            key: message(key)
            for key in ("previous", "next", "play", "pause", "speed", "zoom_in", "zoom_out", "fit", "frame")
        },
        counter=message("frame_counter", k="{k}", last="{last}"),
        build_seconds=round(time.perf_counter() - started, 3),
    )
    return data


def viewer_page(data: dict, language: str = "en") -> str:
    """The standalone page: style, data and script inline."""
    style = (HERE / "viewer.css").read_text(encoding="utf-8")
    script = (HERE / "viewer.js").read_text(encoding="utf-8")
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(data['title'])}</title>\n<style>\n{style}</style>\n</head>\n<body>\n"
        f'<div class="rg-viewer" id="rg-viewer" tabindex="0"></div>\n'
        f'<script id="rg-data" type="application/json">{script_json(data)}</script>\n'
        f"<script>\n{script}</script>\n</body>\n</html>\n"
    )


def iframe(page: str, height: int) -> str:
    """The page inside an ``<iframe srcdoc>``, as Jupyter shows it (the page keeps its own script and style)."""
    return (
        f'<iframe srcdoc="{html.escape(page, quote=True)}" class="rg-viewer-frame" '
        f'style="width: 100%; height: {height}px; border: 1px solid #ddd; border-radius: 4px;" '
        f'sandbox="allow-scripts" loading="lazy"></iframe>'
    )
