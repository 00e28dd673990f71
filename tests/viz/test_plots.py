"""viz plots: each writes a non-empty image and draws what it was given."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("matplotlib")

import nn  # noqa: E402
from viz import plots  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def assert_png(path) -> None:
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC and len(data) > 5000


def test_decision_boundary_of_a_known_classifier(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, size=(80, 2))
    y = np.where(X[:, 0] > X[:, 1], 1, -1)
    figure = plots.plot_decision_boundary(lambda P: P[:, 0] - P[:, 1], X, y, path=tmp_path / "db.png")
    assert_png(tmp_path / "db.png")
    ax = figure.axes[0]
    assert "100%" in ax.get_title()
    # The boundary line drawn is x1 = x2 (up to the grid's spacing).
    boundary = [c for c in ax.collections if type(c).__name__ == "QuadContourSet" and len(c.levels) == 1][0]
    vertices = np.concatenate([path.vertices for path in boundary.get_paths()])
    assert len(vertices) > 10
    assert np.max(np.abs(vertices[:, 0] - vertices[:, 1])) < 0.05


def test_decision_boundary_of_scalar_and_tensor_models(tmp_path):
    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    y = np.array([0, 1, 2, 1])
    scalar = nn.MLP(2, [4, 1], seed=0)
    plots.plot_decision_boundary(scalar, X, np.array([1, -1, 1, -1]), path=tmp_path / "scalar.png", resolution=20)
    tensor = nn.layers.mlp(2, [8, 3], seed=0, dtype=np.float64)
    figure = plots.plot_decision_boundary(tensor, X, y, path=tmp_path / "tensor.png", resolution=40)
    assert_png(tmp_path / "scalar.png")
    assert_png(tmp_path / "tensor.png")
    assert len(figure.axes[0].get_legend().get_texts()) == 3
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        plots.plot_decision_boundary(tensor, np.zeros((4, 3)), y)


def test_decision_boundary_without_a_model_is_named():
    import viz

    X, y = nn.data.make_moons(20, seed=0)
    with pytest.raises(TypeError, match=r"model must be a model or a function.*NoneType"):
        viz.plot_decision_boundary(None, X, y)


def test_training_curves(tmp_path):
    history = {
        "train_loss": [1.0, 0.5, 0.3, 0.2],
        "val_loss": [1.1, 0.7, 0.6, 0.65],
        "train_accuracy": [0.5, 0.7, 0.8, 0.9],
    }
    figure = plots.plot_training_curves(history, path=tmp_path / "curves.png")
    assert_png(tmp_path / "curves.png")
    loss_ax, accuracy_ax = figure.axes
    assert list(loss_ax.lines[0].get_ydata()) == history["train_loss"]
    assert list(loss_ax.lines[1].get_ydata()) == history["val_loss"]
    assert loss_ax.lines[2].get_xdata()[0] == 3  # the lowest validation loss is at epoch 3
    assert list(accuracy_ax.lines[0].get_ydata()) == history["train_accuracy"]

    class History:  # attributes work as well as keys
        train_loss = [2.0, 1.0]
        validation_loss = [2.5, 1.5]

    assert len(plots.plot_training_curves(History()).axes) == 1
    with pytest.raises(ValueError, match="no loss curve"):
        plots.plot_training_curves({"accuracy": [0.1]})


def test_gradient_norms(tmp_path):
    steps = [{"layer 1": 10.0 ** -(t % 3 + 4), "layer 2": 0.5, "layer 3": 0.0 if t == 2 else 2.0} for t in range(6)]
    figure = plots.plot_gradient_norms(steps, path=tmp_path / "norms.png")
    assert_png(tmp_path / "norms.png")
    ax = figure.axes[0]
    assert ax.get_yscale() == "log"
    assert [line.get_label() for line in ax.lines] == ["layer 1", "layer 2", "layer 3"]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [1e-4, 1e-5, 1e-6, 1e-4, 1e-5, 1e-6])
    assert np.isnan(ax.lines[2].get_ydata()[2])  # a zero norm cannot sit on a log axis
    by_layer = {"a": [1.0, 2.0], "b": [3.0, 4.0]}
    assert len(plots.plot_gradient_norms(by_layer).axes[0].lines) == 2
    with pytest.raises(TypeError, match="grad norms must be"):
        plots.plot_gradient_norms(3.0)


def test_activations_with_their_derivatives(tmp_path):
    figure = plots.plot_activations(["tanh", "sigmoid", ("leaky_relu", {"alpha": 0.2})], path=tmp_path / "act.png")
    assert_png(tmp_path / "act.png")
    tanh_ax, sigmoid_ax, leaky_ax = figure.axes[:3]
    xs = tanh_ax.lines[-2].get_xdata()
    np.testing.assert_allclose(tanh_ax.lines[-1].get_ydata(), 1 - np.tanh(xs) ** 2, atol=1e-12)
    s = 1 / (1 + np.exp(-xs))
    np.testing.assert_allclose(sigmoid_ax.lines[-1].get_ydata(), s * (1 - s), atol=1e-12)
    np.testing.assert_allclose(leaky_ax.lines[-1].get_ydata(), np.where(xs > 0, 1.0, 0.2))
    assert "alpha=0.2" in leaky_ax.get_title()
    with pytest.raises(ValueError, match="unknown activation"):
        plots.plot_activations(["swish"])


def weight_lines(figure) -> tuple[list, np.ndarray, np.ndarray]:
    """Every weight's line (one LineCollection per layer): segments, widths and colours, in drawing order."""
    collections = [c for c in figure.axes[0].collections if type(c).__name__ == "LineCollection"]
    segments = [s for c in collections for s in c.get_segments()]
    widths = np.concatenate([c.get_linewidths() for c in collections])
    colours = np.concatenate([c.get_colors() for c in collections])
    return segments, widths, colours


