"""Step through backpropagation one node at a time, as pictures.

``BackpropStepper(root)`` runs ``root.backward_steps()`` and keeps one *frame* per step: the
node being processed is outlined in red, the grads filled in so far are written in the boxes,
and the edges into its op show the local derivative ∂out/∂in and the contribution
``grad += upstream × local`` just sent to each input. Frame 0 is the start, ``root.grad = 1``.

- In Jupyter, displaying the stepper shows a slider with previous/next buttons (ipywidgets).
- ``to_html(path)`` writes one self-contained HTML file: every frame as inline SVG, a slider and
  buttons in a few lines of plain JavaScript, no network and no server needed.

The layout is computed so that it does not move between frames: what is not known yet is
drawn invisibly, so only the numbers change.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import numpy as np

from autograd.graph import topological_order

from .dot_binary import run_layout
from .graph import (
    ClusterSpec,
    DrawOptions,
    EdgeNote,
    Frame,
    GradScale,
    GraphPicture,
    _grad_lines,
    _note_text,
    build_digraph,
    format_number,
)

# Every frame is a separate layout and a separate picture in the HTML file: keep graphs small.
DEFAULT_STEPPER_MAX_NODES = 400
# Rough width of one character at the labels' 11 pt Helvetica, for cells that must keep their size.
CHARACTER_WIDTH = 5.9
LINE_HEIGHT = 14.0


def _copy_grad(grad: Any) -> Any:
    return grad.copy() if isinstance(grad, np.ndarray) else grad


def _cleared_grad(node: Any) -> Any:
    """The grad a node has before any backprop: 0.0 for a Value, None for a Tensor."""
    return None if isinstance(node.data, np.ndarray) else 0.0


def _name(node: Any) -> str:
    if node.label:
        return repr(node.label)
    return f"the result of {node._op!r}" if node._op else "a leaf"


class BackpropStepper:
    """Backprop from ``root`` as a sequence of frames, one per node processed.

    Args:
        root: the Value or Tensor to backpropagate from (usually the loss).
        zero_grad: clear every grad in the graph first, so the frames show one backward pass
            (otherwise leaves keep what earlier ``backward`` calls accumulated into them).
        rankdir, color_by_grad, clusters: drawing options, as in ``viz.draw_graph``.
        max_nodes: refuse graphs with more drawn nodes than this (each frame is a layout).

    After construction the grads in the graph are exactly those ``root.backward()`` gives.
    """

    def __init__(
        self,
        root: Any,
        *,
        zero_grad: bool = True,
        rankdir: str = "LR",
        color_by_grad: bool = False,
        clusters: ClusterSpec | None = None,
        max_nodes: int = DEFAULT_STEPPER_MAX_NODES,
    ) -> None:
        if not hasattr(root, "backward_steps"):
            raise TypeError(f"BackpropStepper needs a Value or Tensor with backward_steps(), got {type(root).__name__}")
        self.root = root
        self.options = DrawOptions(rankdir=rankdir, color_by_grad=color_by_grad, clusters=clusters, max_nodes=max_nodes)
        self.order = topological_order(root)
        # Check the size before running anything, so a huge graph fails fast.
        build_digraph(root, self.options, Frame(), self.order)
        if zero_grad:
            for node in self.order:
                node.grad = _cleared_grad(node)
        self._index = {id(node): i for i, node in enumerate(self.order)}
        self.steps = []
        self.frames: list[Frame] = []
        self._record()

    # ------------------------------------------------------------------ recording
    def _record(self) -> None:
        before = [_copy_grad(node.grad) for node in self.order]
        snapshots = []
        for step in self.root.backward_steps():
            self.steps.append(step)
            snapshots.append([_copy_grad(node.grad) for node in self.order])
        # Backprop seeds the root's grad with 1 before the first step.
        start = list(before)
        root_i = self._index[id(self.root)]
        start[root_i] = _copy_grad(self.steps[0].upstream) if self.steps else before[root_i]

        all_notes: dict[tuple[int, int], EdgeNote] = {}
        step_edges = []
        for step in self.steps:
            i = self._index[id(step.node)]
            edges = [(i, position) for position in range(len(step.children))]
            for position, edge in enumerate(edges):
                all_notes[edge] = EdgeNote(step.local_grads[position], step.contributions[position])
            step_edges.append(edges)

        sizes = self._grad_cell_sizes([start, *snapshots])
        # One colour scale for every frame, so a colour means the same |grad| throughout.
        scale = (
            GradScale.for_grads(g for snapshot in snapshots for g in snapshot) if self.options.color_by_grad else None
        )
        pending = set(all_notes)
        self.frames.append(
            Frame(
                grads=start,
                highlight={root_i},
                edge_notes=all_notes,
                pending_contributions=set(pending),
                grad_cell_sizes=sizes,
                stable_layout=True,
                grad_scale=scale,
                title=f"start: the grad of the output with respect to itself is 1 (node {_name(self.root)})",
            )
        )
        for step, grads, edges in zip(self.steps, snapshots, step_edges):
            pending -= set(edges)
            self.frames.append(
                Frame(
                    grads=grads,
                    highlight={self._index[id(step.node)]},
                    edge_notes=all_notes,
                    active_edges=set(edges),
                    pending_contributions=set(pending),
                    grad_cell_sizes=sizes,
                    stable_layout=True,
                    title=self._caption(step),
                )
            )

    def _caption(self, step: Any) -> str:
        where = f"step {step.index + 1} of {len(self.steps)}: {_name(step.node)}"
        if step.upstream is None:
            return f"{where} needs no grad (nothing that requires grad depends on it)"
        upstream = _note_text(step.upstream) if not isinstance(step.upstream, np.ndarray) else "its grad"
        if not step.children:
            return f"{where} is a leaf: its grad {upstream} is final"
        return f"{where} has grad {upstream}, so each input (red edges) gets grad += local derivative × {upstream}"

    def _grad_cell_sizes(self, snapshots: list[list[Any]]) -> dict[int, tuple[float, float]]:
        """A size per grad cell that fits its text in every frame, so boxes do not change size."""
        sizes = {}
        for i, node in enumerate(self.order):
            texts = [_grad_lines(node, snapshot[i]) for snapshot in snapshots]
            widest = max(len(line) for lines in texts for line in lines)
            tallest = max(len(lines) for lines in texts)
            sizes[i] = (widest * CHARACTER_WIDTH + 8, tallest * LINE_HEIGHT + 6)
        return sizes

    # ------------------------------------------------------------------ frames
    def __len__(self) -> int:
        return len(self.frames)

    def frame_grads(self, k: int) -> list[Any]:
        """The grad of every node (in traversal order) as frame ``k`` shows it."""
        return list(self._frame(k).grads)

    def caption(self, k: int) -> str:
        """What happens in frame ``k``, in words."""
        return self._frame(k).title or ""

    def _frame(self, k: int) -> Frame:
        if not isinstance(k, (int, np.integer)):
            raise TypeError(f"frame number must be an int, got {type(k).__name__}")
        if not -len(self.frames) <= k < len(self.frames):
            raise IndexError(f"frame {k} out of range: this stepper has frames 0 to {len(self.frames) - 1}")
        return self.frames[k]

    def digraph(self, k: int, title: bool = True) -> GraphPicture:
        """Frame ``k`` as a ``graphviz.Digraph`` (displays itself in Jupyter)."""
        frame = self._frame(k)
        if not title:
            frame = Frame(**{**frame.__dict__, "title": None})
        return build_digraph(self.root, self.options, frame, self.order)

    def svg(self, k: int, title: bool = True) -> str:
        """Frame ``k`` as SVG text."""
        return run_layout(self.digraph(k, title).source, "svg").decode("utf-8")

    # ------------------------------------------------------------------ outputs
    def to_html(self, path: str | Path, title: str = "Backpropagation, step by step") -> Path:
        """Write every frame into one self-contained HTML file with a slider; returns the path.

        The file needs no network and no server: open it in any browser. Arrow keys,
        the buttons and the slider move between frames.
        """
        path = Path(path)
        frames = [_inline_svg(self.svg(k, title=False), prefix=f"f{k}_") for k in range(len(self.frames))]
        captions = [self.caption(k) for k in range(len(self.frames))]
        path.write_text(_html_page(title, frames, captions), encoding="utf-8")
        return path

    def widget(self) -> Any:
        """An ipywidgets slider with previous/next buttons over the frames (needs ``ipywidgets``)."""
        try:
            import ipywidgets as widgets
        except ImportError:
            raise ImportError(
                "the interactive stepper needs ipywidgets: pip install ipywidgets "
                "(or use to_html(path) to get a page that works in any browser)"
            ) from None
        svgs: dict[int, str] = {}

        def picture(k: int) -> str:
            if k not in svgs:
                svgs[k] = _inline_svg(self.svg(k, title=False), prefix=f"f{k}_")
            return f"<p><b>{html.escape(self.caption(k))}</b></p>{svgs[k]}"

        slider = widgets.IntSlider(value=0, min=0, max=len(self.frames) - 1, description="frame")
        previous = widgets.Button(description="◀ previous")
        following = widgets.Button(description="next ▶")
        view = widgets.HTML(picture(0))
        previous.on_click(lambda _: setattr(slider, "value", max(slider.value - 1, 0)))
        following.on_click(lambda _: setattr(slider, "value", min(slider.value + 1, slider.max)))
        slider.observe(lambda change: setattr(view, "value", picture(change["new"])), names="value")
        return widgets.VBox([widgets.HBox([previous, slider, following]), view])

    def _ipython_display_(self) -> None:  # pragma: no cover - needs a Jupyter front end
        from IPython.display import HTML, display

        try:
            display(self.widget())
        except ImportError:
            display(HTML(_inline_svg(self.svg(0, title=True), prefix="f0_")))

    def __repr__(self) -> str:
        root = format_number_or_shape(self.root)
        return f"BackpropStepper({len(self.steps)} steps, {len(self.frames)} frames, root={root})"


def format_number_or_shape(node: Any) -> str:
    """A node's value in a few characters: the number for a Value, the shape for a Tensor."""
    if isinstance(node.data, np.ndarray):
        return f"Tensor of shape {tuple(node.data.shape)}"
    return format_number(node.data)


