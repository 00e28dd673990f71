"""Data sets for the course: two moons, the TensorFlow Playground sets, scikit-learn's digits and wine, CSV files.

Generated sets
--------------
Every generator takes ``n_samples``, ``noise`` and ``seed`` (an int, a ``np.random.Generator``,
or None for the library's fixed default seed), so the same call gives the same points. Points
are 2-D, in the Playground's square of about [-6, 6]², returned as ``(X, y)``:

- ``X``: float64 array of shape (n_samples, 2);
- classification sets: ``y`` int64 labels in {0, 1}. The Playground (and the hinge loss) use
  -1/+1 instead: ``to_plus_minus_one(y)`` maps 0 → -1 and 1 → +1, ``from_plus_minus_one`` back;
- regression sets (``make_plane``, ``make_multi_gaussian``): ``y`` float64 targets, in [-1.2, 1.2]
  and [-1, 1].

Half of the points (the odd one out goes to class 1) belong to each class, and the rows are
shuffled so the classes are mixed.

Loaded sets
-----------
``load_digits()`` and ``load_wine()`` read the copies that scikit-learn ships inside its package
(no download): ``pip install retrograd[data]``. ``load_csv(path, target_column=...)`` reads any
comma-separated file of numbers.
"""

from __future__ import annotations

import csv
import math
import numbers
import os
from typing import Any

import numpy as np

from ..init import RngLike, make_rng

__all__ = [
    "make_moons",
    "make_circle",
    "make_xor",
    "make_gaussian",
    "make_spiral",
    "make_plane",
    "make_multi_gaussian",
    "to_plus_minus_one",
    "from_plus_minus_one",
    "load_digits",
    "load_wine",
    "load_csv",
]


# ---------------------------------------------------------------------- shared checks
def _check_size(n_samples: int, minimum: int = 2) -> int:
    if isinstance(n_samples, bool) or not isinstance(n_samples, numbers.Integral) or n_samples < minimum:
        raise ValueError(f"n_samples must be an integer >= {minimum}, got {n_samples!r}")
    return int(n_samples)


def _check_noise(noise: float) -> float:
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real) or not math.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    return float(noise)


def _class_sizes(n_samples: int) -> tuple[int, int]:
    """How many points of class 0 and of class 1: half each, the odd one to class 1."""
    return n_samples // 2, n_samples - n_samples // 2


