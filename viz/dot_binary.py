"""Find the program that lays graphs out: Graphviz ``dot``, or the ``graphviz-pure`` drop-in.

The Python ``graphviz`` package only writes DOT text; turning it into a picture needs a
layout program. Graphviz's own ``dot`` is used when it is on PATH. Otherwise the
``graphviz-pure`` program (``pip install graphviz-pure``, part of ``retrograd[viz]``) does the
same job with no system package. ``use_found_binary`` points the ``graphviz`` package at the
program found, so ``Digraph.render`` and Jupyter's inline display work with either.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import graphviz


class LayoutProgramNotFoundError(RuntimeError):
    """Neither Graphviz ``dot`` nor ``graphviz-pure`` could be found."""


NOT_FOUND_MESSAGE = (
    "no graph layout program found: install Graphviz so that `dot` is on PATH "
    "(e.g. `apt install graphviz`, `brew install graphviz`), or `pip install graphviz-pure` "
    "(included in `pip install retrograd[viz]`)"
)


def find_layout_program() -> Path | None:
    """Return the path of ``dot`` if on PATH, else of ``graphviz-pure``, else None.

    ``graphviz-pure`` is looked for next to the running Python first (a virtual environment's
    ``bin`` folder is often not on PATH, e.g. in a Jupyter kernel), then on PATH.
    """
    dot = shutil.which("dot")
    if dot:
        return Path(dot)
    names = ["graphviz-pure.exe", "graphviz-pure"] if os.name == "nt" else ["graphviz-pure"]
    # sys.executable may be a symlink into the base interpreter: look beside the link itself.
    for folder in (Path(sys.executable).parent, Path(sys.prefix) / ("Scripts" if os.name == "nt" else "bin")):
        for name in names:
            candidate = folder / name
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return candidate
    found = shutil.which("graphviz-pure")
    return Path(found) if found else None


def use_found_binary() -> Path | None:
    """Point the ``graphviz`` package at the layout program found; return its path (None if none)."""
    program = find_layout_program()
    if program is not None:
        graphviz.backend.dot_command.DOT_BINARY = program
    return program


def layout_program() -> Path:
    """The layout program to run, or raise ``LayoutProgramNotFoundError`` naming both ways to get one."""
    program = use_found_binary()
    if program is None:
        raise LayoutProgramNotFoundError(NOT_FOUND_MESSAGE)
    return program


class LayoutTimeoutError(RuntimeError):
    """The layout program ran longer than the time allowed."""


def run_layout(dot_source: str, output_format: str, timeout: float | None = 60.0) -> bytes:
    """Lay out ``dot_source`` and return the picture in ``output_format`` ("svg", "png", ...).

    Runs the layout program with a time limit, because some graph shapes (one node with a
    thousand edges) make ``dot`` run for many minutes.
    """
    program = layout_program()
    try:
        result = subprocess.run(
            [str(program), f"-T{output_format}"],
            input=dot_source.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise LayoutTimeoutError(
            f"laying out the graph took more than {timeout} s; draw a smaller graph (max_nodes=...), "
            "group it into clusters, or pass a larger timeout"
        ) from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise RuntimeError(f"{program.name} failed (exit {result.returncode}): {message}")
    return result.stdout
