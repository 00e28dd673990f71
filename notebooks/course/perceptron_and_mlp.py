"""Notebook 3: the perceptron, the MLP classifier, and how to descend the gradient."""

from . import code, md

CELLS = [
    md("""
    # 3. The perceptron and the MLP classifier (*el perceptrón y el perceptrón multicapa*)

    One neuron draws one straight line through the plane. This notebook shows what that cannot
    do (XOR), how one **hidden layer** (*capa oculta*) fixes it, and then the knobs of training:
    the **learning rate** (*tasa de aprendizaje*), the **mini-batch** (*minilote*) size, the
    optimiser and the learning-rate schedule.
    """),
    code("""
    %matplotlib inline
    import time

    import matplotlib.pyplot as plt
    import numpy as np

    import nn
    import viz
    from nn import data
    """),
    md(r"""
    ## The perceptron

    Rosenblatt's perceptron is a neuron with a step activation: it answers 1 when
    $w \cdot x + b > 0$, else 0. Its learning rule moves the weights only on mistakes:

    $$w \leftarrow w + \eta\,(t - \hat y)\,x, \qquad b \leftarrow b + \eta\,(t - \hat y).$$

    When a straight line can separate the two classes (*linearly separable* data), the rule
    finds one in a finite number of steps. On XOR no line exists, and the mistakes never stop.
    """),
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
    for ax, (name, (X, y)) in zip(axes[:2], (("Gaussian", gaussian), ("XOR", xor))):
        w, b, mistakes = train_perceptron(X, y)
        axes[2].plot(mistakes, marker="o", markersize=3, label=name)
        ax.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", s=12, edgecolors="k", linewidths=0.3)
        xs = np.linspace(-6, 6, 2)
        if abs(w[1]) > 1e-12:
            ax.plot(xs, -(w[0] * xs + b) / w[1], "k", linewidth=1.5, label="w·x + b = 0")
        ax.set(xlim=(-6.5, 6.5), ylim=(-6.5, 6.5), title=f"{name}: {mistakes[-1]} mistakes in the last epoch")
        ax.legend(loc="lower right", fontsize=8)
    axes[2].set(xlabel="epoch (época)", ylabel="mistakes in the epoch", title="the perceptron rule")
    axes[2].legend()
    axes[2].grid(alpha=0.3)
    plt.show()
    """),
    md("""
    ## One hidden layer solves XOR

    The same happens to any single layer trained by gradient descent: a linear model (here one
    `Linear` layer, a logistic regression trained with binary cross-entropy) stays at chance on
    XOR. Add a hidden layer of a few tanh neurons and the network can bend its boundary: each
    hidden neuron draws a line, and the output neuron combines them.

    `nn.mlp(2, [4, 1], activation="tanh")` is the network 2-4-1 on the fast tensor engine (its
    parameters are NumPy arrays); `nn.fit` runs the training loop: forward, loss, backward,
    optimiser step, for every mini-batch of every **epoch** (*época*).
    """),
    code("""
    X, y = xor
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.25, seed=0)

    linear_model = nn.mlp(2, [1], seed=0)                       # no hidden layer
    hidden_model = nn.mlp(2, [4, 1], activation="tanh", seed=0)  # one hidden layer of 4 neurons
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.4), layout="constrained")
    names = ("XOR, no hidden layer", "XOR, one hidden layer")
    for ax, model, name in zip(axes, (linear_model, hidden_model), names):
        history = nn.fit(model, "bce_with_logits", nn.Adam(model.parameters(), lr=0.05), (X_train, y_train),
                         epochs=60, batch_size=16, validation=(X_test, y_test), seed=0, progress=False)
        print(f"{name}: training accuracy {history.train_accuracy[-1]:.0%}, "
              f"test accuracy {history.val_accuracy[-1]:.0%}")
        viz.plot_decision_boundary(model, X_train, y_train, ax=ax, threshold=0.0, title=name)
    plt.show()
    """),
    md("""
    The picture of the trained network, in the style of the TensorFlow Playground: orange lines
    are positive weights (*pesos*), blue negative, thicker means larger.
    """),
    code("""
    viz.draw_mlp(hidden_model)
    """),
    md("""
    ## The Playground data sets

    The four classification sets of the TensorFlow Playground: **circle**, **XOR**, **Gaussian**
    and **spiral**. Each gets a small MLP with two hidden layers; the spiral is the hardest and
    needs more neurons, more epochs and ReLU units. The tensor engine trains each in about a second
    or less.
    """),
    code("""
    sets = {
        "circle": (data.make_circle(300, noise=0.1, seed=0), [8, 1], 40),
        "XOR": (data.make_xor(300, noise=0.1, seed=0), [8, 1], 40),
        "Gaussian": (data.make_gaussian(300, noise=0.1, seed=0), [8, 1], 20),
        "spiral": (data.make_spiral(200, noise=0.05, seed=0), [24, 24, 1], 100),
    }
    fig, axes = plt.subplots(1, 4, figsize=(18, 4.4), layout="constrained")
    for ax, (name, ((X, y), sizes, epochs)) in zip(axes, sets.items()):
        X = X / 6.0                                   # the Playground square [-6, 6]² → [-1, 1]²
        activation = "relu" if name == "spiral" else "tanh"   # tanh learns the spiral far more slowly
        model = nn.mlp(2, sizes, activation=activation, seed=0)
        history = nn.fit(model, "bce_with_logits", nn.Adam(model.parameters(), lr=0.01), (X, y),
                         epochs=epochs, batch_size=16, seed=0, progress=False)
        architecture = "-".join(map(str, [2, *sizes]))
        print(f"{name:>8}: MLP {architecture} ({activation}), {epochs} epochs, "
              f"training accuracy {history.train_accuracy[-1]:.0%}")
        viz.plot_decision_boundary(model, X, y, ax=ax, threshold=0.0, resolution=120,
                                   title=f"{name} ({architecture})")
    plt.show()
    """),
    md("""
    ## The moons demo on the scalar engine

    The classic demonstration: 100 points of two moons, an MLP 2-16-16-1 whose every weight is a
    `Value`, the hinge loss with labels ±1, a small L2 penalty, and plain gradient descent written
    out as in the lecture. Each epoch is one forward pass over all the points, one
    `backward()` through a graph of tens of thousands of nodes, and one update of the 337
    parameters.
    """),
    code("""
    X, labels = data.make_moons(100, noise=0.1, seed=0)
    y = data.to_plus_minus_one(labels)                  # hinge loss wants -1/+1

    model = nn.MLP(2, [16, 16, 1], activation="relu", init="uniform", seed=0)
    parameters = model.parameters()
    optimizer = nn.SGD(parameters, lr=1.0)
    epochs = 60
    start = time.perf_counter()
    for epoch in range(epochs):
        scores = [model(list(x)) for x in X]                                 # forward
        loss = nn.hinge_loss(scores, y) + 1e-4 * nn.l2_penalty(parameters)   # cost (coste) + L2
        optimizer.zero_grad()
        loss.backward()                                                      # backprop
        optimizer.lr = 1.0 - 0.9 * epoch / epochs                            # learning rate 1.0 → 0.1
        optimizer.step()                                                     # w -= lr * grad
        if epoch % 10 == 0 or epoch == epochs - 1:
            accuracy = np.mean(np.sign([s.data for s in scores]) == y)
            print(f"epoch {epoch:3d}: loss {loss.data:.4f}, training accuracy {accuracy:.0%}")
    print(f"{model.num_parameters()} parameters, {time.perf_counter() - start:.1f} s on the scalar engine")
    """),
    code("""
    fig, axes = plt.subplots(1, 2, figsize=(13, 5), layout="constrained", width_ratios=[1, 1.3])
    # Same weights on the tensor engine: drawing the boundary needs 40,000 forward passes.
    viz.plot_decision_boundary(nn.to_tensor(model), X, y.astype(int), ax=axes[0], threshold=0.0,
                               title="two moons, scalar MLP 2-16-16-1")
    viz.draw_mlp(model, ax=axes[1], title="the trained network: orange weights > 0, blue < 0")
    plt.show()
    """),
    md("""
    ## The learning rate (*tasa de aprendizaje*)

    Too small and training crawls; too large and each step overshoots the minimum, so the loss
    jumps around instead of falling. (When a step overshoots so far that the loss becomes
    infinite or NaN, `nn.fit` stops with `TrainingDiverged`: notebook 4.)
    """),
    code("""
    X, y = data.make_circle(300, noise=0.1, seed=0)
    X = data.StandardScaler().fit_transform(X)
    fig, ax = plt.subplots(figsize=(7, 4))
    for learning_rate, verdict in ((0.01, "too small"), (1.0, "about right"), (30.0, "too large")):
        model = nn.mlp(2, [8, 1], activation="tanh", seed=0)
        history = nn.fit(model, "bce_with_logits", nn.SGD(model.parameters(), lr=learning_rate), (X, y),
                         epochs=25, batch_size=30, seed=0, progress=False)
        ax.plot(range(1, 26), history.train_loss, marker="o", markersize=2,
                label=f"lr = {learning_rate:g} ({verdict}): final loss {history.train_loss[-1]:.3f}")
    ax.set(xlabel="epoch", ylabel="training loss", yscale="log", title="circle, MLP 2-8-1, three learning rates")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    plt.show()
    """),
    md("""
    ## Batch size: gradient descent, mini-batch SGD and SGD

    The gradient of the cost is an average over examples. **Full-batch gradient descent** uses all
    of them for every step: accurate, but one step per epoch. **Stochastic gradient descent**
    uses one example per step: noisy, many steps. **Mini-batch SGD** (*minilotes*) sits between:
    a few dozen examples per step, the usual choice. Per epoch, smaller batches make more
    progress; per step, larger batches give a smoother loss.
    """),
    code("""
    X_small, y_small = X[:150], y[:150]
    fig, axes = plt.subplots(1, 2, figsize=(13, 4), layout="constrained")
    for batch_size, name in ((None, "full batch"), (16, "mini-batch of 16"), (1, "one example (SGD)")):
        model = nn.mlp(2, [8, 1], activation="tanh", seed=0)
        start = time.perf_counter()
        history = nn.fit(model, "bce_with_logits", nn.SGD(model.parameters(), lr=0.1), (X_small, y_small),
                         epochs=10, batch_size=batch_size, seed=0, progress=False)
        seconds = time.perf_counter() - start
        steps = len(history.step_loss)
        axes[0].plot(range(1, 11), history.train_loss, marker="o", markersize=3,
                     label=f"{name}: {steps} steps, {seconds:.2f} s")
        axes[1].plot(history.step_loss[:300], linewidth=0.8, label=name)
    axes[0].set(xlabel="epoch", ylabel="training loss", title="per epoch")
    axes[1].set(xlabel="step (first 300)", ylabel="loss of the step's batch",
                title="per step: the noise of small batches")
    for ax in axes:
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    plt.show()
    """),
    md(r"""
    ## Optimisers (*optimizadores*)

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
      sets** with smooth losses. One of its steps runs up to 20 forward/backward passes. (Here it
      drives the loss to ~0 on noisy data: it fits the noise too, which notebook 4 calls
      overfitting.)
    """),
    code("""
    X, y = data.make_moons(200, noise=0.2, seed=0)
    X = data.StandardScaler().fit_transform(X)
    optimizers = {
        "SGD": lambda p: nn.SGD(p, lr=0.1),
        "SGD + momentum 0.9": lambda p: nn.SGD(p, lr=0.1, momentum=0.9),
        "RMSprop": lambda p: nn.RMSprop(p, lr=0.01),
        "Adam": lambda p: nn.Adam(p, lr=0.01),
        "L-BFGS (full batch)": lambda p: nn.LBFGS(p, lr=1.0, max_iter=20, line_search_fn="strong_wolfe"),
    }
    fig, ax = plt.subplots(figsize=(7, 4))
    for name, make in optimizers.items():
        model = nn.mlp(2, [16, 16, 1], activation="tanh", seed=0)
        history = nn.fit(model, "bce_with_logits", make(model.parameters()), (X, y),
                         epochs=30, batch_size=20, seed=0, progress=False)
        ax.plot(range(1, 31), history.train_loss, label=f"{name}: accuracy {history.train_accuracy[-1]:.0%}")
    ax.set(xlabel="epoch", ylabel="training loss", yscale="log", title="noisy moons, MLP 2-16-16-1")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, which="both")
    plt.show()
    """),
    md("""
    ## Learning-rate schedules

    A large step early moves fast; a small step late settles into the minimum. A schedule sets the
    optimiser's learning rate at every epoch. `preview(n)` lists the rates without training.
    With plain SGD at a learning rate of 1, the constant rate keeps bouncing around the minimum
    to the end, while the decaying schedules settle (cosine annealing lowest here).
    """),
    code("""
    def fresh_optimizer():
        return nn.SGD(nn.mlp(2, [1], seed=0).parameters(), lr=1.0)


    schedules = {
        "constant": None,
        "StepLR (halve every 10)": lambda o: nn.StepLR(o, step_size=10, gamma=0.5),
        "ExponentialLR (γ = 0.95)": lambda o: nn.ExponentialLR(o, gamma=0.95),
        "CosineAnnealingLR": lambda o: nn.CosineAnnealingLR(o, T_max=40),
        "warm-up + cosine": lambda o: nn.warmup_cosine(o, warmup_steps=5, total_steps=40),
    }
    fig, axes = plt.subplots(1, 2, figsize=(13, 4), layout="constrained")
    for name, make in schedules.items():
        rates = [1.0] * 40 if make is None else make(fresh_optimizer()).preview(40)
        axes[0].plot(rates, label=name)
        model = nn.mlp(2, [16, 16, 1], activation="tanh", seed=0)
        optimizer = nn.SGD(model.parameters(), lr=1.0)
        scheduler = None if make is None else make(optimizer)
        history = nn.fit(model, "bce_with_logits", optimizer, (X, y), epochs=40, batch_size=40, seed=0,
                         scheduler=scheduler, progress=False)
        axes[1].plot(range(1, 41), history.train_loss, label=f"{name}: final loss {history.train_loss[-1]:.3f}")
    axes[0].set(xlabel="epoch", ylabel="learning rate", title="the schedules")
    axes[1].set(xlabel="epoch", ylabel="training loss", yscale="log", title="noisy moons, SGD starting at lr 1.0")
    for ax in axes:
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    plt.show()
    """),
    md("""
    **What to remember**

    - One neuron (or one layer) separates classes with a straight line only; a hidden layer of
      non-linear neurons bends the boundary.
    - The learning rate is the first knob to tune: too small crawls, too large diverges.
    - Mini-batches trade the accuracy of each step against the number of steps; Adam is a good
      default, L-BFGS a good choice for small data sets.

    Next: [4. Training pathologies](04_training_pathologies.ipynb).
    """),
]
