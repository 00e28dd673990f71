"""Getting data ready: one-hot labels, scaling fitted on the training set, splits and mini-batches.

The rule behind the scalers: **fit on the training set only**, then apply the same transform to
the validation and test sets. Fitting on all the data lets the test set leak into training.
The names follow scikit-learn (``fit``, ``transform``, ``fit_transform``, ``inverse_transform``,
``mean_``, ``scale_``) so the habits carry over.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator
from typing import Any

import numpy as np

from ..init import RngLike, make_rng

__all__ = [
    "one_hot",
    "StandardScaler",
    "Centerer",
    "MinMaxScaler",
    "train_test_split",
    "DataLoader",
]


def _as_integer_labels(labels: Any, who: str) -> np.ndarray:
    array = np.asarray(labels)
    if array.ndim != 1:
        raise ValueError(f"{who}: labels must be one-dimensional (one per example), got shape {array.shape}")
    if array.dtype.kind in "iu":
        return array.astype(np.int64)
    if array.dtype.kind == "b" or array.dtype.kind not in "f":
        raise TypeError(f"{who}: labels must be integers, got dtype {array.dtype}")
    if not np.all(np.isfinite(array)) or not np.all(array == np.round(array)):
        bad = array[~(np.isfinite(array) & (array == np.round(array)))][0]
        raise ValueError(f"{who}: labels must be whole numbers, got {bad}")
    return array.astype(np.int64)


def one_hot(labels: Any, num_classes: int | None = None, dtype: Any = np.float64) -> np.ndarray:
    """Integer labels as rows of zeros with a single one: ``one_hot([2, 0], 3)`` is ``[[0, 0, 1], [1, 0, 0]]``.

    ``num_classes`` defaults to the largest label + 1. Labels must be whole numbers in
    ``[0, num_classes)``; anything else raises ``ValueError`` naming the offending label.
    """
    labels = _as_integer_labels(labels, "one_hot")
    if num_classes is None:
        if labels.size == 0:
            raise ValueError("one_hot: cannot infer num_classes from no labels; pass num_classes")
        num_classes = int(labels.max()) + 1
    if isinstance(num_classes, bool) or not isinstance(num_classes, numbers.Integral) or num_classes < 1:
        raise ValueError(f"one_hot: num_classes must be a positive integer, got {num_classes!r}")
    outside = (labels < 0) | (labels >= num_classes)
    if np.any(outside):
        raise ValueError(f"one_hot: label {labels[outside][0]} is outside [0, {num_classes}) for {num_classes} classes")
    encoded = np.zeros((labels.size, int(num_classes)), dtype=dtype)
    encoded[np.arange(labels.size), labels] = 1
    return encoded


def _as_matrix(X: Any, who: str) -> np.ndarray:
    try:
        array = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{who}: X must hold numbers ({error})") from None
    if array.ndim != 2:
        raise ValueError(f"{who}: X must be a 2-D array (examples × features), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{who}: X holds NaN or infinite values")
    return array


class _Scaler:
    """What every scaler shares: ``fit`` learns per-feature numbers, ``transform`` applies them."""

    n_features_in_: int | None = None

    def fit(self, X: Any) -> _Scaler:
        raise NotImplementedError

    def _check_fitted(self, X: Any, who: str) -> np.ndarray:
        if self.n_features_in_ is None:
            raise RuntimeError(f"{type(self).__name__} is not fitted yet: call fit(X_train) before {who}")
        X = _as_matrix(X, f"{type(self).__name__}.{who}")
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"{type(self).__name__}.{who}: X has shape {X.shape}, but the scaler was fitted on "
                f"{self.n_features_in_} features"
            )
        return X

    def fit_transform(self, X: Any) -> np.ndarray:
        """``fit(X)`` then ``transform(X)``: for the training set only."""
        return self.fit(X).transform(X)

    def transform(self, X: Any) -> np.ndarray:
        raise NotImplementedError


class StandardScaler(_Scaler):
    """Standardise each feature: ``(x - mean) / std``, with the mean and std of the training set.

    After ``fit``, ``mean_`` and ``scale_`` (the standard deviation; 1 for a constant feature,
    so it is left alone rather than divided by zero) hold the learnt numbers. Inputs to a
    network on comparable scales make gradient descent far better conditioned.
    """

    def __init__(self, with_mean: bool = True, with_std: bool = True) -> None:
        self.with_mean = with_mean
        self.with_std = with_std
        self.mean_: np.ndarray | None = None
        self.scale_: np.ndarray | None = None

    def fit(self, X: Any) -> StandardScaler:
        """Learn each feature's mean and standard deviation from ``X`` (the training set)."""
        X = _as_matrix(X, f"{type(self).__name__}.fit")
        if len(X) == 0:
            raise ValueError(f"{type(self).__name__}.fit: X has no examples")
        self.n_features_in_ = X.shape[1]
        self.mean_ = X.mean(axis=0) if self.with_mean else np.zeros(X.shape[1])
        if self.with_std:
            std = X.std(axis=0)
            self.scale_ = np.where(std > 0, std, 1.0)
        else:
            self.scale_ = np.ones(X.shape[1])
        return self

    def transform(self, X: Any) -> np.ndarray:
        """``(X - mean_) / scale_`` with the numbers learnt by ``fit``."""
        X = self._check_fitted(X, "transform")
        return (X - self.mean_) / self.scale_

    def inverse_transform(self, X: Any) -> np.ndarray:
        """Undo ``transform``: ``X · scale_ + mean_``."""
        X = self._check_fitted(X, "inverse_transform")
        return X * self.scale_ + self.mean_


