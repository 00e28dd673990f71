"""The cells of each course notebook, in Spanish and English side by side (the format: see ``notebooks/build.py``)."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

#: The course's languages, Spanish first: it is the language the course is taught in.
LANGUAGES = ("es", "en")

#: Inside a code cell, ``«español|English»`` is the Spanish text in ``es/`` and the English one in ``en/``.
BILINGUAL = re.compile(r"«([^«»|]*)\|([^«»|]*)»")


@dataclass(frozen=True)
class Cell:
    """One notebook cell: ``"markdown"`` with a text per language, or ``"code"`` with one shared source."""

    kind: str
    texts: dict[str, str]

    def source(self, language: str) -> str:
        """The cell's text in ``language``."""
        if language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
        if self.kind == "markdown":
            return self.texts[language]
        pick = LANGUAGES.index(language) + 1
        return BILINGUAL.sub(lambda match: match.group(pick), self.texts["code"])


def _clean(text: str) -> str:
    return textwrap.dedent(text).strip()


def md(*, es: str, en: str) -> Cell:
    """A markdown cell, written in both languages (each text is dedented and stripped)."""
    texts = {"es": _clean(es), "en": _clean(en)}
    empty = [language for language, text in texts.items() if not text]
    if empty:
        raise ValueError(f"markdown cell without its {' and '.join(empty)} text: {texts}")
    return Cell("markdown", texts)


def code(source: str) -> Cell:
    """A code cell shared by both languages; ``«español|English»`` marks a comment or string that differs."""
    source = _clean(source)
    leftover = BILINGUAL.sub("", source)
    if "«" in leftover or "»" in leftover:
        line = next(line for line in leftover.splitlines() if "«" in line or "»" in line)
        raise ValueError(f"unbalanced «español|English» marker in code cell, near: {line.strip()!r}")
    for match in BILINGUAL.finditer(source):
        if not match.group(1).strip() or not match.group(2).strip():
            raise ValueError(f"«español|English» marker with an empty half in code cell: {match.group(0)!r}")
    return Cell("code", {"code": source})
