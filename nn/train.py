"""Training: ``fit`` runs the loop of the course (forward, loss, backward, step) and records what happened.

::

    history = fit(model, "cross_entropy", Adam(model.parameters(), lr=0.01), data=(X, y),
                  epochs=50, batch_size=32, validation=(X_val, y_val))
    plt.plot(history.train_loss); plt.plot(history.val_loss)

``fit`` is a short loop over named steps: ``train_epoch`` (one ``train_step`` per mini-batch),
``validate``, the scheduler, then the callbacks, which may stop training (``EarlyStopping``).
One loop serves both engines (see ``nn.evaluation``): a tensor model gets each mini-batch as
one ``Tensor``, a scalar model (``nn.MLP``) one example at a time.

What is recorded (``History``): per epoch the training and validation loss and accuracy and the
learning rate; per step the loss and the L2 norm of each layer's gradient (before clipping):
the numbers that show vanishing and exploding gradients. A NaN or infinite loss or gradient
stops training with ``TrainingDiverged``, naming the epoch, the step and the layer; a finite
loss that grows a thousandfold is reported too (``nn.divergence``).
"""

from __future__ import annotations

import math
import numbers
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .blas_threads import limit_blas_threads
from .callbacks import Callback, EarlyStopping, as_callbacks
from .collector import collector_paused
from .data.preprocessing import DataLoader
from .divergence import DivergenceWatch, check_finite_step
from .evaluation import Engine, as_examples, check_finite, loss_and_accuracy, outputs_as_array, predict_with
from .history import History
from .losses import get_loss
from .metrics import accuracy, decision_threshold, looks_like_labels
from .optim import LBFGS, Optimizer
from .progress import Progress
from .regularization import add_penalty_gradients, clip_grad_norm_, grad_norms, parameter_groups, weight_parameters

__all__ = ["fit"]


