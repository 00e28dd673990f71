"""The message table: every key in both languages, the language switch, and its refusals."""

import pytest

import viz
from viz.messages import LANGUAGES, MESSAGES, language, message


def test_every_key_exists_in_every_language():
    keys = {name: set(table) for name, table in MESSAGES.items()}
    assert set(keys) == set(LANGUAGES)
    for name in LANGUAGES:
        assert keys[name] == keys["en"], f"{name} differs from en: {sorted(keys[name] ^ keys['en'])}"


def test_set_language_switches_and_the_context_manager_restores():
    assert viz.get_language() == "en"
    with language("es"):
        assert message("loss") == "pérdida"
    assert message("loss") == "loss"
    assert message("loss", language="es") == "pérdida"


def test_an_unknown_language_or_key_is_refused_by_name():
    with pytest.raises(ValueError, match="'fr'"):
        viz.set_language("fr")
    with pytest.raises(KeyError, match="no_such_key"):
        message("no_such_key")
