"""Cases on the scalar engine: micrograd's demo step (1), deep chains (2) and memory per node (6)."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable

import numpy as np

from autograd import Value

from .report import NOT_INSTALLED, Row
from .timing import garbage_collector_paused, time_paired

DEMO_SIZES = [16, 16, 1]
DEMO_L2 = 1e-4
DEMO_LR = 0.1
#: Loss and grads must agree with micrograd's to this relative tolerance.
SAME_TOLERANCE = 1e-12


def moons(n: int, noise: float = 0.1, seed: int = 1) -> tuple[list[list[float]], list[float]]:
    """Two interleaving half circles (as in scikit-learn's ``make_moons``), labels -1 and +1, as floats."""
    rng = np.random.default_rng(seed)
    outer = n // 2
    angles = np.concatenate([np.linspace(0, np.pi, outer), np.linspace(0, np.pi, n - outer)])
    x = np.where(np.arange(n) < outer, np.cos(angles), 1 - np.cos(angles))
    y = np.where(np.arange(n) < outer, np.sin(angles), 0.5 - np.sin(angles))
    points = np.stack([x, y], axis=1) + noise * rng.standard_normal((n, 2))
    labels = np.where(np.arange(n) < outer, -1.0, 1.0)
    return points.tolist(), labels.tolist()


def _import_micrograd():
    try:
        import micrograd.engine
        import micrograd.nn
    except ImportError:
        return None
    return micrograd


def _relative_difference(a: float, b: float) -> float:
    return abs(a - b) / max(1.0, abs(b))


# ---------------------------------------------------------------------- 1. micrograd's demo step
class _OurDemo:
    """Our side of the demo: nn.MLP 2-16-16-1 (ReLU), mean hinge loss + L2, SGD.

    ``fused=False`` builds each neuron's w·x + b node by node, a ``*`` and a ``+`` per weight,
    the same graph as micrograd's.
    """

    def __init__(self, points: list, labels: list, fused: bool = True) -> None:
        from nn.losses import hinge_loss
        from nn.optim import SGD
        from nn.scalar import MLP

        self.points, self.labels = points, labels
        self.model = MLP(2, DEMO_SIZES, activation="relu", seed=0, fused=fused)
        self.params = self.model.parameters()
        self.optimizer = SGD(self.params, lr=DEMO_LR)
        self.hinge_loss = hinge_loss

    def neurons(self) -> list:
        return [neuron for layer in self.model.layers for neuron in layer.neurons]

    def step(self) -> Value:
        inputs = [[Value(a) for a in row] for row in self.points]
        scores = [self.model(x) for x in inputs]
        loss = self.hinge_loss(scores, self.labels) + DEMO_L2 * sum(p * p for p in self.params)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss


class _MicrogradDemo:
    """micrograd's side, written as in its demo notebook (with Python floats, its fastest input)."""

    def __init__(self, micrograd, points: list, labels: list) -> None:
        self.Value = micrograd.engine.Value
        self.model = micrograd.nn.MLP(2, DEMO_SIZES)
        self.points, self.labels = points, labels

    def neurons(self) -> list:
        return [neuron for layer in self.model.layers for neuron in layer.neurons]

    def step(self):
        inputs = [[self.Value(a) for a in row] for row in self.points]
        scores = [self.model(x) for x in inputs]
        losses = [(1 + -yi * score).relu() for yi, score in zip(self.labels, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        loss = data_loss + DEMO_L2 * sum(p * p for p in self.model.parameters())
        self.model.zero_grad()
        loss.backward()
        for p in self.model.parameters():
            p.data -= DEMO_LR * p.grad
        return loss


def _parameter_pairs(ours: _OurDemo, theirs: _MicrogradDemo) -> list[tuple]:
    """(our parameter, micrograd's parameter) for every weight and bias, neuron by neuron."""
    pairs = []
    for our_neuron, their_neuron in zip(ours.neurons(), theirs.neurons(), strict=True):
        pairs += zip(our_neuron.w, their_neuron.w, strict=True)
        pairs.append((our_neuron.b, their_neuron.b))
    return pairs


#: Ours / micrograd for each way of building the neurons: (collector on, collector paused for both).
DEMO_TARGETS = {True: (0.1, None), False: (0.12, 0.4)}


def _demo_rows(micrograd, points: list, labels: list, repeats: int, fused: bool) -> list[Row]:
    """Rows of case 1 for one way of building the neurons: the step with the collector on, then paused."""
    ours = _OurDemo(points, labels, fused=fused)
    how = "" if fused else " node for node (fused=False: a * and a + per weight, micrograd's graph)"
    case = f"1 demo step{how}: MLP 2-16-16-1, {len(points)} moons, hinge+L2, SGD"
    paused_case = (f"1 demo step{'' if fused else ' node for node'}, the same with Python's cyclic garbage "
                   "collector paused (both)")
    target_on, target_paused = DEMO_TARGETS[fused]
    if micrograd is None:
        seconds = time_paired({"ours": ours.step}, repeats).median("ours")
        return [Row(case, "ms", 1e3 * seconds, peers={"micrograd": NOT_INSTALLED},
                    target=f"≤ {target_on}× micrograd")]

    theirs = _MicrogradDemo(micrograd, points, labels)
    pairs = _parameter_pairs(ours, theirs)
    for ours_p, their_p in pairs:
        ours_p.data = their_p.data
    # The first step is the warm-up and the check: same loss, same grads, same updated weights.
    our_loss, their_loss = ours.step(), theirs.step()
    loss_difference = _relative_difference(our_loss.data, their_loss.data)
    grad_difference = max(_relative_difference(a.grad, b.grad) for a, b in pairs)
    del our_loss, their_loss
    contenders = {"ours": ours.step, "micrograd": theirs.step}
    timings = time_paired(contenders, repeats, warmup=0)
    # micrograd's nodes hold closures that refer back to them: reference cycles, which only
    # Python's cyclic garbage collector handles. Timing again with it paused shows that share.
    with garbage_collector_paused():
        timings_without_gc = time_paired(contenders, repeats, warmup=0)
    weight_difference = max(_relative_difference(a.data, b.data) for a, b in pairs)
    worst = max(loss_difference, grad_difference, weight_difference)
    check = (f"loss, {len(pairs)} grads and weights after {2 * repeats + 1} steps equal to micrograd's "
             f"(worst rel. diff {worst:.1e})")
    rows = []
    for name, measured, target in ((case, timings, target_on), (paused_case, timings_without_gc, target_paused)):
        ratio = measured.ratio("ours", "micrograd")
        rows.append(Row(
            name,
            "ms",
            1e3 * measured.median("ours"),
            peers={"micrograd": 1e3 * measured.median("micrograd")},
            ratios={"micrograd": ratio},
            target=f"≤ {target}× micrograd" if target else "",
            met=ratio <= target if target else None,
            check=check if name == case else "",
            passed=worst <= SAME_TOLERANCE,
        ))
    return rows


def demo_step(quick: bool = False) -> list[Row]:
    """Case 1: one training step of micrograd's demo, ours against micrograd with the same weights.

    Twice: with our fused neurons (one w·x + b node each) and node for node, the graph micrograd
    builds; each with the cyclic garbage collector on and paused.
    """
    points, labels = moons(10 if quick else 100)
    repeats = 1 if quick else 7
    micrograd = _import_micrograd()
    return [row for fused in (True, False) for row in _demo_rows(micrograd, points, labels, repeats, fused)]


# ---------------------------------------------------------------------- 2. deep chains
def _chain(value_type: type, nodes: int):
    """A leaf followed by ``nodes - 1`` ReLUs, each of the one before: a graph as deep as it is long."""
    leaf = value_type(0.5)
    y = leaf
    for _ in range(nodes - 1):
        y = y.relu()
    return leaf, y


def _micrograd_chain_backward(micrograd, nodes: int) -> Callable[[], object] | str:
    """micrograd's backward on a chain, or why it cannot run (its topological sort is recursive)."""
    _, root = _chain(micrograd.engine.Value, nodes)
    try:
        root.backward()
    except RecursionError:
        return "fails (RecursionError)"
    return root.backward


#: Nodes walked per timed call in case 2: a short chain's backward is repeated this many nodes' worth.
CHAIN_NODES_PER_CALL = 200_000


def _repeated(backward: Callable[[], object], calls: int) -> Callable[[], None]:
    def run() -> None:
        for _ in range(calls):
            backward()

    return run


def deep_chain(quick: bool = False) -> list[Row]:
    """Case 2: backward through chains of 10³…10⁶ nodes (and 500, where micrograd still runs); time per node.

    The timer collects garbage before each timed call, which also evicts the graph from the CPU's
    caches; a single backward of a short chain would then be timed cold (729 against 506 ns per
    node at 10³). So each timed call runs ``CHAIN_NODES_PER_CALL`` nodes' worth of backward
    calls in a row (200 of a 10³ chain, one of 10⁶) and the time is divided by all the nodes.
    """
    # 500 nodes: the longest of these chains micrograd's recursive sort still handles.
    sizes = [100, 1000] if quick else [500, 10**3, 10**4, 10**5, 10**6]
    flat_from = sizes[1]  # flatness is judged from 10³ on
    micrograd = _import_micrograd()
    micrograd_failed = NOT_INSTALLED if micrograd is None else ""
    rows = []
    per_node = []
    for nodes in sizes:
        repeats = 1 if quick else (3 if nodes >= 10**5 else 7)
        leaf, root = _chain(Value, nodes)
        root.backward()
        grad_ok = leaf.grad == 1.0  # d relu(relu(...(0.5)))/dx = 1 along every edge
        calls = 1 if quick else max(1, CHAIN_NODES_PER_CALL // nodes)
        contenders: dict[str, Callable[[], object]] = {"ours": _repeated(root.backward, calls)}
        peers: dict[str, float | str] = {}
        if micrograd_failed:
            peers["micrograd"] = micrograd_failed
        else:
            theirs = _micrograd_chain_backward(micrograd, nodes)
            if isinstance(theirs, str):
                micrograd_failed = peers["micrograd"] = theirs
            else:
                contenders["micrograd"] = _repeated(theirs, calls)
        timings = time_paired(contenders, repeats, warmup=0)
        ours = 1e9 * timings.median("ours") / (nodes * calls)
        if nodes >= flat_from:
            per_node.append(ours)
        ratios = {}
        if "micrograd" in contenders:
            peers["micrograd"] = 1e9 * timings.median("micrograd") / (nodes * calls)
            ratios["micrograd"] = timings.ratio("ours", "micrograd")
        del root, contenders, leaf
        gc.collect()
        rows.append(
            Row(
                f"2 deep chain backward, {nodes:,} nodes",
                "ns/node",
                ours,
                peers=peers,
                ratios=ratios,
                check=f"leaf grad = 1 (chain of ReLUs); {calls} backward call{'s' if calls > 1 else ''} per timing",
                passed=grad_ok,
            )
        )
    spread = max(per_node) / min(per_node)
    rows.append(
        Row(
            f"2 deep chain: slowest/fastest time per node, {flat_from:,}…{sizes[-1]:,}",
            "×",
            spread,
            target="≤ 1.5×",
            met=spread <= 1.5,
        )
    )
    return rows


# ---------------------------------------------------------------------- 6. memory per node
def _bytes_per_node(value_type: type, nodes: int) -> float:
    """Bytes allocated per node for a graph of ``nodes`` ops, alternately ``y * w`` and ``y + w``."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        w, y = value_type(1.0000001), value_type(0.5)
        for i in range(nodes):
            y = y * w if i % 2 == 0 else y + w
        allocated = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    del y
    gc.collect()
    return allocated / nodes


def memory_per_node(quick: bool = False) -> list[Row]:
    """Case 6: bytes per scalar node (tracemalloc) of a graph of 100,000 ops, ours against micrograd."""
    nodes = 2_000 if quick else 100_000
    ours = _bytes_per_node(Value, nodes)
    case = f"6 memory: bytes per node, {nodes:,} ops (* and +)"
    micrograd = _import_micrograd()
    if micrograd is None:
        return [Row(case, "B", ours, peers={"micrograd": NOT_INSTALLED}, target="≤ 0.5× micrograd")]
    theirs = _bytes_per_node(micrograd.engine.Value, nodes)
    ratio = ours / theirs
    return [
        Row(
            case,
            "B",
            ours,
            peers={"micrograd": theirs},
            ratios={"micrograd": ratio},
            target="≤ 0.5× micrograd",
            met=ratio <= 0.5,
        )
    ]