def fit(
    model: Any,
    loss_fn: Callable | str,
    optimizer: Optimizer,
    data: tuple[Any, Any] | DataLoader,
    epochs: int = 10,
    batch_size: int | None = 32,
    validation: tuple[Any, Any] | None = None,
    scheduler: Any = None,
    clip_grad_norm: float | None = None,
    l1: float = 0.0,
    l2: float = 0.0,
    penalty_per_example: bool = False,
    early_stopping: int | None = None,
    min_delta: float = 0.0,
    restore_best_weights: bool = True,
    shuffle: bool = True,
    seed: Any = None,
    progress: bool = True,
    track_grad_norms: bool = True,
    callback: Callback | Callable[[int, History], bool | None] | list | None = None,
    blas_threads: int | None = None,
    on_divergence: str = "warn",
    pause_collector: bool = True,
) -> History:
    """Train ``model`` and return the ``History`` of the run.

    Each step: clear the gradients, run the model on a mini-batch, compute ``loss_fn(outputs,
    targets)`` (a function from ``nn.losses`` or its name: ``"mse"``, ``"cross_entropy"``,
    ``"bce_with_logits"``, ...) plus the optional penalties ``l1·Σ|w|`` and ``l2·Σw²`` on the
    weights (not the biases), backpropagate, record each layer's gradient norm, clip the
    gradients to ``clip_grad_norm`` if given, and let ``optimizer`` step.

    ``penalty_per_example`` divides ``l1`` and ``l2`` by the number of examples in each batch
    (scikit-learn's convention: its ``alpha/2·Σw²`` is divided by the batch size, the last,
    smaller batch included).

    ``data`` is ``(X, y)`` (X: examples × features) or a ``DataLoader``. ``batch_size=None``
    uses the whole set per step (full batch, as ``LBFGS`` always does). Mini-batches are drawn
    in a new order every epoch from ``seed``. After each epoch: the model is evaluated on
    ``validation`` (if given), ``scheduler.step()`` is called, and the callbacks run:
    ``callback`` is a ``Callback``, a function ``f(epoch, history)`` (returning True stops
    training) or a list of them. ``early_stopping=patience`` adds ``EarlyStopping``: stop after
    ``patience`` epochs without the validation loss improving by more than ``min_delta``, then
    (``restore_best_weights``) put back the weights of the best epoch. ``progress`` shows a
    tqdm bar (printed lines without tqdm). ``blas_threads`` caps the threads of NumPy's matrix
    products while training (1 is fastest for small networks; None leaves NumPy's setting).

    Losses recorded are the data loss, without the penalties, so the training and validation
    curves compare like with like.

    A NaN or infinite loss or gradient raises ``TrainingDiverged``. A loss that stays finite
    but grows to ``DIVERGENCE_FACTOR`` (1000) times the first step's is reported by
    ``on_divergence``: ``"warn"`` (a ``TrainingDivergenceWarning``, once), ``"raise"``
    (``TrainingDiverged``) or ``"ignore"``; either names the epoch, the step and the layer
    whose gradient grew most.

    ``pause_collector`` pauses Python's cyclic garbage collector during each step and switches
    it back on between steps, where it collects whatever cycles a step left. A scalar model's
    step builds a graph of tens of thousands of objects that holds no reference cycles and is
    freed as soon as the step is over, so the collector's walks over it free nothing. The
    scalar modules already pause it while they build their part (``nn.collector``); pausing the
    whole step covers the loss and backward too: a 2-16-16-1 ``nn.MLP`` then trains in 0.88× the
    time node for node (``fused=False``) and 0.97× with fused neurons. A tensor step makes too
    few objects to notice either way.
    """
    if not isinstance(pause_collector, bool):
        raise TypeError(f"pause_collector must be True or False, got {pause_collector!r}")
    run = Run.prepare(model, loss_fn, optimizer, data, batch_size, validation, clip_grad_norm, l1, l2,
                      penalty_per_example, shuffle, seed, track_grad_norms, on_divergence)
    run.pause_collector = pause_collector
    _check_positive_int("epochs", epochs)
    _check_positive_int("blas_threads", blas_threads, allow_none=True)
    callbacks = _callbacks(callback, early_stopping, min_delta, restore_best_weights, validation)
    history = run.new_history()
    for each in callbacks:
        each.on_train_begin(model, history)
    with Progress(epochs, progress) as bar, limit_blas_threads(blas_threads):
        for epoch in range(1, epochs + 1):
            summary = train_epoch(run, epoch, history)
            if run.validation is not None:
                summary.update(validate(run, epoch, history))
            if scheduler is not None:
                scheduler.step()
            bar.update(epoch, summary)
            if _any_stops(callbacks, epoch, history, model):
                break
    for each in callbacks:
        each.on_train_end(model, history)
    return history


# ---------------------------------------------------------------------- the steps
def train_epoch(run: Run, epoch: int, history: History) -> dict[str, float]:
    """One pass over the training data, one ``train_step`` per mini-batch; returns the epoch's numbers."""
    if hasattr(run.model, "train"):
        run.model.train()
    loss_sum = correct = 0.0
    seen = 0
    for step, (xb, yb) in enumerate(run.loader, start=1):
        with collector_paused(run.pause_collector):  # a collector the user switched off stays off
            loss, outputs = train_step(run, xb, yb, epoch, step, history)
        # A mean over the batch counts once per example; a sum already adds the examples up.
        loss_sum += loss if run.summed_loss else loss * len(yb)
        seen += len(yb)
        if run.labels:
            correct += _batch_accuracy(run, outputs, yb) * len(yb)
    history.train_loss.append(loss_sum if run.summed_loss else loss_sum / seen)
    if run.labels:
        history.train_accuracy.append(correct / seen)
    history.lr.append(run.optimizer.lr)
    return {"loss": history.train_loss[-1]}


