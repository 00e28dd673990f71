"""Pictures of models and training with matplotlib (``pip install retrograd[viz]``).

Every function draws into a new ``matplotlib.figure.Figure`` (or into the ``ax`` given),
saves it when ``path`` is given, and returns the figure; in Jupyter the figure shows itself.
No global pyplot state is touched, so these work the same in scripts, tests and notebooks.
Titles, axes and legends come from ``viz.messages``: in the language of ``viz.set_language``, or
the ``language=`` given to the function ("en" or "es").

- ``plot_decision_boundary``: the regions a 2-D classifier assigns, with the data points;
- ``plot_training_curves``: loss (and accuracy) on training vs validation data, per epoch;
- ``plot_gradient_norms``: each layer's gradient norm over training, on a log scale;
- ``plot_activations``: activation functions with their derivatives;
- ``draw_mlp``: the network as layers of neurons, edges coloured and sized by weight.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from autograd import Value, no_grad
from nn.metrics import decision_threshold, predicted_classes

from .messages import message

CLASS_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")
TRAIN_COLOUR = "#1f77b4"
VALIDATION_COLOUR = "#ff7f0e"
POSITIVE_WEIGHT_COLOUR = "#e67e22"  # orange, as in the TensorFlow Playground
NEGATIVE_WEIGHT_COLOUR = "#2b7bba"  # blue


def _matplotlib() -> Any:
    """Import matplotlib only when a plot is asked for, with a clear message when it is missing."""
    try:
        import matplotlib
        from matplotlib.figure import Figure  # noqa: F401 - checks the install is complete
    except ImportError:
        raise ImportError(
            "the plots in viz need matplotlib: pip install retrograd[viz] (or pip install matplotlib)"
        ) from None
    return matplotlib


def _figure_and_axes(ax: Any, figsize: tuple[float, float]) -> tuple[Any, Any]:
    _matplotlib()
    from matplotlib.figure import Figure

    if ax is not None:
        return ax.figure, ax
    figure = Figure(figsize=figsize, layout="constrained")
    return figure, figure.subplots()


def _finish(figure: Any, path: str | Path | None) -> Any:
    if path is not None:
        figure.savefig(path, dpi=110)
    return figure


# ---------------------------------------------------------------------- running a model on points
def _is_scalar_model(model: Any) -> bool:
    parameters = model.parameters() if hasattr(model, "parameters") else []
    return bool(parameters) and isinstance(parameters[0], Value)


def _as_number(output: Any) -> Any:
    """A model output as floats: a Value, a list of Values, a Tensor or an array."""
    if isinstance(output, Value):
        return output.data
    if isinstance(output, (list, tuple)):
        return [_as_number(o) for o in output]
    data = getattr(output, "data", output)
    return np.asarray(data, dtype=np.float64)


def model_scores(model: Any, points: np.ndarray) -> np.ndarray:
    """The model's outputs on each row of ``points``: shape (N,) for one score, (N, C) for C scores.

    ``model`` may be a scalar-engine model (called on one example at a time), a tensor-engine
    model (called once on a Tensor of all points), or any function from an (N, 2) array to
    scores.
    """
    points = np.asarray(points, dtype=np.float64)
    # Drawn in evaluation mode (dropout off, so the picture is the model's answer, not one random mask).
    was_training = getattr(model, "training", None)
    if was_training:
        model.eval()
    try:
        with no_grad():
            if _is_scalar_model(model):
                outputs = np.array([_as_number(model(list(row))) for row in points], dtype=np.float64)
            elif hasattr(model, "parameters"):
                from autograd import Tensor

                outputs = _as_number(model(Tensor(points)))
            else:
                outputs = _as_number(model(points))
    finally:
        if was_training:
            model.train()
    outputs = np.asarray(outputs, dtype=np.float64)
    if outputs.ndim == 2 and outputs.shape[1] == 1:
        outputs = outputs[:, 0]
    if outputs.shape[0] != len(points):
        raise ValueError(f"the model gave {outputs.shape[0]} outputs for {len(points)} points (shape {outputs.shape})")
    return outputs


def predict_classes(scores: np.ndarray, labels: np.ndarray, threshold: float | None = None) -> np.ndarray:
    """Class predictions from scores, by the rule ``fit`` uses for its accuracy (``nn.metrics``).

    Several scores: the largest. One score: with -1/+1 labels its sign; with 0/1 labels 1 from
    ``threshold`` up, by default 0.5 when every score is a probability (in [0, 1]), else 0.
    """
    return predicted_classes(scores, labels, threshold)


def _threshold_used(scores: np.ndarray, labels: np.ndarray, threshold: float | None) -> float:
    return decision_threshold(labels, outputs=scores, threshold=threshold)


# ---------------------------------------------------------------------- decision boundary
def plot_decision_boundary(
    model: Any,
    X: Any,
    y: Any,
    *,
    ax: Any = None,
    path: str | Path | None = None,
    resolution: int | None = None,
    margin: float = 0.5,
    threshold: float | None = None,
    title: str | None = None,
    language: str | None = None,
) -> Any:
    """Colour the plane by the class a 2-D classifier predicts, and draw the data points on it.

    Args:
        model: a scalar or tensor model, or a function from an (N, 2) array to scores (see
            ``model_scores``). One score per point is a binary classifier (classes split at
            ``threshold``); C scores per point are C classes (the largest wins).
        X: the points, shape (N, 2). y: their labels, shape (N,).
        resolution: grid points per axis (default 60 for scalar models, which are slow, else 200).
        margin: how far the picture extends beyond the points.
        path: save the figure there (format by suffix, e.g. ``.png``).

    Returns the matplotlib Figure.
    """
    if not callable(model):
        raise TypeError(f"model must be a model or a function from points to scores, got {type(model).__name__}")
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y).reshape(-1)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (N, 2) for a 2-D decision boundary, got {X.shape}")
    if len(y) != len(X):
        raise ValueError(f"X and y must have the same number of points, got {len(X)} and {len(y)}")
    if resolution is None:
        resolution = 60 if _is_scalar_model(model) else 200
    figure, ax = _figure_and_axes(ax, (5.5, 5))

    (x_min, y_min), (x_max, y_max) = X.min(axis=0) - margin, X.max(axis=0) + margin
    grid_x, grid_y = np.meshgrid(np.linspace(x_min, x_max, resolution), np.linspace(y_min, y_max, resolution))
    grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])
    scores = model_scores(model, grid)
    predicted = predict_classes(scores, y, threshold).reshape(grid_x.shape)

    classes = np.unique(np.concatenate([np.unique(y), np.unique(predicted)]))
    colour_of = {c: CLASS_COLOURS[i % len(CLASS_COLOURS)] for i, c in enumerate(classes)}
    from matplotlib.colors import ListedColormap

    if scores.ndim == 1 and len(classes) == 2:
        # Binary: split the score itself at the threshold, which gives a smooth boundary line.
        split = _threshold_used(scores, y, threshold)
        score_grid = scores.reshape(grid_x.shape)
        low, high = min(score_grid.min(), split) - 1.0, max(score_grid.max(), split) + 1.0
        colours = ListedColormap([colour_of[classes[0]], colour_of[classes[1]]])
        ax.contourf(grid_x, grid_y, score_grid, levels=[low, split, high], cmap=colours, alpha=0.25)
        ax.contour(grid_x, grid_y, score_grid, levels=[split], colors="k", linewidths=1.0)
    else:
        # Several classes: one colour per predicted class; levels sit halfway between class indices.
        region_index = np.searchsorted(classes, predicted)
        colours = ListedColormap([colour_of[c] for c in classes])
        levels = np.arange(len(classes) + 1) - 0.5
        ax.contourf(grid_x, grid_y, region_index, levels=levels, cmap=colours, alpha=0.25)
        if len(classes) > 1:
            ax.contour(grid_x, grid_y, region_index, levels=levels[1:-1], colors="k", linewidths=1.0)
    for c in np.unique(y):
        mine = y == c
        ax.scatter(X[mine, 0], X[mine, 1], s=22, color=colour_of[c], edgecolors="k", linewidths=0.5, label=f"{c}")
    accuracy = float(np.mean(predict_classes(model_scores(model, X), y, threshold) == y))
    ax.set_title(title or message("plot_decision_boundary", language, accuracy=accuracy))
    ax.set_xlim(x_min, x_max)
    ax.set_ylim(y_min, y_max)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.legend(title=message("plot_class", language), loc="best", fontsize=8)
    return _finish(figure, path)


# ---------------------------------------------------------------------- training curves
def _series(history: Any, *names: str) -> list[float] | None:
    """The first of ``names`` that ``history`` has (an attribute or a key) with some numbers, else None."""
    for name in names:
        if isinstance(history, Mapping):
            values = history.get(name)
        else:
            values = getattr(history, name, None)
        if values is not None and len(values) > 0:
            return [float(v) for v in values]
    return None


TRAIN_LOSS_NAMES = ("train_loss", "loss")
VALIDATION_LOSS_NAMES = ("val_loss", "validation_loss", "valid_loss", "test_loss")
TRAIN_ACCURACY_NAMES = ("train_accuracy", "train_acc", "accuracy", "acc")
VALIDATION_ACCURACY_NAMES = ("val_accuracy", "validation_accuracy", "val_acc", "valid_accuracy", "test_accuracy")


def plot_training_curves(
    history: Any,
    *,
    path: str | Path | None = None,
    log_loss: bool = False,
    title: str | None = None,
    language: str | None = None,
) -> Any:
    """Loss (and accuracy, when recorded) per epoch on training and validation data, side by side.

    ``history`` is a ``History`` from training or any mapping/object with per-epoch lists named
    ``train_loss`` and ``val_loss`` (also ``validation_loss``), and optionally
    ``train_accuracy``/``val_accuracy``. A validation loss that rises while the training loss
    keeps falling is overfitting (high variance); both staying high is underfitting (high bias).
    ``log_loss`` puts the loss on a log scale.
    """
    train_loss = _series(history, *TRAIN_LOSS_NAMES)
    val_loss = _series(history, *VALIDATION_LOSS_NAMES)
    if train_loss is None and val_loss is None:
        names = ", ".join(TRAIN_LOSS_NAMES + VALIDATION_LOSS_NAMES)
        raise ValueError(f"history has no loss curve: expected a list under one of the names {names}")
    train_accuracy = _series(history, *TRAIN_ACCURACY_NAMES)
    val_accuracy = _series(history, *VALIDATION_ACCURACY_NAMES)
    has_accuracy = train_accuracy is not None or val_accuracy is not None

    _matplotlib()
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10 if has_accuracy else 5.5, 4), layout="constrained")
    axes = figure.subplots(1, 2 if has_accuracy else 1, squeeze=False)[0]
    panels = [("loss", train_loss, val_loss)]
    if has_accuracy:
        panels.append(("accuracy", train_accuracy, val_accuracy))
    for ax, (what, train, validation) in zip(axes, panels):
        for values, name, colour, style in (
            (train, message("training", language), TRAIN_COLOUR, "-"),
            (validation, message("validation", language), VALIDATION_COLOUR, "--"),
        ):
            if values is not None:
                epochs = np.arange(1, len(values) + 1)
                ax.plot(epochs, values, style, color=colour, label=name, marker="o" if len(values) <= 30 else None)
        ax.set_xlabel(message("epoch", language))
        ax.set_ylabel(message(what, language))
        ax.grid(alpha=0.3)
        ax.legend()
        if what == "loss" and log_loss:
            ax.set_yscale("log")
        if what == "accuracy":
            ax.set_ylim(-0.02, 1.02)
        if what == "loss" and validation is not None:
            best = int(np.argmin(validation))
            ax.axvline(best + 1, color="grey", linewidth=0.8, linestyle=":")
            ax.annotate(
                message("plot_lowest_validation_loss", language),
                (best + 1, validation[best]),
                fontsize=8,
                color="grey",
                xytext=(4, 8),
                textcoords="offset points",
            )
    figure.suptitle(title or message("plot_training_vs_validation", language))
    return _finish(figure, path)


# ---------------------------------------------------------------------- gradient norms
def _norms_by_layer(norms: Any) -> dict[str, list[float]]:
    """``{layer: [norm per step]}`` from that mapping, a list of ``{layer: norm}`` per step, or a History."""
    if not isinstance(norms, (Mapping, list, tuple)):
        norms = getattr(norms, "grad_norms", norms)
    if isinstance(norms, Mapping):
        by_layer = {str(name): [float(v) for v in values] for name, values in norms.items()}
    elif isinstance(norms, (list, tuple)) and all(isinstance(step, Mapping) for step in norms):
        by_layer = {}
        for step in norms:
            for name, value in step.items():
                by_layer.setdefault(str(name), []).append(float(value))
    else:
        raise TypeError(
            "grad norms must be {layer name: [norm per step]} or a list of {layer name: norm} per step "
            f"(as nn.grad_norms gives), got {type(norms).__name__}"
        )
    if not by_layer or not any(by_layer.values()):
        raise ValueError("no gradient norms to plot")
    return by_layer


def plot_gradient_norms(
    norms: Any,
    *,
    ax: Any = None,
    path: str | Path | None = None,
    title: str | None = None,
    language: str | None = None,
) -> Any:
    """Each layer's gradient norm over training, on a log scale: vanishing or exploding gradients at a glance.

    ``norms`` is ``{layer name: [norm at each step]}``, or a list with one ``{layer name: norm}``
    per step (what ``nn.grad_norms(model)`` returns each step), or a History holding ``grad_norms``.
    Layers are coloured from the input side (light) to the output side (dark). Lines many
    orders of magnitude apart mean the early layers barely learn (vanishing gradients).
    """
    by_layer = _norms_by_layer(norms)
    figure, ax = _figure_and_axes(ax, (6.5, 4))
    from matplotlib import colormaps

    palette = colormaps["viridis"]
    count = len(by_layer)
    for k, (name, values) in enumerate(by_layer.items()):
        values = np.asarray(values, dtype=np.float64)
        # Zero norms cannot sit on a log axis: they are left out (a gap in the line).
        shown = np.where(values > 0, values, np.nan)
        ax.plot(np.arange(len(values)), shown, color=palette(0.85 * k / max(count - 1, 1)), label=name, linewidth=1.2)
    ax.set_yscale("log")
    ax.set_xlabel(message("plot_training_step", language))
    ax.set_ylabel(message("plot_grad_norm_log", language))
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8, title=message("plot_layer_input_first", language), title_fontsize=8)
    ax.set_title(title or message("plot_per_layer_grad_norms", language))
    return _finish(figure, path)


# ---------------------------------------------------------------------- activations
# leaky_relu with a larger slope than its default 0.01, so that the slope for x < 0 can be seen.
DEFAULT_ACTIVATIONS = ("sigmoid", "tanh", "relu", ("leaky_relu", {"alpha": 0.1}), "elu")


def activation_curve(name: str, xs: np.ndarray, **options: float) -> tuple[np.ndarray, np.ndarray]:
    """An activation's values and derivatives at ``xs``, the derivative found by backprop (``Value``)."""
    if not hasattr(Value, name) or name.startswith("_"):
        raise ValueError(
            f"unknown activation {name!r}: expected a Value method such as sigmoid, tanh, relu, leaky_relu, elu"
        )
    values, slopes = [], []
    for x in xs:
        v = Value(float(x))
        out = getattr(v, name)(**options)
        out.backward()
        values.append(out.data)
        slopes.append(v.grad)
    return np.array(values), np.array(slopes)