class Centerer(StandardScaler):
    """Subtract each feature's training mean (``StandardScaler(with_std=False)``)."""

    def __init__(self) -> None:
        super().__init__(with_mean=True, with_std=False)


class MinMaxScaler(_Scaler):
    """Map each feature's training range [min, max] linearly onto ``feature_range`` (default [0, 1]).

    Test values outside the training range land outside ``feature_range``: that is expected.
    A constant feature is mapped to the lower end of the range.
    """

    def __init__(self, feature_range: tuple[float, float] = (0.0, 1.0)) -> None:
        low, high = feature_range
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise ValueError(f"feature_range must be (low, high) with low < high, got {feature_range!r}")
        self.feature_range = (float(low), float(high))
        self.data_min_: np.ndarray | None = None
        self.data_max_: np.ndarray | None = None
        self.scale_: np.ndarray | None = None

    def fit(self, X: Any) -> MinMaxScaler:
        """Learn each feature's minimum and maximum from ``X`` (the training set)."""
        X = _as_matrix(X, "MinMaxScaler.fit")
        if len(X) == 0:
            raise ValueError("MinMaxScaler.fit: X has no examples")
        self.n_features_in_ = X.shape[1]
        self.data_min_, self.data_max_ = X.min(axis=0), X.max(axis=0)
        spread = self.data_max_ - self.data_min_
        low, high = self.feature_range
        self.scale_ = (high - low) / np.where(spread > 0, spread, 1.0)
        return self

    def transform(self, X: Any) -> np.ndarray:
        """``low + (X - data_min_) · scale_``."""
        X = self._check_fitted(X, "transform")
        return self.feature_range[0] + (X - self.data_min_) * self.scale_

    def inverse_transform(self, X: Any) -> np.ndarray:
        """Undo ``transform``."""
        X = self._check_fitted(X, "inverse_transform")
        return (X - self.feature_range[0]) / self.scale_ + self.data_min_


# ---------------------------------------------------------------------- splitting
def _test_count(test_size: float | int, n: int) -> int:
    if isinstance(test_size, bool) or not isinstance(test_size, numbers.Real):
        raise TypeError(f"test_size must be a fraction or a count, got {type(test_size).__name__}")
    if isinstance(test_size, numbers.Integral):
        count = int(test_size)
    elif 0.0 < test_size < 1.0:
        count = math.ceil(test_size * n)  # as scikit-learn rounds
    else:
        raise ValueError(f"test_size must be a fraction in (0, 1) or a count, got {test_size!r}")
    if not 1 <= count <= n - 1:
        raise ValueError(f"test_size {test_size!r} leaves {count} of {n} examples for testing; need 1 to {n - 1}")
    return count


def _stratified_test_indices(labels: np.ndarray, n_test: int, rng: np.random.Generator) -> np.ndarray:
    """Pick ``n_test`` indices so each class is represented in proportion to its size."""
    classes, counts = np.unique(labels, return_counts=True)
    if np.any(counts < 2):
        raise ValueError(f"stratify: class {classes[counts < 2][0]!r} has a single example; each class needs 2")
    if n_test < len(classes) or len(labels) - n_test < len(classes):
        raise ValueError(f"stratify: with {len(classes)} classes, both parts need at least {len(classes)} examples")
    # Each class's exact share, rounded down, then the remaining places to the largest remainders.
    exact = counts * n_test / len(labels)
    per_class = np.floor(exact).astype(int)
    remainder_order = np.argsort(-(exact - per_class), kind="stable")
    per_class[remainder_order[: n_test - per_class.sum()]] += 1
    chosen = [rng.permutation(np.flatnonzero(labels == c))[:k] for c, k in zip(classes, per_class)]
    return np.concatenate(chosen)


