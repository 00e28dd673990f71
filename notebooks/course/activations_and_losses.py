"""Notebook 2: activation functions and loss functions."""

from . import code, md

CELLS = [
    md("""
    # 2. Activations and losses (*funciones de activación y de pérdida*)

    Two choices shape every network: the **activation function** (*función de activación*) that
    bends each neuron's weighted sum, and the **loss** (*pérdida*) that tells training what
    "wrong" means. Backprop multiplies by the derivative of each one, so we look at the
    derivatives as much as at the functions, and the derivatives here are computed by backprop
    itself, through a `Value`.
    """),
    code("""
    %matplotlib inline
    import matplotlib.pyplot as plt
    import numpy as np

    import autograd
    import nn
    import viz
    from autograd import Tensor, Value
    """),
    md(r"""
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
    """),
    code("""
    viz.plot_activations(["identity", "sigmoid", "tanh", "relu", ("leaky_relu", {"alpha": 0.1}), "elu"],
                         x_range=(-5, 5))
    """),
    md("""
    ## Saturation (*saturación*)

    Sigmoid and tanh flatten out for large |x|: their derivative goes to 0, the neuron is
    **saturated**, and almost no gradient flows back through it. Even at its best, the sigmoid's
    derivative is 0.25, so a chain of ten sigmoid layers scales a gradient by at most
    0.25¹⁰ ≈ 10⁻⁶: the root of **vanishing gradients** (notebook 4). ReLU's derivative is exactly
    1 wherever the unit is active, which is why deep ReLU networks train; but a unit whose input
    is always negative gets gradient 0 and never recovers (a *dead* ReLU), which Leaky ReLU and ELU
    avoid.
    """),
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
    md(r"""
    ## Maxout

    A Maxout unit computes $k$ weighted sums and keeps the largest:
    $\text{maxout}(x) = \max_j (w_j x + b_j)$. It *learns* its activation: with two pieces it can be
    ReLU ($\max(0, x)$), the absolute value, or any convex piecewise-linear shape. The gradient
    flows only into the piece that won, exactly like ReLU's.
    """),
    code("""
    pieces = [(1.0, 0.0), (-0.5, -0.5), (0.2, 0.8)]     # (w_j, b_j) for three linear pieces
    xs = np.linspace(-4, 4, 161)
    outputs, winners = [], []
    for x in xs:
        sums = [Value(w) * x + b for w, b in pieces]
        out = autograd.max(sums)                        # Maxout's op
        out.backward()
        outputs.append(out.data)
        winners.append([s.grad for s in sums].index(1.0))  # only the winner gets gradient 1

    fig, ax = plt.subplots(figsize=(6, 3.5))
    for j, (w, b) in enumerate(pieces):
        ax.plot(xs, w * xs + b, "--", linewidth=1, label=f"piece {j}: {w:+.1f}x {b:+.1f}")
    ax.plot(xs, outputs, color="k", linewidth=2.5, label="maxout = max of the pieces")
    ax.scatter(xs[::8], np.array(outputs)[::8], c=np.array(winners)[::8], cmap="tab10", vmin=0, vmax=9,
               zorder=3, s=18)
    ax.set(xlabel="x", ylabel="output", title="Maxout with k = 3: the gradient goes to the winning piece (dots)")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    plt.show()

    layer = nn.Layer(2, 3, ("maxout", {"k": 2}), rng=0)   # 3 outputs, each the max of 2 weighted sums
    print(layer, "holds", len(layer.neurons), "linear neurons")
    """),
    md(r"""
    ## Softmax: scores into probabilities

    For the output layer of a classifier with $C$ classes, **softmax** turns $C$ scores (*logits*)
    into probabilities that add up to 1:

    $$s_i = \frac{e^{z_i}}{\sum_j e^{z_j}}, \qquad \frac{\partial s_i}{\partial z_j} = s_i(\delta_{ij} - s_j).$$

    Its derivative is a whole matrix (every output depends on every score). When one score is much
    larger than the others, softmax saturates too: the output is nearly one-hot and the whole
    matrix is nearly 0.
    """),
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
        print(f"scores {scores} → probabilities {np.array2string(np.array(probabilities), precision=6)}")
        print(f"sum of probabilities: {sum(probabilities):.1f}")
        print("Jacobian ∂s_i/∂z_j:\\n", np.round(softmax_jacobian(scores), 5), "\\n")
    """),
    md("""
    ## Losses (*funciones de pérdida*)

    A loss compares one prediction with its target; the **cost function** (*función de coste*) is
    its average over the examples, the single number that training makes small.

    | loss | for | one example |
    |---|---|---|
    | MAE, mean absolute error (L1) | regression | $\\lvert x - t\\rvert$ |
    | MSE, mean squared error | regression | $(x - t)^2$ |
    | BCE, binary cross-entropy (log loss) | two classes, $p\\in(0,1)$ | $-t\\log p - (1-t)\\log(1-p)$ |
    | cross-entropy | $C$ classes, logits $z$ | $-\\log \\text{softmax}(z)_y$ |
    | hinge | two classes, $t = \\pm 1$ | $\\max(0, 1 - t\\,x)$ |

    Below, each loss as a function of the prediction for target 1, with its derivative (dashed).
    MSE's gradient grows with the error while MAE's stays the same size; BCE's explodes as the
    predicted probability of the right class goes to 0; hinge is 0 (and so is its gradient) once
    the example is on the right side with margin 1.
    """),
    code("""
    def loss_and_slope(loss_fn, prediction, target):
        x = Value(prediction)
        loss = loss_fn(x, target)
        loss.backward()
        return loss.data, x.grad


    panels = [
        ("MAE (L1)", nn.l1_loss, np.linspace(-2, 3, 201), 1.0, "prediction x"),
        ("MSE", nn.mse_loss, np.linspace(-2, 3, 201), 1.0, "prediction x"),
        ("BCE (log loss)", nn.binary_cross_entropy, np.linspace(0.02, 0.98, 201), 1.0, "predicted probability p"),
        ("hinge", nn.hinge_loss, np.linspace(-2, 3, 201), 1.0, "score x"),
    ]
    fig, axes = plt.subplots(1, 4, figsize=(14, 3.2), layout="constrained")
    for ax, (name, loss_fn, xs, target, xlabel) in zip(axes, panels):
        values, slopes = np.array([loss_and_slope(loss_fn, x, target) for x in xs]).T
        ax.plot(xs, values, linewidth=2, label="loss")
        ax.plot(xs, slopes, "--", label="d loss / d prediction")
        ax.axhline(0, color="grey", linewidth=0.6)
        ax.set(title=f"{name}, target {target:g}", xlabel=xlabel)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    axes[2].set_ylim(-10, 5)
    plt.show()
    """),
    md(r"""
    ### Why classifiers use cross-entropy and not MSE

    Take a sigmoid output $p = \sigma(z)$ that is confidently wrong: $z = -6$ for target 1. The
    gradient that reaches the logit $z$ is

    - with BCE: $\partial L/\partial z = p - t \approx -1$, a strong push;
    - with MSE: $\partial L/\partial z = 2(p - t)\,\sigma'(z) \approx -0.005$: the sigmoid's
      saturation cancels the push, and learning stalls exactly when the model is most wrong.
    """),
    code("""
    for name, loss_fn in (("BCE", nn.binary_cross_entropy), ("MSE", nn.mse_loss)):
        z = Value(-6.0)
        loss_fn(z.sigmoid(), 1.0).backward()
        print(f"{name}: gradient reaching the logit z = {z.grad:+.4f}")
    """),
    md(r"""
    ### Cross-entropy for several classes

    With softmax outputs and the label $y$ as a class index (or one-hot vector), the loss is
    $-\log s_y$, and its gradient with respect to the logits is simply
    $\text{softmax}(z) - \text{onehot}(y)$. Both engines agree: a list of `Value`s or a `Tensor`
    (a batch of rows).
    """),
    code("""
    scores = [2.0, 1.0, 0.1]
    label = 1
    z = [Value(v) for v in scores]
    loss = nn.cross_entropy(z, label)
    loss.backward()
    expected = np.array([p.data for p in autograd.softmax(scores)]) - nn.data.one_hot([label], 3)[0]
    probability = autograd.softmax(scores)[label].data
    print(f"cross-entropy {loss.data:.4f} = -log(softmax)[{label}] = {-np.log(probability):.4f}")
    print("gradient (Values):     ", np.round([v.grad for v in z], 4))
    print("softmax - one-hot:     ", np.round(expected, 4))

    logits = Tensor(np.array([scores]), requires_grad=True, dtype=np.float64)
    nn.cross_entropy(logits, [label]).backward()
    print("gradient (Tensor):     ", np.round(logits.grad[0], 4))
    """),
    md("""
    ### Hinge loss and the ±1 labels

    The hinge loss wants the score $x$ to have the sign of the label $t \\in \\{-1, +1\\}$ *with a
    margin*: $t\\,x \\ge 1$. Examples beyond the margin cost nothing and send no gradient, so
    training concentrates on the examples near the boundary (as a support vector machine does).
    `nn.data.to_plus_minus_one` converts 0/1 labels.
    """),
    code("""
    scores = Tensor(np.array([2.5, 0.4, -0.3, -2.0]), requires_grad=True, dtype=np.float64)
    labels = nn.data.to_plus_minus_one([1, 1, 1, 0])
    loss = nn.hinge_loss(scores, labels, reduction="none")
    loss.sum().backward()
    for s, t, l, g in zip(scores.data, labels, loss.data, scores.grad):
        g += 0.0  # turns -0 into 0
        print(f"score {s:+.1f}, label {t:+.0f}: margin t·x = {t * s:+.1f}, loss {l:.1f}, gradient {g:+.0f}")
    """),
    md("""
    **What to remember**

    - Backprop multiplies by every activation's derivative: where it is near 0 (saturation, dead
      ReLU), learning stops.
    - ReLU and its relatives keep a derivative of 1 on the active side; Maxout learns its shape.
    - Softmax turns scores into probabilities; with cross-entropy its gradient is simply
      `softmax - onehot`.
    - Pick the loss for the task: MSE/MAE for numbers, BCE or cross-entropy for classes, hinge
      for ±1 labels with a margin.

    Next: [3. The perceptron and the MLP](03_perceptron_and_mlp.ipynb).
    """),
]
