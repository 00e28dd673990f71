"""The cells of each course notebook, as Python: ``md(text)`` for explanations, ``code(text)`` for code."""

from __future__ import annotations

import textwrap


def md(text: str) -> tuple[str, str]:
    """A markdown cell (the text is dedented and stripped)."""
    return ("markdown", textwrap.dedent(text).strip())


def code(text: str) -> tuple[str, str]:
    """A code cell (the text is dedented and stripped)."""
    return ("code", textwrap.dedent(text).strip())
