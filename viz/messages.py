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
        # ---- plots (viz/plots.py)
        "plot_class": "class",
        "plot_decision_boundary": "decision boundary (training accuracy {accuracy:.0%})",
        "plot_training_vs_validation": "training vs validation",
        "plot_lowest_validation_loss": "lowest validation loss",
        "plot_training_step": "training step",
        "plot_grad_norm_log": "gradient norm (log scale)",
        "plot_layer_input_first": "layer (input side first)",
        "plot_per_layer_grad_norms": "per-layer gradient norms",
        "plot_derivative": "derivative",
        "plot_input": "input",
        "plot_linear": "linear",
        "plot_mlp_layer": "layer {index}\n{count} × {activation}",
        "plot_mlp_title": "network {architecture}: orange = positive weight, blue = negative, width = |weight|",
        # ---- retrograd demo (retrograd/demo.py)
        "demo_training": "training MLP 2-16-16-1 (ReLU) on {samples} two-moons points for {epochs} epochs",
        "demo_result": "final loss {loss:.4f}, training accuracy {accuracy:.0%} ({correct}/{total} points)",
        "demo_wrote": "wrote {path}",
        "demo_progress": "training",
        "demo_progress_unit": "epoch",
        "demo_install_tqdm": "(install tqdm for a progress bar)",
        # ---- the playground
        "playground_title": "Playground",
        "playground_problem": "Problem type",
        "playground_classification": "Classification",
        "playground_regression": "Regression",
        "playground_data_set": "Data",
        "playground_circle": "Circle",
        "playground_xor": "Exclusive or",
        "playground_gauss": "Gaussian",
        "playground_spiral": "Spiral",
        "playground_plane": "Plane",
        "playground_multi_gauss": "Multi-Gaussian",
        "playground_noise": "Noise",
        "playground_train_ratio": "Ratio of training to test data",
        "playground_batch_size": "Batch size",
        "playground_seed": "Seed",
        "playground_features": "Features",
        "playground_x1": "x₁",
        "playground_x2": "x₂",
        "playground_x1_squared": "x₁²",
        "playground_x2_squared": "x₂²",
        "playground_x1_x2": "x₁·x₂",
        "playground_sin_x1": "sin(x₁)",
        "playground_sin_x2": "sin(x₂)",
        "playground_hidden": "Hidden layers",
        "playground_neurons": "{count} neurons",
        "playground_add_layer": "add a layer",
        "playground_remove_layer": "remove a layer",
        "playground_add_neuron": "add a neuron",
        "playground_remove_neuron": "remove a neuron",
        "playground_activation": "Activation",
        "playground_tanh": "Tanh",
        "playground_relu": "ReLU",
        "playground_sigmoid": "Sigmoid",
        "playground_linear": "Linear",
        "playground_learning_rate": "Learning rate",
        "playground_regularization": "Regularisation",
        "playground_none": "None",
        "playground_l1": "L1",
        "playground_l2": "L2",
        "playground_regularization_rate": "Regularisation rate",
        "playground_show_test_data": "Show test data",
        "playground_discretize": "Discretise output",
        "playground_edges": "Edge colour shows",
        "playground_weight": "the weight",
        "playground_gradient": "its gradient",
        "playground_play": "Play",
        "playground_pause": "Pause",
        "playground_step": "Step",
        "playground_reset": "Reset",
        "playground_inspect": "Inspect",
        "playground_inspect_hint": "Click a training point to follow its backpropagation step by step.",
        "playground_inspect_close": "Close",
        "playground_inspected": "Backpropagation of training point {index} at ({x1}, {x2}), target {target}, "
        "with the weights of epoch {epoch}",
        "playground_output": "Output",
        "playground_train_loss": "Training loss",
        "playground_test_loss": "Test loss",
        "playground_updates_per_second": "{rate} updates/s",
        "playground_edge_weight": "weight {value}",
        "playground_edge_gradient": "∂L/∂w {value} (weight {weight})",
        "playground_diverged": "Training diverged at epoch {epoch}: the loss is no longer a finite number. "
        "Lower the learning rate and press Reset.",
        "playground_refused_choice": "{field} cannot be {value}: choose one of {options}. "
        "The settings before are kept.",
        "playground_refused_integer": "{field} cannot be {value}: it takes whole numbers from {low} to {high} "
        "in steps of {step}. The settings before are kept.",
        "playground_refused_hidden": "The hidden layers cannot be {value}: at most {layers} layers of 1 to "
        "{neurons} neurons each. The network before is kept.",
        "playground_refused_no_feature": "The network needs at least one input feature. The network before is kept.",
        "playground_refused_flag": "{field} is either on or off (true or false), not {value}.",
        "playground_refused_json": "This is not a playground state: {reason}.",
        "playground_refused_unknown": "A playground state has no setting named {names}.",
        "playground_refused_model": "This network cannot be shown here: {reason}.",
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
        # ---- plots (viz/plots.py)
        "plot_class": "clase",
        "plot_decision_boundary": "frontera de decisión (exactitud en entrenamiento {accuracy:.0%})",
        "plot_training_vs_validation": "entrenamiento frente a validación",
        "plot_lowest_validation_loss": "mínima pérdida de validación",
        "plot_training_step": "paso de entrenamiento",
        "plot_grad_norm_log": "norma del gradiente (escala logarítmica)",
        "plot_layer_input_first": "capa (primero la de entrada)",
        "plot_per_layer_grad_norms": "norma del gradiente de cada capa",
        "plot_derivative": "derivada",
        "plot_input": "entrada",
        "plot_linear": "lineal",
        "plot_mlp_layer": "capa {index}\n{count} × {activation}",
        "plot_mlp_title": "red {architecture}: naranja = peso positivo, azul = negativo, grosor = |peso|",
        # ---- retrograd demo (retrograd/demo.py)
        "demo_training": "entrenando un MLP 2-16-16-1 (ReLU) con {samples} puntos de dos lunas durante {epochs} épocas",
        "demo_result": "pérdida final {loss:.4f}, exactitud en entrenamiento {accuracy:.0%} ({correct}/{total} puntos)",
        "demo_wrote": "guardado {path}",
        "demo_progress": "entrenando",
        "demo_progress_unit": "época",
        "demo_install_tqdm": "(instala tqdm para ver una barra de progreso)",
        # ---- the playground
        "playground_title": "Laboratorio interactivo",
        "playground_problem": "Tipo de problema",
        "playground_classification": "Clasificación",
        "playground_regression": "Regresión",
        "playground_data_set": "Datos",
        "playground_circle": "Círculo",
        "playground_xor": "O exclusivo (XOR)",
        "playground_gauss": "Dos gaussianas",
        "playground_spiral": "Espiral",
        "playground_plane": "Plano",
        "playground_multi_gauss": "Varias gaussianas",
        "playground_noise": "Ruido",
        "playground_train_ratio": "Proporción de datos de entrenamiento",
        "playground_batch_size": "Tamaño del lote",
        "playground_seed": "Semilla",
        "playground_features": "Características de entrada",
        "playground_x1": "x₁",
        "playground_x2": "x₂",
        "playground_x1_squared": "x₁²",
        "playground_x2_squared": "x₂²",
        "playground_x1_x2": "x₁·x₂",
        "playground_sin_x1": "sen(x₁)",
        "playground_sin_x2": "sen(x₂)",
        "playground_hidden": "Capas ocultas",
        "playground_neurons": "{count} neuronas",
        "playground_add_layer": "añadir una capa",
        "playground_remove_layer": "quitar una capa",
        "playground_add_neuron": "añadir una neurona",
        "playground_remove_neuron": "quitar una neurona",
        "playground_activation": "Función de activación",
        "playground_tanh": "Tanh",
        "playground_relu": "ReLU",
        "playground_sigmoid": "Sigmoide",
        "playground_linear": "Lineal",
        "playground_learning_rate": "Tasa de aprendizaje",
        "playground_regularization": "Regularización",
        "playground_none": "Ninguna",
        "playground_l1": "L1",
        "playground_l2": "L2",
        "playground_regularization_rate": "Tasa de regularización",
        "playground_show_test_data": "Mostrar los datos de prueba",
        "playground_discretize": "Discretizar la salida",
        "playground_edges": "El color de las conexiones muestra",
        "playground_weight": "el peso",
        "playground_gradient": "su gradiente",
        "playground_play": "Entrenar",
        "playground_pause": "Pausa",
        "playground_step": "Un paso",
        "playground_reset": "Reiniciar",
        "playground_inspect": "Inspeccionar",
        "playground_inspect_hint": "Haz clic en un punto de entrenamiento para seguir su retropropagación paso a paso.",
        "playground_inspect_close": "Cerrar",
        "playground_inspected": "Retropropagación del punto de entrenamiento {index} en ({x1}, {x2}), objetivo "
        "{target}, con los pesos de la época {epoch}",
        "playground_output": "Salida",
        "playground_train_loss": "Pérdida de entrenamiento",
        "playground_test_loss": "Pérdida de prueba",
        "playground_updates_per_second": "{rate} actualizaciones/s",
        "playground_edge_weight": "peso {value}",
        "playground_edge_gradient": "∂L/∂w {value} (peso {weight})",
        "playground_diverged": "El entrenamiento ha divergido en la época {epoch}: la pérdida ya no es un número "
        "finito. Baja la tasa de aprendizaje y pulsa Reiniciar.",
        "playground_refused_choice": "{field} no puede valer {value}: elige entre {options}. Se mantiene la "
        "configuración anterior.",
        "playground_refused_integer": "{field} no puede valer {value}: admite enteros de {low} a {high} de {step} "
        "en {step}. Se mantiene la configuración anterior.",
        "playground_refused_hidden": "Las capas ocultas no pueden ser {value}: como mucho {layers} capas de 1 a "
        "{neurons} neuronas cada una. Se mantiene la red anterior.",
        "playground_refused_no_feature": "La red necesita al menos una característica de entrada. Se mantiene la "
        "red anterior.",
        "playground_refused_flag": "{field} solo puede estar activado o desactivado (true o false), no {value}.",
        "playground_refused_json": "Esto no es un estado del laboratorio: {reason}.",
        "playground_refused_unknown": "Un estado del laboratorio no tiene ningún ajuste llamado {names}.",
        "playground_refused_model": "Esta red no se puede mostrar aquí: {reason}.",
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
