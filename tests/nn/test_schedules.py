"""Learning-rate schedules: the sequence of learning rates equals torch.optim.lr_scheduler's."""

import math

import pytest

from autograd import Value
from nn.optim import SGD, Adam
from nn.schedules import (
    CosineAnnealingLR,
    ExponentialLR,
    LambdaLR,
    LinearWarmup,
    MultiStepLR,
    SequentialLR,
    StepLR,
    warmup_cosine,
)

BASE_LR = 0.3
STEPS = 40


def ours_sequence(make):
    optimizer = SGD([Value(1.0)], lr=BASE_LR)
    scheduler = make(optimizer)
    lrs = [optimizer.lr]
    for _ in range(STEPS):
        optimizer.step()
        scheduler.step()
        lrs.append(optimizer.lr)
    return lrs, scheduler


def torch_sequence(torch, make):
    parameter = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([parameter], lr=BASE_LR)
    scheduler = make(optimizer)
    lrs = [optimizer.param_groups[0]["lr"]]
    for _ in range(STEPS):
        parameter.grad = torch.zeros(1)
        optimizer.step()
        scheduler.step()
        lrs.append(optimizer.param_groups[0]["lr"])
    return lrs


CASES = {
    "step": (lambda o: StepLR(o, step_size=7, gamma=0.5), lambda t, o: t.optim.lr_scheduler.StepLR(o, 7, gamma=0.5)),
    "multistep": (
        lambda o: MultiStepLR(o, milestones=[3, 10, 25], gamma=0.2),
        lambda t, o: t.optim.lr_scheduler.MultiStepLR(o, milestones=[3, 10, 25], gamma=0.2),
    ),
    "exponential": (lambda o: ExponentialLR(o, 0.9), lambda t, o: t.optim.lr_scheduler.ExponentialLR(o, 0.9)),
    "cosine": (
        lambda o: CosineAnnealingLR(o, T_max=15, eta_min=0.01),
        lambda t, o: t.optim.lr_scheduler.CosineAnnealingLR(o, T_max=15, eta_min=0.01),
    ),
    "cosine-to-zero": (
        lambda o: CosineAnnealingLR(o, T_max=40),
        lambda t, o: t.optim.lr_scheduler.CosineAnnealingLR(o, T_max=40),
    ),
    "warmup": (
        lambda o: LinearWarmup(o, warmup_steps=8, start_factor=0.25),
        lambda t, o: t.optim.lr_scheduler.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=8),
    ),
    "lambda": (
        lambda o: LambdaLR(o, lambda step: 1.0 / (1.0 + step)),
        lambda t, o: t.optim.lr_scheduler.LambdaLR(o, lambda step: 1.0 / (1.0 + step)),
    ),
    "warmup-then-cosine": (
        lambda o: warmup_cosine(o, warmup_steps=5, total_steps=30, start_factor=0.1),
        lambda t, o: t.optim.lr_scheduler.SequentialLR(
            o,
            [
                t.optim.lr_scheduler.LinearLR(o, start_factor=0.1, total_iters=5),
                t.optim.lr_scheduler.CosineAnnealingLR(o, T_max=25),
            ],
            milestones=[5],
        ),
    ),
    "three-phases": (
        lambda o: SequentialLR(o, [LinearWarmup(o, 4, 0.5), StepLR(o, 5, 0.5), ExponentialLR(o, 0.8)], [4, 20]),
        lambda t, o: t.optim.lr_scheduler.SequentialLR(
            o,
            [
                t.optim.lr_scheduler.LinearLR(o, start_factor=0.5, total_iters=4),
                t.optim.lr_scheduler.StepLR(o, 5, 0.5),
                t.optim.lr_scheduler.ExponentialLR(o, 0.8),
            ],
            milestones=[4, 20],
        ),
    ),
}


