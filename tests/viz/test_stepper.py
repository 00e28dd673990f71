"""viz.BackpropStepper: frames agree with backward(), highlight the right node, and export to one HTML file."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from autograd import Value, topological_order
from viz import BackpropStepper
from viz.scene import format_number, short_number

SVG = "{http://www.w3.org/2000/svg}"


def scalar_graph() -> Value:
    """A graph with a reused input (a appears twice) and a nonlinearity."""
    a = Value(0.7, label="a")
    b = Value(-1.3, label="b")
    c = Value(0.4, label="c")
    out = (a * b + c).tanh() * a + (b**2) / c
    out.label = "out"
    return out


def test_last_frame_grads_equal_backward():
    reference = scalar_graph()
    reference.backward()
    expected = [node.grad for node in topological_order(reference)]

    stepper = BackpropStepper(scalar_graph())
    assert stepper.frame_grads(-1) == pytest.approx(expected, rel=1e-12, abs=0)
    assert len(stepper) == len(expected) + 1  # a start frame, then one frame per node


def test_start_frame_has_only_the_seed():
    root = scalar_graph()
    stepper = BackpropStepper(root)
    order = topological_order(root)
    grads = stepper.frame_grads(0)
    for node, grad in zip(order, grads):
        assert grad == (1.0 if node is root else 0.0)


def test_earlier_backward_calls_do_not_leak_into_frames():
    reference = scalar_graph()
    reference.backward()
    expected = [node.grad for node in topological_order(reference)]
    root = scalar_graph()
    root.backward()
    root.backward()  # leaves now hold twice their grad
    assert BackpropStepper(root).frame_grads(-1) == pytest.approx(expected, rel=1e-12)


def highlighted_ids(svg_text: str) -> list[str]:
    root = ET.fromstring(svg_text.encode("utf-8"))
    return [g.get("id") for g in root.iter(f"{SVG}g") if "highlight" in (g.get("class") or "").split()]


def test_each_frame_highlights_the_node_processed_and_shows_its_contributions():
    root = scalar_graph()
    stepper = BackpropStepper(root)
    order = topological_order(root)
    position = {id(node): i for i, node in enumerate(order)}
    for step in stepper.steps[:4]:
        k = step.index + 1
        i = position[id(step.node)]
        assert highlighted_ids(stepper.svg(k)) == [f"v{i}"]
        source = stepper.digraph(k).source
        for input_position, (local, contribution) in enumerate(zip(step.local_grads, step.contributions)):
            assert contribution == pytest.approx(local * step.upstream)
            edge = re.search(rf"-> op{i} \[id=\"e{i}_{input_position}\"[^\n]*", source).group(0)
            assert "active" in edge and f"= {short_number(contribution)}>" in edge


def viewer_data(page: str) -> dict:
    import json

    return json.loads(re.search(r'<script id="rg-data" type="application/json">(.*?)</script>', page, re.S).group(1))


def test_html_export_is_one_self_contained_page_laid_out_once(tmp_path):
    stepper = BackpropStepper(scalar_graph())
    path = stepper.to_html(tmp_path / "steps.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["steps.html"]
    page = path.read_text(encoding="utf-8")
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "") and "https://" not in page
    assert not re.search(r"<(script|img|link)[^>]+(src|href)=", page)
    data = viewer_data(page)
    # One layout: every box has one place; each frame carries only the texts and colours that change.
    assert len(data["frames"]) == len(stepper)
    assert {box["key"] for box in data["boxes"]} == {box.key for box in stepper.scene.boxes}
    assert all("x" not in frame for frame in data["frames"])
    for k in (0, len(stepper) - 1):
        assert data["frames"][k]["caption"] == stepper.caption(k)
    last_grads = {}
    for frame in data["frames"]:
        last_grads.update(frame["grads"])
    order = topological_order(stepper.root)
    for i, node in enumerate(order):
        assert last_grads[f"v{i}"] == [f"grad {format_number(node.grad)}"]


def test_tensor_frames_agree_with_backward():
    from autograd.tensor import Tensor

    def build():
        rng = np.random.default_rng(3)
        x = Tensor(rng.standard_normal((3, 2)), label="x")
        W = Tensor(rng.standard_normal((2, 2)), requires_grad=True, label="W")
        b = Tensor(rng.standard_normal(2), requires_grad=True, label="b")
        return ((x @ W + b).tanh() ** 2).mean()

    reference = build()
    reference.backward()
    expected = [node.grad for node in topological_order(reference)]
    stepper = BackpropStepper(build())
    for got, want in zip(stepper.frame_grads(-1), expected):
        if want is None:
            assert got is None
        else:
            np.testing.assert_allclose(got, want, rtol=1e-12)
    assert stepper.svg(len(stepper) // 2).startswith("<?xml")


def test_jupyter_output_is_the_same_page_in_an_iframe():
    import html

    stepper = BackpropStepper(scalar_graph())
    output = stepper._repr_html_()
    assert output.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in output
    page = html.unescape(re.search(r'srcdoc="([^"]*)"', output).group(1))
    assert viewer_data(page)["frames"] == viewer_data(stepper.html())["frames"]
    pytest.importorskip("ipywidgets")
    assert stepper.widget().value.startswith("<iframe srcdoc=")


def test_bad_input_and_frame_numbers():
    with pytest.raises(TypeError, match="backward_steps"):
        BackpropStepper(3.0)
    stepper = BackpropStepper(scalar_graph())
    with pytest.raises(IndexError, match="frames 0 to"):
        stepper.svg(len(stepper))
