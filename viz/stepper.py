"""Step through backpropagation one node (or one neuron, or one layer) at a time.

``BackpropStepper(loss)`` runs ``loss.backward_steps()`` and keeps one *frame* per step: the box
being processed is outlined in red, the grads filled in so far are written in the boxes, the
arrows into it show the local derivative (``∂n/∂w1 = 1.5``) and what was just added to each input
(``w1.grad += 1.5 × 0.71 = 1.07``), and the caption states that chain-rule step with its numbers.
Frame 0 is the start, ``loss.grad = 1``.

``level="neuron"`` or ``"layer"`` (as in ``viz.draw_graph``) makes a frame of everything one
neuron or one layer does; ``"auto"`` (the default) picks the finest readable level.

- In Jupyter, displaying the stepper shows the viewer: previous/next, play/pause with a speed,
  a slider, zoom and pan; arrow keys move one frame. Frames change in the browser (no kernel).
- ``to_html(path)`` writes the same viewer as one self-contained HTML file.
- ``svg(k)``/``digraph(k)`` draw one frame as a static Graphviz picture.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from autograd import is_node, is_tensor, topological_order

from .graph import (
    ClusterSpec,
    DrawOptions,
    Frame,
    GradScale,
    GraphPicture,
    box_fill,
    drawable,
    scale_for_scene,
    scene_digraph,
)
from .messages import get_language, message
from .messages import language as _language
from .scene import DEFAULT_MAX_NODES, Scene, contribution_text, derivative_text, format_number, short_number, value_text
from .viewer import FrameView, iframe, viewer_data, viewer_page

# Edges written out in one caption before "and N more".
CAPTION_EDGES = 3
# The whole of to_html (layout included) must end within this many seconds unless told otherwise.
DEFAULT_TIME_LIMIT = 60.0


class StepperTimeoutError(RuntimeError):
    """Building the stepper's page took longer than its time limit."""


def _copy_grad(grad: Any) -> Any:
    return grad.copy() if isinstance(grad, np.ndarray) else grad


def _cleared_grad(node: Any) -> Any:
    """The grad a node has before any backprop: 0.0 for a Value, None for a Tensor."""
    return None if is_tensor(node) else 0.0


class StepFrame:
    """One frame: the backprop steps it shows (none for the start) and the grads after them."""

    def __init__(self, steps: list, grads: list, box: str | None) -> None:
        self.steps = steps
        self.grads = grads
        self.box = box


