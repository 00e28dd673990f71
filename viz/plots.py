"""Pictures of models and training with matplotlib (``pip install retrograd[viz]``).

Every function draws into a new ``matplotlib.figure.Figure`` (or into the ``ax`` given),
saves it when ``path`` is given, and returns the figure; in Jupyter the figure shows itself.
No global pyplot state is touched, so these work the same in scripts, tests and notebooks.

- ``plot_decision_boundary``: the regions a 2-D classifier assigns, with the data points;
- ``plot_training_curves``: loss (and accuracy) on training vs validation data, per epoch;
- ``plot_gradient_norms``: each layer's gradient norm over training, on a log scale;
- ``plot_activations``: activation functions with their derivatives;
- ``draw_mlp``: the network as layers of neurons, edges coloured and sized by weight.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from autograd import Value, no_grad

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
    with no_grad():
        if _is_scalar_model(model):
            outputs = np.array([_as_number(model(list(row))) for row in points], dtype=np.float64)
        elif hasattr(model, "parameters"):
            from autograd.tensor import Tensor

            outputs = _as_number(model(Tensor(points)))
        else:
            outputs = _as_number(model(points))
    outputs = np.asarray(outputs, dtype=np.float64)
    if outputs.ndim == 2 and outputs.shape[1] == 1:
        outputs = outputs[:, 0]
    if outputs.shape[0] != len(points):
        raise ValueError(f"the model gave {outputs.shape[0]} outputs for {len(points)} points (shape {outputs.shape})")
    return outputs


def predict_classes(scores: np.ndarray, labels: np.ndarray, threshold: float | None = None) -> np.ndarray:
    """Class predictions from scores: argmax for several scores; for one score, above/below ``threshold``.

    With one score the two classes are the two label values in ``labels`` (e.g. -1/1 or 0/1).
    The default threshold is 0.5 when the scores are probabilities (all in [0, 1]) and the
    labels are 0/1, else 0.
    """
    if scores.ndim == 2:
        return np.argmax(scores, axis=1)
    classes = np.unique(labels)
    low, high = (classes[0], classes[-1]) if len(classes) >= 2 else (0, 1)
    return np.where(scores > _threshold_used(scores, labels, threshold), high, low)


def _threshold_used(scores: np.ndarray, labels: np.ndarray, threshold: float | None) -> float:
    if threshold is not None:
        return float(threshold)
    classes = np.unique(labels)
    probabilities = bool(np.all((scores >= 0) & (scores <= 1)))
    return 0.5 if probabilities and set(classes.tolist()) <= {0, 1} else 0.0


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
    ax.set_title(title or f"decision boundary (training accuracy {accuracy:.0%})")
    ax.set_xlim(x_min, x_max)
    ax.set_ylim(y_min, y_max)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.legend(title="class", loc="best", fontsize=8)
    return _finish(figure, path)
