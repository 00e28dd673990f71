"""Notebook 7: a small TensorFlow-Playground-like widget, offline."""

from . import code, md

CELLS = [
    md(
        es="""
        # 7. Un laboratorio interactivo

        Al estilo del TensorFlow Playground, pero ejecutándose aquí, sin conexión, sobre el motor
        tensorial de retrograd: elige un conjunto de datos, las **capas ocultas** (hidden layers),
        la función de activación, la **tasa de aprendizaje** (learning rate) y la
        **regularización**; después entrena época a época y observa cómo cambian la frontera de
        decisión, los pesos de la red y las pérdidas de entrenamiento y de prueba.

        Cambiar los datos o la arquitectura crea una red nueva; la tasa de aprendizaje y la
        regularización se aplican desde el paso siguiente, como en el original. Ejecuta todas las
        celdas y luego usa los controles.
        """,
        en="""
        # 7. A playground

        In the spirit of the TensorFlow Playground, but running here, offline, on retrograd's
        tensor engine: pick a data set, the **hidden layers**, the activation, the **learning
        rate** and the **regularisation**, then train epoch by epoch and watch the decision
        boundary, the network's weights and the training and test loss change.

        Changing the data or the architecture starts a new network; the learning rate and the
        regularisation apply from the next step on, as in the original. Run every cell, then use
        the controls.
        """,
    ),
    code("""
    %matplotlib inline
    import io

    import ipywidgets as widgets
    import numpy as np
    from IPython import display as ipython
    from matplotlib.figure import Figure

    import nn
    import viz
    from nn import data

    viz.set_language(«"es"|"en"»)
    """),
    md(
        es="""
        ## El motor detrás de los controles

        `Playground` guarda una ejecución: los datos (divididos en puntos de entrenamiento y de
        prueba), la red, el optimizador (SGD con lotes de 10, como el original) y las curvas de
        pérdida. `reset` construye una red nueva, `train` entrena unas cuantas épocas con `nn.fit`
        y `figure` dibuja los tres paneles.
        """,
        en="""
        ## The engine behind the controls

        `Playground` holds one run: the data (split into training and test points), the network,
        the optimiser (SGD on mini-batches of 10, as the original) and the loss curves. `reset`
        builds a new network, `train` runs some epochs with `nn.fit`, `figure` draws the three
        panels.
        """,
    ),
    code("""
    DATA_SETS = {
        "circle": data.make_circle,
        "XOR": data.make_xor,
        "Gaussian": data.make_gaussian,
        "spiral": data.make_spiral,
        "moons": data.make_moons,
    }
    ACTIVATIONS = ["tanh", "relu", "sigmoid", "leaky_relu", "elu", "identity"]


    class Playground:
        \"\"\"One run of the playground: data, network, optimiser and what training recorded.\"\"\"

        def reset(self, data_set="circle", noise=0.1, hidden="4, 2", activation="tanh", learning_rate=0.03,
                  regularization="none", regularization_rate=0.001, seed=0):
            X, y = DATA_SETS[data_set](200, noise=noise, seed=seed)
            X = data.StandardScaler().fit_transform(X)
            split = data.train_test_split(X, y, test_size=0.3, seed=seed)
            self.X_train, self.X_test, self.y_train, self.y_test = split
            sizes = [int(n) for n in hidden.replace(",", " ").split()]
            self.architecture = "-".join(map(str, [2, *sizes, 1]))
            self.model = nn.mlp(2, [*sizes, 1], activation=activation, seed=seed)
            self.optimizer = nn.SGD(self.model.parameters(), lr=learning_rate)
            self.regularization, self.regularization_rate = regularization, regularization_rate
            self.name, self.epoch = data_set, 0
            self.train_loss, self.test_loss = [], []

        def train(self, epochs=1):
            penalty = {"l1": 0.0, "l2": 0.0}
            if self.regularization != "none":
                penalty[self.regularization] = self.regularization_rate
            history = nn.fit(self.model, "bce_with_logits", self.optimizer, (self.X_train, self.y_train),
                             epochs=epochs, batch_size=10, validation=(self.X_test, self.y_test), seed=self.epoch,
                             progress=False, track_grad_norms=False, **penalty)
            self.epoch += epochs
            self.train_loss += history.train_loss
            self.test_loss += history.val_loss

        def summary(self):
            if not self.epoch:
                return "epoch 0: not trained yet"
            test_accuracy = nn.evaluate(self.model, "bce_with_logits", (self.X_test, self.y_test))[1]
            return (f"epoch {self.epoch}: training loss {self.train_loss[-1]:.3f}, "
                    f"test loss {self.test_loss[-1]:.3f}, test accuracy {test_accuracy:.0%}")

        def figure(self):
            figure = Figure(figsize=(15, 4.2), layout="constrained")
            boundary, network, curves = figure.subplots(1, 3, width_ratios=[1, 1.3, 1])
            viz.plot_decision_boundary(self.model, self.X_train, self.y_train, ax=boundary, threshold=0.0,
                                       resolution=80, title=f"{self.name}: training points filled, test hollow")
            test_colours = np.array(viz.plots.CLASS_COLOURS)[self.y_test]
            boundary.scatter(self.X_test[:, 0], self.X_test[:, 1], s=22, facecolors="none",
                             edgecolors=test_colours, linewidths=1.2)
            viz.draw_mlp(self.model, ax=network, title=f"network {self.architecture}")
            epochs = np.arange(1, len(self.train_loss) + 1)
            curves.plot(epochs, self.train_loss, label="training loss")
            curves.plot(epochs, self.test_loss, "--", label="test loss")
            curves.set(xlabel="epoch", ylabel="loss", title=self.summary().split(": ", 1)[-1])
            curves.grid(alpha=0.3)
            if self.epoch:
                curves.legend()
            return figure
    """),
    md(es="## Los controles", en="## The controls"),
    code("""
    playground = Playground()
    style = {"description_width": "140px"}
    controls = {
        "data_set": widgets.Dropdown(options=list(DATA_SETS), value="circle", description="data set", style=style),
        "noise": widgets.FloatSlider(value=0.1, min=0.0, max=0.5, step=0.05, description="noise", style=style),
        "hidden": widgets.Text(value="4, 2", description="hidden layers", style=style),
        "activation": widgets.Dropdown(options=ACTIVATIONS, value="tanh", description="activation", style=style),
        "learning_rate": widgets.FloatLogSlider(value=0.03, base=10, min=-3, max=0.5, step=0.25,
                                                description="learning rate", style=style),
        "regularization": widgets.Dropdown(options=["none", "l1", "l2"], value="none",
                                           description="regularisation", style=style),
        "regularization_rate": widgets.FloatLogSlider(value=0.001, base=10, min=-5, max=-1, step=0.5,
                                                      description="regularisation rate", style=style),
    }
    step_button = widgets.Button(description="step: 1 epoch")
    ten_button = widgets.Button(description="train 10 epochs")
    reset_button = widgets.Button(description="reset")
    status = widgets.Label()
    picture = widgets.Image(format="png")     # the three panels, redrawn after every change


    def settings():
        return {name: control.value for name, control in controls.items()}


    def redraw():
        status.value = playground.summary()
        png = io.BytesIO()
        playground.figure().savefig(png, format="png", dpi=90)
        picture.value = png.getvalue()


    def restart(_=None):
        try:
            playground.reset(**settings())
        except ValueError as error:          # e.g. "4, x" in the hidden layers box
            status.value = f"cannot build this network: {error}"
            return
        redraw()


    def train_for(epochs):
        playground.optimizer.lr = controls["learning_rate"].value
        playground.regularization = controls["regularization"].value
        playground.regularization_rate = controls["regularization_rate"].value
        try:
            playground.train(epochs)
        except nn.TrainingDiverged as error:
            status.value = f"diverged: {error}"
            return
        redraw()


    for name in ("data_set", "noise", "hidden", "activation"):
        controls[name].observe(restart, names="value")
    step_button.on_click(lambda _: train_for(1))
    ten_button.on_click(lambda _: train_for(10))
    reset_button.on_click(restart)

    ui = widgets.VBox([
        widgets.HBox([widgets.VBox(list(controls.values())[:4]), widgets.VBox(list(controls.values())[4:])]),
        widgets.HBox([step_button, ten_button, reset_button]),
        status,
        picture,
    ])
    restart()
    ipython.display(ui)
    """),
    md(
        es="""
        ## Lo mismo, sin los controles

        Todo lo que hacen los botones se puede llamar directamente, y así es también como se
        comprueba este cuaderno cuando se ejecuta sin navegador. Aquí: XOR con capas ocultas de 4 y
        2 unidades tanh, entrenado 40 épocas, de 10 en 10.
        """,
        en="""
        ## The same, without the widgets

        Everything the buttons do can be called directly, which is also how this notebook is
        checked when it runs without a browser. Here: XOR with hidden layers of 4 and 2 tanh units,
        trained for 40 epochs, 10 at a time.
        """,
    ),
    code("""
    playground.reset(data_set="XOR", noise=0.1, hidden="4, 2", activation="tanh", learning_rate=0.1)
    for _ in range(4):
        playground.train(10)
        print(playground.summary())
    playground.figure()
    """),
    md(
        es="""
        **Cosas que probar**

        - el círculo sin capa oculta (la casilla vacía), y luego con una capa de 3: ¿cuándo se
          cierra la frontera?
        - XOR con `identity`: una pila de capas lineales sigue siendo lineal.
        - la espiral: el SGD simple sufre. Prueba 8, 8 unidades ReLU y una tasa de aprendizaje
          cercana a 1; luego la sigmoide.
        - una tasa de aprendizaje grande (más de 1) con ReLU: mira cómo salta la pérdida, o cómo
          diverge el entrenamiento.
        - ruido 0.5, una red grande y muchas épocas: la pérdida de prueba sube (sobreajuste).
          Después añade L2.
        """,
        en="""
        **Things to try**

        - circle with no hidden layer (empty box), then one layer of 3: when does the boundary
          close?
        - XOR with `identity`: a stack of linear layers is still linear.
        - the spiral: plain SGD struggles. Try 8, 8 ReLU units and a learning rate near 1; then
          sigmoid.
        - a large learning rate (above 1) with ReLU: watch the loss jump, or the run diverge.
        - noise 0.5, a big network and many epochs: the test loss rises (overfitting). Then add L2.
        """,
    ),
]