def test_plot_activations_takes_a_single_name():
    """``plot_activations("relu")`` draws ReLU (it used to read the string letter by letter)."""
    import viz

    figure = viz.plot_activations("relu")
    titles = [ax.get_title() for ax in figure.axes if ax.get_visible()]
    assert titles == ["relu"]
    figure = viz.plot_activations(("leaky_relu", {"alpha": 0.2}))
    assert [ax.get_title() for ax in figure.axes if ax.get_visible()] == ["leaky_relu (alpha=0.2)"]


def test_draw_mlp_scalar_edges_follow_weights(tmp_path):
    model = nn.MLP(2, [3, 1], seed=4)
    figure = plots.draw_mlp(model, path=tmp_path / "mlp.png")
    assert_png(tmp_path / "mlp.png")
    segments, widths, colours = weight_lines(figure)
    assert len(segments) == 2 * 3 + 3 * 1
    # The first layer's lines, in (input, neuron) order: the widest is the largest |weight|,
    # and orange/blue follow the sign.
    first = np.array([[model.layers[0].neurons[j].w[i].data for j in range(3)] for i in range(2)]).ravel()
    assert np.argmax(widths[:6]) == np.argmax(np.abs(first))
    orange = np.array([0xE6, 0x7E, 0x22]) / 255
    for weight, colour in zip(first, colours[:6]):
        assert np.allclose(colour[:3], orange) == (weight > 0)


def test_draw_mlp_tensor_sequential(tmp_path):
    model = nn.layers.mlp(5, [4, 3], activation="relu", seed=0, dtype=np.float64)
    figure = plots.draw_mlp(model, path=tmp_path / "seq.png")
    assert_png(tmp_path / "seq.png")
    assert len(weight_lines(figure)[0]) == 5 * 4 + 4 * 3
    labels = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    assert labels == ["input", "layer 1\n4 × relu", "layer 2\n3 × linear"]
    with pytest.raises(TypeError, match="draw_mlp needs a model with weights"):
        plots.draw_mlp(object())