_XML_PROLOGUE = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", re.DOTALL)
_NAMESPACES = re.compile(r'\s+xmlns(:\w+)?="[^"]*"')


def _inline_svg(svg: str, prefix: str) -> str:
    """SVG text ready to sit inside HTML: no prologue or namespace URLs, ids made unique per frame."""
    svg = _XML_PROLOGUE.sub("", svg)
    svg = _NAMESPACES.sub("", svg)
    svg = svg.replace(' id="', f' id="{prefix}')
    return svg.strip()


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
  body {{ font-family: Helvetica, Arial, sans-serif; margin: 1em; }}
  .controls {{ display: flex; gap: 0.6em; align-items: center; margin-bottom: 0.5em; }}
  .controls input[type=range] {{ flex: 1; max-width: 40em; }}
  .caption {{ font-weight: bold; min-height: 1.5em; }}
  .frame svg {{ max-width: 100%; height: auto; }}
</style>
</head>
<body>
<h2>{title}</h2>
<div class="controls">
  <button id="previous" type="button">&#9664; previous</button>
  <input id="slider" type="range" min="0" max="{last}" value="0" aria-label="frame">
  <button id="next" type="button">next &#9654;</button>
  <span id="counter"></span>
</div>
<p class="caption" id="caption"></p>
{frames}
<script>
(function () {{
  var captions = {captions};
  var frames = document.querySelectorAll(".frame");
  var slider = document.getElementById("slider");
  function show(k) {{
    k = Math.max(0, Math.min(frames.length - 1, k));
    for (var i = 0; i < frames.length; i++) {{ frames[i].hidden = (i !== k); }}
    slider.value = k;
    document.getElementById("caption").textContent = captions[k];
    document.getElementById("counter").textContent = "frame " + k + " / " + (frames.length - 1);
  }}
  slider.addEventListener("input", function () {{ show(parseInt(slider.value, 10)); }});
  function move(by) {{ show(parseInt(slider.value, 10) + by); }}
  document.getElementById("previous").addEventListener("click", function () {{ move(-1); }});
  document.getElementById("next").addEventListener("click", function () {{ move(1); }});
  document.addEventListener("keydown", function (event) {{
    if (event.key === "ArrowLeft") {{ move(-1); }}
    if (event.key === "ArrowRight") {{ move(1); }}
  }});
  show(0);
}})();
</script>
</body>
</html>
"""


def _html_page(title: str, frames: list[str], captions: list[str]) -> str:
    blocks = "\n".join(
        f'<div class="frame" id="frame{k}"{" hidden" if k else ""}>\n{svg}\n</div>' for k, svg in enumerate(frames)
    )
    # JSON is a JavaScript literal; escaping "</" keeps a caption from closing the script element.
    captions_js = json.dumps(captions).replace("</", "<\\/")
    return _PAGE.format(title=html.escape(title), last=len(frames) - 1, frames=blocks, captions=captions_js)
