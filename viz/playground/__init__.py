"""The playground: the TensorFlow Playground's controls over a real ``nn`` network, live in Jupyter.

``Playground()`` is the widget (anywidget: the kernel trains, the page draws);
``PlaygroundState`` every setting as one small JSON line; ``PlaygroundRun`` the training
behind it, usable without a browser.
"""

from .run import PlaygroundRun
from .state import PlaygroundState, StateError
from .widget import Playground

__all__ = ["Playground", "PlaygroundRun", "PlaygroundState", "StateError"]