def _shuffled(rng: np.random.Generator, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = rng.permutation(len(X))
    return X[order], y[order]


def _labels(n0: int, n1: int) -> np.ndarray:
    return np.concatenate([np.zeros(n0, dtype=np.int64), np.ones(n1, dtype=np.int64)])


# ---------------------------------------------------------------------- classification sets
def make_moons(n_samples: int = 100, noise: float = 0.0, seed: RngLike = None) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles: class 0 the upper arc, class 1 the lower arc shifted right.

    Each arc has radius 1 (class 0 centred at (0, 0), class 1 at (1, 0.5)); ``noise`` is the
    standard deviation of Gaussian noise added to every coordinate (0.1 makes a fuzzy,
    still separable set). Not linearly separable: the classic first test of an MLP.
    """
    n_samples, noise, rng = _check_size(n_samples), _check_noise(noise), make_rng(seed)
    n0, n1 = _class_sizes(n_samples)
    angle0 = np.linspace(0.0, math.pi, n0)
    angle1 = np.linspace(0.0, math.pi, n1)
    upper = np.column_stack([np.cos(angle0), np.sin(angle0)])
    lower = np.column_stack([1.0 - np.cos(angle1), 0.5 - np.sin(angle1)])
    X = np.concatenate([upper, lower])
    if noise:
        X = X + rng.normal(0.0, noise, size=X.shape)
    return _shuffled(rng, X, _labels(n0, n1))


def make_circle(n_samples: int = 200, noise: float = 0.0, seed: RngLike = None) -> tuple[np.ndarray, np.ndarray]:
    """A disc (class 1, radius up to 2.5) inside a ring (class 0, radius 3.5 to 5): the Playground's "circle".

    ``noise`` jitters each coordinate by up to ``noise`` × 5 (uniformly), so at the Playground's
    largest setting, 0.5, the two classes overlap near the gap.
    """
    n_samples, noise, rng = _check_size(n_samples), _check_noise(noise), make_rng(seed)
    radius = 5.0
    n0, n1 = _class_sizes(n_samples)
    r = np.concatenate([rng.uniform(0.7 * radius, radius, n0), rng.uniform(0.0, 0.5 * radius, n1)])
    angle = rng.uniform(0.0, 2 * math.pi, n_samples)
    X = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    X += rng.uniform(-radius, radius, size=X.shape) * noise
    return _shuffled(rng, X, _labels(n0, n1))


def make_xor(n_samples: int = 200, noise: float = 0.0, seed: RngLike = None) -> tuple[np.ndarray, np.ndarray]:
    """Points in [-5, 5]², class 1 where x·y > 0 (first and third quadrants): the Playground's "exclusive or".

    Points keep 0.3 away from the axes so the quadrants are clear; ``noise`` jitters each
    coordinate by up to ``noise`` × 5, which moves points near the axes into other quadrants.
    A single neuron (a line) cannot separate the classes; one hidden layer can.
    """
    n_samples, noise, rng = _check_size(n_samples), _check_noise(noise), make_rng(seed)
    padding = 0.3
    n0, n1 = _class_sizes(n_samples)
    points = []
    for count, same_sign in ((n0, False), (n1, True)):
        x = rng.uniform(padding, 5.0, count) * rng.choice([-1.0, 1.0], count)
        y = rng.uniform(padding, 5.0, count) * np.sign(x) * (1.0 if same_sign else -1.0)
        points.append(np.column_stack([x, y]))
    X = np.concatenate(points)
    X += rng.uniform(-5.0, 5.0, size=X.shape) * noise
    return _shuffled(rng, X, _labels(n0, n1))


def make_gaussian(n_samples: int = 200, noise: float = 0.0, seed: RngLike = None) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian clouds, class 1 around (2, 2) and class 0 around (-2, -2): the Playground's "Gaussian".

    Each cloud's variance grows with ``noise`` from 0.5 (noise 0) to 4 (noise 0.5), so the clouds
    go from clearly apart to overlapping. Linearly separable at low noise.
    """
    n_samples, noise, rng = _check_size(n_samples), _check_noise(noise), make_rng(seed)
    std = math.sqrt(0.5 + 7.0 * noise)
    n0, n1 = _class_sizes(n_samples)
    X = np.concatenate([rng.normal(-2.0, std, size=(n0, 2)), rng.normal(2.0, std, size=(n1, 2))])
    return _shuffled(rng, X, _labels(n0, n1))


def make_spiral(n_samples: int = 200, noise: float = 0.0, seed: RngLike = None) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spiral arms, each turning 1.75 times out to radius 5: the Playground's "spiral".

    Class 1 starts at angle 0, class 0 half a turn later. ``noise`` jitters each coordinate by
    up to ``noise`` (uniformly). The hardest Playground set: it needs two hidden layers (or
    hand-made features such as sin x).
    """
    n_samples, noise, rng = _check_size(n_samples), _check_noise(noise), make_rng(seed)
    n0, n1 = _class_sizes(n_samples)
    arms = []
    for count, phase in ((n0, math.pi), (n1, 0.0)):
        fraction = np.arange(count) / count
        r = 5.0 * fraction
        t = 1.75 * 2 * math.pi * fraction + phase
        arm = np.column_stack([r * np.sin(t), r * np.cos(t)])
        arms.append(arm + rng.uniform(-1.0, 1.0, size=arm.shape) * noise)
    return _shuffled(rng, np.concatenate(arms), _labels(n0, n1))


def to_plus_minus_one(y: Any) -> np.ndarray:
    """Labels {0, 1} as the Playground's {-1, +1} (float64), the targets of ``hinge_loss``."""
    y = np.asarray(y)
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"to_plus_minus_one expects labels 0 and 1, got {np.unique(y)[:5]}")
    return np.where(y == 1, 1.0, -1.0)


def from_plus_minus_one(y: Any) -> np.ndarray:
    """Labels {-1, +1} as {0, 1} (int64)."""
    y = np.asarray(y)
    if not np.all((y == -1) | (y == 1)):
        raise ValueError(f"from_plus_minus_one expects labels -1 and +1, got {np.unique(y)[:5]}")
    return (y == 1).astype(np.int64)