def plot_activations(
    activations: Sequence[Any] = DEFAULT_ACTIVATIONS,
    *,
    x_range: tuple[float, float] = (-4.0, 4.0),
    path: str | Path | None = None,
    language: str | None = None,
) -> Any:
    """Each activation function (solid) with its derivative (dashed), one panel each.

    ``activations`` are names of ``Value`` methods (``"tanh"``) or ``(name, options)`` pairs
    (``("leaky_relu", {"alpha": 0.1})``), or just one of them. The derivatives come from backprop through one
    ``Value``, so the picture also shows what the engine computes: note where the slope is
    near 0 (saturation: sigmoid and tanh for large |x|, ReLU for x < 0).
    """
    if isinstance(activations, str) or (
        isinstance(activations, tuple) and len(activations) == 2 and isinstance(activations[1], Mapping)
    ):
        activations = [activations]  # one activation, not a sequence of them
    specs = [(a, {}) if isinstance(a, str) else (a[0], dict(a[1])) for a in activations]
    if not specs:
        raise ValueError("give at least one activation to plot")
    _matplotlib()
    from matplotlib.figure import Figure

    columns = min(len(specs), 3)
    rows = -(-len(specs) // columns)
    figure = Figure(figsize=(3.6 * columns, 3.0 * rows), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    xs = np.linspace(*x_range, 401)
    for ax, (name, options) in zip(axes, specs):
        values, slopes = activation_curve(name, xs, **options)
        ax.axhline(0, color="grey", linewidth=0.6)
        ax.axvline(0, color="grey", linewidth=0.6)
        ax.plot(xs, values, color=TRAIN_COLOUR, linewidth=2, label=f"{name}(x)")
        ax.plot(xs, slopes, "--", color=VALIDATION_COLOUR, linewidth=1.6, label=message("plot_derivative", language))
        described = name + (f" ({', '.join(f'{k}={v}' for k, v in options.items())})" if options else "")
        ax.set_title(described)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper left")
    for ax in axes[len(specs) :]:
        ax.set_visible(False)
    return _finish(figure, path)


# ---------------------------------------------------------------------- the network picture
def _layer_weights(layer: Any) -> tuple[np.ndarray, np.ndarray | None] | None:
    """A layer's weights as an (inputs × outputs) array and its biases; None for a layer without weights."""
    neurons = getattr(layer, "neurons", None)
    if neurons is not None:  # scalar Layer: column j holds neuron j's weights
        weights = np.array([[w.data for w in neuron.w] for neuron in neurons], dtype=np.float64).T
        return weights, np.array([neuron.b.data for neuron in neurons], dtype=np.float64)
    if hasattr(layer, "w") and hasattr(layer, "b"):  # a single scalar Neuron
        return np.array([[w.data] for w in layer.w], dtype=np.float64), np.array([layer.b.data])
    weight = getattr(layer, "weight", None)
    if weight is not None:  # tensor Linear: weight is (outputs × inputs)
        bias = getattr(layer, "bias", None)
        return np.asarray(weight.data, dtype=np.float64).T, None if bias is None else np.asarray(bias.data, np.float64)
    return None


def _activation_name(layer: Any) -> str | None:
    spec = getattr(layer, "activation", None)
    if spec is not None and hasattr(spec, "describe"):
        return spec.describe()
    if getattr(layer, "neurons", None) is None and _layer_weights(layer) is None:
        return type(layer).__name__.lower()  # an activation module of a Sequential (Tanh, ReLU, ...)
    return None


def network_layers(model: Any) -> list[tuple[np.ndarray, np.ndarray | None, str | None]]:
    """``(weights inputs×outputs, biases, activation after it)`` for each weighted layer of ``model``.

    Understands the scalar ``MLP``/``Layer``/``Neuron`` and the tensor ``Sequential``/``Linear``.
    """
    layers = getattr(model, "layers", None)
    if layers is None:
        layers = [model]
    found: list[list] = []
    for layer in layers:
        weights = _layer_weights(layer)
        if weights is not None:
            found.append([weights[0], weights[1], _activation_name(layer)])
        elif found:
            name = _activation_name(layer)
            if name and name not in ("identity", "dropout", "flatten"):
                found[-1][2] = name if found[-1][2] in (None, "identity") else f"{found[-1][2]}, {name}"
    if not found:
        raise TypeError(
            f"draw_mlp needs a model with weights (nn.MLP, nn.Layer, nn.Neuron, Sequential, Linear), "
            f"got {type(model).__name__}"
        )
    return [(w, b, a) for w, b, a in found]


def draw_mlp(
    model: Any,
    *,
    ax: Any = None,
    path: str | Path | None = None,
    input_names: Sequence[str] | None = None,
    title: str | None = None,
    language: str | None = None,
) -> Any:
    """The network as columns of neurons with every weight drawn as a line (like the TensorFlow Playground).

    Orange lines are positive weights, blue negative; thicker and darker means larger |weight|
    (relative to the largest weight in the network). Each neuron is filled by the sign and size
    of its bias. Works for the scalar ``MLP`` and the tensor ``Sequential`` of ``Linear`` layers.
    """
    layers = network_layers(model)
    widths = [layers[0][0].shape[0]]
    for weights, _, _ in layers:
        widths.append(weights.shape[1])
    figure, ax = _figure_and_axes(ax, (min(2.4 * len(widths) + 1, 16), min(0.45 * max(widths) + 2, 12)))
    from matplotlib.collections import LineCollection
    from matplotlib.colors import to_rgba

    tallest = max(widths)

    def positions(column: int, count: int) -> np.ndarray:
        ys = np.linspace(0, tallest - 1, count) if count > 1 else np.array([(tallest - 1) / 2])
        # Centre short columns, spread at the usual spacing.
        if count > 1 and count < tallest:
            ys = (tallest - 1) / 2 + (np.arange(count) - (count - 1) / 2)
        return np.column_stack([np.full(count, float(column)), ys[::-1]])

    largest = max(float(np.abs(w).max()) for w, _, _ in layers) or 1.0
    points = [positions(0, widths[0])]
    activations: list[str] = []
    for column, (weights, biases, activation) in enumerate(layers, start=1):
        inputs = weights.shape[0]
        if inputs != len(points[-1]):
            # Maxout layers have k weighted sums per output, so the next layer sees fewer inputs.
            raise ValueError(
                f"draw_mlp cannot draw a layer of {inputs} inputs after a layer of {len(points[-1])} units "
                "(maxout layers are not drawn)"
            )
        here = positions(column, weights.shape[1])
        segments, colours, line_widths = [], [], []
        # Thinner, fainter lines when many cross, so that a wide layer is not a solid block.
        density = min(1.0, 10.0 / max(inputs, weights.shape[1]))
        for i in range(inputs):
            for j in range(weights.shape[1]):
                strength = abs(weights[i, j]) / largest
                segments.append([points[-1][i], here[j]])
                base = POSITIVE_WEIGHT_COLOUR if weights[i, j] > 0 else NEGATIVE_WEIGHT_COLOUR
                colours.append(to_rgba(base, alpha=(0.1 + 0.9 * strength) * (0.4 + 0.6 * density)))
                line_widths.append((0.2 + 3.5 * strength) * density)
        ax.add_collection(LineCollection(segments, colors=colours, linewidths=line_widths, zorder=1))
        points.append(here)
        linear = activation is None or activation == "identity"
        activations.append(message("plot_linear", language) if linear else activation)
        fills = np.ones((len(here), 3))
        if biases is not None:
            # Opaque fills (mixed with white), so the lines do not show through the neurons.
            strength = (np.abs(biases) / (float(np.abs(biases).max()) or 1.0))[:, None]
            signs = np.where(biases[:, None] > 0, 1.0, 0.0)
            base = signs * np.array(to_rgba(POSITIVE_WEIGHT_COLOUR)[:3]) + (1 - signs) * np.array(
                to_rgba(NEGATIVE_WEIGHT_COLOUR)[:3]
            )
            fills = 1 - 0.7 * strength * (1 - base)
        ax.scatter(here[:, 0], here[:, 1], s=_neuron_size(tallest), c=fills, edgecolors="k", linewidths=0.8, zorder=2)
    first = points[0]
    ax.scatter(first[:, 0], first[:, 1], s=_neuron_size(tallest), c="#dddddd", edgecolors="k", linewidths=0.8, zorder=2)
    names = list(input_names) if input_names is not None else [f"$x_{{{i + 1}}}$" for i in range(widths[0])]
    if len(names) != widths[0]:
        raise ValueError(f"input_names has {len(names)} names for {widths[0]} inputs")
    if widths[0] <= 20:
        for (x, y), name in zip(first, names):
            ax.text(x - 0.12, y, name, ha="right", va="center", fontsize=9)
    ax.set_xticks(range(len(widths)))
    ticks = [
        message("plot_mlp_layer", language, index=c, count=n, activation=a)
        for c, (n, a) in enumerate(zip(widths[1:], activations), start=1)
    ]
    ax.set_xticklabels([message("plot_input", language)] + ticks, fontsize=8)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_xlim(-0.6, len(widths) - 0.5)
    ax.set_ylim(-0.8, tallest + 0.3)
    architecture = "-".join(str(n) for n in widths)
    ax.set_title(title or message("plot_mlp_title", language, architecture=architecture))
    return _finish(figure, path)


def _neuron_size(tallest: int) -> float:
    """Marker area for a neuron: smaller when a column holds many."""
    return float(np.clip(2200 / max(tallest, 1), 12, 260))