def train_step(run: Run, xb: np.ndarray, yb: np.ndarray, epoch: int, step: int, history: History) -> tuple[float, Any]:
    """One mini-batch: the loss and its gradients, checked and recorded, then the optimiser's move.

    Returns the step's data loss and the model's outputs. ``LBFGS`` evaluates the loss several
    times in one step; what is recorded is its first evaluation.
    """
    first: dict[str, Any] = {}

    def closure() -> float:
        return loss_and_gradients(run, xb, yb, first)

    if run.full_batch:
        run.optimizer.step(closure)
    else:
        closure()
    loss, norms = first["loss"], first["norms"]
    check_finite_step(epoch, step, loss, norms, run.groups, history)
    run.divergence.check(epoch, step, loss, norms, history, stacklevel=4)  # blames the line that called fit
    if run.track_grad_norms:
        for name, value in norms.items():
            history.grad_norms[name].append(value)
    if not run.full_batch:
        if run.clip_grad_norm is not None:
            clip_grad_norm_(run.params, run.clip_grad_norm)
        run.optimizer.step()
    history.step_loss.append(loss)
    return loss, first["outputs"]


def loss_and_gradients(run: Run, xb: np.ndarray, yb: np.ndarray, first: dict[str, Any]) -> float:
    """Clear the grads, forward, backward, add the penalties' gradients; return the penalised loss.

    The first call of a step also leaves its loss, outputs and gradient norms in ``first``.
    """
    run.optimizer.zero_grad()
    outputs = run.engine.forward(run.model, xb)
    loss = run.loss_fn(outputs, yb)
    loss.backward()
    value = float(loss.item())
    penalty = 0.0
    if run.l1 or run.l2:
        scale = 1.0 / len(yb) if run.penalty_per_example else 1.0
        penalty = add_penalty_gradients(run.penalised, run.l1 * scale, run.l2 * scale)
    if "loss" not in first:
        first.update(loss=value, outputs=outputs, norms=grad_norms(run.model, run.groups))
    return value + penalty


def validate(run: Run, epoch: int, history: History) -> dict[str, float]:
    """The loss and accuracy on the validation data after an epoch (what ``evaluate`` gives), recorded."""
    X_val, y_val = run.validation
    loss, val_accuracy = loss_and_accuracy(run.loss_fn, predict_with(run.model, run.validation_engine, X_val), y_val)
    if not history.val_loss or loss < min(history.val_loss):
        history.best_epoch = epoch
    history.val_loss.append(loss)
    if val_accuracy is None:
        return {"val_loss": loss}
    history.val_accuracy.append(val_accuracy)
    return {"val_loss": loss, "val_acc": val_accuracy}


def _batch_accuracy(run: Run, outputs: Any, targets: np.ndarray) -> float:
    """``accuracy`` of one training batch; integer labels against several outputs take a shorter path."""
    out = outputs_as_array(outputs)
    if out.ndim == 2 and out.shape[1] > 1 and targets.ndim == 1 and targets.dtype.kind in "iu":
        return np.count_nonzero(out.argmax(axis=1) == targets) / len(targets)  # the number accuracy() gives
    return accuracy(out, targets, run.threshold)


def _any_stops(callbacks: list[Callback], epoch: int, history: History, model: Any) -> bool:
    """Ask the callbacks in turn; the first that says stop ends training (the others are not asked)."""
    return any(each.on_epoch_end(epoch, history, model) for each in callbacks)


