"""Notebook 6: the same network on the scalar and the tensor engine."""

from . import code, md

CELLS = [
    md("""
    # 6. Scalar vs tensor (*escalar frente a tensor*)

    `autograd` has two engines with the same API. The **scalar engine** (`Value`) makes every
    number a node of the graph: you can see and step through everything, but it is slow. The
    **tensor engine** (`Tensor`) makes every *array* a node and does the arithmetic with NumPy:
    one node for a whole layer and a whole batch. This notebook checks that they compute exactly
    the same gradients, shows where the tensor engine's sums come from (broadcasting), and
    measures the difference in speed.
    """),
    code("""
    %matplotlib inline
    import time

    import matplotlib.pyplot as plt
    import numpy as np

    import autograd
    import nn
    import viz
    from autograd import Tensor, Value
    from nn import data
    """),
    md("""
    ## One network, two engines

    `nn.MLP` builds the network from `Value`s; `nn.to_tensor` copies its weights into the tensor
    `Sequential` that `nn.mlp` builds (in float64, so the two can be compared to the last digit).
    Neuron *j* of a scalar layer is row *j* of the tensor layer's weight matrix.
    """),
    code("""
    scalar_model = nn.MLP(2, [8, 8, 1], activation="tanh", seed=0)
    tensor_model = nn.to_tensor(scalar_model)
    print(tensor_model)

    X, y = data.make_moons(20, noise=0.1, seed=0)
    y = data.to_plus_minus_one(y)
    scalar_scores = [scalar_model(list(x)) for x in X]
    tensor_scores = tensor_model(Tensor(X, label="X"))
    print("first scores, scalar:", np.round([s.data for s in scalar_scores[:4]], 6))
    print("first scores, tensor:", np.round(tensor_scores.data[:4, 0], 6))
    """),
    md("""
    ## The same loss, the same gradients

    Compute the MSE over the 20 points on both engines, backpropagate, and compare every
    parameter's gradient. The graphs are very different in size: the scalar one has a node per
    number, the tensor one a node per layer.
    """),
    code("""
    scalar_loss = nn.mse_loss(scalar_scores, y)
    scalar_model.zero_grad()
    scalar_loss.backward()

    tensor_loss = nn.mse_loss(tensor_scores, y)
    tensor_model.zero_grad()
    tensor_loss.backward()

    print(f"loss: scalar {scalar_loss.data:.12f}, tensor {tensor_loss.item():.12f}")
    print(f"graph nodes: scalar {len(autograd.topological_order(scalar_loss))}, "
          f"tensor {len(autograd.topological_order(tensor_loss))}")

    linears = [module for module in tensor_model if isinstance(module, nn.Linear)]
    differences = []
    for layer, linear in zip(scalar_model.layers, linears):
        scalar_weight_grads = np.array([[w.grad for w in neuron.w] for neuron in layer.neurons])   # (out, in)
        scalar_bias_grads = np.array([neuron.b.grad for neuron in layer.neurons])
        differences += [np.abs(scalar_weight_grads - linear.weight.grad).max(),
                        np.abs(scalar_bias_grads - linear.bias.grad).max()]
        print(f"layer {layer}: weight grads (first row) scalar {np.round(scalar_weight_grads[0, :3], 6)}, "
              f"tensor {np.round(linear.weight.grad[0, :3], 6)}")
    print(f"largest difference between the engines' gradients: {max(differences):.1e}")
    assert max(differences) < 1e-12
    """),
    md("""
    The whole tensor graph fits on a page: one node per layer, each box showing an array's shape
    and range, and each edge the rule its op uses to send the gradient back.
    """),
    code("""
    viz.draw_graph(tensor_loss, show_local_grads=True, rankdir="TB")
    """),
    md(r"""
    ## Broadcasting's reduction is the sum of the scalar gradients

    A layer adds its bias $b$ (shape `(3,)`) to every row of a batch $Z$ (shape `(N, 3)`).
    NumPy *broadcasts* $b$ over the rows, so in the scalar picture each bias `Value` is used $N$
    times, once per example, and by the chain rule its gradient is the **sum** of the $N$
    contributions. The tensor engine's rule is the same sum, done in one place: the gradient of
    a broadcast input is summed over the axes it was broadcast along (`unbroadcast`).
    """),
    code("""
    rng = np.random.default_rng(0)
    Z_numbers = rng.normal(size=(4, 3))
    b_numbers = np.array([0.1, -0.2, 0.3])

    # Tensor: one op over the whole batch; b is broadcast over the 4 rows.
    Z = Tensor(Z_numbers, dtype=np.float64)
    b = Tensor(b_numbers, requires_grad=True, dtype=np.float64, label="b")
    ((Z + b).tanh() ** 2).sum().backward()

    # Scalar: the same numbers, each bias Value reused by every example.
    b_values = [Value(v, f"b{j}") for j, v in enumerate(b_numbers)]
    per_example = []
    for row in Z_numbers:
        for v in b_values:
            v.grad = 0.0
        total = sum(((z + bj).tanh() ** 2 for z, bj in zip(row, b_values)), Value(0.0))
        total.backward()
        per_example.append([v.grad for v in b_values])

    print("each example's contribution to ∂L/∂b (scalar engine):\\n", np.round(per_example, 5))
    print("their sum:              ", np.round(np.sum(per_example, axis=0), 5))
    print("tensor b.grad (summed): ", np.round(b.grad, 5))
    assert np.allclose(np.sum(per_example, axis=0), b.grad)
    """),
    md("""
    ## Training in lockstep

    The optimisers only read `.data` and `.grad`, so the same `nn.SGD` trains both. Ten steps
    later the two networks still hold the same weights.
    """),
    code("""
    scalar_optimizer = nn.SGD(scalar_model.parameters(), lr=0.1)
    tensor_optimizer = nn.SGD(tensor_model.parameters(), lr=0.1)
    for _ in range(10):
        scalar_optimizer.zero_grad()
        nn.mse_loss([scalar_model(list(x)) for x in X], y).backward()
        scalar_optimizer.step()
        tensor_optimizer.zero_grad()
        nn.mse_loss(tensor_model(Tensor(X)), y).backward()
        tensor_optimizer.step()
    after = nn.to_tensor(scalar_model)
    gap = max(np.abs(a.data - b.data).max() for a, b in zip(after.parameters(), tensor_model.parameters()))
    print(f"after 10 steps of SGD, the largest difference between the engines' weights: {gap:.1e}")
    """),
    md("""
    ## Speed

    Time one forward and backward pass of an MLP 2-16-16-1 over batches of growing size. The
    scalar engine does a few Python operations per multiplication; the tensor engine hands each
    layer to NumPy's compiled matrix product. (PyTorch, if installed, for reference.)
    """),
    code("""
    def seconds_per_pass(run, repeats):
        if repeats > 1:
            run()                                       # warm up (skipped for the slowest runs)
        start = time.perf_counter()
        for _ in range(repeats):
            run()
        return (time.perf_counter() - start) / repeats


    scalar_net = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    tensor_net = nn.to_tensor(scalar_net, dtype=np.float32)
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:
        torch_net = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 16),
                                        torch.nn.ReLU(), torch.nn.Linear(16, 1))

    sizes = [10, 100, 500]
    timings = {"scalar (Value)": [], "tensor (Tensor)": []} | ({"PyTorch": []} if torch is not None else {})
    for n in sizes:
        points = np.random.default_rng(0).normal(size=(n, 2))

        def scalar_pass(points=points):
            scalar_net.zero_grad()
            sum(scalar_net(list(p)) for p in points).backward()

        def tensor_pass(points=points):
            tensor_net.zero_grad()
            tensor_net(Tensor(points.astype(np.float32))).sum().backward()

        timings["scalar (Value)"].append(seconds_per_pass(scalar_pass, 3 if n <= 10 else 1))
        timings["tensor (Tensor)"].append(seconds_per_pass(tensor_pass, 20))
        if torch is not None:
            batch = torch.tensor(points, dtype=torch.float32)

            def torch_pass(batch=batch):
                torch_net.zero_grad()
                torch_net(batch).sum().backward()

            timings["PyTorch"].append(seconds_per_pass(torch_pass, 20))

    print(f"{'batch':>6} " + " ".join(f"{name:>16}" for name in timings))
    for k, n in enumerate(sizes):
        print(f"{n:>6} " + " ".join(f"{times[k] * 1e3:13.2f} ms" for times in timings.values()))
    speedup = timings["scalar (Value)"][-1] / timings["tensor (Tensor)"][-1]
    print(f"at a batch of {sizes[-1]}, the tensor engine is {speedup:.0f}× faster than the scalar engine")

    fig, ax = plt.subplots(figsize=(6, 3.5))
    for name, times in timings.items():
        ax.plot(sizes, np.array(times) * 1e3, marker="o", label=name)
    ax.set(xscale="log", yscale="log", xlabel="examples in the batch", ylabel="ms per forward + backward",
           title="MLP 2-16-16-1: time per pass")
    ax.legend()
    ax.grid(alpha=0.3, which="both")
    plt.show()
    """),
    md("""
    **What to remember**

    - The two engines compute the same numbers: use the scalar engine to *see* and the tensor
      engine to *train*.
    - A broadcast input's gradient is the sum over the axes it was broadcast along, exactly what
      the scalar engine's `+=` does when a `Value` is reused.
    - Vectorising turns thousands of Python operations into a few matrix products: orders of
      magnitude faster.

    Next: [7. A playground](07_playground.ipynb).
    """),
]
