"""``retrograd demo``: the classic micrograd demo, on retrograd, with its pictures written to a folder.

    retrograd demo --out retrograd-out/
    retrograd demo --language es          # what it prints and draws, in Spanish

Trains a scalar MLP 2-16-16-1 (ReLU, every weight a ``Value``) on 100 points of two moons with
a hinge loss plus L2 (alpha 1e-4) and SGD whose learning rate falls from 1.0 towards 0.1 over
the 100 epochs, one full batch per epoch. It reaches 100% training accuracy, then writes

- ``neuron_graph.svg``: the computation graph of one neuron of the first layer on one point,
  built node by node (``w1*x1 + w2*x2 + b``, then ReLU) with data and gradients;
- ``decision_boundary.png``: the plane coloured by the predicted class, with the points (an
  ``.svg`` drawn by hand instead when matplotlib is not installed).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import numpy as np

from autograd import Value, no_grad
from nn import MLP, Neuron, Progress, hinge_loss, metrics
from nn.data import make_moons, to_plus_minus_one
from nn.optim import SGD
from nn.regularization import l2_penalty
from viz.messages import get_language, message
from viz.messages import language as drawing_language

__all__ = ["HELP", "DemoResult", "add_arguments", "draw_decision_boundary", "draw_neuron", "main", "run", "train"]

HELP = "train a scalar MLP 2-16-16-1 on two moons; write a neuron's graph and the decision boundary"

#: The settings of the classic demo.
SIZES = [16, 16, 1]
EPOCHS = 100
SAMPLES = 100
NOISE = 0.1
ALPHA = 1e-4
FIRST_LR, LAST_LR = 1.0, 0.1


@dataclass
class DemoResult:
    """What training produced: the model, its data (labels ±1), and the loss and accuracy per epoch."""

    model: MLP
    X: np.ndarray
    y: np.ndarray
    losses: list[float] = field(default_factory=list)
    accuracies: list[float] = field(default_factory=list)
    final_accuracy: float = 0.0


def accuracy(model: MLP, X: np.ndarray, y: np.ndarray) -> float:
    """The fraction of points whose score has the sign of their ±1 label (``nn.metrics.accuracy``)."""
    with no_grad():
        scores = [model(row).data for row in X.tolist()]
    return metrics.accuracy(scores, y)


def train(
    seed: int = 0,
    epochs: int = EPOCHS,
    samples: int = SAMPLES,
    noise: float = NOISE,
    progress: bool = True,
    out: TextIO = sys.stderr,
) -> DemoResult:
    """Train the demo's MLP on two moons; returns the model, the data and the training curves."""
    X, labels = make_moons(samples, noise=noise, seed=seed)
    y = to_plus_minus_one(labels)
    # U(-1, 1) weights, as in micrograd; biases start at 0.
    model = MLP(2, SIZES, activation="relu", init="uniform", seed=seed)
    parameters = model.parameters()
    optimizer = SGD(parameters, lr=FIRST_LR)
    rows = X.tolist()
    result = DemoResult(model, X, y)
    bar = Progress(epochs, progress, out=out, desc=message("demo_progress"), unit=message("demo_progress_unit"))
    for epoch in range(epochs):
        scores = [model(row) for row in rows]
        loss = hinge_loss(scores, y) + ALPHA * l2_penalty(parameters)
        optimizer.zero_grad()
        loss.backward()
        optimizer.lr = FIRST_LR - (FIRST_LR - LAST_LR) * epoch / epochs
        optimizer.step()
        result.losses.append(loss.data)
        result.accuracies.append(metrics.accuracy([s.data for s in scores], y))
        summary = {message("loss"): f"{loss.data:.4f}", message("accuracy"): f"{result.accuracies[-1]:.0%}"}
        bar.update(epoch + 1, summary)
    bar.close()
    result.final_accuracy = accuracy(model, X, y)
    return result


# ---------------------------------------------------------------------- pictures
def draw_neuron(model: MLP, x: Iterable[float], path: Path) -> Path:
    """Write the graph of the first active neuron of the first layer on input ``x``, node by node.

    The trained neuron's weights go into a ``Neuron`` with ``fused=False``, so the picture
    shows each multiplication and addition of ``w1*x1 + w2*x2 + b`` and the ReLU, with data
    and gradients after ``backward()``. Returns the path written (``.dot`` text if no layout
    program is found).
    """
    import viz

    inputs = [Value(float(v), label=f"x{i + 1}") for i, v in enumerate(x)]
    neurons = model.layers[0].neurons
    active = [n for n in neurons if n.weighted_sum([i.data for i in inputs]).data > 0]
    chosen = (active or neurons)[0]
    teaching = Neuron(len(inputs), "relu", weights=[w.data for w in chosen.w], bias=chosen.b.data, fused=False)
    output = teaching(inputs)
    output.label = "out"
    output.backward()
    try:
        return viz.render(output, path)
    except viz.LayoutProgramNotFoundError as error:
        dot_path = path.with_suffix(".dot")
        viz.render(output, dot_path)
        print(f"no layout program to make an SVG ({error}); wrote the DOT text instead", file=sys.stderr)
        return dot_path


