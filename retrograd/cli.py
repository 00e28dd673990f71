"""The ``retrograd`` command: one subcommand per module, listed in ``SUBCOMMANDS``.

    retrograd demo                     train the classic MLP demo and write its pictures
    retrograd graph "tanh(w*x + b)"    a formula's gradients and graph

Each subcommand module offers ``HELP`` (one line), ``add_arguments(parser)`` and
``run(args) -> exit status``; it is imported only when chosen, so ``retrograd graph`` does not
pay for what ``retrograd demo`` needs. Adding a subcommand is adding a line to the table.
"""

from __future__ import annotations

import argparse
import importlib
from types import ModuleType

__all__ = ["SUBCOMMANDS", "build_parser", "main"]

#: Subcommand name → (module that implements it, one-line help).
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("retrograd.demo", "train a scalar MLP 2-16-16-1 on two moons; write a neuron's graph and the boundary"),
    "graph": ("retrograd.graph_cmd", "compute a formula's gradients and draw its graph"),
}


def _load(name: str) -> ModuleType:
    return importlib.import_module(SUBCOMMANDS[name][0])


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """The parser; only the ``chosen`` subcommand's module is imported to add its options."""
    parser = argparse.ArgumentParser(
        prog="retrograd", description="Backpropagation you can see, step through and trust."
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name, (_, help_text) in SUBCOMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        if name == chosen:
            _load(name).add_arguments(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``retrograd COMMAND [options]``; returns the exit status."""
    import sys

    argv = list(sys.argv[1:] if argv is None else argv)
    chosen = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(chosen if chosen in SUBCOMMANDS else None)
    args = parser.parse_args(argv)
    return int(_load(args.command).run(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