# ---------------------------------------------------------------------- what a run works with
@dataclass
class Run:
    """Everything ``fit`` works out once before the first epoch, checked."""

    model: Any
    loss_fn: Callable
    optimizer: Optimizer
    loader: DataLoader
    engine: Engine
    params: list
    groups: OrderedDict[str, list]
    penalised: list
    l1: float
    l2: float
    penalty_per_example: bool
    clip_grad_norm: float | None
    full_batch: bool
    summed_loss: bool
    labels: bool
    threshold: float
    track_grad_norms: bool
    divergence: DivergenceWatch
    validation: tuple[np.ndarray, np.ndarray] | None
    validation_engine: Engine
    pause_collector: bool = True  # the cyclic garbage collector is paused during each step

    @classmethod
    def prepare(cls, model: Any, loss_fn: Callable | str, optimizer: Optimizer, data: Any, batch_size: int | None,
                validation: Any, clip_grad_norm: float | None, l1: float, l2: float, penalty_per_example: bool,
                shuffle: bool, seed: Any, track_grad_norms: bool, on_divergence: str) -> Run:
        """Check ``fit``'s arguments and work out the loader, the engine and the layer groups."""
        loss_fn = get_loss(loss_fn)
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"optimizer must be an nn.optim optimiser, got {type(optimizer).__name__}")
        _check_positive_int("batch_size", batch_size, allow_none=True)
        for name, value in (("l1", l1), ("l2", l2)):
            if not isinstance(value, numbers.Real) or not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
        if clip_grad_norm is not None and not (isinstance(clip_grad_norm, numbers.Real) and clip_grad_norm > 0):
            raise ValueError(f"clip_grad_norm must be a positive number or None, got {clip_grad_norm!r}")
        divergence = DivergenceWatch(on_divergence)

        params = list(optimizer.params)
        _check_optimizer_belongs_to(model, params)
        engine = Engine.of_parameters(params)
        full_batch = isinstance(optimizer, LBFGS)
        if isinstance(data, DataLoader):
            loader = data
            check_finite(np.asarray(loader.X), "data", "X")
        else:
            X, y = as_examples(data, "data")
            size = len(X) if (batch_size is None or full_batch) else batch_size
            loader = DataLoader(engine.inputs(X), y, batch_size=size, shuffle=shuffle and not full_batch, seed=seed)
        if loader.y is None:
            raise ValueError("fit needs targets: data must be (X, y) or a DataLoader with y")
        validation_engine = Engine.of_model(model)  # what evaluate() would work out every epoch, worked out once
        if validation is not None:
            X_val, y_val = as_examples(validation, "validation")
            validation = (validation_engine.inputs(engine.inputs(X_val)), y_val)
        has_modules = callable(getattr(model, "named_modules", None))
        y_all = np.asarray(loader.y)
        return cls(
            model=model, loss_fn=loss_fn, optimizer=optimizer, loader=loader, engine=engine, params=params,
            groups=parameter_groups(model) if has_modules else parameter_groups(params),
            penalised=weight_parameters(model) if has_modules else params,
            l1=l1, l2=l2, penalty_per_example=penalty_per_example, clip_grad_norm=clip_grad_norm,
            full_batch=full_batch, summed_loss=getattr(loss_fn, "reduction", "mean") == "sum",
            labels=looks_like_labels(y_all), threshold=decision_threshold(y_all, loss_fn),
            track_grad_norms=track_grad_norms, divergence=divergence,
            validation=validation, validation_engine=validation_engine,
        )

    def new_history(self) -> History:
        """An empty ``History``, with a list of gradient norms ready for each layer when they are tracked."""
        history = History()
        if self.track_grad_norms:
            history.grad_norms = OrderedDict((name, []) for name in self.groups)
        return history


def _callbacks(callback: Any, early_stopping: int | None, min_delta: float, restore_best_weights: bool,
               validation: Any) -> list[Callback]:
    """The user's callbacks, then ``EarlyStopping`` if ``early_stopping`` asks for it."""
    callbacks = as_callbacks(callback)
    _check_positive_int("early_stopping", early_stopping, allow_none=True)
    if early_stopping is not None:
        if validation is None:
            raise ValueError("early_stopping watches the validation loss: pass validation=(X_val, y_val)")
        callbacks.append(EarlyStopping(early_stopping, min_delta, "val_loss", restore_best_weights))
    return callbacks


def _check_optimizer_belongs_to(model: Any, params: list) -> None:
    """Refuse an optimiser over parameters the model does not have: it would train nothing."""
    if not callable(getattr(model, "parameters", None)):
        return  # a plain function: nothing to compare with
    own = {id(p) for p in model.parameters()}
    foreign = [i for i, p in enumerate(params) if id(p) not in own]
    if foreign:
        raise ValueError(
            f"the optimizer holds {len(foreign)} of its {len(params)} parameters that are not this model's "
            f"(parameter {foreign[0]} first), so training would not change the model: "
            "build it from this model, e.g. Adam(model.parameters())"
        )


def _check_positive_int(name: str, value: Any, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
