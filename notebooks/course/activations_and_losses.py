"""Notebook 2: activation functions and loss functions."""

from . import code, md

CELLS = [
    md(
        es="""
        # 2. Funciones de activación y de pérdida

        Dos decisiones dan forma a toda red: la **función de activación** (activation function),
        que dobla la suma ponderada de cada neurona, y la **función de pérdida** o de coste
        (loss), que le dice al entrenamiento qué significa "equivocarse". La retropropagación
        multiplica por la derivada de cada una, así que miramos las derivadas tanto como las
        funciones; y las derivadas de este cuaderno las calcula la propia retropropagación, a
        través de un `Value`.
        """,
        en="""
        # 2. Activations and losses

        Two choices shape every network: the **activation function** that bends each neuron's
        weighted sum, and the **loss** that tells training what "wrong" means. Backprop multiplies
        by the derivative of each one, so we look at the derivatives as much as at the functions,
        and the derivatives here are computed by backprop itself, through a `Value`.
        """,
    ),
    code("""
    %matplotlib inline
    import matplotlib.pyplot as plt
    import numpy as np

    import autograd
    import nn
    import viz
    from autograd import Tensor, Value

    viz.set_language(«"es"|"en"»)
    """),
    md(
        es=r"""
        ## Las activaciones elemento a elemento

        | nombre | fórmula | derivada |
        |---|---|---|
        | identidad (lineal) | $x$ | $1$ |
        | sigmoide (logística) | $\sigma(x) = 1/(1+e^{-x})$ | $\sigma(x)(1-\sigma(x)) \le 0.25$ |
        | tangente hiperbólica (tanh) | $\tanh x$ | $1-\tanh^2 x \le 1$ |
        | ReLU | $\max(0, x)$ | $1$ si $x>0$, si no $0$ |
        | Leaky ReLU | $x$ si $x>0$, si no $\alpha x$ | $1$ o $\alpha$ |
        | ELU | $x$ si $x>0$, si no $\alpha(e^x-1)$ | $1$ o $\alpha e^x$ |

        Línea continua: la función; discontinua: su derivada, tal como la calcula la
        retropropagación.
        """,
        en=r"""
        ## The element-wise activations

        | name | formula | derivative |
        |---|---|---|
        | identity (linear) | $x$ | $1$ |
        | sigmoid (logistic) | $\sigma(x) = 1/(1+e^{-x})$ | $\sigma(x)(1-\sigma(x)) \le 0.25$ |
        | tanh | $\tanh x$ | $1-\tanh^2 x \le 1$ |
        | ReLU | $\max(0, x)$ | $1$ if $x>0$ else $0$ |
        | Leaky ReLU | $x$ if $x>0$ else $\alpha x$ | $1$ or $\alpha$ |
        | ELU | $x$ if $x>0$ else $\alpha(e^x-1)$ | $1$ or $\alpha e^x$ |

        Solid: the function; dashed: its derivative, as backprop computes it.
        """,
    ),
    code("""
    viz.plot_activations(["identity", "sigmoid", "tanh", "relu", ("leaky_relu", {"alpha": 0.1}), "elu"],
                         x_range=(-5, 5))
    """),
    md(
        es="""
        ## Saturación

        La sigmoide y la tanh se aplanan cuando |x| es grande: su derivada tiende a 0, la neurona
        está **saturada** y apenas le llega gradiente. Incluso en su mejor punto la derivada de la
        sigmoide vale 0.25, así que una cadena de diez capas sigmoides multiplica un gradiente
        como mucho por 0.25¹⁰ ≈ 10⁻⁶: es la raíz del **desvanecimiento del gradiente** (vanishing
        gradients, cuaderno 4). La derivada de la ReLU vale exactamente 1 allí donde la unidad está
        activa, y por eso las redes ReLU profundas se entrenan; pero una unidad cuya entrada es
        siempre negativa recibe gradiente 0 y no se recupera nunca (una ReLU *muerta*, dead ReLU),
        algo que Leaky ReLU y ELU evitan.
        """,
        en="""
        ## Saturation

        Sigmoid and tanh flatten out for large |x|: their derivative goes to 0, the neuron is
        **saturated**, and almost no gradient flows back through it. Even at its best, the sigmoid's
        derivative is 0.25, so a chain of ten sigmoid layers scales a gradient by at most
        0.25¹⁰ ≈ 10⁻⁶: the root of **vanishing gradients** (notebook 4). ReLU's derivative is exactly
        1 wherever the unit is active, which is why deep ReLU networks train; but a unit whose input
        is always negative gets gradient 0 and never recovers (a *dead* ReLU), which Leaky ReLU and
        ELU avoid.
        """,
    ),
    code("""
    def derivative(activation, x, **options):
        \"\"\"d activation / dx at x, by backprop through one Value.\"\"\"
        v = Value(x)
        getattr(v, activation)(**options).backward()
        return v.grad


    print(f"{'x':>6} | {'sigmoid':>9} {'tanh':>9} {'relu':>6} {'leaky_relu':>10} {'elu':>7}")
    for x in (-10.0, -3.0, -1.0, 0.0, 1.0, 3.0, 10.0):
        print(f"{x:6.1f} | {derivative('sigmoid', x):9.2e} {derivative('tanh', x):9.2e} "
              f"{derivative('relu', x):6.1f} {derivative('leaky_relu', x, alpha=0.1):10.2f} "
              f"{derivative('elu', x):7.3f}")
    """),
    md(
        es=r"""
        ## Maxout

        Una unidad Maxout calcula $k$ sumas ponderadas y se queda con la mayor:
        $\text{maxout}(x) = \max_j (w_j x + b_j)$. *Aprende* su propia activación: con dos piezas
        puede ser una ReLU ($\max(0, x)$), el valor absoluto o cualquier forma convexa lineal a
        trozos. El gradiente solo entra en la pieza ganadora, exactamente como en la ReLU.
        """,
        en=r"""
        ## Maxout

        A Maxout unit computes $k$ weighted sums and keeps the largest:
        $\text{maxout}(x) = \max_j (w_j x + b_j)$. It *learns* its activation: with two pieces it
        can be ReLU ($\max(0, x)$), the absolute value, or any convex piecewise-linear shape. The
        gradient flows only into the piece that won, exactly like ReLU's.
        """,
    ),
    code("""
    pieces = [(1.0, 0.0), (-0.5, -0.5), (0.2, 0.8)]     # «(w_j, b_j) de tres piezas lineales|(w_j, b_j) for three linear pieces»
    xs = np.linspace(-4, 4, 161)
    outputs, winners = [], []
    for x in xs:
        sums = [Value(w) * x + b for w, b in pieces]
        out = autograd.max(sums)                        # «la operación de Maxout|Maxout's op»
        out.backward()
        outputs.append(out.data)
        winners.append([s.grad for s in sums].index(1.0))  # «solo la ganadora recibe gradiente 1|only the winner gets gradient 1»

    fig, ax = plt.subplots(figsize=(6, 3.5))
    for j, (w, b) in enumerate(pieces):
        ax.plot(xs, w * xs + b, "--", linewidth=1, label=f"«pieza|piece» {j}: {w:+.1f}x {b:+.1f}")
    ax.plot(xs, outputs, color="k", linewidth=2.5, label="«maxout = máximo de las piezas|maxout = max of the pieces»")
    ax.scatter(xs[::8], np.array(outputs)[::8], c=np.array(winners)[::8], cmap="tab10", vmin=0, vmax=9,
               zorder=3, s=18)
    ax.set(xlabel="x", ylabel="«salida|output»",
           title="«Maxout con k = 3: el gradiente va a la pieza ganadora (puntos)|Maxout with k = 3: the gradient goes to the winning piece (dots)»")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    plt.show()

    layer = nn.Layer(2, 3, ("maxout", {"k": 2}), rng=0)   # «3 salidas, cada una el máximo de 2 sumas|3 outputs, each the max of 2 sums»
    print(layer, "«contiene|holds»", len(layer.neurons), "«neuronas lineales|linear neurons»")
    """),
    md(
        es=r"""
        ## Softmax: de puntuaciones a probabilidades

        En la capa de salida de un clasificador de $C$ clases, la **softmax** convierte $C$
        puntuaciones (*logits*) en probabilidades que suman 1:

        $$s_i = \frac{e^{z_i}}{\sum_j e^{z_j}}, \qquad \frac{\partial s_i}{\partial z_j} = s_i(\delta_{ij} - s_j).$$

        Su derivada es una matriz entera (cada salida depende de todas las puntuaciones). Cuando una
        puntuación es mucho mayor que las demás, la softmax también se satura: la salida es casi
        one-hot y toda la matriz es casi 0.
        """,
        en=r"""
        ## Softmax: scores into probabilities

        For the output layer of a classifier with $C$ classes, **softmax** turns $C$ scores
        (*logits*) into probabilities that add up to 1:

        $$s_i = \frac{e^{z_i}}{\sum_j e^{z_j}}, \qquad \frac{\partial s_i}{\partial z_j} = s_i(\delta_{ij} - s_j).$$

        Its derivative is a whole matrix (every output depends on every score). When one score is
        much larger than the others, softmax saturates too: the output is nearly one-hot and the
        whole matrix is nearly 0.
        """,
    ),
    code("""
    def softmax_jacobian(scores):
        \"\"\"The matrix ∂s_i/∂z_j, one row per output, found by backprop from each output in turn.\"\"\"
        rows = []
        for i in range(len(scores)):
            z = [Value(v) for v in scores]
            autograd.softmax(z)[i].backward()
            rows.append([v.grad for v in z])
        return np.array(rows)


    for scores in ([2.0, 1.0, 0.1], [20.0, 10.0, 1.0]):
        probabilities = [p.data for p in autograd.softmax(scores)]
        print(f"«puntuaciones|scores» {scores} → «probabilidades|probabilities» "
              f"{np.array2string(np.array(probabilities), precision=6)}")
        print(f"«suma de las probabilidades|sum of probabilities»: {sum(probabilities):.1f}")
        print("«jacobiana|Jacobian» ∂s_i/∂z_j:\\n", np.round(softmax_jacobian(scores), 5), "\\n")
    """),
    md(
        es="""
        ## Funciones de pérdida

        Una pérdida compara una predicción con su objetivo; la **función de coste** (cost function)
        es su media sobre los ejemplos, el único número que el entrenamiento hace pequeño.

        | pérdida | para | un ejemplo |
        |---|---|---|
        | MAE, error absoluto medio (L1) | regresión | $\\lvert x - t\\rvert$ |
        | MSE, error cuadrático medio | regresión | $(x - t)^2$ |
        | BCE, entropía cruzada binaria (log loss) | dos clases, $p\\in(0,1)$ | $-t\\log p - (1-t)\\log(1-p)$ |
        | entropía cruzada (cross-entropy) | $C$ clases, logits $z$ | $-\\log \\text{softmax}(z)_y$ |
        | bisagra (hinge) | dos clases, $t = \\pm 1$ | $\\max(0, 1 - t\\,x)$ |

        Abajo, cada pérdida en función de la predicción para el objetivo 1, con su derivada
        (discontinua). El gradiente de la MSE crece con el error, mientras que el de la MAE tiene
        siempre el mismo tamaño; el de la BCE se dispara cuando la probabilidad predicha para la
        clase correcta tiende a 0; la bisagra vale 0 (y su gradiente también) en cuanto el ejemplo
        queda del lado correcto con margen 1.
        """,
        en="""
        ## Losses

        A loss compares one prediction with its target; the **cost function** is its average over
        the examples, the single number that training makes small.

        | loss | for | one example |
        |---|---|---|
        | MAE, mean absolute error (L1) | regression | $\\lvert x - t\\rvert$ |
        | MSE, mean squared error | regression | $(x - t)^2$ |
        | BCE, binary cross-entropy (log loss) | two classes, $p\\in(0,1)$ | $-t\\log p - (1-t)\\log(1-p)$ |
        | cross-entropy | $C$ classes, logits $z$ | $-\\log \\text{softmax}(z)_y$ |
        | hinge | two classes, $t = \\pm 1$ | $\\max(0, 1 - t\\,x)$ |

        Below, each loss as a function of the prediction for target 1, with its derivative
        (dashed). MSE's gradient grows with the error while MAE's stays the same size; BCE's
        explodes as the predicted probability of the right class goes to 0; hinge is 0 (and so is
        its gradient) once the example is on the right side with margin 1.
        """,
    ),
    code("""
    def loss_and_slope(loss_fn, prediction, target):
        x = Value(prediction)
        loss = loss_fn(x, target)
        loss.backward()
        return loss.data, x.grad


    panels = [
        ("MAE (L1)", nn.l1_loss, np.linspace(-2, 3, 201), 1.0, "«predicción x|prediction x»"),
        ("MSE", nn.mse_loss, np.linspace(-2, 3, 201), 1.0, "«predicción x|prediction x»"),
        ("BCE (log loss)", nn.binary_cross_entropy, np.linspace(0.02, 0.98, 201), 1.0,
         "«probabilidad predicha p|predicted probability p»"),
        ("«bisagra (hinge)|hinge»", nn.hinge_loss, np.linspace(-2, 3, 201), 1.0, "«puntuación x|score x»"),
    ]
    fig, axes = plt.subplots(1, 4, figsize=(14, 3.2), layout="constrained")
    for ax, (name, loss_fn, xs, target, xlabel) in zip(axes, panels):
        values, slopes = np.array([loss_and_slope(loss_fn, x, target) for x in xs]).T
        ax.plot(xs, values, linewidth=2, label="«pérdida|loss»")
        ax.plot(xs, slopes, "--", label="«d pérdida / d predicción|d loss / d prediction»")
        ax.axhline(0, color="grey", linewidth=0.6)
        ax.set(title=f"{name}, «objetivo|target» {target:g}", xlabel=xlabel)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    axes[2].set_ylim(-10, 5)
    plt.show()
    """),
    md(
        es=r"""
        ### Por qué los clasificadores usan entropía cruzada y no MSE

        Tomemos una salida sigmoide $p = \sigma(z)$ que se equivoca con mucha seguridad: $z = -6$
        para el objetivo 1. El gradiente que llega al logit $z$ es

        - con BCE: $\partial L/\partial z = p - t \approx -1$, un empujón fuerte;
        - con MSE: $\partial L/\partial z = 2(p - t)\,\sigma'(z) \approx -0.005$: la saturación de
          la sigmoide anula el empujón, y el aprendizaje se atasca justo cuando el modelo más se
          equivoca.
        """,
        en=r"""
        ### Why classifiers use cross-entropy and not MSE

        Take a sigmoid output $p = \sigma(z)$ that is confidently wrong: $z = -6$ for target 1. The
        gradient that reaches the logit $z$ is

        - with BCE: $\partial L/\partial z = p - t \approx -1$, a strong push;
        - with MSE: $\partial L/\partial z = 2(p - t)\,\sigma'(z) \approx -0.005$: the sigmoid's
          saturation cancels the push, and learning stalls exactly when the model is most wrong.
        """,
    ),
    code("""
    for name, loss_fn in (("BCE", nn.binary_cross_entropy), ("MSE", nn.mse_loss)):
        z = Value(-6.0)
        loss_fn(z.sigmoid(), 1.0).backward()
        print(f"{name}: «gradiente que llega al logit|gradient reaching the logit» z = {z.grad:+.4f}")
    """),
    md(
        es=r"""
        ### Entropía cruzada con varias clases

        Con salidas softmax y la etiqueta $y$ como índice de clase (o como vector one-hot), la
        pérdida es $-\log s_y$, y su gradiente respecto de los logits es simplemente
        $\text{softmax}(z) - \text{onehot}(y)$. Los dos motores coinciden: una lista de `Value`s o
        un `Tensor` (un lote de filas).
        """,
        en=r"""
        ### Cross-entropy for several classes

        With softmax outputs and the label $y$ as a class index (or one-hot vector), the loss is
        $-\log s_y$, and its gradient with respect to the logits is simply
        $\text{softmax}(z) - \text{onehot}(y)$. Both engines agree: a list of `Value`s or a `Tensor`
        (a batch of rows).
        """,
    ),
    code("""
    scores = [2.0, 1.0, 0.1]
    label = 1
    z = [Value(v) for v in scores]
    loss = nn.cross_entropy(z, label)
    loss.backward()
    expected = np.array([p.data for p in autograd.softmax(scores)]) - nn.data.one_hot([label], 3)[0]
    probability = autograd.softmax(scores)[label].data
    print(f"«entropía cruzada|cross-entropy» {loss.data:.4f} = -log(softmax)[{label}] = {-np.log(probability):.4f}")
    print("«gradiente (Values):    |gradient (Values):     »", np.round([v.grad for v in z], 4))
    print("softmax - one-hot:     ", np.round(expected, 4))

    logits = Tensor(np.array([scores]), requires_grad=True, dtype=np.float64)
    nn.cross_entropy(logits, [label]).backward()
    print("«gradiente (Tensor):    |gradient (Tensor):     »", np.round(logits.grad[0], 4))
    """),
    md(
        es="""
        ### La pérdida bisagra y las etiquetas ±1

        La pérdida bisagra (hinge) quiere que la puntuación $x$ tenga el signo de la etiqueta
        $t \\in \\{-1, +1\\}$ *con margen*: $t\\,x \\ge 1$. Los ejemplos más allá del margen no
        cuestan nada ni envían gradiente, así que el entrenamiento se concentra en los ejemplos
        cercanos a la frontera (como hace una máquina de vectores soporte). `nn.data.to_plus_minus_one`
        convierte etiquetas 0/1.
        """,
        en="""
        ### Hinge loss and the ±1 labels

        The hinge loss wants the score $x$ to have the sign of the label $t \\in \\{-1, +1\\}$
        *with a margin*: $t\\,x \\ge 1$. Examples beyond the margin cost nothing and send no
        gradient, so training concentrates on the examples near the boundary (as a support vector
        machine does). `nn.data.to_plus_minus_one` converts 0/1 labels.
        """,
    ),
    code("""
    scores = Tensor(np.array([2.5, 0.4, -0.3, -2.0]), requires_grad=True, dtype=np.float64)
    labels = nn.data.to_plus_minus_one([1, 1, 1, 0])
    loss = nn.hinge_loss(scores, labels, reduction="none")
    loss.sum().backward()
    for s, t, l, g in zip(scores.data, labels, loss.data, scores.grad):
        g += 0.0  # «convierte -0 en 0|turns -0 into 0»
        print(f"«puntuación|score» {s:+.1f}, «etiqueta|label» {t:+.0f}: «margen|margin» t·x = {t * s:+.1f}, "
              f"«pérdida|loss» {l:.1f}, «gradiente|gradient» {g:+.0f}")
    """),
    md(
        es="""
        **Para recordar**

        - La retropropagación multiplica por la derivada de cada activación: donde es casi 0
          (saturación, ReLU muerta), el aprendizaje se detiene.
        - La ReLU y sus parientes mantienen derivada 1 en el lado activo; Maxout aprende su forma.
        - La softmax convierte puntuaciones en probabilidades; con la entropía cruzada, su
          gradiente es simplemente `softmax - onehot`.
        - Elige la pérdida según la tarea: MSE/MAE para números, BCE o entropía cruzada para
          clases, bisagra para etiquetas ±1 con margen.

        Siguiente: [3. El perceptrón y el perceptrón multicapa](03_perceptron_and_mlp.ipynb).
        """,
        en="""
        **What to remember**

        - Backprop multiplies by every activation's derivative: where it is near 0 (saturation,
          dead ReLU), learning stops.
        - ReLU and its relatives keep a derivative of 1 on the active side; Maxout learns its shape.
        - Softmax turns scores into probabilities; with cross-entropy its gradient is simply
          `softmax - onehot`.
        - Pick the loss for the task: MSE/MAE for numbers, BCE or cross-entropy for classes, hinge
          for ±1 labels with a margin.

        Next: [3. The perceptron and the MLP](03_perceptron_and_mlp.ipynb).
        """,
    ),
]
