"""Running a trained model: its outputs (``predict``) and its loss and accuracy (``evaluate``), without a graph.

One loop serves both engines. A tensor model (parameters are ``Tensor``\\ s) gets a batch as
one ``Tensor`` in its parameters' dtype; a scalar model (``Value``\\ s, e.g. ``nn.MLP``) gets
one example at a time, as a list of floats, exactly as in the lecture.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd import Tensor, is_tensor, no_grad

from .losses import get_loss
from .metrics import accuracy, decision_threshold, looks_like_labels

__all__ = ["Engine", "evaluate", "predict"]


# ---------------------------------------------------------------------- data and engines
def as_examples(data: Any, who: str) -> tuple[np.ndarray, np.ndarray]:
    """``data = (X, y)`` as arrays, X examples × features of finite numbers, one target per example."""
    if not (isinstance(data, (tuple, list)) and len(data) == 2):
        raise TypeError(f"{who} must be a pair (X, y), got {type(data).__name__}")
    X, y = np.asarray(data[0]), np.asarray(data[1])
    if X.dtype == object:  # inputs written as Values: their numbers (inputs get no gradient)
        X = np.vectorize(lambda v: getattr(v, "data", v), otypes=[np.float64])(X)
    if len(X) == 0:
        raise ValueError(f"{who}: X holds no examples")
    if X.ndim != 2:
        raise ValueError(f"{who}: X must be examples × features (2-D), got shape {X.shape}")
    if len(X) != len(y):
        raise ValueError(f"{who}: X has {len(X)} examples but y has {len(y)}")
    if X.dtype.kind not in "fiub":
        raise TypeError(f"{who}: X must hold numbers, got dtype {X.dtype}")
    check_finite(X, who, "X")
    check_finite(y, who, "y")
    return X, y


def check_finite(array: np.ndarray, who: str, name: str) -> None:
    """A clear error naming the row (and column) of the first NaN or infinite entry of ``array``."""
    if array.dtype.kind not in "fc" or np.isfinite(array).all():
        return
    where = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
    column = f", column {where[1]}" if len(where) > 1 else ""
    raise ValueError(
        f"{who}: {name} holds {array[where]} at row {where[0]}{column}; every {name} entry must be a finite number "
        "(drop or fill in missing values before training)"
    )


@dataclass(frozen=True)
class Engine:
    """Which engine a model runs on (``tensors``: its parameters are Tensors) and the dtype its inputs take."""

    tensors: bool
    dtype: np.dtype

    @classmethod
    def of_parameters(cls, params: Iterable[Any]) -> Engine:
        """The engine of a list of parameters: Tensors, or Values (an empty list counts as Tensors)."""
        params = list(params)
        dtypes = {p.data.dtype for p in params if is_tensor(p)}
        tensors = bool(dtypes) or not params
        return cls(tensors, np.result_type(*dtypes) if dtypes else np.dtype(np.float64))

    @classmethod
    def of_model(cls, model: Any) -> Engine:
        """The engine of a model with ``parameters()`` (a plain function counts as a tensor model)."""
        params = model.parameters() if callable(getattr(model, "parameters", None)) else []
        return cls.of_parameters(params)

    def inputs(self, X: np.ndarray) -> np.ndarray:
        """``X`` in the dtype the model computes in (unchanged for a scalar model)."""
        return X.astype(self.dtype, copy=False) if self.tensors else X

    def forward(self, model: Callable, X: np.ndarray) -> Any:
        """The outputs for a batch: one Tensor, or a list with one output per example for a scalar model."""
        if self.tensors:
            return model(Tensor(self.inputs(X)))
        return [model(row) for row in X.tolist()]


# ---------------------------------------------------------------------- running the model
def outputs_as_array(outputs: Any) -> np.ndarray:
    """A batch's outputs (a Tensor, or a list of Values or of lists of Values) as a NumPy array."""
    if is_tensor(outputs):
        return outputs.data
    return np.array([[v.data for v in out] if isinstance(out, (list, tuple)) else out.data for out in outputs])


def predict(model: Callable, X: Any, batch_size: int | None = None) -> np.ndarray:
    """The model's raw outputs for every row of ``X``, as a NumPy array, computed without a graph.

    The model is put in evaluation mode (Dropout off) while predicting and restored afterwards.
    """
    engine = Engine.of_model(model)
    return predict_with(model, engine, engine.inputs(np.asarray(X)), batch_size)


def predict_with(model: Callable, engine: Engine, X: np.ndarray, batch_size: int | None = None) -> np.ndarray:
    """``predict`` for inputs already in ``engine``'s dtype (``fit`` validates every epoch without the walk)."""
    was_training = getattr(model, "training", None)
    if was_training is not None:
        model.eval()
    try:
        with no_grad():
            size = len(X) if batch_size is None else batch_size
            parts = [outputs_as_array(engine.forward(model, X[i : i + size])) for i in range(0, len(X), size)]
    finally:
        if was_training:
            model.train()
    return np.concatenate(parts)


def loss_and_accuracy(loss_fn: Callable, outputs: np.ndarray, y: np.ndarray) -> tuple[float, float | None]:
    """The loss of ``outputs`` against ``y`` and, when ``y`` holds class labels, the accuracy."""
    with no_grad():
        loss = float(loss_fn(Tensor(outputs), y).item())
    if not looks_like_labels(y):
        return loss, None
    return loss, accuracy(outputs, y, decision_threshold(y, loss_fn))


def evaluate(model: Callable, loss_fn: Callable | str, data: tuple[Any, Any],
             batch_size: int | None = None) -> tuple[float, float | None]:
    """``(loss, accuracy)`` of the model on ``data = (X, y)``; accuracy is None unless y holds class labels."""
    loss_fn = get_loss(loss_fn)
    X, y = as_examples(data, "data")
    return loss_and_accuracy(loss_fn, predict(model, X, batch_size), y)
