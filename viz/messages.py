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
        "min_max": "min {low}, max {high}",
        "tensor": "tensor",
        "frame": "frame",
        "legend_title": "|grad| (log scale)",
        "neuron_title": "layer {layer} · neuron {neuron}",
        "layer_title": "layer {layer}: linear {size}",
        "layer_name": "layer {layer}",
        "layer_summary": "layer {layer}: {count} neurons, {activation}",
        "parameters_summary": "w, b ({count}): grad norm {norm}",
        "passes_summary": "{count} inputs: a from {low} to {high}",
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
        # ---- the playground's exercises
        "check_choose_data": "Choose the {data} data set first.",
        "check_remove_hidden": "Remove every hidden layer (the − button beside “Hidden layers”): "
        "one neuron is the task.",
        "check_need_hidden": "Add a hidden layer (the + button beside “Hidden layers”).",
        "check_need_cross": "Add the feature x₁·x₂: on it a single neuron can draw the XOR boundary.",
        "check_only_x1_x2": "This time keep only x₁ and x₂ as features, and let a hidden layer find the cross itself.",
        "check_train_more": "Not yet: {accuracy} of the test points are right after {epochs} epochs; the aim is "
        "{goal}. Press play (or raise the learning rate).",
        "check_solved_accuracy": "Solved: {accuracy} of the test points are on the right side after {epochs} epochs.",
        "check_overfit_setup": "To see overfitting use few, noisy points: a training ratio of at most {most} % and "
        "noise of at least {least} (now {ratio} % and {noise}).",
        "check_overfit_train_more": "Not yet: after {epochs} epochs the training loss is {train} and the test loss "
        "{test} (lowest {best}). Keep training, with a bigger network: the test loss should rise clearly above "
        "the training loss.",
        "check_overfit_solved": "Overfitting: the training loss is {train} but the test loss is {test}, up from its "
        "lowest, {best}. Now add L2 regularisation.",
        "check_l2_setup": "Keep the few noisy points and choose L2 regularisation with a rate of 0.003 or more.",
        "check_l2_train_more": "Train at least 100 epochs with L2 (now {epochs}).",
        "check_l2_solved": "L2 helps: after {epochs} epochs the test loss is {test}, against {plain} for the same "
        "network without it.",
        "check_l2_not_enough": "Not yet: the test loss is {test}, and {plain} without L2. Try a larger "
        "regularisation rate.",
        "check_l2_too_strong": "Too strong: with L2 only {accuracy} of the test points are right, against {plain} "
        "without it; the network has stopped learning (underfitting). Try a smaller rate.",
        "check_percent": "{value}%",
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
        "min_max": "mín {low}, máx {high}",
        "tensor": "tensor",
        "frame": "fotograma",
        "legend_title": "|grad| (escala logarítmica)",
        "neuron_title": "capa {layer} · neurona {neuron}",
        "layer_title": "capa {layer}: lineal {size}",
        "layer_name": "capa {layer}",
        "layer_summary": "capa {layer}: {count} neuronas, {activation}",
        "parameters_summary": "w, b ({count}): norma del grad {norm}",
        "passes_summary": "{count} entradas: a de {low} a {high}",
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
        # ---- the playground's exercises
        "check_choose_data": "Elige primero el conjunto de datos {data}.",
        "check_remove_hidden": "Quita todas las capas ocultas (el botón − junto a «Capas ocultas»): la tarea es "
        "hacerlo con una sola neurona.",
        "check_need_hidden": "Añade una capa oculta (el botón + junto a «Capas ocultas»).",
        "check_need_cross": "Añade la característica x₁·x₂: con ella una sola neurona puede trazar la frontera del "
        "XOR.",
        "check_only_x1_x2": "Esta vez deja solo x₁ y x₂ como características y que una capa oculta encuentre el "
        "producto por sí misma.",
        "check_train_more": "Todavía no: tras {epochs} épocas acierta el {accuracy} de los puntos de prueba; el "
        "objetivo es el {goal}. Pulsa Entrenar (o sube la tasa de aprendizaje).",
        "check_solved_accuracy": "Resuelto: tras {epochs} épocas el {accuracy} de los puntos de prueba queda del "
        "lado correcto.",
        "check_overfit_setup": "Para ver el sobreajuste usa pocos puntos y con ruido: una proporción de "
        "entrenamiento de como mucho el {most} % y un ruido de al menos {least} (ahora {ratio} % y {noise}).",
        "check_overfit_train_more": "Todavía no: tras {epochs} épocas la pérdida de entrenamiento es {train} y la de "
        "prueba {test} (la mínima, {best}). Sigue entrenando, con una red más grande: la pérdida de prueba debe "
        "subir claramente por encima de la de entrenamiento.",
        "check_overfit_solved": "Sobreajuste: la pérdida de entrenamiento es {train}, pero la de prueba es {test} y "
        "ha subido desde su mínimo, {best}. Ahora añade regularización L2.",
        "check_l2_setup": "Mantén los pocos puntos con ruido y elige regularización L2 con una tasa de 0,003 o más.",
        "check_l2_train_more": "Entrena al menos 100 épocas con L2 (ahora {epochs}).",
        "check_l2_solved": "La L2 ayuda: tras {epochs} épocas la pérdida de prueba es {test}, frente a {plain} de la "
        "misma red sin ella.",
        "check_l2_not_enough": "Todavía no: la pérdida de prueba es {test}, y {plain} sin L2. Prueba con una tasa de "
        "regularización mayor.",
        "check_l2_too_strong": "Demasiado fuerte: con L2 solo acierta el {accuracy} de los puntos de prueba, frente "
        "al {plain} sin ella; la red ha dejado de aprender (subajuste). Prueba con una tasa menor.",
        "check_percent": "{value} %",
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
def language(name: str | None) -> Iterator[None]:
    """Draw in ``name`` inside the ``with`` block, then go back to the language before it (None: no change)."""
    previous = get_language()
    set_language(previous if name is None else name)
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