# ---------------------------------------------------------------------- regression sets
def make_plane(n_samples: int = 200, noise: float = 0.0, seed: RngLike = None) -> tuple[np.ndarray, np.ndarray]:
    """Regression on a tilted plane, the Playground's "plane": target (x + y) / 10 (within ±1.2) on [-6, 6]².

    ``noise`` jitters the point at which the target is read by up to ``noise`` × 6 per
    coordinate, so targets scatter around the plane. A linear model fits it.
    """
    n_samples, noise, rng = _check_size(n_samples, 1), _check_noise(noise), make_rng(seed)
    X = rng.uniform(-6.0, 6.0, size=(n_samples, 2))
    read_at = X + rng.uniform(-6.0, 6.0, size=X.shape) * noise
    return X, read_at.sum(axis=1) / 10.0


_BUMPS = ((-4.0, 2.5, 1.0), (0.0, 2.5, -1.0), (4.0, 2.5, 1.0), (-4.0, -2.5, -1.0), (0.0, -2.5, 1.0), (4.0, -2.5, -1.0))


def make_multi_gaussian(
    n_samples: int = 200, noise: float = 0.0, seed: RngLike = None
) -> tuple[np.ndarray, np.ndarray]:
    """Regression on six bumps of alternating sign in a 3 × 2 grid: the Playground's "multi Gaussian".

    Each bump is ±(1 - distance/2) within distance 2 of its centre; the target is the bump of
    largest size at the point (0 away from all of them). ``noise`` jitters the point at which
    the target is read by up to ``noise`` × 6 per coordinate.
    """
    n_samples, noise, rng = _check_size(n_samples, 1), _check_noise(noise), make_rng(seed)
    X = rng.uniform(-6.0, 6.0, size=(n_samples, 2))
    read_at = X + rng.uniform(-6.0, 6.0, size=X.shape) * noise
    heights = []
    for cx, cy, sign in _BUMPS:
        distance = np.hypot(read_at[:, 0] - cx, read_at[:, 1] - cy)
        heights.append(sign * np.clip(1.0 - distance / 2.0, 0.0, 1.0))
    heights = np.stack(heights, axis=1)
    largest = np.argmax(np.abs(heights), axis=1)
    return X, heights[np.arange(n_samples), largest]


