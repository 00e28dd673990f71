"""Every text viz puts in a picture or a page, in English and in Spanish: one table, one lookup.

Error messages are not here: they stay English (people search for them). Pictures, captions,
legends, plot titles and axes, the stepper's and the playground's controls are. Add a key to
both languages at once (a test checks that each key exists in both).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

LANGUAGES = ("en", "es")

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "data": "data",
        "grad": "grad",
        "grad_norm": "grad norm",
        "shape": "shape",
        "epoch": "epoch",
        "loss": "loss",
        "accuracy": "accuracy",
        "training": "training",
        "validation": "validation",
        "test": "test",
    },
    "es": {
        "data": "valor",
        "grad": "grad",
        "grad_norm": "norma del grad",
        "shape": "forma",
        "epoch": "época",
        "loss": "pérdida",
        "accuracy": "exactitud",
        "training": "entrenamiento",
        "validation": "validación",
        "test": "prueba",
    },
}

_current = "en"


def _checked(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(map(repr, LANGUAGES))}, got {language!r}")
    return language


def set_language(language: str) -> None:
    """Choose the language of everything viz draws from now on: ``"en"`` (the default) or ``"es"``."""
    global _current
    _current = _checked(language)


def get_language() -> str:
    """The language viz draws in now (``"en"`` or ``"es"``)."""
    return _current


@contextmanager
def language(name: str) -> Iterator[None]:
    """Draw in ``name`` inside the ``with`` block, then go back to the language before it."""
    previous = get_language()
    set_language(name)
    try:
        yield
    finally:
        set_language(previous)


def message(key: str, language: str | None = None, **fields: object) -> str:
    """The text for ``key`` in ``language`` (default: the current one), with ``{fields}`` filled in."""
    table = MESSAGES[_checked(language) if language is not None else _current]
    if key not in table:
        raise KeyError(f"no message {key!r} in the viz message table")
    text = table[key]
    return text.format(**fields) if fields else text
