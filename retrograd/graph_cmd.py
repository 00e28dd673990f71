"""``retrograd graph``: type a formula, see its value, every gradient, and a picture of its graph.

    retrograd graph "tanh(w*x + b)" --set w=0.5 x=2 b=-1 --out graph.svg

The formula is read by the safe parser in ``retrograd.expr`` (an allow-list of numbers,
variables, ``+ - * / **`` and a few functions; never run as code), built from ``Value``s,
backpropagated, and drawn with ``viz.render`` when ``--out`` is given. The formula may also
come after the ``--set`` values (``graph --set x=1 "x+1"``). Whatever the user typed is echoed
back with its control characters escaped.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from typing import TextIO

from autograd import AnomalyError, detect_anomaly

from .expr import FUNCTIONS, ExpressionError, build_graph

__all__ = ["HELP", "add_arguments", "main", "parse_assignments", "printable", "run"]

#: One line for the list of subcommands.
HELP = 'compute a formula\'s gradients and draw its graph, e.g. graph "tanh(w*x + b)" --set w=0.5 x=2 b=-1'

#: Exit status for input the user can fix (as argparse uses for usage errors).
USAGE_ERROR = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``graph`` subcommand's arguments to ``parser``."""
    parser.add_argument(
        "expression",
        nargs="?",  # may also come after --set's values: see _formula_and_assignments
        help=(
            f"a formula of numbers, variables, + - * / ** and the functions {', '.join(sorted(FUNCTIONS))}; "
            "one starting with '-' goes after --, e.g. graph --set x=2 -- \"-x**2\""
        ),
    )
    parser.add_argument(
        "--set",
        dest="assignments",
        metavar="NAME=NUMBER",
        nargs="+",
        action="extend",
        default=[],
        help="a value for each variable, e.g. --set w=0.5 x=2 b=-1",
    )
    parser.add_argument("--out", metavar="PATH", help="draw the graph to PATH (.svg, .png, .dot)")
    parser.add_argument(
        "--local-grads", action="store_true", help="label each edge: ∂n/∂w1 = 1.5 and w1.grad += ..."
    )
    parser.add_argument("--steps", action="store_true", help="print backprop one node at a time")


#: What an item of ``--set`` looks like: a name, then ``=`` (``==`` would be a comparison in a formula).
_ASSIGNMENT = re.compile(r"\s*[^\s=]+\s*=(?!=)")


def printable(text: str) -> str:
    """``text`` with each control character written as an escape (``\\x1b``), so that echoing it is safe.

    A name or formula typed by the user is shown back in messages; raw, an escape sequence in it
    would reach the terminal (recolour it, retitle the window, ...).
    """
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def parse_assignments(assignments: list[str]) -> dict[str, float]:
    """Turn ``["w=0.5", "x=2"]`` into ``{"w": 0.5, "x": 2.0}``; raise ``ExpressionError`` naming a bad one."""
    values: dict[str, float] = {}
    for assignment in assignments:
        name, equals, number_text = assignment.partition("=")
        name = name.strip()
        shown = printable(name)
        if not equals or not name:
            raise ExpressionError(f"--set takes NAME=NUMBER, got {assignment!r}")
        if name in values:
            raise ExpressionError(f"--set gives {shown} twice")
        try:
            number = float(number_text)
        except ValueError:
            raise ExpressionError(f"--set {shown}: {number_text!r} is not a number") from None
        if not math.isfinite(number):
            raise ExpressionError(f"--set {shown}: the number must be finite, got {number_text!r}")
        values[name] = number
    return values


def _formula_and_assignments(args: argparse.Namespace) -> tuple[str, list[str]]:
    """The formula and the ``--set`` items, whichever order they were typed in.

    ``--set`` takes any number of values, so in ``graph --set x=1 "x+1"`` argparse hands it the
    formula too. The one item that is not ``NAME=...`` is then the formula.
    """
    if args.expression is not None:
        return args.expression, args.assignments
    formulas = [item for item in args.assignments if not _ASSIGNMENT.match(item)]
    if len(formulas) == 1:
        return formulas[0], [item for item in args.assignments if item is not formulas[0]]
    if not formulas:
        raise ExpressionError('the formula is missing: give it first, as in graph "x*y" --set x=1 y=2')
    raise ExpressionError(f"--set takes NAME=NUMBER, got {formulas[0]!r} and {formulas[1]!r}; which is the formula?")


def _show_error(text: str, error: ExpressionError, err: TextIO) -> None:
    """The message, and for an error at a column, the formula with a caret under that column."""
    print(f"error: {printable(str(error))}", file=err)
    if error.column is not None and 0 < error.column <= len(text) + 1:
        before = printable(text[: error.column - 1])  # escapes widen the text: the caret follows them
        print(f"  {printable(text)}", file=err)
        print(f"  {' ' * len(before)}^", file=err)


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run ``retrograd graph`` with parsed ``args``; returns the exit status (0 on success)."""
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    text = ""
    try:
        text, assignments = _formula_and_assignments(args)
        root, leaves = build_graph(text, parse_assignments(assignments))
    except ExpressionError as error:
        _show_error(text, error, err)
        return USAGE_ERROR

    # The printed gradients are ∂out/∂name: the picture names the result "out" too.
    root.label = root.label or "out"
    try:
        with detect_anomaly():  # a NaN or inf gradient names the op it came from
            if args.steps:
                _print_steps(root, out)
            else:
                root.backward()
    except AnomalyError as error:
        print(f"error: backprop failed: {error}", file=err)
        return USAGE_ERROR

    print(f"{text} = {root.data:.6g}", file=out)
    width = max((len(name) for name in leaves), default=0)
    for name, leaf in leaves.items():
        print(f"  ∂out/∂{name:<{width}} = {leaf.grad:.6g}   ({name} = {leaf.data:g})", file=out)

    if args.out:
        return _draw(root, args.out, args.local_grads, out, err)
    return 0


def _print_steps(root: object, out: TextIO) -> None:
    """Backprop one node at a time, each step in the notation of the picture's edges
    (``w.grad += 2 × 0.42 = 0.84``); without viz, the raw step records."""
    try:
        from viz import BackpropStepper
    except ImportError:
        for step in root.backward_steps():
            print(step, file=out)
        return
    stepper = BackpropStepper(root, level="op")  # runs backprop: the grads are backward()'s
    for k in range(len(stepper)):
        print(stepper.caption(k), file=out)


def _draw(root: object, path: str, local_grads: bool, out: TextIO, err: TextIO) -> int:
    try:
        import viz
    except ImportError as error:
        print(f"drawing skipped: the viz package cannot be imported ({error}); pip install 'retrograd[viz]'", file=err)
        return 1
    try:
        written = viz.render(root, path, show_local_grads=local_grads)
    except (viz.LayoutProgramNotFoundError, viz.LayoutTimeoutError, viz.GraphTooLargeError) as error:
        print(f"error: drawing failed: {error}", file=err)
        return 1
    except (ValueError, OSError) as error:  # an unknown suffix, a folder that does not exist, ...
        print(f"error: cannot write {path}: {error}", file=err)
        return 1
    print(f"graph drawn to {written}", file=out)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run ``graph`` on its own: ``python -m retrograd.graph_cmd "x*y" --set x=1 y=2``."""
    parser = argparse.ArgumentParser(prog="retrograd graph", description=HELP)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