def test_importing_viz_does_not_import_matplotlib():
    code = "import sys, viz; assert 'matplotlib' not in sys.modules, 'matplotlib imported eagerly'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_missing_matplotlib_names_the_extra(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError("No module named 'matplotlib'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    with pytest.raises(ImportError, match=r"pip install retrograd\[viz\]"):
        plots.plot_activations(["tanh"])


def svg_texts(figure, path) -> str:
    """Every text the figure draws, read back from its SVG (text kept as text, not glyph outlines)."""
    import xml.etree.ElementTree as ET

    import matplotlib

    with matplotlib.rc_context({"svg.fonttype": "none"}):
        figure.savefig(path, format="svg")
    root = ET.parse(path).getroot()
    return "\n".join("".join(element.itertext()) for element in root.iter() if element.tag.endswith("text"))


def one_of_each_plot(language=None):
    """One of each plot, drawn with ``language`` (None: the current one)."""
    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    history = {"train_loss": [1.0, 0.5], "val_loss": [1.1, 0.9], "train_accuracy": [0.5, 0.75]}
    return {
        "boundary": plots.plot_decision_boundary(lambda P: P[:, 0] - P[:, 1], X, [1, -1, -1, 1], language=language),
        "curves": plots.plot_training_curves(history, language=language),
        "norms": plots.plot_gradient_norms({"0.weight": [1.0, 0.5]}, language=language),
        "activations": plots.plot_activations(["tanh"], language=language),
        "network": plots.draw_mlp(nn.MLP(2, [3, 1], seed=0), language=language),
    }


#: Per plot: Spanish words its SVG must hold, and the English ones it then must not.
SPANISH_WORDS = {
    "boundary": (["frontera de decisión", "exactitud en entrenamiento", "clase"], ["decision boundary", "class"]),
    "curves": (["época", "pérdida", "exactitud", "entrenamiento", "validación", "mínima pérdida de validación"],
               ["epoch", "loss", "training"]),
    "norms": (["paso de entrenamiento", "norma del gradiente", "capa (primero la de entrada)"], ["training step"]),
    "activations": (["derivada"], ["derivative"]),
    "network": (["entrada", "capa 1", "lineal", "red 2-3-1", "peso positivo"], ["input", "layer", "network"]),
}


def test_a_spanish_plot_says_its_titles_axes_and_legends_in_spanish(tmp_path):
    for name, figure in one_of_each_plot(language="es").items():
        texts = svg_texts(figure, tmp_path / f"{name}.svg")
        spanish, english = SPANISH_WORDS[name]
        for word in spanish:
            assert word in texts, f"{name}: {word!r} not in the Spanish picture's texts:\n{texts}"
        for word in english:
            assert word not in texts, f"{name}: the English {word!r} in the Spanish picture:\n{texts}"


def test_plots_follow_set_language_and_default_to_english(tmp_path):
    import viz

    english = svg_texts(one_of_each_plot()["curves"], tmp_path / "en.svg")
    assert "epoch" in english and "época" not in english
    with viz.messages.language("es"):
        spanish = svg_texts(one_of_each_plot()["curves"], tmp_path / "es.svg")
    assert "época" in spanish and "epoch" not in spanish
    with pytest.raises(ValueError, match="'fr'"):
        plots.plot_activations(["tanh"], language="fr")


def test_a_model_with_dropout_is_drawn_in_evaluation_mode_and_left_as_it_was():
    model = nn.layers.mlp(2, [32, 1], activation="relu", dropout=0.5, seed=0, dtype=np.float64)
    model.train()
    points = np.random.default_rng(0).normal(size=(50, 2))
    first, second = plots.model_scores(model, points), plots.model_scores(model, points)
    np.testing.assert_array_equal(first, second)  # no dropout mask: the same scores every time
    np.testing.assert_allclose(first, nn.predict(model, points)[:, 0])
    assert model.training, "the model goes back to training mode"
