"""EarlyStopping's two rules on hand-made loss sequences, and callbacks as fit calls them."""

import numpy as np
import pytest

import nn
from nn import Callback, EarlyStopping, History, fit
from nn.data import make_moons


def _stopping_epoch(stopper, losses, monitor="val_loss"):
    history = History()
    stopper.on_train_begin(None, history)
    for epoch, loss in enumerate(losses, start=1):
        getattr(history, monitor).append(loss)
        if stopper.on_epoch_end(epoch, history, None):
            return epoch
    return None


def _scikit_learn_stopping_epoch(losses, tol, n_iter_no_change):
    """MLPClassifier's own bookkeeping (``_update_no_improvement_count`` without early_stopping), transcribed."""
    best, count = np.inf, 0
    for epoch, loss in enumerate(losses, start=1):
        if loss > best - tol:
            count += 1
        else:
            count = 0
        best = min(best, loss)
        if count > n_iter_no_change:
            return epoch
    return None


SLOW_DECREASE = [1.0 - 6e-5 * i for i in range(10)]  # each epoch 6e-5 better: less than min_delta = 1e-4


def test_keras_rule_moves_the_best_only_on_an_improvement():
    # Every second epoch is more than min_delta below the best, which stays put in between: never stops.
    assert _stopping_epoch(EarlyStopping(2, min_delta=1e-4), SLOW_DECREASE) is None
    # scikit-learn's best follows every epoch down, so no epoch is min_delta below it.
    scikit_learn = EarlyStopping(2, min_delta=1e-4, monitor="train_loss", rule="scikit-learn")
    assert _stopping_epoch(scikit_learn, SLOW_DECREASE, "train_loss") == 4
    assert _stopping_epoch(EarlyStopping(2), [1.0, 0.5, 0.6, 0.7]) == 4
    assert _stopping_epoch(EarlyStopping(2), [1.0, 0.5, 0.6, 0.4, 0.45, 0.5]) == 6


@pytest.mark.parametrize("losses", [SLOW_DECREASE, [1.0, 0.5, 0.6, 0.7, 0.2, 0.3, 0.3, 0.3],
                                    [3.0, 2.0, 2.0, 1.99995, 1.0, 1.0, 1.0, 1.0]])
@pytest.mark.parametrize("patience", [1, 2])
def test_scikit_learn_rule_stops_where_scikit_learn_does(losses, patience):
    stopper = EarlyStopping(patience, min_delta=1e-4, monitor="train_loss", rule="scikit-learn",
                            restore_best_weights=False)
    assert _stopping_epoch(stopper, losses, "train_loss") == _scikit_learn_stopping_epoch(losses, 1e-4, patience)


def test_early_stopping_checks_its_settings_and_what_it_watches():
    with pytest.raises(ValueError, match="rule"):
        EarlyStopping(2, rule="pytorch")
    with pytest.raises(ValueError, match="monitor"):
        EarlyStopping(2, monitor="accuracy")
    X, y = make_moons(20, seed=0)
    model = nn.tensor_mlp(2, [1], seed=0)
    with pytest.raises(ValueError, match="EarlyStopping watches val_loss"):
        fit(model, "bce_with_logits", nn.SGD(model.parameters(), lr=0.1), (X, y), epochs=2, progress=False,
            callback=EarlyStopping(1))


def test_fit_calls_every_hook_of_its_callbacks_in_order():
    calls = []

    class Recorder(Callback):
        def on_train_begin(self, model, history):
            calls.append("begin")

        def on_epoch_end(self, epoch, history, model):
            calls.append((epoch, len(history.train_loss)))
            return epoch == 3

        def on_train_end(self, model, history):
            calls.append("end")

    X, y = make_moons(20, seed=0)
    model = nn.tensor_mlp(2, [1], seed=0)
    history = fit(model, "bce_with_logits", nn.SGD(model.parameters(), lr=0.1), (X, y), epochs=10, progress=False,
                  callback=[Recorder(), lambda epoch, history: calls.append("function")])
    assert calls == ["begin", (1, 1), "function", (2, 2), "function", (3, 3), "end"]
    assert history.epochs == 3 and not history.stopped_early, "a callback's stop is not early stopping"
    with pytest.raises(TypeError, match="callback must be a Callback or a function"):
        fit(model, "mse", nn.SGD(model.parameters(), lr=0.1), (X, y), callback=3, progress=False)
