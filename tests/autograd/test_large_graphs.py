"""Large graphs: wide ones (a node with 10⁵ inputs, a node read by 10⁵ ops), linear time, and drawing guards.

Backward on a 10⁶-node chain is tested with the scalar engine in ``test_value.py``. Here: graphs
that are wide rather than deep, backward time that grows linearly with the graph (10⁴ against
10⁵ nodes, with a generous bound so a busy machine does not fail it), and ``viz`` refusing, quickly
and with a clear message, to lay out graphs that would take hours.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

import autograd
import viz
from autograd import Tensor, Value

WIDE = 100_000


def best_time(function, repeats: int = 3) -> float:
    """The least CPU time of a few runs of ``function()``: the least disturbed by other work on the machine."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return min(times)


# ---------------------------------------------------------------------------- wide graphs
def test_a_node_with_a_hundred_thousand_inputs():
    """logsumexp of 10⁵ Values is one node with 10⁵ children; its grads are the softmax."""
    xs = np.random.default_rng(0).normal(size=WIDE)
    values = [Value(x) for x in xs]
    out = autograd.logsumexp(values)
    assert len(out._children) == WIDE
    out.backward()
    softmax = np.exp(xs - xs.max()) / np.exp(xs - xs.max()).sum()
    np.testing.assert_allclose([v.grad for v in values], softmax, rtol=1e-9, atol=1e-18)
    assert out.data == pytest.approx(xs.max() + np.log(np.exp(xs - xs.max()).sum()), rel=1e-12)


def test_a_value_read_by_a_hundred_thousand_ops():
    """x feeds 10⁵ products that meet again in one max: a diamond 10⁵ wide."""
    x = Value(0.5)
    coefficients = np.linspace(-1.0, 1.0, WIDE)
    products = [x * float(c) for c in coefficients]
    out = autograd.logsumexp(products)
    out.backward()
    terms = 0.5 * coefficients
    softmax = np.exp(terms - terms.max()) / np.exp(terms - terms.max()).sum()
    assert x.grad == pytest.approx(float(softmax @ coefficients), rel=1e-9)  # Σ_i softmax_i · c_i


def test_a_tensor_read_by_ten_thousand_ops_and_stacked():
    x = Tensor(np.array([0.3, -0.2, 0.7]), requires_grad=True)
    count = 10_000
    scales = np.linspace(0.5, 1.5, count)
    out = autograd.stack([x * float(s) for s in scales]).sum()
    out.backward()
    np.testing.assert_allclose(x.grad, np.full(3, scales.sum()), rtol=1e-12)


# ---------------------------------------------------------------------------- linear time
def _value_chain(n: int) -> tuple[Value, Value]:
    start = x = Value(0.1)
    for _ in range(n):
        x = x * 0.999 + 0.001
    return start, x


def _value_ladder(n: int) -> tuple[Value, Value]:
    """Each node read twice by the next: 2ⁿ paths from the end to the start, so only a DAG walk is fast."""
    start = x = Value(0.1)
    for _ in range(n):
        x = (x * x + x) * 0.5
    return start, x


def _value_wide(n: int) -> tuple[Value, Value]:
    x = Value(0.2)
    return x, autograd.max([x * float(i % 13) for i in range(n)])


def _tensor_chain(n: int) -> tuple[Tensor, Tensor]:
    start = x = Tensor(np.array([0.1, 0.2]), requires_grad=True)
    for _ in range(n):
        x = x * 0.999 + 0.001
    return start, x.sum()


@pytest.mark.slow
@pytest.mark.parametrize(
    "build,small,large",
    [
        pytest.param(_value_chain, 5_000, 50_000, id="Value-chain"),
        pytest.param(_value_ladder, 5_000, 50_000, id="Value-ladder"),
        pytest.param(_value_wide, 10_000, 100_000, id="Value-wide"),
        pytest.param(_tensor_chain, 2_000, 20_000, id="Tensor-chain"),
    ],
)
def test_backward_time_grows_linearly(build, small, large):
    """10× the nodes must cost far less than 100× the time (quadratic); the bound 30× leaves room for noise."""

    def backward_time(n: int) -> float:
        start, out = build(n)

        def run():
            start.grad = None if isinstance(start, Tensor) else 0.0
            out.backward()

        return best_time(run)

    small_time, large_time = backward_time(small), backward_time(large)
    ratio = large_time / max(small_time, 1e-6)
    assert ratio < 30, f"{large} nodes took {ratio:.1f}x as long as {small} ({large_time:.3f}s vs {small_time:.4f}s)"


def test_the_ladder_gets_the_right_gradient():
    """The 2ⁿ-path ladder, short enough to check: grad = Π (2xᵢ + 1)/2 along the chain."""
    start, out = _value_ladder(50)
    out.backward()
    expected, x = 1.0, 0.1
    for _ in range(50):
        expected *= (2 * x + 1) * 0.5
        x = (x * x + x) * 0.5
    assert start.grad == pytest.approx(expected, rel=1e-12)


# ---------------------------------------------------------------------------- drawing guards
@pytest.fixture
def no_layout(monkeypatch):
    """Fail the test if the layout program is ever started."""

    def refuse(*args, **kwargs):
        raise AssertionError("the layout program was started for a graph that should be refused")

    monkeypatch.setattr(viz.graph, "run_layout", refuse)


@pytest.mark.slow
def test_drawing_a_million_node_chain_is_refused_quickly(no_layout, tmp_path):
    x, step = Value(0.0), Value(1.0)
    for _ in range(1_000_000):
        x = x + step
    start = time.process_time()
    with pytest.raises(viz.GraphTooLargeError, match=r"2000002 nodes to draw .* more than max_nodes=\d+"):
        viz.render(x, tmp_path / "chain.svg")
    assert time.process_time() - start < 5.0
    assert not (tmp_path / "chain.svg").exists()


def test_drawing_a_node_read_by_a_hundred_thousand_ops_is_refused_quickly(no_layout):
    x = Value(1.0, label="x")
    out = autograd.max([x * float(i) for i in range(WIDE)])
    start = time.process_time()
    with pytest.raises(viz.GraphTooLargeError, match=f"'x' is an input to {WIDE} ops"):
        viz.draw_graph(out, max_nodes=10 * WIDE)
    with pytest.raises(viz.GraphTooLargeError, match="max_nodes"):
        viz.to_svg(out)
    assert time.process_time() - start < 5.0


def test_a_wide_tensor_graph_is_refused_too(no_layout):
    x = Tensor(np.ones(2), requires_grad=True, label="x")
    out = autograd.stack([x * float(i) for i in range(2_000)]).sum()
    with pytest.raises(viz.GraphTooLargeError, match="'x' is an input to 2000 ops"):
        viz.draw_graph(out, max_nodes=100_000)