class BackpropStepper:
    """Backprop from ``root`` as a sequence of frames, one per node (or neuron, or layer) processed.

    Args:
        root: the Value or Tensor to backpropagate from (usually the loss).
        level: "op", "neuron", "layer" or "auto", as in ``viz.draw_graph``; a picture drawn at
            another level than asked says so in its note.
        model: the network, to find its neurons and layers by their parameters (optional).
        expand: neurons or layers drawn op by op inside a collapsed picture.
        zero_grad: clear every grad in the graph first, so the frames show one backward pass
            (otherwise leaves keep what earlier ``backward`` calls accumulated into them).
        rankdir, color_by_grad, clusters: drawing options, as in ``viz.draw_graph``.
        language: "en" or "es" for every text of the stepper (default: ``viz.set_language``'s).
        max_nodes: the most boxes a level may have before the next level up is drawn.

    After construction the grads in the graph are exactly those ``root.backward()`` gives.
    """

    def __init__(
        self,
        root: Any,
        *,
        level: str = "auto",
        model: Any = None,
        expand: Any = (),
        zero_grad: bool = True,
        rankdir: str = "LR",
        color_by_grad: bool = False,
        clusters: ClusterSpec | None = None,
        language: str | None = None,
        max_nodes: int = DEFAULT_MAX_NODES,
    ) -> None:
        if not is_node(root):
            raise TypeError(
                "BackpropStepper needs a Value or Tensor (it steps through backward_steps()), "
                f"got {type(root).__name__}"
            )
        self.root = root
        self.language = language or get_language()
        self.options = DrawOptions(
            rankdir=rankdir,
            color_by_grad=color_by_grad,
            clusters=clusters,
            level=level,
            model=model,
            expand=expand,
            max_nodes=max_nodes,
        )
        self.order = topological_order(root)
        with _language(self.language):
            # The scene first, so a graph too large at every level fails before anything runs.
            self.scene: Scene = self.options.scene(root, self.order)
        if zero_grad:
            for node in self.order:
                node.grad = _cleared_grad(node)
        self._index = {id(node): i for i, node in enumerate(self.order)}
        self.steps: list = []
        self._frames: list[StepFrame] = []
        with _language(self.language):
            self._record()

    @property
    def level(self) -> str:
        """The level the frames are drawn at ("op", "neuron" or "layer")."""
        return self.scene.level

    # ------------------------------------------------------------------ recording
    def _record(self) -> None:
        before = [_copy_grad(node.grad) for node in self.order]
        root_i = self._index[id(self.root)]
        grads = list(before)
        start_done = False
        for step in self.root.backward_steps():
            if not start_done:
                # Backprop seeds the root's grad (with 1) before the first step.
                start = list(before)
                start[root_i] = _copy_grad(step.upstream)
                self._frames.append(StepFrame([], start, None))
                start_done = True
            self.steps.append(step)
            i = self._index[id(step.node)]
            for child in step.children:
                c = self._index[id(child)]
                grads[c] = _copy_grad(child.grad)
            grads[i] = _copy_grad(step.node.grad)
            box = self.scene.box_of[i]
            folded = self.scene.level != "op" and not step.children and self._frames[-1].steps
            if (folded or box == self._frames[-1].box) and self.scene.level != "op":
                self._frames[-1].steps.append(step)
                self._frames[-1].grads = list(grads)
            else:
                self._frames.append(StepFrame([step], list(grads), box))
        if not start_done:
            self._frames.append(StepFrame([], before, None))
        self.scale: GradScale | None = None
        if self.options.color_by_grad:
            self.scale = scale_for_scene(self.scene, [f.grads for f in self._frames])

    # ------------------------------------------------------------------ frames
    def __len__(self) -> int:
        return len(self._frames)

    def _frame(self, k: int) -> StepFrame:
        if not isinstance(k, (int, np.integer)):
            raise TypeError(f"frame number must be an int, got {type(k).__name__}")
        if not -len(self._frames) <= k < len(self._frames):
            raise IndexError(f"frame {k} out of range: this stepper has frames 0 to {len(self._frames) - 1}")
        return self._frames[k]

    def frame_grads(self, k: int) -> list[Any]:
        """The grad of every node (in traversal order) as frame ``k`` shows it."""
        return list(self._frame(k).grads)

    def frame_steps(self, k: int) -> list:
        """The backprop steps (``BackwardStep`` records) that frame ``k`` shows; none for frame 0."""
        return list(self._frame(k).steps)

    def highlighted(self, k: int) -> list[str]:
        """The keys of the boxes outlined in frame ``k`` (the box of the node processed)."""
        frame = self._frame(k)
        if not frame.steps:
            return [self.scene.box_of[self._index[id(self.root)]]]
        return [frame.box] if frame.box else []

    def active_arrows(self, k: int) -> list[str]:
        """The keys of the arrows along which frame ``k`` sends gradient."""
        return self._active(self._frame(k))

    def _active(self, frame: StepFrame) -> list[str]:
        if not hasattr(self, "_arrow_of_edge"):
            # Each edge (parent index, input position) -> the place of the arrow that draws it.
            self._arrow_of_edge = {edge: n for n, arrow in enumerate(self.scene.arrows) for edge in arrow.edges}
        places = set()
        for step in frame.steps:
            i = self._index[id(step.node)]
            edges = [(i, p) for p in range(len(step.children))]
            places.update(self._arrow_of_edge[edge] for edge in edges if edge in self._arrow_of_edge)
        return [self.scene.arrows[n].key for n in sorted(places)]

    def caption(self, k: int) -> str:
        """What happens in frame ``k``, in words, with the chain-rule step in numbers."""
        with _language(self.language):
            return self._caption(k % len(self._frames))

    def _caption(self, k: int) -> str:
        frame = self._frames[k]
        names = self.scene.names
        if not frame.steps:
            return message("step_start", root=names[self._index[id(self.root)]])
        parts = []
        for step in frame.steps:
            i = self._index[id(step.node)]
            where = names[i]
            if step.upstream is None:
                parts.append(message("step_no_grad", where=where))
                continue
            grad = _short(step.upstream)
            if not step.children:
                if len(frame.steps) == 1:
                    parts.append(message("step_leaf", where=where, grad=grad))
                continue
            edges = [
                contribution_text(self.scene, i, p, step.upstream, c)
                for p, c in enumerate(step.contributions)
                if c is not None
            ]
            shown = "; ".join(edges[:CAPTION_EDGES])
            if len(edges) > CAPTION_EDGES:
                shown += "; " + message("step_more", count=len(edges) - CAPTION_EDGES)
            text = message("step_node", where=where, grad=grad)
            parts.append(f"{text}, {message('step_chain', edges=shown)}" if edges else text)
        body = message("step_then").join(parts)
        steps = len(self._frames) - 1
        if self.scene.level == "op" or self.scene.box(frame.box).kind == "value":
            return message("step_where", k=k, n=steps, node=body)
        box = self.scene.box(frame.box).title or names[self._index[id(frame.steps[0].node)]]
        return message("step_where", k=k, n=steps, node=message("step_group", box=box, steps=body))

    def _notes(self, k: int) -> dict[str, list[str]]:
        """What each arrow says in frame ``k``: its derivative, and its ``grad +=`` once it has been sent."""
        if not self.scene.labelled_arrows and k == 0:
            return {}
        sent: dict[tuple[int, int], tuple[Any, Any]] = {}
        for frame in self._frames[1 : k + 1]:
            self._send(frame, sent)
        active = set(self._active(self._frames[k]))
        notes = {}
        for arrow in self.scene.arrows:
            if self.scene.labelled_arrows or arrow.key in active:
                lines = self._arrow_lines(arrow, sent)
                if lines:
                    notes[arrow.key] = lines
        return notes

    def _send(self, frame: StepFrame, sent: dict[tuple[int, int], tuple[Any, Any]]) -> None:
        """Record in ``sent`` what ``frame``'s steps send along each edge: (upstream grad, contribution)."""
        for step in frame.steps:
            i = self._index[id(step.node)]
            for p, c in enumerate(step.contributions):
                sent[(i, p)] = (step.upstream, c)

    def _arrow_lines(self, arrow: Any, sent: dict[tuple[int, int], tuple[Any, Any]]) -> list[str]:
        """An arrow's notes: for its first two edges, the derivative and, once sent, the ``grad +=``."""
        lines = []
        for parent, position in arrow.edges[:2]:
            derivative = derivative_text(self.scene, parent, position)
            if derivative:
                lines.append(derivative)
            if (parent, position) in sent:
                upstream, contribution = sent[(parent, position)]
                text = contribution_text(self.scene, parent, position, upstream, contribution)
                if text:
                    lines.append(text)
        return lines

    def frame_deltas(self, time_limit: float | None = None) -> list[dict]:
        """Every frame as the viewer's data: frame 0 in full, then only the rows, fills and notes that change.

        Built in one pass over the frames, touching only the boxes and arrows each frame changes (the
        same result as ``viz.viewer.frame_deltas`` of every ``frame_view``, without drawing every box
        of every frame). Raises ``StepperTimeoutError`` after ``time_limit`` seconds.
        """
        started = time.perf_counter()
        scene, order = self.scene, self.order
        by_key = {box.key: box for box in scene.boxes}
        arrow_by_key = {arrow.key: arrow for arrow in scene.arrows}
        # Which arrows' notes an edge's "grad +=" appears on (only an arrow's first two edges are written).
        noted_by_edge: dict[tuple[int, int], list[str]] = {}
        for arrow in scene.arrows:
            for edge in arrow.edges[:2]:
                noted_by_edge.setdefault(edge, []).append(arrow.key)
        labelled = scene.labelled_arrows
        rows: dict[str, list[str]] = {}
        fills: dict[str, str] = {}
        notes: dict[str, list[str]] = {}
        sent: dict[tuple[int, int], tuple[Any, Any]] = {}
        previous_active: list[str] = []
        deltas = []
        with _language(self.language):
            for k, frame in enumerate(self._frames):
                if k == 0:
                    boxes = list(scene.boxes)
                    arrows = list(scene.arrows) if labelled else []
                else:
                    self._send(frame, sent)
                    changed = set()
                    touched_edges = []
                    for step in frame.steps:
                        i = self._index[id(step.node)]
                        changed.add(i)
                        changed.update(self._index[id(child)] for child in step.children)
                        touched_edges += [(i, p) for p in range(len(step.children))]
                    boxes = [by_key[key] for key in dict.fromkeys(scene.box_of[i] for i in sorted(changed))]
                    if labelled:
                        keys = dict.fromkeys(key for edge in touched_edges for key in noted_by_edge.get(edge, ()))
                    else:
                        keys = dict.fromkeys([*previous_active, *self._active(frame)])
                    arrows = [arrow_by_key[key] for key in keys]
                active = self._active(frame)
                entry: dict[str, Any] = {
                    "caption": drawable(self._caption(k)),
                    "highlight": self.highlighted(k),
                    "active": active,
                    "grads": {},
                    "fills": {},
                    "notes": {},
                }
                for box in boxes:
                    if box.kind != "op":
                        new_rows = [drawable(r) for r in box.grad_rows(frame.grads, order)]
                        if rows.get(box.key) != new_rows:
                            rows[box.key] = entry["grads"][box.key] = new_rows
                    fill = box_fill(box, frame.grads, self.scale, {})
                    if fills.get(box.key) != fill:
                        fills[box.key] = entry["fills"][box.key] = fill
                shown = set(active)
                for arrow in arrows:
                    lines = self._arrow_lines(arrow, sent) if labelled or arrow.key in shown else []
                    lines = [drawable(line) for line in lines]
                    if notes.get(arrow.key, []) != lines:
                        notes[arrow.key] = entry["notes"][arrow.key] = lines
                        if not lines:
                            del notes[arrow.key]
                previous_active = active
                deltas.append(entry)
                if time_limit is not None and time.perf_counter() - started > time_limit:
                    raise StepperTimeoutError(
                        f"building the stepper's frames took more than {time_limit} s ({k + 1} of {len(self)} done); "
                        "draw it by neuron or layer (level=...), or pass a larger time_limit"
                    )
        return deltas

    def frame_view(self, k: int) -> FrameView:
        """Frame ``k`` as the viewer shows it."""
        with _language(self.language):
            frame = self._frame(k)
            grads = frame.grads
            rows = {box.key: box.grad_rows(grads, self.order) for box in self.scene.boxes if box.kind != "op"}
            fills = {box.key: box_fill(box, grads, self.scale, {}) for box in self.scene.boxes}
            return FrameView(
                self._caption(k % len(self)),
                rows,
                fills,
                self.highlighted(k),
                self.active_arrows(k),
                self._notes(k % len(self)),
            )

    def digraph(self, k: int, title: bool = True) -> GraphPicture:
        """Frame ``k`` as a static ``graphviz.Digraph`` (displays itself in Jupyter)."""
        with _language(self.language):
            frame = self._frame(k)
            picture = Frame(
                grads=frame.grads,
                highlight=set(self.highlighted(k)),
                active=set(self.active_arrows(k)),
                arrow_notes=self._notes(k % len(self)),
                title=self._caption(k % len(self)) if title else None,
                grad_scale=self.scale,
            )
            return scene_digraph(self.scene, self.options, picture)

    def svg(self, k: int, title: bool = True) -> str:
        """Frame ``k`` as SVG text (a static picture)."""
        from .dot_binary import run_layout

        return run_layout(self.digraph(k, title).source, "svg").decode("utf-8")

    # ------------------------------------------------------------------ the viewer
    def html(self, title: str | None = None, time_limit: float | None = DEFAULT_TIME_LIMIT) -> str:
        """The viewer as one self-contained HTML page (laid out once; frames switch in the browser).

        Raises ``StepperTimeoutError`` when building it takes more than ``time_limit`` seconds.
        """
        started = time.perf_counter()
        with _language(self.language):
            title = title or message("stepper_title")
            deltas = self.frame_deltas(time_limit)
            remaining = None if time_limit is None else max(time_limit - (time.perf_counter() - started), 1.0)
            data = viewer_data(
                self.scene, deltas, title=title, rankdir=self.options.rankdir, scale=self.scale, timeout=remaining
            )
            return viewer_page(data, self.language)

    def to_html(
        self, path: str | Path, title: str | None = None, time_limit: float | None = DEFAULT_TIME_LIMIT
    ) -> Path:
        """Write the viewer into one self-contained HTML file (no network, no server); returns the path.

        Open it in any browser: the buttons, the slider, play/pause and the arrow keys move
        between frames; the picture zooms (buttons, Ctrl + wheel) and pans (drag, wheel).
        """
        path = Path(path)
        path.write_text(self.html(title, time_limit), encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        # An iframe with the page inside: works in JupyterLab, Notebook 7, VS Code, Colab and exported HTML.
        return iframe(self.html(), height=self._height())

    def _height(self) -> int:
        return 640

    def widget(self) -> Any:
        """The viewer as an ``ipywidgets.HTML`` (for placing it inside other widgets); needs ipywidgets."""
        try:
            import ipywidgets as widgets
        except ImportError:
            raise ImportError(
                "stepper.widget() needs ipywidgets: pip install ipywidgets (displaying the stepper itself, "
                "or to_html(path), needs nothing more)"
            ) from None
        return widgets.HTML(self._repr_html_(), layout=widgets.Layout(width="100%"))

    def __repr__(self) -> str:
        root = format_number_or_shape(self.root)
        return f"BackpropStepper({len(self.steps)} steps, {len(self)} frames, level={self.level!r}, root={root})"


def _short(value: Any) -> str:
    return value_text(np.asarray(value)) if isinstance(value, np.ndarray) else short_number(value)


def format_number_or_shape(node: Any) -> str:
    """A node's value in a few characters: the number for a Value, the shape for a Tensor."""
    if is_tensor(node):
        return f"Tensor of shape {tuple(node.data.shape)}"
    return format_number(node.data)


def frames_of(stepper: BackpropStepper) -> Sequence[FrameView]:
    """Every frame of ``stepper`` as the viewer shows it."""
    return [stepper.frame_view(k) for k in range(len(stepper))]
