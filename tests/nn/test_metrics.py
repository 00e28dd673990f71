"""The one rule from outputs to classes, shared by fit, the estimators, the demo and viz."""

import numpy as np
import pytest

import nn
from nn import accuracy, decision_threshold, looks_like_labels, predicted_classes


@pytest.mark.parametrize(
    "loss,threshold",
    [(nn.binary_cross_entropy, 0.5), (nn.mse_loss, 0.5), (nn.l1_loss, 0.5), (nn.BCELoss(), 0.5),
     (nn.binary_cross_entropy_with_logits, 0.0), (nn.hinge_loss, 0.0), (nn.cross_entropy, 0.0)],
)
def test_the_loss_says_where_one_output_splits_0_1_targets(loss, threshold):
    assert decision_threshold([0, 1, 1], loss) == threshold
    assert decision_threshold([-1, 1, 1], loss) == 0.0, "-1/+1 codes always split at 0"


def test_without_a_loss_outputs_in_0_1_are_probabilities():
    assert decision_threshold([0, 1], outputs=[0.2, 0.9]) == 0.5
    assert decision_threshold([0, 1], outputs=[-2.0, 0.9]) == 0.0
    np.testing.assert_array_equal(predicted_classes([0.2, 0.5, 0.9], [0, 1, 1]), [0, 1, 1])
    np.testing.assert_array_equal(predicted_classes([-0.2, 0.0, 3.0], [0, 1, 1]), [0, 1, 1])
    np.testing.assert_array_equal(predicted_classes([-0.2, 0.0, 3.0], [-1, 1, 1]), [-1, 1, 1])
    np.testing.assert_array_equal(predicted_classes([[0.1, 0.9], [2.0, 1.0]], [1, 0]), [1, 0])


def test_fit_and_the_decision_boundary_picture_count_the_same_points_right():
    """Logits exactly at the threshold are where a second rule (``>`` instead of ``>=``) used to disagree."""
    pytest.importorskip("matplotlib")
    import viz.plots as plots

    X = np.random.default_rng(0).normal(size=(40, 2))
    y = np.array([1] * 30 + [0] * 10)
    model = nn.tensor_mlp(2, [1], seed=0, dtype=np.float64)
    model.layers[0].weight.data[...] = 0.0
    model.layers[0].bias.data[...] = 0.0  # every logit is 0: class 1 everywhere (σ(0) = 0.5)
    _, fit_accuracy = nn.evaluate(model, "bce_with_logits", (X, y))
    assert fit_accuracy == 0.75
    scores = plots.model_scores(model, X)
    assert float(np.mean(plots.predict_classes(scores, y, 0.0) == y)) == fit_accuracy
    probabilities = 1.0 / (1.0 + np.exp(-scores))  # the same model read as probabilities: 0.5 everywhere
    assert float(np.mean(plots.predict_classes(probabilities, y) == y)) == fit_accuracy


def test_accuracy_and_labels():
    assert accuracy([[0.1, 0.9], [0.8, 0.2]], [[0, 1], [1, 0]]) == 1.0
    assert accuracy([0.3, 0.8], [0, 1], threshold=0.9) == 0.5
    assert looks_like_labels([0, 1, 2]) and looks_like_labels([-1.0, 1.0]) and not looks_like_labels([0.5, 1.0])
    with pytest.raises(ValueError, match="3 outputs but 2 targets"):
        accuracy([1, 2, 3], [0, 1])