def draw_decision_boundary(model: MLP, X: np.ndarray, y: np.ndarray, folder: Path) -> Path:
    """The predicted class over the plane with the points: a PNG with matplotlib, else a hand-made SVG."""
    try:
        import matplotlib
    except ImportError:
        return _decision_boundary_svg(model, X, y, folder / "decision_boundary.svg")
    matplotlib.use("Agg")  # files only: no window
    import matplotlib.pyplot as plt

    import viz

    path = folder / "decision_boundary.png"
    figure = viz.plot_decision_boundary(model, X, y, path=path, threshold=0.0)
    plt.close(figure)
    return path


def _decision_boundary_svg(model: MLP, X: np.ndarray, y: np.ndarray, path: Path, resolution: int = 40) -> Path:
    """The decision boundary as an SVG of coloured squares and dots, without matplotlib."""
    size = 400
    low, high = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
    span = high - low

    def to_pixels(point: np.ndarray) -> tuple[float, float]:
        u = (point - low) / span * size
        return float(u[0]), float(size - u[1])  # SVG's y axis points down

    cell = size / resolution
    shapes = []
    with no_grad():
        for i in range(resolution):
            for j in range(resolution):
                centre = low + (np.array([i, j]) + 0.5) / resolution * span
                colour = "#9ecae1" if model(centre.tolist()).data > 0 else "#fdae6b"
                left, top = i * cell, size - (j + 1) * cell
                shapes.append(
                    f'<rect x="{left:.1f}" y="{top:.1f}" width="{cell:.1f}" height="{cell:.1f}" fill="{colour}"/>'
                )
    for point, label in zip(X, y):
        px, py = to_pixels(point)
        colour = "#08519c" if label > 0 else "#a63603"
        shapes.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}" stroke="black" stroke-width="0.5"/>')
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}">\n'
        + "\n".join(shapes)
        + "\n</svg>\n"
    )
    path.write_text(svg, encoding="utf-8")
    return path


# ---------------------------------------------------------------------- the command
def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The demo's options."""
    parser.add_argument("--out", default="retrograd-out", help="folder for the pictures (default: retrograd-out/)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the data and the initial weights (default: 0)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument(
        "--language", choices=("en", "es"), default=None,
        help="language of what the demo prints and draws (default: viz's current language, English)",
    )


def _check_folder(folder: Path) -> None:
    """Make ``folder`` and try writing in it, so that a bad ``--out`` is reported before training, not after."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=folder):
        pass


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Train, draw, and report where the files went, in ``args.language``; returns the exit status.

    The status is 1 when the folder is not writable (an error message, in English, on ``err``).
    """
    out = out or sys.stdout
    err = err or sys.stderr
    folder = Path(args.out)
    try:
        _check_folder(folder)
    except OSError as error:
        print(f"error: cannot write the pictures to {folder}: {error.strerror or error}", file=err)
        return 1
    with drawing_language(getattr(args, "language", None) or get_language()):
        print(message("demo_training", samples=SAMPLES, epochs=EPOCHS), file=out)
        result = train(seed=args.seed, progress=not args.no_progress)
        try:
            graph = draw_neuron(result.model, result.X[0], folder / "neuron_graph.svg")
            boundary = draw_decision_boundary(result.model, result.X, result.y, folder)
        except OSError as error:  # the disk filled up, the folder went away, ... during training
            print(f"error: cannot write the pictures to {folder}: {error.strerror or error}", file=err)
            return 1
        correct = round(result.final_accuracy * len(result.y))
        print(
            message("demo_result", loss=result.losses[-1], accuracy=result.final_accuracy, correct=correct,
                    total=len(result.y)),
            file=out,
        )
        print(message("demo_wrote", path=graph), file=out)
        print(message("demo_wrote", path=boundary), file=out)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the demo on its own: ``python -m retrograd.demo``."""
    parser = argparse.ArgumentParser(prog="retrograd demo", description=HELP)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
