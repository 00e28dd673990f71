"""The ``retrograd`` command: one subcommand per module, listed in ``SUBCOMMANDS``.

    retrograd demo                     train the classic MLP demo and write its pictures
    retrograd graph "tanh(w*x + b)"    a formula's gradients and graph

Each subcommand module offers ``HELP`` (one line), ``add_arguments(parser)`` and
``run(args) -> exit status``. Adding a subcommand is adding a line to the table.
"""

from __future__ import annotations

import argparse
import importlib
import sys

__all__ = ["SUBCOMMANDS", "build_parser", "main"]

DESCRIPTION = "Backpropagation you can see, step through and trust."

#: Subcommand name → the module that implements it.
SUBCOMMANDS: dict[str, str] = {
    "demo": "retrograd.demo",
    "graph": "retrograd.graph_cmd",
}


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``retrograd``, with one subparser per entry of ``SUBCOMMANDS``."""
    parser = argparse.ArgumentParser(prog="retrograd", description=DESCRIPTION)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module_name in SUBCOMMANDS.items():
        module = importlib.import_module(module_name)
        sub = subparsers.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``retrograd COMMAND [options]``; returns the exit status."""
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