def train_test_split(
    X: Any,
    y: Any = None,
    test_size: float | int = 0.25,
    seed: RngLike = None,
    shuffle: bool = True,
    stratify: Any = None,
) -> tuple:
    """Split examples into a training and a test part: ``X_train, X_test, y_train, y_test``.

    ``test_size`` is a fraction of the examples (rounded up) or a count. With ``shuffle``
    (the default) examples are picked at random from ``seed``; without, the last ones are the
    test set. ``stratify`` (labels, or ``True`` to use ``y``) keeps each class's proportion the
    same in both parts. Without ``y`` only ``X_train, X_test`` are returned.
    """
    X = np.asarray(X)
    n = len(X)
    if y is not None:
        y = np.asarray(y)
        if len(y) != n:
            raise ValueError(f"train_test_split: X has {n} examples but y has {len(y)}")
    n_test = _test_count(test_size, n)
    rng = make_rng(seed)
    if stratify is not None and stratify is not False:
        if stratify is True:
            if y is None:
                raise ValueError("stratify=True needs y")
            stratify = y
        labels = np.asarray(stratify)
        if labels.shape != (n,):
            raise ValueError(f"stratify: need one label per example, shape {(n,)}, got {labels.shape}")
        if not shuffle:
            raise ValueError("a stratified split must shuffle: use shuffle=True")
        test = _stratified_test_indices(labels, n_test, rng)
    elif shuffle:
        test = rng.permutation(n)[:n_test]
    else:
        test = np.arange(n - n_test, n)
    is_test = np.zeros(n, dtype=bool)
    is_test[test] = True
    train_index = np.flatnonzero(~is_test)
    test_index = np.sort(test) if not shuffle else rng.permutation(test)
    if shuffle:
        train_index = rng.permutation(train_index)
    if y is None:
        return X[train_index], X[test_index]
    return X[train_index], X[test_index], y[train_index], y[test_index]


# ---------------------------------------------------------------------- mini-batches
class DataLoader:
    """Iterate over ``(X_batch, y_batch)`` mini-batches: ``for xb, yb in DataLoader(X, y, batch_size=32):``.

    With ``shuffle`` (the default) each pass draws a new order from the loader's generator,
    made once from ``seed``: epochs differ from each other, but a whole run repeats exactly.
    The last batch is smaller when ``batch_size`` does not divide the examples, unless
    ``drop_last``. Without ``y`` the batches are just ``X_batch``.
    """

    def __init__(
        self,
        X: Any,
        y: Any = None,
        batch_size: int = 32,
        shuffle: bool = True,
        seed: RngLike = None,
        drop_last: bool = False,
    ) -> None:
        self.X = np.asarray(X)
        self.y = None if y is None else np.asarray(y)
        if self.X.ndim == 0 or len(self.X) == 0:
            raise ValueError(f"DataLoader: X must hold at least one example, got shape {self.X.shape}")
        if self.y is not None and len(self.y) != len(self.X):
            raise ValueError(f"DataLoader: X has {len(self.X)} examples but y has {len(self.y)}")
        if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be a positive integer, got {batch_size!r}")
        if drop_last and batch_size > len(self.X):
            raise ValueError(f"DataLoader: drop_last with batch_size {batch_size} > {len(self.X)} examples: no batch")
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.rng = make_rng(seed)

    def __len__(self) -> int:
        """The number of batches in one pass."""
        n = len(self.X)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def __iter__(self) -> Iterator[Any]:
        n = len(self.X)
        order = self.rng.permutation(n) if self.shuffle else np.arange(n)
        for batch in range(len(self)):
            index = order[batch * self.batch_size : (batch + 1) * self.batch_size]
            if not self.shuffle:
                index = slice(index[0], index[-1] + 1)  # a view, no copy
            if self.y is None:
                yield self.X[index]
            else:
                yield self.X[index], self.y[index]

    def __repr__(self) -> str:
        return f"DataLoader({len(self.X)} examples, batch_size={self.batch_size}, shuffle={self.shuffle})"
