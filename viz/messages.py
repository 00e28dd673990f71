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
        "norm": "norm",
        "legend_title": "|grad| (log scale)",
        "neuron_title": "layer {layer} · neuron {neuron}",
        "layer_title": "layer {layer}: linear {size}",
        "layer_name": "layer {layer}",
        "layer_summary": "layer {layer}: {count} neurons, {activation}",
        "parameters_summary": "w, b ({count}): grad norm {norm}",
        "level_op": "op",
        "level_neuron": "neuron",
        "level_layer": "layer",
        "note_level_up": "drawn at {level} level: every op would be {boxes} boxes (level='op' draws them)",
        "note_level_changed": "drawn at {level} level: the {asked} level is too large to lay out",
        "stepper_title": "Backpropagation, step by step",
        "previous": "previous",
        "next": "next",
        "play": "play",
        "pause": "pause",
        "speed": "speed",
        "frame_counter": "frame {k} / {last}",
        "zoom_in": "zoom in",
        "zoom_out": "zoom out",
        "fit": "fit",
        "step_start": "start: the grad of {root} with respect to itself is 1",
        "step_where": "step {k} of {n}: {node}",
        "step_no_grad": "{where} needs no grad (nothing that requires grad depends on it)",
        "step_leaf": "{where} is a leaf: its grad {grad} is final",
        "step_node": "{where}.grad = {grad}",
        "step_chain": "so {edges}",
        "step_then": "; then ",
        "step_more": "and {count} more",
        "step_group": "{box}: {steps}",
        "check_agrees": "agrees",
        "check_mismatch": "MISMATCH (error {error})",
        "finite_difference": "finite difference",
        "check_title": "gradient check: {agree} of {count} inputs agree with finite differences",
        "check_failures": ", {failures} disagree (red)",
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
        "norm": "norma",
        "legend_title": "|grad| (escala logarítmica)",
        "neuron_title": "capa {layer} · neurona {neuron}",
        "layer_title": "capa {layer}: lineal {size}",
        "layer_name": "capa {layer}",
        "layer_summary": "capa {layer}: {count} neuronas, {activation}",
        "parameters_summary": "w, b ({count}): norma del grad {norm}",
        "level_op": "operación",
        "level_neuron": "neurona",
        "level_layer": "capa",
        "note_level_up": "dibujado por {level}: cada operación serían {boxes} cajas (level='op' las dibuja)",
        "note_level_changed": "dibujado por {level}: el nivel de {asked} es demasiado grande para dibujarlo",
        "stepper_title": "Retropropagación, paso a paso",
        "previous": "anterior",
        "next": "siguiente",
        "play": "reproducir",
        "pause": "pausa",
        "speed": "velocidad",
        "frame_counter": "fotograma {k} / {last}",
        "zoom_in": "acercar",
        "zoom_out": "alejar",
        "fit": "ajustar",
        "step_start": "inicio: el grad de {root} respecto de sí mismo es 1",
        "step_where": "paso {k} de {n}: {node}",
        "step_no_grad": "{where} no necesita grad (nada que requiera grad depende de él)",
        "step_leaf": "{where} es una hoja: su grad {grad} es definitivo",
        "step_node": "{where}.grad = {grad}",
        "step_chain": "así que {edges}",
        "step_then": "; luego ",
        "step_more": "y {count} más",
        "step_group": "{box}: {steps}",
        "check_agrees": "coincide",
        "check_mismatch": "NO COINCIDE (error {error})",
        "finite_difference": "diferencia finita",
        "check_title": "comprobación del gradiente: {agree} de {count} entradas coinciden con las diferencias finitas",
        "check_failures": ", {failures} no coinciden (en rojo)",
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