# ---------------------------------------------------------------------- scikit-learn's bundled sets
def _sklearn_datasets(what: str) -> Any:
    try:
        from sklearn import datasets
    except ImportError:
        raise ImportError(
            f"{what} reads the copy shipped inside scikit-learn, which is not installed: pip install retrograd[data]"
        ) from None
    return datasets


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 handwritten digits (8 × 8 pixels, values 0-16) shipped with scikit-learn.

    Returns ``X`` float64 (1797, 64), one flattened image per row, and ``y`` int64 labels 0-9.
    ``X.reshape(-1, 8, 8)`` gives the images back. Needs ``pip install retrograd[data]``.
    """
    bunch = _sklearn_datasets("load_digits").load_digits()
    return bunch.data.astype(np.float64), bunch.target.astype(np.int64)


def load_wine() -> tuple[np.ndarray, np.ndarray]:
    """The 178 wines of three cultivars, 13 chemical measurements each, shipped with scikit-learn.

    Returns ``X`` float64 (178, 13) and ``y`` int64 labels 0-2. The features have very
    different scales (standardise them first). Needs ``pip install retrograd[data]``.
    """
    bunch = _sklearn_datasets("load_wine").load_wine()
    return bunch.data.astype(np.float64), bunch.target.astype(np.int64)


# ---------------------------------------------------------------------- CSV files
def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def load_csv(
    path: str | os.PathLike,
    target_column: int | str = -1,
    *,
    delimiter: str = ",",
    header: bool | None = None,
    target_type: str = "auto",
    return_names: bool = False,
) -> tuple:
    """Read a delimited text file of examples: one row each, features as numbers, one target column.

    ``target_column`` is the target's position (negative counts from the end) or its name in
    the header. ``header``: True if the first row holds column names, False if not, None to
    decide by whether the first row's feature cells are all numbers.

    ``target_type``: ``"class"`` encodes the targets as int64 labels 0, 1, ... in sorted order of
    their text; ``"number"`` reads them as float64; ``"auto"`` takes numbers if every target is
    one (int64 if all are whole numbers, else float64) and classes otherwise.

    Returns ``(X, y)`` with ``X`` float64 (examples × features), or with ``return_names``
    ``(X, y, feature_names, class_names)`` (``class_names`` is None for numeric targets).
    Empty lines are skipped; a ragged row, an empty cell or a feature that is not a finite number
    raises ``ValueError`` naming its line and column.
    """
    if target_type not in ("auto", "class", "number"):
        raise ValueError(f"target_type must be 'auto', 'class' or 'number', got {target_type!r}")
    with open(path, newline="", encoding="utf-8") as file:
        rows = [(number, row) for number, row in enumerate(csv.reader(file, delimiter=delimiter), start=1) if row]
    if not rows:
        raise ValueError(f"{path}: the file holds no rows")

    width = len(rows[0][1])
    if width < 2:
        raise ValueError(f"{path}: need at least one feature and a target column, line 1 has {width} column(s)")
    first = rows[0][1]
    if isinstance(target_column, str):
        if header is False:
            raise ValueError("target_column is a name, but header=False says the file has no header")
        header = True
        names = [name.strip() for name in first]
        if target_column not in names:
            raise ValueError(f"{path}: no column named {target_column!r}; the columns are {names}")
        target_index = names.index(target_column)
    elif isinstance(target_column, numbers.Integral) and not isinstance(target_column, bool):
        if not -width <= target_column < width:
            raise ValueError(f"{path}: target_column {target_column} is out of range for {width} columns")
        target_index = int(target_column) % width
    else:
        raise TypeError(f"target_column must be a column index or name, got {type(target_column).__name__}")
    if header is None:
        header = not all(_is_number(cell) for i, cell in enumerate(first) if i != target_index)

    column_names = [name.strip() for name in first] if header else [f"x{i}" for i in range(width)]
    data_rows = rows[1:] if header else rows
    if not data_rows:
        raise ValueError(f"{path}: the file holds a header but no examples")
    feature_indices = [i for i in range(width) if i != target_index]

    features = np.empty((len(data_rows), width - 1), dtype=np.float64)
    targets = []
    for r, (line, row) in enumerate(data_rows):
        if len(row) != width:
            raise ValueError(f"{path}, line {line}: {len(row)} columns, but the first row has {width}")
        for c, i in enumerate(feature_indices):
            cell = row[i].strip()
            if not cell:
                raise ValueError(f"{path}, line {line}, column {column_names[i]!r}: empty cell (missing value)")
            try:
                features[r, c] = float(cell)
            except ValueError:
                raise ValueError(f"{path}, line {line}, column {column_names[i]!r}: {cell!r} is not a number") from None
            if not math.isfinite(features[r, c]):
                raise ValueError(
                    f"{path}, line {line}, column {column_names[i]!r}: {cell!r} is not a finite number (missing value?)"
                )
        target = row[target_index].strip()
        if not target:
            raise ValueError(f"{path}, line {line}: the target cell is empty")
        targets.append(target)

    class_names = None
    numeric = all(_is_number(t) for t in targets)
    if target_type == "number" and not numeric:
        bad = next(t for t in targets if not _is_number(t))
        raise ValueError(f"{path}: target_type='number' but the target {bad!r} is not a number")
    if target_type == "number" or (target_type == "auto" and numeric):
        y = np.array([float(t) for t in targets])
        if not np.all(np.isfinite(y)):
            r = int(np.flatnonzero(~np.isfinite(y))[0])
            raise ValueError(f"{path}, line {data_rows[r][0]}: the target {targets[r]!r} is not a finite number")
        if target_type == "auto" and np.all(np.isfinite(y)) and np.all(y == np.round(y)):
            y = y.astype(np.int64)
    else:
        class_names = sorted(set(targets))
        index = {name: i for i, name in enumerate(class_names)}
        y = np.array([index[t] for t in targets], dtype=np.int64)

    if return_names:
        return features, y, [column_names[i] for i in feature_indices], class_names
    return features, y
