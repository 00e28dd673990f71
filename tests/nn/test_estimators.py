"""MLPClassifier / MLPRegressor: scikit-learn's interface on the tensor engine, side by side with scikit-learn."""

import warnings

import numpy as np
import pytest

from nn.data import StandardScaler, load_digits, make_moons, make_multi_gaussian, make_plane, train_test_split
from nn.estimators import MLPClassifier, MLPRegressor
from nn.train import History


def digits_split(seed):
    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, seed=seed, stratify=y)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def test_digits_accuracy_matches_scikit_learn_with_the_same_settings():
    """64-64-10, ReLU, Adam (lr 1e-3), batch 200, alpha 1e-4, 50 epochs, on three stratified splits.

    The algorithm is scikit-learn's, but the random weights and batch orders differ, and single
    runs then differ by a few test digits either way (over 30 splits the means were 96.6% and
    96.8%, the paired differences ±1 point). So this checks the mean within one point and each
    split within three.
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
    from threadpoolctl import threadpool_limits

    ours, theirs = [], []
    with threadpool_limits(1, user_api="blas"):  # both on one thread: small products, a busy machine
        for seed in range(3):
            X_train, X_test, y_train, y_test = digits_split(seed)
            settings = {"hidden_layer_sizes": (64,), "max_iter": 50, "random_state": seed}
            ours.append(MLPClassifier(**settings).fit(X_train, y_train).score(X_test, y_test))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)  # 50 epochs on purpose
                theirs.append(SklearnMLPClassifier(**settings).fit(X_train, y_train).score(X_test, y_test))
    assert np.mean(ours) >= np.mean(theirs) - 0.01
    assert min(ours) > 0.95
    assert all(a >= b - 0.03 for a, b in zip(ours, theirs))


def _linear_layers(estimator):
    from nn.layers import Linear

    return [layer for layer in estimator.model_.modules() if isinstance(layer, Linear)]


@pytest.mark.parametrize(
    "kind, solver, activation",
    [("ten classes", "adam", "relu"), ("two classes", "adam", "logistic"), ("ten classes", "sgd", "tanh"),
     ("regression", "adam", "tanh")],
)
def test_training_takes_scikit_learns_steps_from_the_same_weights(kind, solver, activation):
    """The same starting weights, no shuffling: after 4 epochs both have the same weights (float64).

    250 examples in batches of 64, so every epoch ends with a smaller batch of 58 (its L2 term is
    divided by 58, as scikit-learn does). Each side is first fitted for one epoch to build its
    network; scikit-learn's is then given our weights and both continue with ``warm_start``.
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
    from sklearn.neural_network import MLPRegressor as SklearnMLPRegressor

    X, y = load_digits()
    X, y = X[:250] / 16.0, y[:250]
    if kind == "two classes":
        y = y % 2
    ours_class, theirs_class = (MLPRegressor, SklearnMLPRegressor) if kind == "regression" else (
        MLPClassifier, SklearnMLPClassifier)
    if kind == "regression":
        y = y / 9.0
    settings = {"hidden_layer_sizes": (16,), "activation": activation, "solver": solver, "alpha": 1e-2,
                "batch_size": 64, "learning_rate_init": 0.01, "shuffle": False, "max_iter": 1, "random_state": 0}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = ours_class(dtype=np.float64, **settings).fit(X, y)
        theirs = theirs_class(**settings).fit(X, y)
        layers = _linear_layers(ours)
        theirs.coefs_ = [layer.weight.data.T.copy() for layer in layers]
        theirs.intercepts_ = [layer.bias.data.copy() for layer in layers]
        for model in (ours, theirs):
            model.set_params(warm_start=True, max_iter=4).fit(X, y)
    for layer, coef, intercept in zip(layers, theirs.coefs_, theirs.intercepts_, strict=True):
        np.testing.assert_allclose(layer.weight.data.T, coef, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(layer.bias.data, intercept, rtol=1e-9, atol=1e-12)
    assert ours.n_iter_ == theirs.n_iter_ == 4 and len(ours.loss_curve_) == 5


def test_initial_weights_and_biases_are_drawn_as_scikit_learn_draws_them():
    """Weights and biases uniform in ±√(6/(fan_in+fan_out)), ±√(2/(...)) for logistic; biases not all 0."""
    X, y = make_moons(50, noise=0.1, seed=0)
    for activation, factor in (("relu", 6.0), ("logistic", 2.0)):
        layers = _linear_layers(MLPClassifier((300,), activation=activation, max_iter=1, learning_rate_init=1e-9,
                                              random_state=0).fit(X, y))
        for layer in layers:
            fan_out, fan_in = layer.weight.shape
            bound = np.sqrt(factor / (fan_in + fan_out))
            for values in (layer.weight.data, layer.bias.data):
                assert np.abs(values).max() <= bound * 1.0001
                if values.size >= 300:  # enough draws to come near both ends
                    assert values.max() > 0.9 * bound and values.min() < -0.9 * bound


def test_warm_start_refuses_a_network_of_another_shape():
    X, y = make_moons(50, noise=0.1, seed=0)
    clf = MLPClassifier((8,), max_iter=2, warm_start=True, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="warm_start"):
        clf.set_params(hidden_layer_sizes=(4,)).fit(X, y)


def test_classifier_interface_on_digits():
    X_train, X_test, y_train, y_test = digits_split(0)
    clf = MLPClassifier(hidden_layer_sizes=(32,), max_iter=20, random_state=0).fit(X_train, y_train)
    assert clf.n_iter_ == 20 and len(clf.loss_curve_) == 20 and clf.loss_ == clf.loss_curve_[-1]
    assert isinstance(clf.history_, History) and list(clf.history_.grad_norms) == ["layers.0", "layers.2"]
    assert clf.loss_curve_[-1] < clf.loss_curve_[0]
    assert list(clf.classes_) == list(range(10)) and clf.n_features_in_ == 64
    proba = clf.predict_proba(X_test)
    assert proba.shape == (len(X_test), 10)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    predicted = clf.predict(X_test)
    np.testing.assert_array_equal(predicted, proba.argmax(axis=1))
    assert clf.score(X_test, y_test) == pytest.approx(np.mean(predicted == y_test))


def test_binary_classifier_with_string_labels_and_solvers():
    X, y = make_moons(200, noise=0.1, seed=0)
    names = np.array(["circle", "square"])[y]
    for solver, settings in (
        ("adam", {"learning_rate_init": 0.01, "max_iter": 200}),
        ("sgd", {"learning_rate_init": 0.1, "max_iter": 200}),
        ("lbfgs", {"max_iter": 200}),
    ):
        clf = MLPClassifier((16, 16), activation="tanh", solver=solver, batch_size=32, random_state=0, **settings)
        clf.fit(X, names)
        assert list(clf.classes_) == ["circle", "square"]
        assert clf.score(X, names) > 0.97, solver
        proba = clf.predict_proba(X)
        assert proba.shape == (200, 2)
        np.testing.assert_array_equal(clf.predict(X), clf.classes_[(proba[:, 1] > 0.5).astype(int)])


def test_training_stops_when_the_loss_stops_improving():
    """scikit-learn's rule: stop once the loss has failed to beat its best by tol for more than n epochs running."""
    X, y = make_moons(100, noise=0.1, seed=0)
    clf = MLPClassifier((8,), learning_rate_init=0.05, tol=1e-2, n_iter_no_change=3, max_iter=500, random_state=0)
    clf.fit(X, y)
    assert clf.n_iter_ < 500
    best, waited, stopped_at = float("inf"), 0, None
    for epoch, loss in enumerate(clf.loss_curve_, start=1):
        waited = waited + 1 if loss > best - 1e-2 else 0
        best = min(best, loss)
        if waited > 3:  # scikit-learn: _no_improvement_count > n_iter_no_change
            stopped_at = epoch
            break
    assert stopped_at == clf.n_iter_


def test_early_stopping_holds_out_validation_data():
    X, y = make_moons(300, noise=0.3, seed=0)
    clf = MLPClassifier((64, 64), learning_rate_init=0.01, early_stopping=True, validation_fraction=0.2,
                        n_iter_no_change=5, max_iter=300, random_state=0).fit(X, y)
    history = clf.history_
    assert history.stopped_early and len(history.val_loss) == clf.n_iter_ < 300
    assert len(history.step_loss) == clf.n_iter_ * 2  # 240 training examples in batches of 200


def test_regressor_fits_planes_and_bumps():
    X, y = make_plane(300, seed=0)
    # The plane is linear: a network with identity activations (a linear model) fits it exactly.
    reg = MLPRegressor((4,), activation="identity", learning_rate_init=0.01, max_iter=200, random_state=0)
    reg.fit(X, y)
    assert reg.predict(X).shape == (300,)
    assert reg.score(X, y) > 0.999
    X, y = make_multi_gaussian(400, seed=0)
    targets = np.column_stack([y, -2 * y])
    reg = MLPRegressor((32, 32), activation="tanh", learning_rate_init=0.01, batch_size=32, max_iter=200,
                       random_state=0)
    reg.fit(X, targets)
    assert reg.predict(X).shape == (400, 2)
    assert reg.score(X, targets) > 0.8


def test_scores_equal_scikit_learn_metrics():
    from sklearn.metrics import accuracy_score, r2_score

    X, y = make_plane(100, noise=0.3, seed=1)
    reg = MLPRegressor((4,), max_iter=30, random_state=0).fit(X, y)
    assert reg.score(X, y) == pytest.approx(r2_score(y, reg.predict(X)), rel=1e-12)
    X, y = make_moons(100, noise=0.2, seed=1)
    clf = MLPClassifier((4,), max_iter=30, random_state=0).fit(X, y)
    assert clf.score(X, y) == pytest.approx(accuracy_score(y, clf.predict(X)))


def test_same_random_state_same_model():
    X, y = make_moons(100, noise=0.2, seed=0)
    first = MLPClassifier((8,), max_iter=20, random_state=3).fit(X, y)
    second = MLPClassifier((8,), max_iter=20, random_state=3).fit(X, y)
    other = MLPClassifier((8,), max_iter=20, random_state=4).fit(X, y)
    np.testing.assert_array_equal(first.predict_proba(X), second.predict_proba(X))
    assert not np.array_equal(first.predict_proba(X), other.predict_proba(X))


def test_parameters_protocol():
    """get_params/set_params as scikit-learn defines them, so a fresh copy can be made from the settings."""
    clf = MLPClassifier((8,), max_iter=30, learning_rate_init=0.02, random_state=0)
    copy = type(clf)(**clf.get_params())
    assert copy.get_params() == clf.get_params() and not hasattr(copy, "model_")
    assert set(clf.get_params()) >= {"hidden_layer_sizes", "activation", "solver", "alpha", "batch_size",
                                      "learning_rate_init", "max_iter", "random_state", "early_stopping"}
    assert clf.set_params(max_iter=5) is clf and clf.max_iter == 5
    with pytest.raises(ValueError, match="no parameter 'epochs'"):
        clf.set_params(epochs=5)
    assert "max_iter=5" in repr(clf) and "activation" not in repr(clf)


@pytest.mark.parametrize(
    "settings,match",
    [
        ({"hidden_layer_sizes": (0,)}, "hidden_layer_sizes"),
        ({"activation": "softplus"}, "activation"),
        ({"solver": "rmsprop"}, "solver"),
        ({"alpha": -1.0}, "alpha"),
        ({"learning_rate_init": 0.0}, "learning_rate_init"),
        ({"max_iter": 0}, "max_iter"),
        ({"batch_size": 0}, "batch_size"),
        ({"validation_fraction": 1.0}, "validation_fraction"),
    ],
)
def test_bad_settings_are_named(settings, match):
    X, y = make_moons(20, seed=0)
    with pytest.raises(ValueError, match=match):
        MLPClassifier(**settings).fit(X, y)


def test_bad_data():
    X, y = make_moons(20, seed=0)
    clf = MLPClassifier((4,), max_iter=2)
    with pytest.raises(RuntimeError, match="not fitted"):
        clf.predict(X)
    with pytest.raises(ValueError, match="2 classes"):
        clf.fit(X, np.zeros(20))
    with pytest.raises(ValueError, match="one label per example"):
        clf.fit(X, y[:10])
    with pytest.raises(ValueError, match="NaN"):
        clf.fit(np.full((20, 2), np.nan), y)
    with pytest.raises(ValueError, match="2-D"):
        clf.fit(X[:, 0], y)
    clf.fit(X, y)
    with pytest.raises(ValueError, match=r"shape \(20, 3\).*2 features"):
        clf.predict(np.zeros((20, 3)))
    with pytest.raises(ValueError, match="NaN"):
        MLPRegressor(max_iter=2).fit(X, np.full(20, np.inf))
