"""Notebook 4: what goes wrong in training, how to see it, and what helps."""

from . import code, md

CELLS = [
    md("""
    # 4. Training pathologies (*patologías del entrenamiento*)

    A network that does not learn rarely says why. This notebook provokes the classic failures on
    purpose and shows the numbers that reveal them: the loss curve, the **per-layer gradient
    norms**, the spread of the activations, and the gap between training and test loss.

    - **Vanishing gradients** (*desvanecimiento del gradiente*): the first layers get almost no
      gradient and stop learning.
    - **Exploding gradients** (*explosión del gradiente*): steps so large the loss becomes NaN.
    - **Underfitting** and **overfitting** (*sobreajuste*): the bias-variance trade-off, and the
      remedies L1, L2, dropout and early stopping.
    """),
    code("""
    %matplotlib inline
    import matplotlib.pyplot as plt
    import numpy as np

    import autograd
    import nn
    import viz
    from autograd import Tensor
    from nn import data

    X, y = data.make_circle(200, noise=0.1, seed=0)
    X = data.StandardScaler().fit_transform(X)      # centred, unit variance: see notebook 5
    """),
    md(r"""
    ## Vanishing gradients: a deep sigmoid network

    Backprop multiplies, layer after layer, by the activation's derivative and by the weights.
    The sigmoid's derivative is at most 0.25, so through eight sigmoid layers the gradient shrinks
    by orders of magnitude before it reaches the first layer: the layers near the input barely
    move, and the loss stays flat. ReLU's derivative is exactly 1 for active units, and with
    **He initialisation** (weights scaled by $\sqrt{2/\text{fan-in}}$) the gradient keeps its
    size through the whole depth.

    `nn.fit` records each layer's gradient norm at every step (`history.grad_norms`), and
    `viz.plot_gradient_norms` draws them on a log scale.
    """),
    code("""
    deep = [16] * 8 + [1]
    runs = {
        "sigmoid, Xavier init": nn.mlp(2, deep, activation="sigmoid", init="xavier_uniform", seed=0),
        "ReLU, He init": nn.mlp(2, deep, activation="relu", init="he_uniform", seed=0),
    }
    histories = {}
    fig, axes = plt.subplots(1, 3, figsize=(17, 4), layout="constrained")
    for (name, model), ax in zip(runs.items(), axes[1:]):
        histories[name] = nn.fit(model, "bce_with_logits", nn.SGD(model.parameters(), lr=0.1), (X, y),
                                 epochs=30, batch_size=20, seed=0, progress=False)
        axes[0].plot(range(1, 31), histories[name].train_loss, marker="o", markersize=3, label=name)
        viz.plot_gradient_norms(histories[name], ax=ax, title=f"{name}: gradient norm of each layer")
    axes[0].set(xlabel="epoch", ylabel="training loss", title="circle, 8 hidden layers of 16")
    axes[0].legend()
    axes[0].grid(alpha=0.3)
    plt.show()

    for name, history in histories.items():
        layers, norms = history.grad_norm_matrix()
        first, last = norms[0, 0], norms[0, -1]
        print(f"{name}: first step, gradient norm of the first layer {first:.1e}, of the last {last:.1e} "
              f"(ratio {first / last:.0e}); final accuracy {history.train_accuracy[-1]:.0%}")
    """),
    md("""
    `nn.grad_norms(model)` gives the same numbers for a single backward pass, without training:
    a quick health check of a new architecture.
    """),
    code("""
    fig, ax = plt.subplots(figsize=(7, 3.5))
    width = 0.4
    for k, activation in enumerate(("sigmoid", "relu")):
        init = "he_uniform" if activation == "relu" else "xavier_uniform"
        model = nn.mlp(2, deep, activation=activation, init=init, seed=1)
        loss = nn.binary_cross_entropy_with_logits(model(Tensor(X)), y)
        loss.backward()
        norms = nn.grad_norms(model)
        ax.bar(np.arange(len(norms)) + k * width, list(norms.values()), width, label=activation)
    ax.set(yscale="log", xlabel="layer (input side first)", ylabel="gradient norm",
           title="per-layer gradient norms after one backward pass")
    ax.legend()
    plt.show()
    """),
    md("""
    ## Initialisation (*inicialización*)

    The starting weights decide whether signals survive the depth of the network. Push a batch
    through ten tanh layers of 64 units and measure the spread (standard deviation) of each
    layer's activations:

    - weights from U(-1, 1) are too large: the weighted sums are big, tanh saturates at ±1, and
      the derivatives are ~0 (the gradient vanishes again);
    - weights that are too small shrink the signal towards 0 layer after layer;
    - **Xavier/Glorot** initialisation scales the weights by the layer's fan-in and fan-out, so the
      spread stays about the same.

    All-zero weights are worse: every neuron of a layer computes the same thing and gets the same
    gradient, so they stay identical forever (the symmetry is never broken).
    """),
    code("""
    rng = np.random.default_rng(0)
    batch = Tensor(rng.standard_normal((500, 64)))
    inits = {
        "U(-1, 1): too large": "uniform",
        "Xavier (Glorot)": "xavier_uniform",
        "Xavier × 0.1: too small": lambda shape, rng: 0.1 * nn.init.xavier_uniform(shape, rng),
    }
    fig, axes = plt.subplots(1, 2, figsize=(13, 3.8), layout="constrained")
    for name, init in inits.items():
        model = nn.mlp(64, [64] * 10, activation="tanh", output_activation="tanh", init=init, seed=0)
        spreads, h = [], batch
        with autograd.no_grad():
            for module in model:
                h = module(h)
                if isinstance(module, nn.Tanh):
                    spreads.append(float(h.data.std()))
        axes[0].plot(range(1, 11), spreads, marker="o", label=name)
        if name.startswith("U"):
            axes[1].hist(h.data.ravel(), bins=50, alpha=0.6, label=f"{name}")
        if name.startswith("Xavier ("):
            axes[1].hist(h.data.ravel(), bins=50, alpha=0.6, label=f"{name}")
    axes[0].set(xlabel="layer", ylabel="std of the activations", yscale="log",
                title="10 tanh layers of 64: the signal's spread")
    axes[1].set(xlabel="activation value", ylabel="count",
                title="activations of layer 10 (U(-1, 1) saturates at ±1)")
    for ax in axes:
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    plt.show()
    """),
    code("""
    model = nn.mlp(2, [4, 1], activation="tanh", init="zeros", seed=0)
    model[0].weight.data[...] = 0.5       # equal (not zero) weights, so that something is learnt
    nn.fit(model, "bce_with_logits", nn.SGD(model.parameters(), lr=0.5), (X, y), epochs=20, batch_size=20,
           progress=False)
    print("hidden weights after training from identical weights (one row per neuron):")
    print(np.round(model[0].weight.data, 4))
    print("all four hidden neurons are still the same:", bool(np.ptp(model[0].weight.data, axis=0).max() == 0))
    """),
    md("""
    ## Exploding gradients and NaN losses

    Regression with inputs in the tens and targets in the hundreds, plain SGD: the first steps
    are enormous, the weights overshoot, the next gradients are larger still, and within a few
    steps the numbers overflow. `nn.fit` stops at the first NaN or infinite loss or gradient
    with `TrainingDiverged`, naming the epoch, the step and the layers whose gradients blew up.
    """),
    code("""
    rng = np.random.default_rng(0)
    X_raw = rng.normal(0, 10, size=(200, 2))                 # unscaled inputs
    y_raw = 30 * X_raw[:, 0] - 20 * X_raw[:, 1] + rng.normal(0, 5, 200)

    def regression_model():
        return nn.mlp(2, [16, 16, 1], activation="relu", seed=0)

    model = regression_model()
    try:
        with np.errstate(all="ignore"):    # the overflow itself is what we want to see
            nn.fit(model, "mse", nn.SGD(model.parameters(), lr=0.01), (X_raw, y_raw), epochs=20, batch_size=20,
                   seed=0, progress=False)
    except nn.TrainingDiverged as error:
        diverged = error
        print(f"{type(error).__name__}: {error}")
        print("losses of the steps before:", [f"{loss:.3g}" for loss in error.history.step_loss])
    """),
    md("""
    Three remedies, each enough here:

    - **gradient clipping** (`clip_grad_norm=10`): rescale the gradient whenever its norm is
      larger than a threshold, so no single step can be huge;
    - a **smaller learning rate**;
    - **standardised inputs and targets** (zero mean, unit variance), the real fix: the scale of
      the gradients then no longer depends on the units of the data.
    """),
    code("""
    x_scaler, y_scaler = data.StandardScaler(), data.StandardScaler()
    X_std = x_scaler.fit_transform(X_raw)
    y_std = y_scaler.fit_transform(y_raw[:, None])[:, 0]
    remedies = {
        "clip_grad_norm=10 (lr 0.01)": dict(data=(X_raw, y_raw), lr=0.01, clip_grad_norm=10.0),
        "lr = 1e-5": dict(data=(X_raw, y_raw), lr=1e-5),
        "standardised X and y (lr 0.1)": dict(data=(X_std, y_std), lr=0.1),
    }
    fig, ax = plt.subplots(figsize=(7, 4))
    for name, settings in remedies.items():
        model = regression_model()
        history = nn.fit(model, "mse", nn.SGD(model.parameters(), lr=settings["lr"]), settings["data"], epochs=20,
                         batch_size=20, seed=0, clip_grad_norm=settings.get("clip_grad_norm"), progress=False)
        # Losses in the units of y², so that the runs compare (standardising divides them by var(y)).
        scale = y_scaler.scale_[0] ** 2 if name.startswith("standardised") else 1.0
        ax.plot(range(1, 21), np.array(history.train_loss) * scale, marker="o", markersize=3, label=name)
    ax.set(xlabel="epoch", ylabel="training MSE (units of y²)", yscale="log", title="three ways not to explode")
    ax.legend()
    ax.grid(alpha=0.3, which="both")
    plt.show()
    """),
    md("""
    To find *which operation* first produced a NaN or an infinity, run the computation inside
    `autograd.detect_anomaly()`: every op checks its result, and the first bad one raises an
    `AnomalyError` naming itself. (Off by default, because the checks cost time.)
    """),
    code("""
    x = Tensor(np.array([1.0, 800.0]), requires_grad=True)
    with np.errstate(over="ignore"):
        print("without anomaly detection:", x.exp().data)   # an inf, silently
    try:
        with autograd.detect_anomaly(), np.errstate(over="ignore"):
            (x.exp() * 2).sum()
    except autograd.AnomalyError as error:
        print("with detect_anomaly():", error)
    """),
    md("""
    ## Underfitting and overfitting: bias and variance (*sesgo y varianza*)

    Split the data into a **training set** and a **test set** (*conjunto de entrenamiento / de
    prueba*): the model learns from the first, and the second measures how well it does on data
    it has never seen.

    - **Underfitting** (high bias): the model is too simple; training and test loss are both high.
    - **Overfitting** (high variance): the model is so flexible that it learns the noise of the
      few training points; the training loss keeps falling while the test loss turns and rises.

    60 noisy training points and 300 test points of two moons, three models:
    """),
    code("""
    X, y = data.make_moons(360, noise=0.3, seed=1)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=300, seed=0)

    def train(sizes, epochs=300, dropout=0.0, **fit_options):
        model = nn.mlp(2, sizes, activation="relu", seed=0, dropout=dropout)
        history = nn.fit(model, "bce_with_logits", nn.Adam(model.parameters(), lr=0.01), (X_train, y_train),
                         epochs=epochs, batch_size=None, validation=(X_test, y_test), progress=False, **fit_options)
        return model, history

    models = {
        "linear (underfits)": train([1]),
        "2-8-1 (about right)": train([8, 1]),
        "2-64-64-1 (overfits)": train([64, 64, 1]),
    }
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.6), layout="constrained")
    for ax, (name, (model, history)) in zip(axes, models.items()):
        losses = f"train loss {history.train_loss[-1]:.2f}, test loss {history.val_loss[-1]:.2f}"
        viz.plot_decision_boundary(model, X_train, y_train, ax=ax, threshold=0.0, resolution=100,
                                   title=f"{name}\\n{losses}")
    plt.show()
    """),
    md("""
    The training curves of the large model tell the story: the test (validation) loss is lowest
    early on, then rises while the training loss goes to 0.
    """),
    code("""
    overfit_history = models["2-64-64-1 (overfits)"][1]
    viz.plot_training_curves(overfit_history, log_loss=True, title="2-64-64-1 on 60 points: overfitting")
    """),
    md(r"""
    ## Regularisation (*regularización*): L1, L2 and dropout

    - **L2** (weight decay) adds $\lambda \sum w^2$ to the cost: large weights are expensive, so
      the function stays smooth.
    - **L1** adds $\lambda \sum |w|$: its gradient has the same size for every weight, however
      small, so small weights are driven to (nearly) 0: a sparse network.
    - **Dropout** zeroes each hidden unit with probability $p$ at every training step (and scales
      the others by $1/(1-p)$), so no unit can rely on any other; at test time nothing is dropped.

    The same overfitting network, four ways. (Dropout gives the best test *accuracy* here, yet
    its test *loss* still climbs: on 60 points the few misclassified test points get ever more
    confident wrong answers. Dropout pays off on larger networks and data sets; on tiny data,
    L2 is the better remedy.)
    """),
    code("""
    regularised = {
        "none": models["2-64-64-1 (overfits)"],
        "L2, λ = 1e-3": train([64, 64, 1], l2=1e-3),
        "L1, λ = 1e-3": train([64, 64, 1], l1=1e-3),
        "dropout p = 0.5": train([64, 64, 1], dropout=0.5),
    }
    fig, axes = plt.subplots(1, 3, figsize=(17, 4), layout="constrained", width_ratios=[1.2, 1.2, 1])
    for name, (model, history) in regularised.items():
        axes[0].plot(history.val_loss, label=f"{name}: final {history.val_loss[-1]:.2f}")
        weights = np.concatenate([p.data.ravel() for p in nn.weight_parameters(model)])
        axes[1].hist(np.abs(weights), bins=np.logspace(-6, 1, 50), histtype="step", linewidth=1.5, label=name)
        small = np.mean(np.abs(weights) < 1e-3)
        print(f"{name:>16}: training loss {history.train_loss[-1]:.3f}, test loss {history.val_loss[-1]:.3f}, "
              f"test accuracy {history.val_accuracy[-1]:.0%}, weights below 1e-3: {small:.0%}")
    axes[0].set(xlabel="epoch", ylabel="test loss", title="test loss while training", ylim=(0.2, 1.2))
    axes[1].set(xscale="log", xlabel="|weight|", ylabel="count", title="the weights: L1 sends many to ~0")
    for ax in axes[:2]:
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    viz.plot_decision_boundary(regularised["L2, λ = 1e-3"][0], X_train, y_train, ax=axes[2], threshold=0.0,
                               resolution=100, title="2-64-64-1 with L2")
    plt.show()
    """),
    md("""
    ## Early stopping (*parada temprana*)

    The simplest remedy: watch the validation loss and stop when it has not improved for a
    number of epochs (the *patience*), then put back the weights of the best epoch.
    """),
    code("""
    model, history = train([64, 64, 1], early_stopping=20)
    print(f"stopped early: {history.stopped_early}, after {history.epochs} epochs; "
          f"best epoch {history.best_epoch}, test loss {min(history.val_loss):.3f} (its weights restored)")
    viz.plot_training_curves(history, title="early stopping with patience 20")
    """),
    md("""
    **What to remember**

    - Look at the per-layer gradient norms: orders of magnitude between first and last layer mean
      vanishing gradients (use ReLU-like activations and a fitting initialisation); NaN means
      exploding (standardise the data, lower the learning rate, clip the gradients).
    - Always keep a test set. Training loss far below test loss is overfitting; both high is
      underfitting.
    - L2, L1, dropout and early stopping all trade a little training fit for better test results.

    Next: [5. An MLP on images](05_mlp_on_images.ipynb).
    """),
]
