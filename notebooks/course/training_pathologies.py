"""Notebook 4: what goes wrong in training, how to see it, and what helps."""

from . import code, md

CELLS = [
    md(
        es="""
        # 4. Patologías del entrenamiento

        Una red que no aprende rara vez dice por qué. Este cuaderno provoca a propósito los fallos
        clásicos y muestra los números que los delatan: la curva de pérdida, la **norma del
        gradiente de cada capa**, la dispersión de las activaciones y la distancia entre la pérdida
        de entrenamiento y la de prueba.

        - **Desvanecimiento del gradiente** (vanishing gradients): las primeras capas casi no
          reciben gradiente y dejan de aprender.
        - **Explosión del gradiente** (exploding gradients): pasos tan grandes que la pérdida se
          vuelve NaN.
        - **Subajuste** (underfitting) y **sobreajuste** (overfitting): el equilibrio entre sesgo y
          varianza, y los remedios L1, L2, abandono (dropout) y parada temprana (early stopping).
        """,
        en="""
        # 4. Training pathologies

        A network that does not learn rarely says why. This notebook provokes the classic failures
        on purpose and shows the numbers that reveal them: the loss curve, the **per-layer gradient
        norms**, the spread of the activations, and the gap between training and test loss.

        - **Vanishing gradients**: the first layers get almost no gradient and stop learning.
        - **Exploding gradients**: steps so large the loss becomes NaN.
        - **Underfitting** and **overfitting**: the bias-variance trade-off, and the remedies L1,
          L2, dropout and early stopping.
        """,
    ),
    code("""
    %matplotlib inline
    import matplotlib.pyplot as plt
    import numpy as np

    import autograd
    import nn
    import viz
    from autograd import Tensor
    from nn import data

    viz.set_language(«"es"|"en"»)

    X, y = data.make_circle(200, noise=0.1, seed=0)
    X = data.StandardScaler().fit_transform(X)      # «centrado, varianza 1: ver el cuaderno 5|centred, unit variance: see notebook 5»
    """),
    md(
        es=r"""
        ## Desvanecimiento del gradiente: una red sigmoide profunda

        La retropropagación multiplica, capa tras capa, por la derivada de la activación y por los
        pesos. La derivada de la sigmoide vale como mucho 0.25, así que a través de ocho capas
        sigmoides el gradiente encoge varios órdenes de magnitud antes de llegar a la primera capa:
        las capas cercanas a la entrada apenas se mueven y la pérdida se queda plana. La derivada
        de la ReLU vale exactamente 1 en las unidades activas y, con la **inicialización de He**
        (pesos escalados por $\sqrt{2/\text{fan-in}}$, el número de entradas de la capa), el
        gradiente conserva su tamaño a lo largo de toda la profundidad.

        `nn.fit` registra la norma del gradiente de cada capa en cada paso (`history.grad_norms`), y
        `viz.plot_gradient_norms` la dibuja en escala logarítmica.
        """,
        en=r"""
        ## Vanishing gradients: a deep sigmoid network

        Backprop multiplies, layer after layer, by the activation's derivative and by the weights.
        The sigmoid's derivative is at most 0.25, so through eight sigmoid layers the gradient
        shrinks by orders of magnitude before it reaches the first layer: the layers near the input
        barely move, and the loss stays flat. ReLU's derivative is exactly 1 for active units, and
        with **He initialisation** (weights scaled by $\sqrt{2/\text{fan-in}}$) the gradient keeps
        its size through the whole depth.

        `nn.fit` records each layer's gradient norm at every step (`history.grad_norms`), and
        `viz.plot_gradient_norms` draws them on a log scale.
        """,
    ),
    code("""
    deep = [16] * 8 + [1]
    runs = {
        "«sigmoide, inicialización de Xavier|sigmoid, Xavier init»":
            nn.tensor_mlp(2, deep, activation="sigmoid", init="xavier_uniform", seed=0),
        "«ReLU, inicialización de He|ReLU, He init»": nn.tensor_mlp(2, deep, activation="relu", init="he_uniform", seed=0),
    }
    histories = {}
    fig, axes = plt.subplots(1, 3, figsize=(17, 4), layout="constrained")
    for (name, model), ax in zip(runs.items(), axes[1:]):
        histories[name] = nn.fit(model, "bce_with_logits", nn.SGD(model.parameters(), lr=0.1), (X, y),
                                 epochs=30, batch_size=20, seed=0, progress=False)
        axes[0].plot(range(1, 31), histories[name].train_loss, marker="o", markersize=3, label=name)
        viz.plot_gradient_norms(histories[name], ax=ax, title=name)
    axes[0].set(xlabel="«época|epoch»", ylabel="«pérdida de entrenamiento|training loss»",
                title="«círculo, 8 capas ocultas de 16|circle, 8 hidden layers of 16»")
    axes[0].legend()
    axes[0].grid(alpha=0.3)
    plt.show()

    for name, history in histories.items():
        layers, norms = history.grad_norm_matrix()
        first, last = norms[0, 0], norms[0, -1]
        print(f"{name}: «primer paso, norma del gradiente de la primera capa|first step, gradient norm of the first layer» "
              f"{first:.1e}, «de la última|of the last» {last:.1e} («cociente|ratio» {first / last:.0e}); "
              f"«exactitud final|final accuracy» {history.train_accuracy[-1]:.0%}")
    """),
    md(
        es="""
        El mismo desvanecimiento se ve en el grafo: con `color_by_grad=True` cada neurona se
        colorea según el tamaño de su gradiente, en escala logarítmica (la leyenda da cada rango).
        En esta red sigmoide de seis capas ocultas, las neuronas cercanas a la salida son cálidas y
        las de la primera capa, frías: reciben gradientes varios órdenes de magnitud menores.
        """,
        en="""
        The same vanishing shows on the graph: with `color_by_grad=True` each neuron is coloured by
        the size of its gradient on a log scale (the legend gives each range). In this sigmoid
        network of six hidden layers the neurons near the output are warm and those of the first
        layer cold: their gradients are orders of magnitude smaller.
        """,
    ),
    code("""
    deep_scalar = nn.MLP(2, [4] * 6 + [1], activation="sigmoid", seed=0)
    deep_loss = (deep_scalar([float(v) for v in X[0]]) - 1.0) ** 2
    deep_loss.backward()
    viz.draw_graph(deep_loss, level="neuron", color_by_grad=True, rankdir="TB")
    """),
    md(
        es="""
        `nn.grad_norms(model)` da los mismos números para una sola pasada hacia atrás, sin
        entrenar: un chequeo rápido de la salud de una arquitectura nueva.
        """,
        en="""
        `nn.grad_norms(model)` gives the same numbers for a single backward pass, without training:
        a quick health check of a new architecture.
        """,
    ),
    code("""
    fig, ax = plt.subplots(figsize=(7, 3.5))
    width = 0.4
    for k, activation in enumerate(("sigmoid", "relu")):
        init = "he_uniform" if activation == "relu" else "xavier_uniform"
        model = nn.tensor_mlp(2, deep, activation=activation, init=init, seed=1)
        loss = nn.binary_cross_entropy_with_logits(model(Tensor(X)), y)
        loss.backward()
        norms = nn.grad_norms(model)
        ax.bar(np.arange(len(norms)) + k * width, list(norms.values()), width, label=activation)
    ax.set(yscale="log", xlabel="«capa (primero la de entrada)|layer (input side first)»",
           ylabel="«norma del gradiente|gradient norm»",
           title="«norma del gradiente por capa tras una pasada hacia atrás|per-layer gradient norms after one backward pass»")
    ax.legend()
    plt.show()
    """),
    md(
        es="""
        ## Inicialización

        Los pesos iniciales deciden si las señales sobreviven a la profundidad de la red.
        Pasamos un lote por diez capas tanh de 64 unidades y medimos la dispersión (desviación
        típica) de las activaciones de cada capa:

        - con pesos de U(-1, 1), demasiado grandes: las sumas ponderadas son enormes, la tanh se
          satura en ±1 y las derivadas son ~0 (el gradiente vuelve a desvanecerse);
        - con pesos demasiado pequeños, la señal encoge hacia 0 capa tras capa;
        - la inicialización de **Xavier/Glorot** escala los pesos según el número de entradas y de
          salidas de la capa (fan-in, fan-out), y la dispersión se mantiene más o menos igual.

        Los pesos todos a cero son aún peores: todas las neuronas de una capa calculan lo mismo y
        reciben el mismo gradiente, así que siguen idénticas para siempre (la simetría no se rompe
        nunca).
        """,
        en="""
        ## Initialisation

        The starting weights decide whether signals survive the depth of the network. Push a batch
        through ten tanh layers of 64 units and measure the spread (standard deviation) of each
        layer's activations:

        - weights from U(-1, 1) are too large: the weighted sums are big, tanh saturates at ±1, and
          the derivatives are ~0 (the gradient vanishes again);
        - weights that are too small shrink the signal towards 0 layer after layer;
        - **Xavier/Glorot** initialisation scales the weights by the layer's fan-in and fan-out, so
          the spread stays about the same.

        All-zero weights are worse: every neuron of a layer computes the same thing and gets the
        same gradient, so they stay identical forever (the symmetry is never broken).
        """,
    ),
    code("""
    rng = np.random.default_rng(0)
    batch = Tensor(rng.standard_normal((500, 64)))
    inits = {
        "«U(-1, 1): demasiado grandes|U(-1, 1): too large»": "uniform",
        "Xavier (Glorot)": "xavier_uniform",
        "«Xavier × 0.1: demasiado pequeños|Xavier × 0.1: too small»":
            lambda shape, rng: 0.1 * nn.init.xavier_uniform(shape, rng),
    }
    fig, axes = plt.subplots(1, 2, figsize=(13, 3.8), layout="constrained")
    for name, init in inits.items():
        model = nn.tensor_mlp(64, [64] * 10, activation="tanh", output_activation="tanh", init=init, seed=0)
        spreads, h = [], batch
        with autograd.no_grad():
            for module in model:
                h = module(h)
                if isinstance(module, nn.Tanh):
                    spreads.append(float(h.data.std()))
        axes[0].plot(range(1, 11), spreads, marker="o", label=name)
        if init in ("uniform", "xavier_uniform"):
            axes[1].hist(h.data.ravel(), bins=50, alpha=0.6, label=name)
    axes[0].set(xlabel="«capa|layer»", ylabel="«desviación típica de las activaciones|std of the activations»",
                yscale="log", title="«10 capas tanh de 64: la dispersión de la señal|10 tanh layers of 64: the signal's spread»")
    axes[1].set(xlabel="«valor de la activación|activation value»", ylabel="«recuento|count»",
                title="«activaciones de la capa 10 (U(-1, 1) se satura en ±1)|activations of layer 10 (U(-1, 1) saturates at ±1)»")
    for ax in axes:
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    plt.show()
    """),
    code("""
    model = nn.tensor_mlp(2, [4, 1], activation="tanh", init="zeros", seed=0)
    model[0].weight.data[...] = 0.5       # «pesos iguales (no nulos), para que algo se aprenda|equal (not zero) weights, so that something is learnt»
    nn.fit(model, "bce_with_logits", nn.SGD(model.parameters(), lr=0.5), (X, y), epochs=20, batch_size=20,
           progress=False)
    print("«pesos ocultos tras entrenar desde pesos idénticos (una fila por neurona):|hidden weights after training from identical weights (one row per neuron):»")
    print(np.round(model[0].weight.data, 4))
    print("«las cuatro neuronas ocultas siguen siendo iguales:|all four hidden neurons are still the same:»",
          bool(np.ptp(model[0].weight.data, axis=0).max() == 0))
    """),
    md(
        es="""
        ## Explosión del gradiente y pérdidas NaN

        Regresión con entradas de decenas y objetivos de centenas, con SGD simple: los primeros
        pasos son enormes, los pesos se pasan de largo, los gradientes siguientes son aún mayores y
        en pocos pasos los números desbordan. `nn.fit` se detiene en la primera pérdida o el primer
        gradiente NaN o infinito con `TrainingDiverged`, que indica la época, el paso y las capas
        cuyos gradientes explotaron.
        """,
        en="""
        ## Exploding gradients and NaN losses

        Regression with inputs in the tens and targets in the hundreds, plain SGD: the first steps
        are enormous, the weights overshoot, the next gradients are larger still, and within a few
        steps the numbers overflow. `nn.fit` stops at the first NaN or infinite loss or gradient
        with `TrainingDiverged`, naming the epoch, the step and the layers whose gradients blew up.
        """,
    ),
    code("""
    rng = np.random.default_rng(0)
    X_raw = rng.normal(0, 10, size=(200, 2))                 # «entradas sin escalar|unscaled inputs»
    y_raw = 30 * X_raw[:, 0] - 20 * X_raw[:, 1] + rng.normal(0, 5, 200)

    def regression_model():
        return nn.tensor_mlp(2, [16, 16, 1], activation="relu", seed=0)

    model = regression_model()
    try:
        with np.errstate(all="ignore"):    # «el desbordamiento es justo lo que queremos ver|the overflow itself is what we want to see»
            nn.fit(model, "mse", nn.SGD(model.parameters(), lr=0.01), (X_raw, y_raw), epochs=20, batch_size=20,
                   seed=0, progress=False)
    except nn.TrainingDiverged as error:
        diverged = error
        print(f"{type(error).__name__}: {error}")
        print("«pérdidas de los pasos anteriores:|losses of the steps before:»",
              [f"{loss:.3g}" for loss in error.history.step_loss])
    """),
    md(
        es="""
        Tres remedios, y aquí basta con cualquiera:

        - **recorte del gradiente** (gradient clipping, `clip_grad_norm=10`): se reescala el
          gradiente cuando su norma supera un umbral, de modo que ningún paso puede ser enorme;
        - una **tasa de aprendizaje más pequeña**;
        - **estandarizar las entradas y los objetivos** (media 0, varianza 1), el arreglo de
          verdad: la escala de los gradientes deja de depender de las unidades de los datos.
        """,
        en="""
        Three remedies, each enough here:

        - **gradient clipping** (`clip_grad_norm=10`): rescale the gradient whenever its norm is
          larger than a threshold, so no single step can be huge;
        - a **smaller learning rate**;
        - **standardised inputs and targets** (zero mean, unit variance), the real fix: the scale of
          the gradients then no longer depends on the units of the data.
        """,
    ),
    code("""
    x_scaler, y_scaler = data.StandardScaler(), data.StandardScaler()
    X_std = x_scaler.fit_transform(X_raw)
    y_std = y_scaler.fit_transform(y_raw[:, None])[:, 0]
    remedies = {
        "clip_grad_norm=10 (lr 0.01)": dict(data=(X_raw, y_raw), lr=0.01, clip_grad_norm=10.0),
        "lr = 1e-5": dict(data=(X_raw, y_raw), lr=1e-5),
        "«X e y estandarizados (lr 0.1)|standardised X and y (lr 0.1)»": dict(data=(X_std, y_std), lr=0.1, standard=True),
    }
    fig, ax = plt.subplots(figsize=(7, 4))
    for name, settings in remedies.items():
        model = regression_model()
        history = nn.fit(model, "mse", nn.SGD(model.parameters(), lr=settings["lr"]), settings["data"], epochs=20,
                         batch_size=20, seed=0, clip_grad_norm=settings.get("clip_grad_norm"), progress=False)
        # «Pérdidas en unidades de y², comparables (estandarizar divide entre var(y))|Losses in units of y², comparable»
        scale = y_scaler.scale_[0] ** 2 if settings.get("standard") else 1.0
        ax.plot(range(1, 21), np.array(history.train_loss) * scale, marker="o", markersize=3, label=name)
    ax.set(xlabel="«época|epoch»", ylabel="«MSE de entrenamiento (unidades de y²)|training MSE (units of y²)»",
           yscale="log", title="«tres maneras de no explotar|three ways not to explode»")
    ax.legend()
    ax.grid(alpha=0.3, which="both")
    plt.show()
    """),
    md(
        es="""
        Para encontrar *qué operación* produjo el primer NaN o infinito, se ejecuta el cálculo
        dentro de `autograd.detect_anomaly()`: cada operación comprueba su resultado y la primera
        que falla lanza un `AnomalyError` con su nombre. (Está desactivado por defecto, porque las
        comprobaciones cuestan tiempo.)
        """,
        en="""
        To find *which operation* first produced a NaN or an infinity, run the computation inside
        `autograd.detect_anomaly()`: every op checks its result, and the first bad one raises an
        `AnomalyError` naming itself. (Off by default, because the checks cost time.)
        """,
    ),
    code("""
    x = Tensor(np.array([1.0, 800.0]), requires_grad=True)
    with np.errstate(over="ignore"):
        print("«sin detección de anomalías:|without anomaly detection:»", x.exp().data)   # «un inf, en silencio|an inf, silently»
    try:
        with autograd.detect_anomaly(), np.errstate(over="ignore"):
            (x.exp() * 2).sum()
    except autograd.AnomalyError as error:
        print("«con|with» detect_anomaly():", error)
    """),
    md(
        es="""
        ## Subajuste y sobreajuste: sesgo y varianza

        Dividimos los datos en un **conjunto de entrenamiento** (training set) y un **conjunto de
        prueba** (test set): el modelo aprende del primero, y el segundo mide lo bien que se porta
        con datos que nunca ha visto.

        - **Subajuste** (underfitting, sesgo alto): el modelo es demasiado simple; la pérdida de
          entrenamiento y la de prueba son altas las dos.
        - **Sobreajuste** (overfitting, varianza alta): el modelo es tan flexible que aprende el
          ruido de los pocos puntos de entrenamiento; la pérdida de entrenamiento sigue bajando
          mientras la de prueba da la vuelta y sube.

        60 puntos de entrenamiento con ruido y 300 de prueba de dos lunas, tres modelos:
        """,
        en="""
        ## Underfitting and overfitting: bias and variance

        Split the data into a **training set** and a **test set**: the model learns from the
        first, and the second measures how well it does on data it has never seen.

        - **Underfitting** (high bias): the model is too simple; training and test loss are both
          high.
        - **Overfitting** (high variance): the model is so flexible that it learns the noise of the
          few training points; the training loss keeps falling while the test loss turns and rises.

        60 noisy training points and 300 test points of two moons, three models:
        """,
    ),
    code("""
    X, y = data.make_moons(360, noise=0.3, seed=1)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=300, seed=0)

    def train(sizes, epochs=300, dropout=0.0, seed=0, **fit_options):
        model = nn.tensor_mlp(2, sizes, activation="relu", seed=seed, dropout=dropout)
        history = nn.fit(model, "bce_with_logits", nn.Adam(model.parameters(), lr=0.01), (X_train, y_train),
                         epochs=epochs, batch_size=None, validation=(X_test, y_test), seed=seed, progress=False,
                         track_grad_norms=False, **fit_options)
        return model, history

    models = {
        "«lineal (subajuste)|linear (underfits)»": train([1]),
        "«2-8-1 (adecuado)|2-8-1 (about right)»": train([8, 1]),
        "«2-64-64-1 (sobreajuste)|2-64-64-1 (overfits)»": train([64, 64, 1]),
    }
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.6), layout="constrained")
    for ax, (name, (model, history)) in zip(axes, models.items()):
        losses = (f"«pérdida de entrenamiento|train loss» {history.train_loss[-1]:.2f}, "
                  f"«de prueba|test loss» {history.val_loss[-1]:.2f}")
        viz.plot_decision_boundary(model, X_train, y_train, ax=ax, threshold=0.0, resolution=100,
                                   title=f"{name}\\n{losses}")
    plt.show()
    """),
    md(
        es="""
        Las curvas de entrenamiento del modelo grande cuentan la historia: la pérdida de prueba
        (validación) es mínima al principio y luego sube, mientras la de entrenamiento va a 0.
        """,
        en="""
        The training curves of the large model tell the story: the test (validation) loss is lowest
        early on, then rises while the training loss goes to 0.
        """,
    ),
    code("""
    overfit_history = list(models.values())[2][1]
    viz.plot_training_curves(overfit_history, log_loss=True,
                             title="«2-64-64-1 con 60 puntos: sobreajuste|2-64-64-1 on 60 points: overfitting»")
    """),
    md(
        es=r"""
        ## Regularización: L1, L2 y abandono (dropout)

        - **L2** (decaimiento de pesos, weight decay) suma $\lambda \sum w^2$ al coste: los pesos
          grandes salen caros, así que la función se mantiene suave.
        - **L1** suma $\lambda \sum |w|$: su gradiente tiene el mismo tamaño para todos los pesos,
          por pequeños que sean, así que los pesos pequeños acaban en (casi) 0: una red dispersa.
        - El **abandono** (dropout) anula cada unidad oculta con probabilidad $p$ en cada paso de
          entrenamiento (y multiplica las demás por $1/(1-p)$), de modo que ninguna unidad puede
          depender de otra; en prueba no se anula nada.

        La misma red sobreajustada, de cinco maneras, cada una con tres semillas (pesos iniciales
        distintos). L2 y L1 mantienen baja la pérdida de prueba. El abandono hace otra cosa: da la
        mejor *exactitud* de prueba (su frontera es más simple), pero no impide que los pesos
        crezcan, así que su *pérdida* de prueba sube tanto como sin regularizar: los pocos puntos de
        prueba que clasifica mal los clasifica mal cada vez con más seguridad. Por eso el abandono
        se usa junto con L2, como hizo AlexNet con el decaimiento de pesos: juntos dan una exactitud
        de prueba mejor que sin regularizar y una pérdida de prueba tan baja como L2 sola.
        """,
        en=r"""
        ## Regularisation: L1, L2 and dropout

        - **L2** (weight decay) adds $\lambda \sum w^2$ to the cost: large weights are expensive, so
          the function stays smooth.
        - **L1** adds $\lambda \sum |w|$: its gradient has the same size for every weight, however
          small, so small weights are driven to (nearly) 0: a sparse network.
        - **Dropout** zeroes each hidden unit with probability $p$ at every training step (and
          scales the others by $1/(1-p)$), so no unit can rely on any other; at test time nothing
          is dropped.

        The same overfitting network, five ways, each with three seeds (different initial weights).
        L2 and L1 keep the test loss down. Dropout does something else: it gives the best test
        *accuracy* (its boundary is simpler), but it does not stop the weights from growing, so its
        test *loss* climbs as high as without regularisation: the few test points it gets wrong, it
        gets wrong ever more confidently. That is why dropout is used together with L2, as AlexNet
        used it with weight decay: together they give a better test accuracy than no
        regularisation and a test loss as low as L2 alone.
        """,
    ),
    code("""
    settings = {
        "«ninguna|none»": {},
        "L2, λ = 1e-3": dict(l2=1e-3),
        "L1, λ = 1e-3": dict(l1=1e-3),
        "«abandono|dropout» p = 0.5": dict(dropout=0.5),
        "«abandono|dropout» + L2": dict(dropout=0.5, l2=1e-3),
    }
    seeds = [0, 1, 2]
    regularised = {name: [train([64, 64, 1], seed=seed, **options) for seed in seeds] for name, options in settings.items()}
    final_test_loss = {name: [history.val_loss[-1] for _, history in runs] for name, runs in regularised.items()}
    final_test_accuracy = {name: [history.val_accuracy[-1] for _, history in runs] for name, runs in regularised.items()}

    fig, axes = plt.subplots(2, 2, figsize=(14, 8), layout="constrained")
    for k, (name, runs) in enumerate(regularised.items()):
        colour = f"C{k}"
        for seed, (_, history) in zip(seeds, runs):
            label = name if seed == 0 else None
            axes[0, 0].plot(history.val_loss, color=colour, linewidth=1, label=label)
            axes[0, 1].plot(history.val_accuracy, color=colour, linewidth=1, alpha=0.8, label=label)
        weights = np.concatenate([p.data.ravel() for p in nn.weight_parameters(runs[0][0])])
        axes[1, 0].hist(np.abs(weights), bins=np.logspace(-6, 1, 50), histtype="step", linewidth=1.5, color=colour,
                        label=name)
        small = np.mean(np.abs(weights) < 1e-3)
        print(f"{name:>18}: «pérdida de prueba|test loss» {np.round(final_test_loss[name], 2)}, "
              f"«exactitud en prueba|test accuracy» {np.round(final_test_accuracy[name], 3)}, "
              f"«pesos por debajo de 1e-3|weights below 1e-3»: {small:.0%}")
    axes[0, 0].set(xlabel="«época|epoch»", ylabel="«pérdida de prueba|test loss»", ylim=(0.2, 2.5),
                   title="«pérdida de prueba (3 semillas)|test loss (3 seeds)»")
    axes[0, 1].set(xlabel="«época|epoch»", ylabel="«exactitud en prueba|test accuracy»", ylim=(0.8, 0.92),
                   title="«exactitud en prueba (3 semillas)|test accuracy (3 seeds)»")
    axes[1, 0].set(xscale="log", xlabel="|«peso|weight»|", ylabel="«recuento|count»",
                   title="«los pesos (semilla 0): L1 lleva muchos a ~0|the weights (seed 0): L1 sends many to ~0»")
    for ax in axes.ravel()[:3]:
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    viz.plot_decision_boundary(regularised["«abandono|dropout» + L2"][0][0], X_train, y_train, ax=axes[1, 1],
                               threshold=0.0, resolution=100, title="«2-64-64-1 con abandono y L2|2-64-64-1 with dropout and L2»")
    plt.show()
    """),
    md(
        es="""
        ## Parada temprana (early stopping)

        El remedio más sencillo: vigilar la pérdida de validación y parar cuando lleva un número de
        épocas sin mejorar (la *paciencia*, patience); después se recuperan los pesos de la mejor
        época.
        """,
        en="""
        ## Early stopping

        The simplest remedy: watch the validation loss and stop when it has not improved for a
        number of epochs (the *patience*), then put back the weights of the best epoch.
        """,
    ),
    code("""
    model, history = train([64, 64, 1], early_stopping=20)
    print(f"«parada temprana|stopped early»: {history.stopped_early}, «tras|after» {history.epochs} «épocas|epochs»; "
          f"«mejor época|best epoch» {history.best_epoch}, «pérdida de prueba|test loss» {min(history.val_loss):.3f} "
          "«(se recuperan sus pesos)|(its weights restored)»")
    viz.plot_training_curves(history, title="«parada temprana con paciencia 20|early stopping with patience 20»")
    """),
    md(
        es="""
        **Para recordar**

        - Mira la norma del gradiente de cada capa: varios órdenes de magnitud entre la primera y
          la última capa indican desvanecimiento del gradiente (usa activaciones tipo ReLU y una
          inicialización adecuada); un NaN indica explosión (estandariza los datos, baja la tasa de
          aprendizaje, recorta los gradientes).
        - Guarda siempre un conjunto de prueba. Una pérdida de entrenamiento muy por debajo de la de
          prueba es sobreajuste; las dos altas, subajuste.
        - L2, L1 y la parada temprana cambian un poco de ajuste en entrenamiento por una pérdida de
          prueba menor; el abandono mejora la exactitud de prueba, y se usa junto con L2.

        Siguiente: [5. Un perceptrón multicapa con imágenes](05_mlp_on_images.ipynb).
        """,
        en="""
        **What to remember**

        - Look at the per-layer gradient norms: orders of magnitude between first and last layer
          mean vanishing gradients (use ReLU-like activations and a fitting initialisation); NaN
          means exploding (standardise the data, lower the learning rate, clip the gradients).
        - Always keep a test set. Training loss far below test loss is overfitting; both high is
          underfitting.
        - L2, L1 and early stopping trade a little training fit for a lower test loss; dropout
          improves the test accuracy, and goes together with L2.

        Next: [5. An MLP on images](05_mlp_on_images.ipynb).
        """,
    ),
]
