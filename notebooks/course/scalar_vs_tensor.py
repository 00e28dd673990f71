"""Notebook 6: the same network on the scalar and the tensor engine."""

from . import code, md

CELLS = [
    md(
        es="""
        # 6. Escalar frente a tensor

        `autograd` tiene dos motores con la misma interfaz. El **motor escalar** (`Value`) hace de
        cada número un nodo del grafo: se puede ver y recorrer paso a paso todo, pero es lento. El
        **motor tensorial** (`Tensor`) hace de cada *array* un nodo y deja la aritmética a NumPy: un
        nodo para una capa entera y un lote entero. Este cuaderno comprueba que los dos calculan
        exactamente los mismos gradientes, muestra de dónde salen las sumas del motor tensorial (la
        difusión, *broadcasting*) y mide la diferencia de velocidad.
        """,
        en="""
        # 6. Scalar vs tensor

        `autograd` has two engines with the same API. The **scalar engine** (`Value`) makes every
        number a node of the graph: you can see and step through everything, but it is slow. The
        **tensor engine** (`Tensor`) makes every *array* a node and does the arithmetic with NumPy:
        one node for a whole layer and a whole batch. This notebook checks that they compute
        exactly the same gradients, shows where the tensor engine's sums come from (broadcasting),
        and measures the difference in speed.
        """,
    ),
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

    viz.set_language(«"es"|"en"»)
    """),
    md(
        es="""
        ## Una red, dos motores

        `nn.MLP` construye la red con `Value`s; `nn.to_tensor` copia sus pesos en el `Sequential`
        tensorial que construye `nn.tensor_mlp` (en float64, para poder compararlos hasta la última cifra).
        La neurona *j* de una capa escalar es la fila *j* de la matriz de pesos de la capa
        tensorial.
        """,
        en="""
        ## One network, two engines

        `nn.MLP` builds the network from `Value`s; `nn.to_tensor` copies its weights into the tensor
        `Sequential` that `nn.tensor_mlp` builds (in float64, so the two can be compared to the last
        digit). Neuron *j* of a scalar layer is row *j* of the tensor layer's weight matrix.
        """,
    ),
    code("""
    scalar_model = nn.MLP(2, [8, 8, 1], activation="tanh", seed=0)
    tensor_model = nn.to_tensor(scalar_model)
    print(tensor_model)

    X, y = data.make_moons(20, noise=0.1, seed=0)
    y = data.to_plus_minus_one(y)
    scalar_scores = [scalar_model(list(x)) for x in X]
    tensor_scores = tensor_model(Tensor(X, label="X"))
    print("«primeras puntuaciones, escalar:|first scores, scalar:»", np.round([s.data for s in scalar_scores[:4]], 6))
    print("«primeras puntuaciones, tensor: |first scores, tensor:»", np.round(tensor_scores.data[:4, 0], 6))
    """),
    md(
        es="""
        ## La misma pérdida, los mismos gradientes

        Calculamos la MSE de los 20 puntos en los dos motores, retropropagamos y comparamos el
        gradiente de cada parámetro. Los grafos tienen tamaños muy distintos: el escalar tiene un
        nodo por número, el tensorial un nodo por capa.
        """,
        en="""
        ## The same loss, the same gradients

        Compute the MSE over the 20 points on both engines, backpropagate, and compare every
        parameter's gradient. The graphs are very different in size: the scalar one has a node per
        number, the tensor one a node per layer.
        """,
    ),
    code("""
    scalar_loss = nn.mse_loss(scalar_scores, y)
    scalar_model.zero_grad()
    scalar_loss.backward()

    tensor_loss = nn.mse_loss(tensor_scores, y)
    tensor_model.zero_grad()
    tensor_loss.backward()

    print(f"«pérdida: escalar|loss: scalar» {scalar_loss.data:.12f}, tensor {tensor_loss.item():.12f}")
    print(f"«nodos del grafo: escalar|graph nodes: scalar» {len(autograd.topological_order(scalar_loss))}, "
          f"tensor {len(autograd.topological_order(tensor_loss))}")

    linears = [module for module in tensor_model if isinstance(module, nn.Linear)]
    differences = []
    for layer, linear in zip(scalar_model.layers, linears):
        scalar_weight_grads = np.array([[w.grad for w in neuron.w] for neuron in layer.neurons])   # (out, in)
        scalar_bias_grads = np.array([neuron.b.grad for neuron in layer.neurons])
        differences += [np.abs(scalar_weight_grads - linear.weight.grad).max(),
                        np.abs(scalar_bias_grads - linear.bias.grad).max()]
        print(f"«capa|layer» {layer}: «gradientes de los pesos (primera fila) escalar|weight grads (first row) scalar» "
              f"{np.round(scalar_weight_grads[0, :3], 6)}, tensor {np.round(linear.weight.grad[0, :3], 6)}")
    print(f"«mayor diferencia entre los gradientes de los dos motores|largest difference between the engines' gradients»: "
          f"{max(differences):.1e}")
    assert max(differences) < 1e-12
    """),
    md(
        es="""
        El grafo tensorial entero cabe en una página: un nodo por capa, cada caja con la forma y el
        rango de un array, y cada arista con la regla que usa su operación para devolver el
        gradiente.
        """,
        en="""
        The whole tensor graph fits on a page: one node per layer, each box showing an array's
        shape and range, and each edge the rule its op uses to send the gradient back.
        """,
    ),
    code("""
    viz.draw_graph(tensor_loss, show_local_grads=True, rankdir="TB")
    """),
    md(
        es="""
        `level="layer"` lo resume aún más: una caja por capa (la operación lineal, sus pesos y su
        activación), con la norma del gradiente que el color de la caja refleja.
        """,
        en="""
        `level="layer"` sums it up further: one box per layer (the linear op, its weights and its
        activation), with the gradient norm that the box's colour follows.
        """,
    ),
    code("""
    viz.draw_graph(tensor_loss, level="layer", color_by_grad=True)
    """),
    md(
        es=r"""
        ## La reducción de la difusión es la suma de los gradientes escalares

        Una capa suma su sesgo $b$ (forma `(3,)`) a cada fila de un lote $Z$ (forma `(N, 3)`).
        NumPy *difunde* (broadcasts) $b$ sobre las filas, así que, visto con escalares, cada `Value`
        del sesgo se usa $N$ veces, una por ejemplo, y por la regla de la cadena su gradiente es la
        **suma** de las $N$ contribuciones. La regla del motor tensorial es esa misma suma, hecha en
        un solo sitio: el gradiente de una entrada difundida se suma sobre los ejes a lo largo de
        los que se difundió (`unbroadcast`).
        """,
        en=r"""
        ## Broadcasting's reduction is the sum of the scalar gradients

        A layer adds its bias $b$ (shape `(3,)`) to every row of a batch $Z$ (shape `(N, 3)`).
        NumPy *broadcasts* $b$ over the rows, so in the scalar picture each bias `Value` is used $N$
        times, once per example, and by the chain rule its gradient is the **sum** of the $N$
        contributions. The tensor engine's rule is the same sum, done in one place: the gradient of
        a broadcast input is summed over the axes it was broadcast along (`unbroadcast`).
        """,
    ),
    code("""
    rng = np.random.default_rng(0)
    Z_numbers = rng.normal(size=(4, 3))
    b_numbers = np.array([0.1, -0.2, 0.3])

    # «Tensor: una operación para todo el lote; b se difunde sobre las 4 filas.|Tensor: one op over the whole batch; b is broadcast over the 4 rows.»
    Z = Tensor(Z_numbers, dtype=np.float64)
    b = Tensor(b_numbers, requires_grad=True, dtype=np.float64, label="b")
    ((Z + b).tanh() ** 2).sum().backward()

    # «Escalar: los mismos números, cada Value del sesgo reutilizado por cada ejemplo.|Scalar: the same numbers, each bias Value reused by every example.»
    b_values = [Value(v, f"b{j}") for j, v in enumerate(b_numbers)]
    per_example = []
    for row in Z_numbers:
        for v in b_values:
            v.grad = 0.0
        total = sum(((z + bj).tanh() ** 2 for z, bj in zip(row, b_values)), Value(0.0))
        total.backward()
        per_example.append([v.grad for v in b_values])

    print("«contribución de cada ejemplo a ∂L/∂b (motor escalar):|each example's contribution to ∂L/∂b (scalar engine):»\\n",
          np.round(per_example, 5))
    print("«su suma:                    |their sum:              »", np.round(np.sum(per_example, axis=0), 5))
    print("«b.grad del tensor (sumado): |tensor b.grad (summed): »", np.round(b.grad, 5))
    assert np.allclose(np.sum(per_example, axis=0), b.grad)
    """),
    md(
        es="""
        ## Entrenar al unísono

        Los optimizadores solo leen `.data` y `.grad`, así que el mismo `nn.SGD` entrena a los dos.
        Diez pasos después, las dos redes siguen teniendo los mismos pesos.
        """,
        en="""
        ## Training in lockstep

        The optimisers only read `.data` and `.grad`, so the same `nn.SGD` trains both. Ten steps
        later the two networks still hold the same weights.
        """,
    ),
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
    print(f"«tras 10 pasos de SGD, la mayor diferencia entre los pesos de los dos motores|after 10 steps of SGD, the largest difference between the engines' weights»: {gap:.1e}")
    """),
    md(
        es="""
        ## Velocidad

        Medimos el tiempo de una pasada hacia delante y hacia atrás de un MLP 2-16-16-1 con lotes
        cada vez mayores. El motor escalar hace unas cuantas operaciones de Python por cada
        multiplicación; el tensorial le pasa cada capa al producto de matrices compilado de NumPy.
        (PyTorch, si está instalado, como referencia.)
        """,
        en="""
        ## Speed

        Time one forward and backward pass of an MLP 2-16-16-1 over batches of growing size. The
        scalar engine does a few Python operations per multiplication; the tensor engine hands each
        layer to NumPy's compiled matrix product. (PyTorch, if installed, for reference.)
        """,
    ),
    code("""
    def seconds_per_pass(run, repeats):
        if repeats > 1:
            run()                                       # «calentamiento (no en las más lentas)|warm up (skipped for the slowest runs)»
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
    scalar_name, tensor_name = "«escalar (Value)|scalar (Value)»", "tensor (Tensor)"
    timings = {scalar_name: [], tensor_name: []} | ({"PyTorch": []} if torch is not None else {})
    for n in sizes:
        points = np.random.default_rng(0).normal(size=(n, 2))

        def scalar_pass(points=points):
            scalar_net.zero_grad()
            sum(scalar_net(list(p)) for p in points).backward()

        def tensor_pass(points=points):
            tensor_net.zero_grad()
            tensor_net(Tensor(points.astype(np.float32))).sum().backward()

        timings[scalar_name].append(seconds_per_pass(scalar_pass, 3 if n <= 10 else 1))
        timings[tensor_name].append(seconds_per_pass(tensor_pass, 20))
        if torch is not None:
            batch = torch.tensor(points, dtype=torch.float32)

            def torch_pass(batch=batch):
                torch_net.zero_grad()
                torch_net(batch).sum().backward()

            timings["PyTorch"].append(seconds_per_pass(torch_pass, 20))

    print(f"{'«lote|batch»':>6} " + " ".join(f"{name:>16}" for name in timings))
    for k, n in enumerate(sizes):
        print(f"{n:>6} " + " ".join(f"{times[k] * 1e3:13.2f} ms" for times in timings.values()))
    speedup = timings[scalar_name][-1] / timings[tensor_name][-1]
    print(f"«con un lote de|at a batch of» {sizes[-1]}, «el motor tensorial es|the tensor engine is» {speedup:.0f}× "
          "«más rápido que el escalar|faster than the scalar engine»")

    fig, ax = plt.subplots(figsize=(6, 3.5))
    for name, times in timings.items():
        ax.plot(sizes, np.array(times) * 1e3, marker="o", label=name)
    ax.set(xscale="log", yscale="log", xlabel="«ejemplos en el lote|examples in the batch»",
           ylabel="«ms por pasada hacia delante + hacia atrás|ms per forward + backward»",
           title="«MLP 2-16-16-1: tiempo por pasada|MLP 2-16-16-1: time per pass»")
    ax.legend()
    ax.grid(alpha=0.3, which="both")
    plt.show()
    """),
    md(
        es="""
        ## Continuar en PyTorch

        Lo aprendido aquí se lleva tal cual a PyTorch. `nn.to_torch(modelo)` devuelve un
        `torch.nn.Sequential` con las mismas capas y los mismos pesos (sirve para los dos motores), y
        `nn.from_torch` hace el camino de vuelta. Entrenamos la misma red con el mismo paso de
        entrenamiento en las dos bibliotecas: mismo optimizador Adam, misma tasa de aprendizaje
        (*learning rate*), misma función de pérdida. Los nombres son los mismos: `requires_grad`,
        `zero_grad()`, `backward()`, `optim.Adam`, `step()` y `state_dict()`; en la capa `Linear` los
        pesos se guardan igual en las dos, con forma (salidas × entradas).
        """,
        en="""
        ## Continuing in PyTorch

        What you learnt here carries over to PyTorch as it is. `nn.to_torch(model)` returns a
        `torch.nn.Sequential` with the same layers and the same weights (for either engine), and
        `nn.from_torch` goes back. Train the same network with the same training step in both
        libraries: the same Adam optimiser, learning rate and loss. The names are the same:
        `requires_grad`, `zero_grad()`, `backward()`, `optim.Adam`, `step()` and `state_dict()`; a
        `Linear` layer stores its weights the same way in both, shaped (outputs × inputs).
        """,
    ),
    code("""
    if torch is None:
        print("«PyTorch no está instalado (pip install torch): esta sección se salta.|"
              "PyTorch is not installed (pip install torch): this section is skipped.»")
    else:
        X_moons, y_moons = data.make_moons(100, noise=0.1, seed=0)
        targets = y_moons.reshape(-1, 1).astype(np.float64)

        ours = nn.tensor_mlp(2, [16, 16, 1], activation="relu", seed=0, dtype=np.float64)
        theirs = nn.to_torch(ours)                         # «los mismos pesos, ahora en PyTorch|the same weights, now in PyTorch»
        print(theirs)

        our_optimizer = nn.Adam(ours.parameters(), lr=0.01)
        their_optimizer = torch.optim.Adam(theirs.parameters(), lr=0.01)
        X_torch, targets_torch = torch.from_numpy(X_moons), torch.from_numpy(targets)
        for step in range(20):
            our_optimizer.zero_grad()                      # retrograd
            our_loss = nn.binary_cross_entropy_with_logits(ours(Tensor(X_moons)), targets)
            our_loss.backward()
            our_optimizer.step()

            their_optimizer.zero_grad()                    # PyTorch
            their_loss = torch.nn.functional.binary_cross_entropy_with_logits(theirs(X_torch), targets_torch)
            their_loss.backward()
            their_optimizer.step()
            if step % 5 == 4:
                print(f"«paso|step» {step + 1:2d}: «pérdida|loss» retrograd {our_loss.item():.10f}, "
                      f"PyTorch {their_loss.item():.10f}")

        gap = max(np.abs(mine.data - yours.detach().numpy()).max()
                  for mine, yours in zip(ours.parameters(), theirs.parameters()))
        print(f"«mayor diferencia entre los pesos tras 20 pasos de Adam|"
              f"largest difference between the weights after 20 steps of Adam»: {gap:.1e}")
        assert gap < 1e-10
        print("requires_grad:", ours[0].weight.requires_grad, theirs[0].weight.requires_grad)
        print("state_dict:", list(ours.state_dict())[:2], list(theirs.state_dict())[:2])
        print(nn.from_torch(theirs))                       # «y de vuelta|and back»
    """),
    md(
        es="""
        **Para recordar**

        - Los dos motores calculan los mismos números: el escalar sirve para *ver* y el tensorial
          para *entrenar*.
        - El gradiente de una entrada difundida es la suma sobre los ejes a lo largo de los que se
          difundió, exactamente lo que hace el `+=` del motor escalar cuando se reutiliza un
          `Value`.
        - Vectorizar convierte miles de operaciones de Python en unos pocos productos de matrices:
          varios órdenes de magnitud más rápido.
        - `nn.to_torch` lleva la red a PyTorch con los mismos pesos, y el entrenamiento sigue
          igual: `zero_grad()`, `backward()`, `step()`.

        Siguiente: [7. Un laboratorio interactivo](07_playground.ipynb).
        """,
        en="""
        **What to remember**

        - The two engines compute the same numbers: use the scalar engine to *see* and the tensor
          engine to *train*.
        - A broadcast input's gradient is the sum over the axes it was broadcast along, exactly what
          the scalar engine's `+=` does when a `Value` is reused.
        - Vectorising turns thousands of Python operations into a few matrix products: orders of
          magnitude faster.
        - `nn.to_torch` takes the network to PyTorch with the same weights, and training goes on
          the same way: `zero_grad()`, `backward()`, `step()`.

        Next: [7. A playground](07_playground.ipynb).
        """,
    ),
]