@pytest.mark.torch
@pytest.mark.parametrize("name", list(CASES))
def test_learning_rates_equal_torch(torch, name):
    make_ours, make_torch = CASES[name]
    ours, scheduler = ours_sequence(make_ours)
    theirs = torch_sequence(torch, lambda o: make_torch(torch, o))
    assert ours == pytest.approx(theirs, rel=1e-12, abs=1e-15)
    assert scheduler.preview(STEPS + 1) == pytest.approx(ours, rel=1e-15)
    assert scheduler.get_last_lr() == ours[-1]


def test_large_first_small_later():
    """Decay schedules never raise the learning rate; warm-up never lowers it."""
    for make in (lambda o: StepLR(o, 3), lambda o: ExponentialLR(o, 0.95), lambda o: CosineAnnealingLR(o, STEPS)):
        lrs, _ = ours_sequence(make)
        assert lrs[0] == BASE_LR and lrs[-1] < BASE_LR / 2
        assert all(later <= earlier for earlier, later in zip(lrs, lrs[1:]))
    lrs, _ = ours_sequence(lambda o: LinearWarmup(o, 10))
    assert lrs[0] == pytest.approx(BASE_LR / 10) and lrs[10:] == [BASE_LR] * (STEPS - 9)
    assert all(later >= earlier for earlier, later in zip(lrs, lrs[1:]))


def test_scheduler_drives_the_optimiser_step():
    """The optimiser really uses the scheduled learning rate: SGD's move is lr·grad."""
    x = Value(0.0)
    optimizer = SGD([x], lr=1.0)
    scheduler = StepLR(optimizer, step_size=1, gamma=0.5)
    moves = []
    for _ in range(4):
        before = x.data
        x.grad = 1.0
        optimizer.step()
        scheduler.step()
        moves.append(before - x.data)
    assert moves == [1.0, 0.5, 0.25, 0.125]


def test_state_dict_resumes():
    optimizer = Adam([Value(1.0)], lr=0.1)
    scheduler = CosineAnnealingLR(optimizer, T_max=10)
    for _ in range(4):
        scheduler.step()
    state = scheduler.state_dict()
    other_optimizer = Adam([Value(1.0)], lr=0.1)
    other = CosineAnnealingLR(other_optimizer, T_max=10)
    other.load_state_dict(state)
    assert other_optimizer.lr == optimizer.lr == pytest.approx(0.1 * (1 + math.cos(math.pi * 0.4)) / 2)


@pytest.mark.parametrize(
    "make,name",
    [
        (lambda o: StepLR(o, step_size=0), "step_size"),
        (lambda o: StepLR(o, step_size=2, gamma=-0.5), "gamma"),
        (lambda o: ExponentialLR(o, float("inf")), "gamma"),
        (lambda o: CosineAnnealingLR(o, T_max=0), "T_max"),
        (lambda o: CosineAnnealingLR(o, T_max=3, eta_min=-1), "eta_min"),
        (lambda o: LinearWarmup(o, warmup_steps=0), "warmup_steps"),
        (lambda o: LinearWarmup(o, warmup_steps=3, start_factor=0), "start_factor"),
        (lambda o: MultiStepLR(o, milestones=[5, 2]), "milestones"),
        (lambda o: LambdaLR(o, 0.5), "lr_lambda"),
        (lambda o: warmup_cosine(o, warmup_steps=10, total_steps=10), "total_steps"),
        (lambda o: SequentialLR(o, [StepLR(o, 2), StepLR(o, 3)], milestones=[]), "milestone"),
    ],
)
def test_bad_settings_are_named(make, name):
    with pytest.raises((ValueError, TypeError), match=name):
        make(SGD([Value(1.0)], lr=0.1))


def test_schedule_needs_an_optimizer_and_sequential_one_optimizer():
    with pytest.raises(TypeError, match="lr"):
        StepLR(object(), 3)
    first, second = SGD([Value(1.0)], lr=0.1), SGD([Value(1.0)], lr=0.1)
    with pytest.raises(ValueError, match="different optimizer"):
        SequentialLR(first, [StepLR(first, 2), StepLR(second, 2)], milestones=[3])
