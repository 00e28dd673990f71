"""Kept so that ``from autograd.graph import topological_order`` keeps working: the graph walk and
the record of a backprop step live in ``autograd.backprop``."""

from .backprop import BackwardStep, topological_order

__all__ = ["BackwardStep", "topological_order"]
