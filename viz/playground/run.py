"""One playground run on the kernel side: the data, the features, the network and its training.

``PlaygroundRun(state)`` draws the points, splits them, builds ``nn.tensor_mlp`` and an SGD optimiser
and trains one epoch per ``step()`` with ``nn.fit`` (mini-batches of ``batch_size``, the L1/L2
penalty of the state). ``heatmaps()`` evaluates every neuron on a grid over the square the
points live in, the numbers the browser paints; nothing here draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

import nn
from autograd import Tensor, no_grad
from nn import data

from .state import FEATURES, N_POINTS, PlaygroundState

#: The square the points live in, as in the TensorFlow Playground.
DOMAIN = 6.0

_GENERATORS = {
    "circle": data.make_circle,
    "xor": data.make_xor,
    "gauss": data.make_gaussian,
    "spiral": data.make_spiral,
    "plane": data.make_plane,
    "multi_gauss": data.make_multi_gaussian,
}

_FEATURE_FUNCTIONS = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1_squared": lambda x1, x2: x1 * x1,
    "x2_squared": lambda x1, x2: x2 * x2,
    "x1_x2": lambda x1, x2: x1 * x2,
    "sin_x1": lambda x1, x2: np.sin(x1),
    "sin_x2": lambda x1, x2: np.sin(x2),
}


def feature_matrix(points: np.ndarray, features: tuple[str, ...]) -> np.ndarray:
    """The columns the first layer sees: one per feature, for points of shape (n, 2)."""
    x1, x2 = points[:, 0], points[:, 1]
    return np.column_stack([_FEATURE_FUNCTIONS[name](x1, x2) for name in features])


def grid_points(resolution: int) -> np.ndarray:
    """The centres of a resolution × resolution grid over [-6, 6]², row by row from the top (x2 = +6)."""
    centres = (np.arange(resolution) + 0.5) / resolution * 2 * DOMAIN - DOMAIN
    x1, x2 = np.meshgrid(centres, centres[::-1])
    return np.column_stack([x1.ravel(), x2.ravel()])


@dataclass
class Heatmaps:
    """Each neuron's output over the grid, row by row from the top, in [-1, 1] where the activation allows.

    ``inputs``: (7, r, r), every feature of ``FEATURES`` (chosen or not) divided by its largest size on the grid;
    ``hidden``: one (neurons, r, r) array per hidden layer; ``output``: (r, r), for
    classification 2·σ(z) - 1 (the probability of class 1 mapped onto [-1, 1]).
    """

    inputs: np.ndarray
    hidden: list[np.ndarray]
    output: np.ndarray


class PlaygroundRun:
    """The data, network and optimiser of one state, and the losses recorded epoch by epoch."""

    def __init__(self, state: PlaygroundState) -> None:
        self.state = state
        X, y = _GENERATORS[state.data_set](N_POINTS, noise=state.noise / 100, seed=state.seed)
        self.classification = state.problem == "classification"
        test_size = 1.0 - state.train_ratio / 100
        self.points_train, self.points_test, self.y_train, self.y_test = data.train_test_split(
            X, y, test_size=test_size, seed=state.seed
        )
        self.X_train = feature_matrix(self.points_train, state.features)
        self.X_test = feature_matrix(self.points_test, state.features)
        self.model = nn.tensor_mlp(len(state.features), [*state.hidden, 1], activation=state.activation,
                            seed=state.seed, dtype=np.float64)
        self.optimizer = nn.SGD(self.model.parameters(), lr=state.learning_rate)
        self.loss_fn = nn.binary_cross_entropy_with_logits if self.classification else nn.mse_loss
        self._shuffling = np.random.default_rng(state.seed)  # the order of the batches, epoch after epoch
        self.epoch = 0
        self.train_loss: list[float] = [self.loss(self.X_train, self.y_train)]
        self.test_loss: list[float] = [self.loss(self.X_test, self.y_test)]

    # ------------------------------------------------------------------ settings that keep the run
    def update(self, state: PlaygroundState) -> None:
        """Take the settings that apply from the next step on (learning rate, batch size, penalty, view)."""
        if self.state.rebuilds(state):
            raise ValueError("this change needs a new run: build PlaygroundRun(state)")
        self.state = state
        self.optimizer.lr = state.learning_rate

    def adopt(self, model: nn.Sequential, state: PlaygroundState) -> None:
        """Train ``model`` from now on (a network set from code), with ``state`` describing it."""
        self.model, self.state = model, state
        self.optimizer = nn.SGD(model.parameters(), lr=state.learning_rate)
        self.train_loss[-1] = self.loss(self.X_train, self.y_train)
        self.test_loss[-1] = self.loss(self.X_test, self.y_test)

    # ------------------------------------------------------------------ training
    def steps_per_epoch(self) -> int:
        """How many optimiser steps one epoch takes: the training points in batches of ``batch_size``."""
        return math.ceil(len(self.X_train) / self.state.batch_size)

    def step(self, epochs: int = 1) -> None:
        """Train ``epochs`` epochs (raises ``nn.TrainingDiverged`` if the loss stops being finite)."""
        penalty = {"l1": 0.0, "l2": 0.0}
        if self.state.regularization != "none":
            penalty[self.state.regularization] = self.state.regularization_rate
        for _ in range(epochs):
            nn.fit(self.model, self.loss_fn, self.optimizer, (self.X_train, self.y_train), epochs=1,
                   batch_size=self.state.batch_size, seed=self._shuffling, progress=False,
                   track_grad_norms=False, **penalty)
            self.epoch += 1
            self.train_loss.append(self.loss(self.X_train, self.y_train))
            self.test_loss.append(self.loss(self.X_test, self.y_test))

    def loss(self, X: np.ndarray, y: np.ndarray) -> float:
        """The data loss (no penalty) of the current network on ``X``, ``y``."""
        with no_grad():
            return float(self.loss_fn(self.model(Tensor(X)), y).item())

    def gradients(self) -> list[np.ndarray]:
        """∂loss/∂W of each Linear layer over the whole training set, at the current weights."""
        self.model.zero_grad()
        self.loss_fn(self.model(Tensor(self.X_train)), self.y_train).backward()
        grads = [layer.weight.grad.copy() for layer in self.linear_layers()]
        self.model.zero_grad()
        return grads

    def linear_layers(self) -> list[nn.Linear]:
        """The network's Linear layers, first to last."""
        return [module for module in self.model if isinstance(module, nn.Linear)]

    def accuracy(self, which: str = "test") -> float:
        """The share of training or test points on the right side of the boundary (classification only)."""
        X, y = (self.X_test, self.y_test) if which == "test" else (self.X_train, self.y_train)
        with no_grad():
            logits = self.model(Tensor(X)).data.ravel()
        return float(np.mean((logits > 0) == (y == 1)))

    # ------------------------------------------------------------------ what the browser paints
    def heatmaps(self, resolution: int = 40) -> Heatmaps:
        """Every neuron's output on a resolution × resolution grid over [-6, 6]²."""
        points = grid_points(resolution)
        every_feature = feature_matrix(points, FEATURES)
        largest = np.abs(every_feature).max(axis=0)
        inputs = (every_feature / np.where(largest > 0, largest, 1.0)).T.reshape(-1, resolution, resolution)
        features = feature_matrix(points, self.state.features)
        hidden = []
        modules = list(self.model)
        with no_grad():
            activation = Tensor(features)
            for position, module in enumerate(modules):
                activation = module(activation)
                following = modules[position + 1] if position + 1 < len(modules) else None
                ends_layer = not isinstance(following, nn.Module) or isinstance(following, nn.Linear)
                if ends_layer and following is not None:
                    hidden.append(activation.data.T.reshape(-1, resolution, resolution).copy())
        output = activation.data.reshape(resolution, resolution)
        if self.classification:
            output = np.tanh(output / 2)  # = 2·σ(z) - 1
        return Heatmaps(inputs=inputs, hidden=hidden, output=output)
