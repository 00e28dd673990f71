"""Notebook 3: the perceptron, the MLP classifier, and how to descend the gradient."""

from . import code, md

CELLS = [
    md(
        es="""
        # 3. El perceptrón y el perceptrón multicapa

        Una neurona traza una sola recta en el plano. Este cuaderno muestra lo que eso no puede
        resolver (XOR), cómo lo arregla una **capa oculta** (hidden layer) y, después, los mandos
        del entrenamiento: la **tasa de aprendizaje** (learning rate), el tamaño del **lote**
        (mini-batch), el optimizador y la planificación de la tasa de aprendizaje (schedule).
        """,
        en="""
        # 3. The perceptron and the MLP classifier

        One neuron draws one straight line through the plane. This notebook shows what that cannot
        do (XOR), how one **hidden layer** fixes it, and then the knobs of training: the
        **learning rate**, the **mini-batch** size, the optimiser and the learning-rate schedule.
        """,
    ),
    code("""
    %matplotlib inline
    import time

    import matplotlib.pyplot as plt
    import numpy as np

    import nn
    import viz
    from nn import data

    viz.set_language(«"es"|"en"»)
    """),
    md(
        es=r"""
        ## El perceptrón

        El perceptrón de Rosenblatt es una neurona con activación escalón: responde 1 cuando
        $w \cdot x + b > 0$ y 0 en otro caso. Su regla de aprendizaje solo mueve los pesos cuando
        se equivoca:

        $$w \leftarrow w + \eta\,(t - \hat y)\,x, \qquad b \leftarrow b + \eta\,(t - \hat y).$$

        Si una recta puede separar las dos clases (datos *linealmente separables*), la regla
        encuentra una en un número finito de pasos. Con XOR no existe tal recta, y los errores no
        terminan nunca.
        """,
        en=r"""
        ## The perceptron

        Rosenblatt's perceptron is a neuron with a step activation: it answers 1 when
        $w \cdot x + b > 0$, else 0. Its learning rule moves the weights only on mistakes:

        $$w \leftarrow w + \eta\,(t - \hat y)\,x, \qquad b \leftarrow b + \eta\,(t - \hat y).$$

        When a straight line can separate the two classes (*linearly separable* data), the rule
        finds one in a finite number of steps. On XOR no line exists, and the mistakes never stop.
        """,
    ),
    code("""
    def train_perceptron(X, y, epochs=30, learning_rate=0.1, seed=0):
        \"\"\"Rosenblatt's rule; returns the weights, the bias and the number of mistakes in each epoch.\"\"\"
        rng = np.random.default_rng(seed)
        w, b = np.zeros(X.shape[1]), 0.0
        mistakes = []
        for _ in range(epochs):
            wrong = 0
            for i in rng.permutation(len(X)):
                predicted = 1 if X[i] @ w + b > 0 else 0
                if predicted != y[i]:
                    w += learning_rate * (y[i] - predicted) * X[i]
                    b += learning_rate * (y[i] - predicted)
                    wrong += 1
            mistakes.append(wrong)
        return w, b, mistakes


    gaussian = data.make_gaussian(200, noise=0.0, seed=1)
    xor = data.make_xor(200, noise=0.0, seed=1)
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), layout="constrained")
    for ax, (name, (X, y)) in zip(axes[:2], (("«gaussianas|Gaussian»", gaussian), ("XOR", xor))):
        w, b, mistakes = train_perceptron(X, y)
        axes[2].plot(mistakes, marker="o", markersize=3, label=name)
        ax.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", s=12, edgecolors="k", linewidths=0.3)
        xs = np.linspace(-6, 6, 2)
        if abs(w[1]) > 1e-12:
            ax.plot(xs, -(w[0] * xs + b) / w[1], "k", linewidth=1.5, label="w·x + b = 0")
        ax.set(xlim=(-6.5, 6.5), ylim=(-6.5, 6.5),
               title=f"{name}: {mistakes[-1]} «errores en la última época|mistakes in the last epoch»")
        ax.legend(loc="lower right", fontsize=8)
    axes[2].set(xlabel="«época|epoch»", ylabel="«errores en la época|mistakes in the epoch»",
                title="«la regla del perceptrón|the perceptron rule»")
    axes[2].legend()
    axes[2].grid(alpha=0.3)
    plt.show()
    """),
    md(
        es="""
        ## Una capa oculta resuelve XOR

        Lo mismo le pasa a cualquier capa única entrenada con descenso del gradiente: un modelo
        lineal (aquí una sola capa `Linear`, una regresión logística entrenada con entropía cruzada
        binaria) se queda en el azar con XOR. Añadimos una capa oculta de unas pocas neuronas tanh y
        la red ya puede curvar su frontera: cada neurona oculta traza una recta y la neurona de
        salida las combina.

        `nn.tensor_mlp(2, [4, 1], activation="tanh")` es la red 2-4-1 sobre el motor tensorial, el rápido
        (sus parámetros son arrays de NumPy); `nn.fit` ejecuta el bucle de entrenamiento: pasada
        hacia delante, pérdida, retropropagación y paso del optimizador, para cada lote de cada
        **época** (epoch).
        """,
        en="""
        ## One hidden layer solves XOR

        The same happens to any single layer trained by gradient descent: a linear model (here one
        `Linear` layer, a logistic regression trained with binary cross-entropy) stays at chance on
        XOR. Add a hidden layer of a few tanh neurons and the network can bend its boundary: each
        hidden neuron draws a line, and the output neuron combines them.

        `nn.tensor_mlp(2, [4, 1], activation="tanh")` is the network 2-4-1 on the fast tensor engine (its
        parameters are NumPy arrays); `nn.fit` runs the training loop: forward, loss, backward,
        optimiser step, for every mini-batch of every **epoch**.
        """,
    ),
    code("""
    X, y = xor
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.25, seed=0)

    linear_model = nn.tensor_mlp(2, [1], seed=0)                       # «sin capa oculta|no hidden layer»
    hidden_model = nn.tensor_mlp(2, [4, 1], activation="tanh", seed=0)  # «una capa oculta de 4 neuronas|one hidden layer of 4»
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.4), layout="constrained")
    names = ("«XOR, sin capa oculta|XOR, no hidden layer»", "«XOR, una capa oculta|XOR, one hidden layer»")
    for ax, model, name in zip(axes, (linear_model, hidden_model), names):
        history = nn.fit(model, "bce_with_logits", nn.Adam(model.parameters(), lr=0.05), (X_train, y_train),
                         epochs=60, batch_size=16, validation=(X_test, y_test), seed=0, progress=False)
        print(f"{name}: «exactitud en entrenamiento|training accuracy» {history.train_accuracy[-1]:.0%}, "
              f"«exactitud en prueba|test accuracy» {history.val_accuracy[-1]:.0%}")
        viz.plot_decision_boundary(model, X_train, y_train, ax=ax, threshold=0.0, title=name)
    plt.show()
    """),
    md(
        es="""
        El dibujo de la red entrenada, al estilo del TensorFlow Playground: las líneas naranjas son
        pesos positivos, las azules negativos, y cuanto más gruesas, mayores.
        """,
        en="""
        The picture of the trained network, in the style of the TensorFlow Playground: orange lines
        are positive weights, blue negative, thicker means larger.
        """,
    ),
    code("""
    viz.draw_mlp(hidden_model)
    """),
    md(
        es=r"""
        ## Una capa oculta basta: la aproximación universal

        Hornik, Stinchcombe y White demostraron en 1989 el **teorema de aproximación universal**
        (universal approximation theorem): una red con *una sola* capa oculta de activaciones
        sigmoides aproxima cualquier función continua en un intervalo acotado tan bien como se
        quiera, con tal de tener neuronas suficientes. (Vale también para ReLU: Leshno y
        colaboradores, 1993.) Con ReLU se ve muy bien por qué: cada neurona oculta añade un codo a
        una línea quebrada, y con más codos la línea sigue mejor a la curva.

        Ajustamos $\sin x$ en $[-\pi, \pi]$ con una capa oculta de 1, 2, 4, 8, 16 y 32 neuronas
        ReLU (L-BFGS, pérdida MSE), con tres semillas por anchura. El teorema dice que el error
        *puede* hacerse tan pequeño como se quiera; no dice cuántas neuronas hacen falta ni que el
        entrenamiento vaya a encontrar los pesos, y esa es una de las razones para usar redes
        profundas.
        """,
        en=r"""
        ## One hidden layer is enough: universal approximation

        Hornik, Stinchcombe and White proved in 1989 the **universal approximation theorem**: a
        network with a *single* hidden layer of sigmoid units approximates any continuous function
        on a bounded interval as closely as we like, given enough neurons. (It holds for ReLU too:
        Leshno and colleagues, 1993.) With ReLU it is easy to see why: each hidden neuron adds one
        kink to a broken line, and with more kinks the line follows the curve more closely.

        We fit $\sin x$ on $[-\pi, \pi]$ with one hidden layer of 1, 2, 4, 8, 16 and 32 ReLU
        neurons (L-BFGS, MSE loss), three seeds per width. The theorem says the error *can* be made
        as small as we like; it says nothing about how many neurons that takes, nor that training
        will find the weights, which is one reason deep networks are used.
        """,
    ),
    code("""
    x = np.linspace(-np.pi, np.pi, 100)[:, None]
    grid = np.linspace(-np.pi, np.pi, 500)[:, None]
    widths, seeds = [1, 2, 4, 8, 16, 32], [0, 1, 2]
    errors, fits = {}, {}                       # «por (anchura, semilla): el error RMS y el ajuste|per (width, seed): RMS error and fit»
    for width in widths:
        for seed in seeds:
            model = nn.tensor_mlp(1, [width, 1], activation="relu", seed=seed, dtype=np.float64)
            optimizer = nn.LBFGS(model.parameters(), lr=1.0, max_iter=100, line_search_fn="strong_wolfe")
            nn.fit(model, "mse", optimizer, (x, np.sin(x[:, 0])), epochs=3, progress=False)
            prediction = nn.predict(model, grid)[:, 0]
            errors[width, seed] = np.sqrt(np.mean((prediction - np.sin(grid[:, 0])) ** 2))
            fits[width, seed] = prediction
    median_errors = [float(np.median([errors[width, seed] for seed in seeds])) for width in widths]
    for width, error in zip(widths, median_errors):
        print(f"«anchura|width» {width:>2}: «error RMS (mediana de 3 semillas)|RMS error (median of 3 seeds)» {error:.4f}")

    fig, axes = plt.subplots(1, 2, figsize=(13, 4), layout="constrained")
    axes[0].plot(grid, np.sin(grid), color="k", linewidth=3, alpha=0.3, label="sin x")
    for width in (1, 2, 4, 16):
        typical = sorted(seeds, key=lambda seed: errors[width, seed])[1]    # «la semilla mediana|the median seed»
        axes[0].plot(grid, fits[width, typical], linewidth=1.3, label=f"«anchura|width» {width}")
    axes[0].set(xlabel="x", title="«una capa oculta: más neuronas, más codos|one hidden layer: more neurons, more kinks»")
    axes[0].legend(fontsize=8)
    for seed in seeds:
        axes[1].scatter(widths, [errors[width, seed] for width in widths], color="grey", s=12)
    axes[1].plot(widths, median_errors, marker="o", label="«mediana de 3 semillas|median of 3 seeds»")
    axes[1].set(xscale="log", yscale="log", xticks=widths, xticklabels=widths,
                xlabel="«neuronas de la capa oculta|neurons in the hidden layer»",
                ylabel="«error RMS frente a sin x|RMS error against sin x»",
                title="«el error baja al crecer la anchura|the error falls as the width grows»")
    axes[1].legend(fontsize=8)
    for ax in axes:
        ax.grid(alpha=0.3, which="both")
    plt.show()
    """),
    md(
        es="""
        ## Los conjuntos de datos del Playground

        Los cuatro conjuntos de clasificación del TensorFlow Playground: **círculo**, **XOR**,
        **gaussianas** y **espiral**. Cada uno recibe un MLP pequeño con dos capas ocultas; la
        espiral es la más difícil y necesita más neuronas, más épocas y unidades ReLU. El motor
        tensorial entrena cada uno en un segundo o menos.
        """,
        en="""
        ## The Playground data sets

        The four classification sets of the TensorFlow Playground: **circle**, **XOR**,
        **Gaussian** and **spiral**. Each gets a small MLP with two hidden layers; the spiral is the
        hardest and needs more neurons, more epochs and ReLU units. The tensor engine trains each in
        about a second or less.
        """,
    ),
    code("""
    sets = {
        "«círculo|circle»": (data.make_circle(300, noise=0.1, seed=0), [8, 1], 40, "tanh"),
        "XOR": (data.make_xor(300, noise=0.1, seed=0), [8, 1], 40, "tanh"),
        "«gaussianas|Gaussian»": (data.make_gaussian(300, noise=0.1, seed=0), [8, 1], 20, "tanh"),
        # «tanh aprende la espiral mucho más despacio que ReLU|tanh learns the spiral far more slowly than ReLU»
        "«espiral|spiral»": (data.make_spiral(200, noise=0.05, seed=0), [24, 24, 1], 100, "relu"),
    }
    fig, axes = plt.subplots(1, 4, figsize=(18, 4.4), layout="constrained")
    for ax, (name, ((X, y), sizes, epochs, activation)) in zip(axes, sets.items()):
        X = X / 6.0                                   # «el cuadrado del Playground|the Playground square» [-6, 6]² → [-1, 1]²
        model = nn.tensor_mlp(2, sizes, activation=activation, seed=0)
        history = nn.fit(model, "bce_with_logits", nn.Adam(model.parameters(), lr=0.01), (X, y),
                         epochs=epochs, batch_size=16, seed=0, progress=False)
        architecture = "-".join(map(str, [2, *sizes]))
        print(f"{name:>11}: MLP {architecture} ({activation}), {epochs} «épocas|epochs», "
              f"«exactitud en entrenamiento|training accuracy» {history.train_accuracy[-1]:.0%}")
        viz.plot_decision_boundary(model, X, y, ax=ax, threshold=0.0, resolution=120,
                                   title=f"{name} ({architecture})")
    plt.show()
    """),
    md(
        es="""
        ## La demostración de las lunas en el motor escalar

        La demostración clásica: 100 puntos de dos lunas, un MLP 2-16-16-1 en el que cada peso es
        un `Value`, la pérdida bisagra con etiquetas ±1, una pequeña penalización L2 y el descenso
        del gradiente escrito a mano, como en clase. Cada época es una pasada hacia delante por
        todos los puntos, un `backward()` a través de un grafo de decenas de miles de nodos y una
        actualización de los 337 parámetros.
        """,
        en="""
        ## The moons demo on the scalar engine

        The classic demonstration: 100 points of two moons, an MLP 2-16-16-1 whose every weight is
        a `Value`, the hinge loss with labels ±1, a small L2 penalty, and plain gradient descent
        written out as in the lecture. Each epoch is one forward pass over all the points, one
        `backward()` through a graph of tens of thousands of nodes, and one update of the 337
        parameters.
        """,
    ),
    code("""
    X, labels = data.make_moons(100, noise=0.1, seed=0)
    y = data.to_plus_minus_one(labels)                  # «la pérdida bisagra quiere -1/+1|hinge loss wants -1/+1»

    model = nn.MLP(2, [16, 16, 1], activation="relu", init="uniform", seed=0)
    parameters = model.parameters()
    optimizer = nn.SGD(parameters, lr=1.0)
    epochs = 60
    start = time.perf_counter()
    for epoch in range(epochs):
        scores = [model(list(x)) for x in X]                                 # «pasada hacia delante|forward»
        loss = nn.hinge_loss(scores, y) + 1e-4 * nn.l2_penalty(parameters)   # «coste|cost» + L2
        optimizer.zero_grad()
        loss.backward()                                                      # «retropropagación|backprop»
        optimizer.lr = 1.0 - 0.9 * epoch / epochs                            # «tasa de aprendizaje|learning rate» 1.0 → 0.1
        optimizer.step()                                                     # w -= lr * grad
        if epoch % 10 == 0 or epoch == epochs - 1:
            accuracy = np.mean(np.sign([s.data for s in scores]) == y)
            print(f"«época|epoch» {epoch:3d}: «pérdida|loss» {loss.data:.4f}, "
                  f"«exactitud en entrenamiento|training accuracy» {accuracy:.0%}")
    print(f"{model.num_parameters()} «parámetros|parameters», {time.perf_counter() - start:.1f} s "
          "«en el motor escalar|on the scalar engine»")
    """),
    code("""
    fig, axes = plt.subplots(1, 2, figsize=(13, 5), layout="constrained", width_ratios=[1, 1.3])
    # «Los mismos pesos en el motor tensorial: la frontera pide 40 000 pasadas|Same weights on the tensor engine: 40,000 passes»
    viz.plot_decision_boundary(nn.to_tensor(model), X, y.astype(int), ax=axes[0], threshold=0.0,
                               title="«dos lunas, MLP escalar 2-16-16-1|two moons, scalar MLP 2-16-16-1»")
    viz.draw_mlp(model, ax=axes[1],
                 title="«la red entrenada: pesos naranjas > 0, azules < 0|the trained network: orange weights > 0, blue < 0»")
    plt.show()
    """),
    md(
        es="""
        ### La retropropagación de un punto, neurona a neurona

        ¿Qué hace `backward()` dentro de esta red? El paso a paso sobre la pérdida de un solo punto
        de entrenamiento (el peor clasificado, para que su pérdida no sea cero), con los pesos
        entrenados, recorre las 33 neuronas de la última a la primera: en cada fotograma, una
        neurona recibe su gradiente y lo reparte entre sus pesos y las neuronas de la capa anterior.
        (Hay 337 parámetros: cada neurona los resume en su caja.)
        """,
        en="""
        ### Backprop of one point, neuron by neuron

        What does `backward()` do inside this network? The stepper on the loss of a single training
        point (the worst classified, so that its loss is not zero), with the trained weights, walks
        the 33 neurons from the last to the first: in each frame one neuron receives its gradient
        and shares it among its weights and the neurons of the layer before. (There are 337
        parameters: each neuron sums its own up in its box.)
        """,
    ),
    code("""
    margins = [target * model(list(x)).data for x, target in zip(X, y)]
    worst = int(np.argmin(margins))        # «el punto peor clasificado: su pérdida no es cero|the worst point: its loss is not zero»
    point_loss = nn.hinge_loss([model(list(X[worst]))], y[worst : worst + 1])
    stepper = viz.BackpropStepper(point_loss, model=model)
    print(stepper.caption(3))
    stepper
    """),
    md(
        es="""
        ## La tasa de aprendizaje

        Demasiado pequeña y el entrenamiento avanza a paso de tortuga; demasiado grande y cada paso
        se pasa del mínimo, así que la pérdida salta de un lado a otro en vez de bajar. (Cuando un
        paso se pasa tanto que la pérdida se vuelve infinita o NaN, `nn.fit` se detiene con
        `TrainingDiverged`: cuaderno 4.)
        """,
        en="""
        ## The learning rate

        Too small and training crawls; too large and each step overshoots the minimum, so the loss
        jumps around instead of falling. (When a step overshoots so far that the loss becomes
        infinite or NaN, `nn.fit` stops with `TrainingDiverged`: notebook 4.)
        """,
    ),
    code("""
    X, y = data.make_circle(300, noise=0.1, seed=0)
    X = data.StandardScaler().fit_transform(X)
    fig, ax = plt.subplots(figsize=(7, 4))
    verdicts = ("«demasiado pequeña|too small»", "«adecuada|about right»", "«demasiado grande|too large»")
    for learning_rate, verdict in zip((0.01, 1.0, 30.0), verdicts):
        model = nn.tensor_mlp(2, [8, 1], activation="tanh", seed=0)
        history = nn.fit(model, "bce_with_logits", nn.SGD(model.parameters(), lr=learning_rate), (X, y),
                         epochs=25, batch_size=30, seed=0, progress=False)
        ax.plot(range(1, 26), history.train_loss, marker="o", markersize=2,
                label=f"lr = {learning_rate:g} ({verdict}): «pérdida final|final loss» {history.train_loss[-1]:.3f}")
    ax.set(xlabel="«época|epoch»", ylabel="«pérdida de entrenamiento|training loss»", yscale="log",
           title="«círculo, MLP 2-8-1, tres tasas de aprendizaje|circle, MLP 2-8-1, three learning rates»")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    plt.show()
    """),
    md(
        es="""
        ## El tamaño del lote: descenso del gradiente, SGD por lotes y SGD

        El gradiente del coste es una media sobre los ejemplos. El **descenso del gradiente por lote
        completo** (full batch) los usa todos en cada paso: preciso, pero un solo paso por época.
        El **descenso del gradiente estocástico** (SGD) usa un ejemplo por paso: ruidoso, muchos
        pasos. El **SGD por minilotes** (mini-batch) queda en medio: unas decenas de ejemplos por
        paso, la elección habitual. Por época, los lotes pequeños avanzan más; por paso, los lotes
        grandes dan una pérdida más suave.
        """,
        en="""
        ## Batch size: gradient descent, mini-batch SGD and SGD

        The gradient of the cost is an average over examples. **Full-batch gradient descent** uses
        all of them for every step: accurate, but one step per epoch. **Stochastic gradient
        descent** uses one example per step: noisy, many steps. **Mini-batch SGD** sits between: a
        few dozen examples per step, the usual choice. Per epoch, smaller batches make more
        progress; per step, larger batches give a smoother loss.
        """,
    ),
    code("""
    X_small, y_small = X[:150], y[:150]
    fig, axes = plt.subplots(1, 2, figsize=(13, 4), layout="constrained")
    batches = ((None, "«lote completo|full batch»"), (16, "«minilote de 16|mini-batch of 16»"),
               (1, "«un ejemplo (SGD)|one example (SGD)»"))
    for batch_size, name in batches:
        model = nn.tensor_mlp(2, [8, 1], activation="tanh", seed=0)
        start = time.perf_counter()
        history = nn.fit(model, "bce_with_logits", nn.SGD(model.parameters(), lr=0.1), (X_small, y_small),
                         epochs=10, batch_size=batch_size, seed=0, progress=False)
        seconds = time.perf_counter() - start
        steps = len(history.step_loss)
        axes[0].plot(range(1, 11), history.train_loss, marker="o", markersize=3,
                     label=f"{name}: {steps} «pasos|steps», {seconds:.2f} s")
        axes[1].plot(history.step_loss[:300], linewidth=0.8, label=name)
    axes[0].set(xlabel="«época|epoch»", ylabel="«pérdida de entrenamiento|training loss»", title="«por época|per epoch»")
    axes[1].set(xlabel="«paso (los 300 primeros)|step (first 300)»", ylabel="«pérdida del lote del paso|loss of the step's batch»",
                title="«por paso: el ruido de los lotes pequeños|per step: the noise of small batches»")
    for ax in axes:
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    plt.show()
    """),
    md(
        es=r"""
        ## Optimizadores

        Todos usan el mismo gradiente; se diferencian en cómo lo convierten en un paso.

        - **SGD**: $w \leftarrow w - \eta g$.
        - **Momento** (momentum): se mantiene una velocidad $v \leftarrow \mu v + g$ y se avanza en
          su dirección, de modo que las direcciones constantes aceleran y los zigzags se anulan.
        - **RMSprop**: divide el paso de cada peso por una media cuadrática móvil de sus
          gradientes, para que todos los pesos avancen a un ritmo parecido.
        - **Adam**: momento y RMSprop juntos (con una corrección del sesgo de los primeros pasos);
          una opción por defecto robusta.
        - **L-BFGS**: un método cuasi-Newton que se hace una idea de la curvatura a partir de los
          últimos gradientes y busca a lo largo de una recta; necesita el lote completo y brilla en
          **conjuntos de datos pequeños** con pérdidas suaves. Cada uno de sus pasos hace hasta 20
          pasadas hacia delante y hacia atrás. (Aquí lleva la pérdida a casi 0 con datos ruidosos:
          también aprende el ruido, lo que el cuaderno 4 llama sobreajuste.)
        """,
        en=r"""
        ## Optimisers

        All of them use the same gradient; they differ in how they turn it into a step.

        - **SGD**: $w \leftarrow w - \eta g$.
        - **Momentum**: keep a velocity $v \leftarrow \mu v + g$ and step along it, so consistent
          directions speed up and zig-zags cancel.
        - **RMSprop**: divide each weight's step by a running root-mean-square of its gradients, so
          every weight moves at a similar pace.
        - **Adam**: momentum and RMSprop together (with a bias correction for the first steps); a
          robust default.
        - **L-BFGS**: a quasi-Newton method that builds a picture of the curvature from the last
          gradients and searches along a line; it needs the full batch and shines on **small data
          sets** with smooth losses. One of its steps runs up to 20 forward/backward passes. (Here
          it drives the loss to ~0 on noisy data: it fits the noise too, which notebook 4 calls
          overfitting.)
        """,
    ),
    code("""
    X, y = data.make_moons(200, noise=0.2, seed=0)
    X = data.StandardScaler().fit_transform(X)
    optimizers = {
        "SGD": lambda p: nn.SGD(p, lr=0.1),
        "«SGD + momento 0.9|SGD + momentum 0.9»": lambda p: nn.SGD(p, lr=0.1, momentum=0.9),
        "RMSprop": lambda p: nn.RMSprop(p, lr=0.01),
        "Adam": lambda p: nn.Adam(p, lr=0.01),
        "«L-BFGS (lote completo)|L-BFGS (full batch)»": lambda p: nn.LBFGS(p, lr=1.0, max_iter=20,
                                                                           line_search_fn="strong_wolfe"),
    }
    fig, ax = plt.subplots(figsize=(7, 4))
    for name, make in optimizers.items():
        model = nn.tensor_mlp(2, [16, 16, 1], activation="tanh", seed=0)
        history = nn.fit(model, "bce_with_logits", make(model.parameters()), (X, y),
                         epochs=30, batch_size=20, seed=0, progress=False)
        ax.plot(range(1, 31), history.train_loss, label=f"{name}: «exactitud|accuracy» {history.train_accuracy[-1]:.0%}")
    ax.set(xlabel="«época|epoch»", ylabel="«pérdida de entrenamiento|training loss»", yscale="log",
           title="«lunas con ruido, MLP 2-16-16-1|noisy moons, MLP 2-16-16-1»")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, which="both")
    plt.show()
    """),
    md(
        es="""
        ## Planificación de la tasa de aprendizaje (schedules)

        Un paso grande al principio avanza deprisa; un paso pequeño al final se asienta en el
        mínimo. Una planificación fija la tasa de aprendizaje del optimizador en cada época, y
        `preview(n)` enumera las tasas sin entrenar.

        Con SGD en minilotes de 20 y una tasa de aprendizaje de 2, la tasa constante sigue
        rebotando hasta el final: cada minilote empuja los pesos lejos del mínimo, y la pérdida
        salta de una época a la siguiente. Las planificaciones que decaen empiezan igual de rápido
        y después se asientan. Lo comprobamos con tres semillas (datos barajados y pesos iniciales
        distintos): en cada una, todas las planificaciones que decaen terminan con una pérdida menor
        que la constante, y su pérdida cambia mucho menos entre las últimas épocas.
        """,
        en="""
        ## Learning-rate schedules

        A large step early moves fast; a small step late settles into the minimum. A schedule sets
        the optimiser's learning rate at every epoch, and `preview(n)` lists the rates without
        training.

        With SGD on mini-batches of 20 at a learning rate of 2, the constant rate keeps bouncing to
        the end: every mini-batch kicks the weights away from the minimum, and the loss jumps from
        one epoch to the next. The decaying schedules start as fast, then settle. We check it over
        three seeds (different shuffles and initial weights): in each, every decaying schedule ends
        with a lower loss than the constant rate, and its loss changes far less between the last
        epochs.
        """,
    ),
    code("""
    def fresh_optimizer():
        return nn.SGD(nn.tensor_mlp(2, [1], seed=0).parameters(), lr=2.0)


    schedules = {
        "«constante|constant»": None,
        "«StepLR (mitad cada 10)|StepLR (halve every 10)»": lambda o: nn.StepLR(o, step_size=10, gamma=0.5),
        "ExponentialLR (γ = 0.93)": lambda o: nn.ExponentialLR(o, gamma=0.93),
        "CosineAnnealingLR": lambda o: nn.CosineAnnealingLR(o, T_max=40),
        "«calentamiento + coseno|warm-up + cosine»": lambda o: nn.warmup_cosine(o, warmup_steps=5, total_steps=40),
    }
    seeds = [0, 1, 2]
    final_loss, bounce = {}, {}       # «por planificación: una cifra por semilla|per schedule: one number per seed»
    fig, axes = plt.subplots(1, 2, figsize=(13, 4), layout="constrained")
    for name, make in schedules.items():
        rates = [2.0] * 40 if make is None else make(fresh_optimizer()).preview(40)
        axes[0].plot(rates, label=name)
        final_loss[name], bounce[name] = [], []
        for seed in seeds:
            model = nn.tensor_mlp(2, [16, 16, 1], activation="tanh", seed=seed)
            optimizer = nn.SGD(model.parameters(), lr=2.0)
            scheduler = None if make is None else make(optimizer)
            history = nn.fit(model, "bce_with_logits", optimizer, (X, y), epochs=40, batch_size=20, seed=seed,
                             scheduler=scheduler, progress=False, track_grad_norms=False)
            final_loss[name].append(history.train_loss[-1])
            # «el rebote: cuánto cambia la pérdida, de media, entre las 10 últimas épocas|the bounce: how much the loss changes, on average, over the last 10 epochs»
            bounce[name].append(float(np.mean(np.abs(np.diff(history.train_loss[-10:])))))
            if seed == 0:
                axes[1].plot(range(1, 41), history.train_loss, label=name)
        print(f"{name:>26}: «pérdida final (3 semillas)|final loss (3 seeds)» {np.round(final_loss[name], 3)}, "
              f"«rebote al final|bounce at the end» {np.median(bounce[name]):.4f}")
    axes[0].set(xlabel="«época|epoch»", ylabel="«tasa de aprendizaje|learning rate»", title="«las planificaciones|the schedules»")
    axes[1].set(xlabel="«época|epoch»", ylabel="«pérdida de entrenamiento|training loss»", yscale="log",
                title="«lunas con ruido, SGD en minilotes de 20 con lr 2 (semilla 0)|noisy moons, SGD on mini-batches of 20 at lr 2 (seed 0)»")
    for ax in axes:
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3, which="both")
    plt.show()
    """),
    md(
        es="""
        **Para recordar**

        - Una neurona (o una capa) solo separa clases con una recta; una capa oculta de neuronas no
          lineales curva la frontera.
        - La tasa de aprendizaje es el primer mando que hay que ajustar: demasiado pequeña se
          arrastra, demasiado grande diverge.
        - Los minilotes equilibran la precisión de cada paso con el número de pasos; Adam es una
          buena opción por defecto, y L-BFGS una buena elección para conjuntos de datos pequeños.

        Siguiente: [4. Patologías del entrenamiento](04_training_pathologies.ipynb).
        """,
        en="""
        **What to remember**

        - One neuron (or one layer) separates classes with a straight line only; a hidden layer of
          non-linear neurons bends the boundary.
        - The learning rate is the first knob to tune: too small crawls, too large diverges.
        - Mini-batches trade the accuracy of each step against the number of steps; Adam is a good
          default, L-BFGS a good choice for small data sets.

        Next: [4. Training pathologies](04_training_pathologies.ipynb).
        """,
    ),
]
