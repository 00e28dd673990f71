"""``retrograd demo``: trains to 100% on two moons and writes a neuron's graph and the decision boundary."""

import re
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from nn import MLP
from retrograd import cli, demo


def test_demo_reaches_full_accuracy_and_writes_its_pictures(tmp_path, capsys):
    out = tmp_path / "pictures"
    assert cli.main(["demo", "--out", str(out), "--no-progress"]) == 0
    printed = capsys.readouterr().out

    assert re.search(r"training accuracy 100% \(100/100 points\)", printed), printed
    graph, boundary = out / "neuron_graph.svg", out / "decision_boundary.png"
    assert f"wrote {graph}" in printed and f"wrote {boundary}" in printed

    root = ET.parse(graph).getroot()
    assert root.tag.endswith("svg")
    texts = [(t.text or "").strip() for t in root.iter() if t.tag.endswith("text")]
    for label in ("x1", "x2", "w1", "w2", "b", "*", "+", "relu", "out"):
        assert label in texts, f"{label!r} missing from the neuron's graph"
    assert sum(t.startswith("grad ") for t in texts) >= 9, "every node shows its gradient"
    assert boundary.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_training_curve_is_the_classic_demo():
    # Fewer epochs only to look at the start of training; the full run is checked above.
    result = demo.train(seed=0, epochs=5, progress=False)
    assert len(result.losses) == 5 and all(np.isfinite(result.losses))
    assert result.losses[-1] < result.losses[0]
    assert [layer.nout for layer in result.model.layers] == [16, 16, 1]
    assert set(np.unique(result.y)) == {-1.0, 1.0}


def test_decision_boundary_without_matplotlib_is_a_hand_made_svg(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # importing it now raises ImportError
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.5]])
    y = np.array([-1.0, 1.0, 1.0])
    path = demo.draw_decision_boundary(MLP(2, [3, 1], seed=0), X, y, tmp_path)
    assert path.suffix == ".svg"
    root = ET.parse(path).getroot()
    circles = [e for e in root.iter() if e.tag.endswith("circle")]
    squares = [e for e in root.iter() if e.tag.endswith("rect")]
    assert len(circles) == 3 and len(squares) == 40 * 40


def test_progress_falls_back_without_tqdm(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # an earlier test may have imported it
    demo.train(seed=0, epochs=3, progress=True, out=sys.stdout)
    printed = capsys.readouterr().out
    assert "epoch 1/3: loss" in printed and "accuracy" in printed and "epoch 3/3" in printed


def test_progress_lines_speak_spanish(monkeypatch, capsys):
    import viz

    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    with viz.messages.language("es"):
        demo.train(seed=0, epochs=3, progress=True, out=sys.stdout)
    printed = capsys.readouterr().out
    assert "época 1/3: pérdida" in printed and "exactitud" in printed
    assert "epoch" not in printed and "loss" not in printed


def test_cli_lists_its_subcommands_and_refuses_unknown_ones(capsys):
    with pytest.raises(SystemExit) as exit_help:
        cli.main(["--help"])
    assert exit_help.value.code == 0
    listing = capsys.readouterr().out
    assert "demo" in listing and "graph" in listing
    with pytest.raises(SystemExit) as exit_unknown:
        cli.main(["dance"])
    assert exit_unknown.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_cli_runs_the_graph_subcommand_from_its_table(capsys):
    assert cli.main(["graph", "w*x", "--set", "w=2", "x=3"]) == 0
    printed = capsys.readouterr().out
    assert "= 6" in printed and "∂out/∂w = 3" in printed


@pytest.mark.parametrize("where", ["a file", "under a file", "a read-only folder"])
def test_an_unwritable_out_folder_is_named_in_a_sentence_before_training(where, tmp_path, monkeypatch, capsys):
    existing = tmp_path / "notes.txt"
    existing.write_text("not a folder")
    out = {"a file": existing, "under a file": existing / "pictures", "a read-only folder": tmp_path}[where]
    if where == "a read-only folder":  # root may write anywhere, so refuse the write itself
        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(demo.tempfile, "TemporaryFile", refuse)
    monkeypatch.setattr(demo, "train", lambda **kwargs: pytest.fail("trained before checking the folder"))
    assert cli.main(["demo", "--out", str(out), "--no-progress"]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith(f"error: cannot write the pictures to {out}: ")
    assert "Traceback" not in captured.err and len(captured.err.splitlines()) == 1


def test_demo_speaks_spanish_with_language_es(tmp_path, capsys, monkeypatch):
    # A few epochs only: what is checked here is the language, the full run is checked above.
    full_train = demo.train
    monkeypatch.setattr(demo, "train", lambda **options: full_train(**options, epochs=3))
    out = tmp_path / "pictures"
    assert cli.main(["demo", "--out", str(out), "--no-progress", "--language", "es"]) == 0
    printed = capsys.readouterr().out
    assert "entrenando un MLP 2-16-16-1 (ReLU) con 100 puntos de dos lunas durante 100 épocas" in printed
    assert re.search(r"pérdida final \d+\.\d{4}, exactitud en entrenamiento \d+% \(\d+/100 puntos\)", printed)
    assert f"guardado {out / 'neuron_graph.svg'}" in printed
    assert "training" not in printed and "wrote" not in printed
    import viz

    assert viz.get_language() == "en", "the demo's language does not stay behind"
