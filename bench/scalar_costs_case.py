"""Case 9: the scalar engine node for node, forward and backward, against a CPython floor.

The expression is built by hand: a sum of ``tanh(a * b)`` terms over 100 shared leaves, three
nodes per term. The *floor* is the least CPython can do for the same work with the same design:
one slotted object per node holding a float, a grad, a tuple of children and a tuple of local
derivatives. Its forward is the same expression through operators that do nothing else (no
checks, no conversion of numbers, no rules in words, no graph modes); its backward is one
``child.grad += local * upstream`` per edge over nodes already in order (no topological sort, no
reset of grads). Both sides are timed with the cyclic garbage collector paused; the collector
has rows of its own: building the graph with it on, paused, and at a larger first-generation
threshold, and backward with it on and paused.
"""

from __future__ import annotations

import gc
import math

from autograd import Value, topological_order

from .report import Row
from .timing import garbage_collector_paused, time_paired

LEAVES = 100
#: A larger first-generation threshold tried while building (CPython's default is 700 objects).
LARGE_THRESHOLD = 50_000
#: Ours / the floor.
FORWARD_TARGET = 1.8
BACKWARD_TARGET = 3.0


def _expression(leaf: type, terms: int):
    """``x0 + tanh(x_a * x_b) + ...`` over ``LEAVES`` leaves of type ``leaf`` (a Value or a floor node)."""
    xs = [leaf(0.01 * i) for i in range(LEAVES)]
    out = xs[0]
    for i in range(terms):
        out = out + (xs[i % LEAVES] * xs[(i * 7) % LEAVES]).tanh()
    return out


class _FloorNode:
    """A node with nothing but the numbers and links backprop needs, and ops that do nothing else."""

    __slots__ = ("data", "grad", "_children", "_local_grads")

    def __init__(self, data: float, children: tuple = (), local_grads: tuple = ()) -> None:
        self.data = data
        self.grad = 0.0
        self._children = children
        self._local_grads = local_grads

    def __add__(self, other: _FloorNode) -> _FloorNode:
        return _FloorNode(self.data + other.data, (self, other), (1.0, 1.0))

    def __mul__(self, other: _FloorNode) -> _FloorNode:
        a, b = self.data, other.data
        return _FloorNode(a * b, (self, other), (b, a))

    def tanh(self) -> _FloorNode:
        t = math.tanh(self.data)
        return _FloorNode(t, (self,), (1.0 - t * t,))


def _floor_order(root: _FloorNode) -> list:
    """The floor graph's nodes, each after its inputs (found once, outside the floor's timing)."""
    return topological_order(root)


def _floor_backward(order: list) -> None:
    """One ``+=`` per edge, from the root down; the position counted by hand, the fastest plain loop."""
    order[-1].grad = 1.0
    for node in reversed(order):
        upstream = node.grad
        local_grads = node._local_grads
        i = 0
        for child in node._children:
            child.grad += local_grads[i] * upstream
            i += 1


def _build_with_collector(terms: int, setting: str) -> None:
    default = gc.get_threshold()
    was_enabled = gc.isenabled()
    if setting == "paused":
        gc.disable()
    elif setting == "threshold":
        gc.set_threshold(LARGE_THRESHOLD, *default[1:])
    try:
        _expression(Value, terms)
    finally:
        gc.set_threshold(*default)
        if was_enabled:
            gc.enable()


def _same_grads(ours: Value, floor: _FloorNode) -> float:
    """The largest difference between the leaves' grads of the two graphs after one backward each."""
    ours.backward()
    floor_order = _floor_order(floor)
    _floor_backward(floor_order)
    our_leaves = [node for node in topological_order(ours) if not node._children]
    floor_leaves = [node for node in floor_order if not node._children]
    return max(abs(a.grad - b.grad) / max(1.0, abs(b.grad)) for a, b in zip(our_leaves, floor_leaves, strict=True))


def scalar_costs(quick: bool = False) -> list[Row]:
    """Case 9: forward and backward in ns/node against the floor, the sort's share, and the collector."""
    terms = 2_000 if quick else 100_000
    repeats = 1 if quick else 7
    root, floor_root = _expression(Value, terms), _expression(_FloorNode, terms)
    nodes = len(topological_order(root))
    floor_order = _floor_order(floor_root)
    assert len(floor_order) == nodes
    difference = _same_grads(root, floor_root)
    check = f"same leaf grads as the floor (worst rel. diff {difference:.1e})"

    with garbage_collector_paused():
        forward = time_paired({"ours": lambda: _expression(Value, terms),
                               "floor": lambda: _expression(_FloorNode, terms)}, repeats)
        backward = time_paired({"ours": root.backward, "sort": lambda: topological_order(root),
                                "floor": lambda: _floor_backward(floor_order)}, repeats)
    backward_on = time_paired({"on": root.backward}, repeats)

    def per_node(timings, name: str) -> float:
        return 1e9 * timings.median(name) / nodes

    forward_ratio, backward_ratio = forward.ratio("ours", "floor"), backward.ratio("ours", "floor")
    rows = [
        Row(f"9 scalar forward: building a sum of tanh(a*b) ({nodes:,} nodes)", "ns/node", per_node(forward, "ours"),
            floor=per_node(forward, "floor"), target=f"≤ {FORWARD_TARGET}× the floor",
            met=forward_ratio <= FORWARD_TARGET,
            check=f"floor: slotted nodes (float, grad, children, local grads), nothing else; "
                  f"paired {forward_ratio:.2f}×"),
        Row(f"9 scalar backward of that expression ({nodes:,} nodes)", "ns/node", per_node(backward, "ours"),
            floor=per_node(backward, "floor"), target=f"≤ {BACKWARD_TARGET}× the floor",
            met=backward_ratio <= BACKWARD_TARGET,
            check=f"floor: one += per edge, nodes in order; paired {backward_ratio:.2f}×; {check}",
            passed=difference <= 1e-12),
        Row(f"9 topological_order of that expression ({nodes:,} nodes)", "ns/node", per_node(backward, "sort"),
            check=f"{backward.ratio('sort', 'ours'):.2f}× backward's time (paired); the public walk (pictures, "
                  "copies), backward has its own"),
    ]
    build = time_paired(
        {setting: (lambda s=setting: _build_with_collector(terms, s)) for setting in ("on", "paused", "threshold")},
        max(1, repeats // 2),
    )
    settings = (("paused", "paused"), ("threshold", f"at a first-generation threshold of {LARGE_THRESHOLD:,}"))
    for setting, words in settings:
        rows.append(
            Row(f"9 building that graph, the garbage collector {words}: time / collector on", "×",
                build.ratio(setting, "on"), check=f"collector on: {1e9 * build.median('on') / nodes:.0f} ns/node")
        )
    rows.append(
        Row("9 backward, the garbage collector on: time / paused", "×",
            backward_on.median("on") / backward.median("ours"),
            check=f"collector on: {per_node(backward_on, 'on'):.0f} ns/node (unpaired medians)")
    )
    return rows
