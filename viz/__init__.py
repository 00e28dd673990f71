"""Pictures of backpropagation: computation graphs, a backprop stepper, and plots of models and training.

``draw_graph``/``render`` need only the ``graphviz`` Python package and a layout program
(Graphviz ``dot``, or ``pip install graphviz-pure``); the plots need matplotlib
(``pip install retrograd[viz]``) and import it only when called.
"""

from .checks import draw_gradcheck
from .clusters import layer_clusters, neuron_clusters
from .dot_binary import LayoutProgramNotFoundError, LayoutTimeoutError, find_layout_program, use_found_binary
from .graph import GraphTooLargeError, draw_graph, render, to_dot, to_svg
from .messages import get_language, message, set_language
from .plots import draw_mlp, plot_activations, plot_decision_boundary, plot_gradient_norms, plot_training_curves
from .scene import LEVELS
from .stepper import BackpropStepper, StepperTimeoutError

# Point the graphviz package at `dot` or `graphviz-pure`, so Digraph.render and Jupyter's display work.
use_found_binary()

__all__ = [
    "BackpropStepper",
    "GraphTooLargeError",
    "LayoutProgramNotFoundError",
    "LEVELS",
    "LayoutTimeoutError",
    "StepperTimeoutError",
    "draw_graph",
    "draw_mlp",
    "draw_gradcheck",
    "find_layout_program",
    "get_language",
    "layer_clusters",
    "message",
    "neuron_clusters",
    "plot_activations",
    "plot_decision_boundary",
    "plot_gradient_norms",
    "plot_training_curves",
    "render",
    "set_language",
    "to_dot",
    "to_svg",
    "use_found_binary",
]
