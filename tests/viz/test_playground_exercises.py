"""The playground exercises: each check says "solved" for a state that meets its task, and what to try otherwise."""

from __future__ import annotations

import pytest

from viz.playground import Playground
from viz.playground.exercises import (
    check_gaussian_without_hidden_layer,
    check_spiral,
    check_spiral_l2,
    check_spiral_overfits,
    check_xor_with_feature_cross,
    check_xor_with_hidden_layer,
)
from viz.playground.state import FEATURES

ALL = list(FEATURES)
FEW_NOISY = {"data_set": "spiral", "hidden": [8, 8, 8], "noise": 50, "train_ratio": 10, "learning_rate": 0.1,
             "features": ALL}


def trained(epochs: int, **settings) -> Playground:
    return Playground(**settings).step(epochs)


def test_gaussian_without_hidden_layer():
    assert not check_gaussian_without_hidden_layer(Playground())  # circle
    verdict = check_gaussian_without_hidden_layer(Playground(data_set="gauss"))
    assert not verdict and "Remove every hidden layer" in str(verdict)
    assert "Not yet" in str(check_gaussian_without_hidden_layer(Playground(data_set="gauss", hidden=[])))
    verdict = check_gaussian_without_hidden_layer(trained(20, data_set="gauss", hidden=[]))
    assert verdict and str(verdict).startswith("Solved")


def test_xor_with_feature_cross():
    verdict = check_xor_with_feature_cross(trained(30, data_set="xor", hidden=[]))
    assert not verdict and "x₁·x₂" in str(verdict)
    verdict = check_xor_with_feature_cross(trained(30, data_set="xor", hidden=[], features=["x1", "x2", "x1_x2"]))
    assert verdict


def test_xor_with_hidden_layer():
    crossed = Playground(data_set="xor", hidden=[4], features=["x1", "x2", "x1_x2"])
    assert "only x₁ and x₂" in str(check_xor_with_hidden_layer(crossed))
    assert "Add a hidden layer" in str(check_xor_with_hidden_layer(Playground(data_set="xor", hidden=[])))
    assert not check_xor_with_hidden_layer(trained(5, data_set="xor", hidden=[4], learning_rate=0.1))
    assert check_xor_with_hidden_layer(trained(60, data_set="xor", hidden=[4], learning_rate=0.1))


def test_spiral():
    assert not check_spiral(trained(20, data_set="spiral"))
    assert check_spiral(trained(60, data_set="spiral", hidden=[8, 8], activation="relu", learning_rate=0.1,
                                features=ALL))


def test_spiral_overfits():
    plenty = {**FEW_NOISY, "train_ratio": 50}
    assert "few, noisy points" in str(check_spiral_overfits(Playground(**plenty)))
    early = check_spiral_overfits(trained(20, **FEW_NOISY))
    assert not early and "Keep training" in str(early)
    verdict = check_spiral_overfits(trained(150, **FEW_NOISY))
    assert verdict and "Overfitting" in str(verdict)


def test_spiral_l2():
    assert "L2 regularisation" in str(check_spiral_l2(trained(150, **FEW_NOISY)))
    assert not check_spiral_l2(trained(20, **FEW_NOISY, regularization="l2", regularization_rate=0.01))
    too_strong = check_spiral_l2(trained(150, **FEW_NOISY, regularization="l2", regularization_rate=0.03))
    assert not too_strong and "Too strong" in str(too_strong)
    verdict = check_spiral_l2(trained(150, **FEW_NOISY, regularization="l2", regularization_rate=0.01))
    assert verdict and "L2 helps" in str(verdict)


@pytest.mark.parametrize("language, words", [("en", "Solved"), ("es", "Resuelto")])
def test_the_answer_comes_in_the_language_asked(language, words):
    playground = trained(20, data_set="gauss", hidden=[])
    assert str(check_gaussian_without_hidden_layer(playground, language)).startswith(words)


def test_checks_do_not_change_the_playground():
    playground = trained(150, **FEW_NOISY, regularization="l2", regularization_rate=0.01)
    before = (playground.to_json(), playground.epoch, playground.run.test_loss[-1])
    check_spiral_l2(playground)
    assert (playground.to_json(), playground.epoch, playground.run.test_loss[-1]) == before
