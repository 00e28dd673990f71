"""The course's playground exercises: each ``check_*`` looks at a playground as it is now and answers in a sentence.

A check reads the settings (``playground.state``) and what training reached (``playground.run``:
epochs, losses, test accuracy); it never changes the playground. The answer is a ``Verdict``:
true when the task is met, and its ``sentence`` says so or says what to try next, in viz's
language (``viz.set_language``) or the ``language`` given.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..messages import message
from .run import PlaygroundRun
from .widget import Playground

__all__ = [
    "Verdict",
    "check_gaussian_without_hidden_layer",
    "check_spiral",
    "check_spiral_l2",
    "check_spiral_overfits",
    "check_xor_with_feature_cross",
    "check_xor_with_hidden_layer",
]

#: Few noisy points: where a big network overfits the spiral.
FEW_POINTS_RATIO = 30
MUCH_NOISE = 30


@dataclass(frozen=True, repr=False)
class Verdict:
    """Whether an exercise is solved, and the sentence that says so or says what to try next."""

    solved: bool
    sentence: str

    def __bool__(self) -> bool:
        return self.solved

    def __str__(self) -> str:
        return self.sentence

    def __repr__(self) -> str:
        return ("✓ " if self.solved else "→ ") + self.sentence

    def _repr_markdown_(self) -> str:
        return ("✅ " if self.solved else "➡️ ") + self.sentence


def _say(solved: bool, key: str, language: str | None, **fields: object) -> Verdict:
    return Verdict(solved, message(f"check_{key}", language, **fields))


def _percent(share: float, language: str | None) -> str:
    return message("check_percent", language, value=f"{100 * share:.0f}")


def _accuracy_goal(playground: Playground, goal: float, language: str | None) -> Verdict:
    run = playground.run
    accuracy = run.accuracy("test")
    fields = {"accuracy": _percent(accuracy, language), "epochs": run.epoch, "goal": _percent(goal, language)}
    if run.epoch and accuracy >= goal:
        return _say(True, "solved_accuracy", language, **fields)
    return _say(False, "train_more", language, **fields)


def _first(*verdicts: Verdict | None) -> Verdict:
    """The first answer given (a Verdict is false when unsolved, so ``or`` cannot pick it)."""
    return next(verdict for verdict in verdicts if verdict is not None)


def _data_set(playground: Playground, name: str, language: str | None) -> Verdict | None:
    if playground.state.data_set != name:
        return _say(False, "choose_data", language, data=message(f"playground_{name}", language))
    return None


def check_gaussian_without_hidden_layer(playground: Playground, language: str | None = None) -> Verdict:
    """Exercise: separate the two Gaussian clouds with no hidden layer (one neuron: a straight line)."""
    state = playground.state
    return _first(_data_set(playground, "gauss", language),
                  _say(False, "remove_hidden", language) if state.hidden else None,
                  _accuracy_goal(playground, 0.95, language))


def check_xor_with_feature_cross(playground: Playground, language: str | None = None) -> Verdict:
    """Exercise: solve XOR with no hidden layer, by giving the neuron the feature x1·x2."""
    state = playground.state
    return _first(_data_set(playground, "xor", language),
                  _say(False, "need_cross", language) if "x1_x2" not in state.features else None,
                  _say(False, "remove_hidden", language) if state.hidden else None,
                  _accuracy_goal(playground, 0.95, language))


def check_xor_with_hidden_layer(playground: Playground, language: str | None = None) -> Verdict:
    """Exercise: solve XOR from x1 and x2 alone, with a hidden layer finding the cross."""
    state = playground.state
    return _first(_data_set(playground, "xor", language),
                  _say(False, "only_x1_x2", language) if set(state.features) - {"x1", "x2"} else None,
                  _say(False, "need_hidden", language) if not state.hidden else None,
                  _accuracy_goal(playground, 0.9, language))


def check_spiral(playground: Playground, language: str | None = None) -> Verdict:
    """Exercise: classify the spiral (any features, any network) with 90 % of the test points right."""
    return _first(_data_set(playground, "spiral", language), _accuracy_goal(playground, 0.9, language))


def _few_noisy_points(playground: Playground, language: str | None) -> Verdict | None:
    state = playground.state
    if state.train_ratio > FEW_POINTS_RATIO or state.noise < MUCH_NOISE:
        return _say(False, "overfit_setup", language, ratio=state.train_ratio, noise=state.noise,
                    most=FEW_POINTS_RATIO, least=MUCH_NOISE)
    return None


def check_spiral_overfits(playground: Playground, language: str | None = None) -> Verdict:
    """Exercise: make a network overfit the spiral (few noisy points, many neurons) and see the test loss rise."""
    unmet = [_data_set(playground, "spiral", language), _few_noisy_points(playground, language)]
    if any(verdict is not None for verdict in unmet):
        return _first(*unmet)
    run = playground.run
    train, test, best = run.train_loss[-1], run.test_loss[-1], min(run.test_loss)
    fields = {"train": f"{train:.3f}", "test": f"{test:.3f}", "best": f"{best:.3f}", "epochs": run.epoch}
    if test - train >= 0.3 and test >= best + 0.1:
        return _say(True, "overfit_solved", language, **fields)
    return _say(False, "overfit_train_more", language, **fields)


def check_spiral_l2(playground: Playground, language: str | None = None) -> Verdict:
    """Exercise: with the overfitting settings, L2 regularisation lowers the test loss.

    The check trains the same network without regularisation for as many epochs (a few
    seconds) and compares the two test losses.
    """
    unmet = [_data_set(playground, "spiral", language), _few_noisy_points(playground, language)]
    if any(verdict is not None for verdict in unmet):
        return _first(*unmet)
    state, run = playground.state, playground.run
    if state.regularization != "l2" or state.regularization_rate < 0.003:
        return _say(False, "l2_setup", language)
    if run.epoch < 100:
        return _say(False, "l2_train_more", language, epochs=run.epoch)
    plain = PlaygroundRun(state.replace(regularization="none"))
    plain.step(run.epoch)
    fields = {"test": f"{run.test_loss[-1]:.3f}", "plain": f"{plain.test_loss[-1]:.3f}", "epochs": run.epoch}
    accuracy, plain_accuracy = run.accuracy("test"), plain.accuracy("test")
    if accuracy < plain_accuracy:  # a lower loss by predicting ½ everywhere is no fix
        return _say(False, "l2_too_strong", language, accuracy=_percent(accuracy, language),
                    plain=_percent(plain_accuracy, language))
    if run.test_loss[-1] <= 0.85 * plain.test_loss[-1]:
        return _say(True, "l2_solved", language, **fields)
    return _say(False, "l2_not_enough", language, **fields)
