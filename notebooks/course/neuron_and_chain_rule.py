"""Notebook 1: the neuron and the chain rule."""

from . import code, md

CELLS = [
    md(
        es=r"""
        # 1. La neurona y la regla de la cadena

        Una neurona calcula una **suma ponderada** de sus entradas, le suma un **sesgo** (bias) y
        pasa el resultado por una **función de activación** (activation function):

        $$\text{out} = \tanh(w_1 x_1 + w_2 x_2 + b)$$

        En este cuaderno construimos una neurona con `Value`s, los números escalares de `autograd`
        que recuerdan cómo se calcularon. Después aplicamos la **retropropagación**
        (backpropagation) nodo a nodo y comprobamos sus gradientes de tres maneras: a mano con la
        regla de la cadena, con diferencias finitas y con PyTorch.
        """,
        en=r"""
        # 1. The neuron and the chain rule

        A neuron computes a **weighted sum** of its inputs, adds a **bias** and passes the result
        through an **activation function**:

        $$\text{out} = \tanh(w_1 x_1 + w_2 x_2 + b)$$

        In this notebook we build one neuron from `Value`s, the scalar numbers of `autograd` that
        remember how they were computed. Then we run **backpropagation** one node at a time and
        check its gradients three ways: by hand with the chain rule, with finite differences, and
        with PyTorch.
        """,
    ),
    code("""
    %matplotlib inline
    import matplotlib.pyplot as plt

    import nn
    import viz
    from autograd import Value, gradcheck, numerical_grads

    viz.set_language(«"es"|"en"»)    # «los dibujos de la biblioteca, en español|the library's pictures in English»
    """),
    md(
        es="""
        ## De dónde viene todo esto

        Las ideas de este curso tienen ochenta años. Cada hito de la línea de tiempo lleva el
        cuaderno en el que lo construimos nosotros:

        - **1943, McCulloch y Pitts**: la neurona artificial, una suma ponderada con un umbral
          (este cuaderno).
        - **1958, Rosenblatt**: el perceptrón, una neurona que *aprende* sus pesos (cuaderno 3),
          y su límite: no puede separar XOR.
        - **1986, Rumelhart, Hinton y Williams**: la retropropagación entrena redes con capas
          ocultas (este cuaderno y el 6).
        - **1989, LeCun y colaboradores**: las redes convolucionales (CNN), que sí saben qué píxeles
          son vecinos (cuaderno 5: lo que se pierde al aplanar).
        - **2012, AlexNet** (Krizhevsky, Sutskever y Hinton): una CNN profunda en GPU gana ImageNet,
          con ReLU y abandono (dropout), los remedios del cuaderno 4.
        - **2017, los Transformers** (Vaswani et al.): la atención, hecha de productos escalares y
          softmax (cuaderno 2), en la base de los grandes modelos de lenguaje actuales.
        """,
        en="""
        ## Where this comes from

        The ideas of this course are eighty years old. Each milestone on the timeline carries the
        notebook in which we build it ourselves:

        - **1943, McCulloch and Pitts**: the artificial neuron, a weighted sum with a threshold
          (this notebook).
        - **1958, Rosenblatt**: the perceptron, a neuron that *learns* its weights (notebook 3), and
          its limit: it cannot separate XOR.
        - **1986, Rumelhart, Hinton and Williams**: backpropagation trains networks with hidden
          layers (this notebook and notebook 6).
        - **1989, LeCun and colleagues**: convolutional networks (CNNs), which do know which pixels
          are neighbours (notebook 5: what flattening throws away).
        - **2012, AlexNet** (Krizhevsky, Sutskever and Hinton): a deep CNN on GPUs wins ImageNet,
          with ReLU and dropout, the remedies of notebook 4.
        - **2017, Transformers** (Vaswani et al.): attention, made of dot products and softmax
          (notebook 2), beneath today's large language models.
        """,
    ),
    code("""
    milestones = [
        (1943, "McCulloch–Pitts\\n«neurona artificial|artificial neuron»", "«cuaderno 1|notebook 1»"),
        (1958, "Rosenblatt\\n«perceptrón|perceptron»", "«cuaderno 3|notebook 3»"),
        (1986, "Rumelhart et al.\\n«retropropagación|backpropagation»", "«cuadernos 1 y 6|notebooks 1 and 6»"),
        (1989, "LeCun et al.\\n«redes convolucionales|convolutional networks»", "«cuaderno 5|notebook 5»"),
        (2012, "AlexNet\\nReLU, «abandono|dropout», GPU", "«cuaderno 4|notebook 4»"),
        (2017, "Transformers\\n«atención (softmax)|attention (softmax)»", "«cuaderno 2|notebook 2»"),
    ]
    fig, ax = plt.subplots(figsize=(12, 3.4), layout="constrained")
    ax.axhline(0, color="grey", linewidth=1.5, zorder=1)
    for k, (year, what, where) in enumerate(milestones):
        up = 1 if k % 2 == 0 else -1                    # «arriba y abajo, para que no se pisen|alternate, so labels do not overlap»
        ax.plot([year, year], [0, 0.4 * up], color="grey", linewidth=0.8, zorder=1)
        ax.scatter([year], [0], s=60, color="#e67e22", edgecolors="k", zorder=2)
        side = "bottom" if up > 0 else "top"
        ax.annotate(where, (year, 0.45 * up), ha="center", va=side, fontsize=8, color="#2b7bba", style="italic")
        ax.annotate(f"{year}\\n{what}", (year, 0.75 * up), ha="center", va=side, fontsize=9)
    ax.set(xlim=(1935, 2025), ylim=(-2.1, 2.1), xticks=[], yticks=[],
           title="«Ochenta años de redes neuronales, y el cuaderno que construye cada idea|Eighty years of neural networks, and the notebook that builds each idea»")
    ax.spines[["left", "right", "top", "bottom"]].set_visible(False)
    plt.show()
    """),
    md(
        es="""
        ## Una neurona, operación a operación

        Cada `Value` guarda un número (`data`), un gradiente (`grad`, 0 hasta que se retropropaga)
        y una etiqueta (`label`) para los dibujos. Cada operación (`*`, `+`, `tanh`) devuelve un
        `Value` nuevo que recuerda cuáles fueron sus entradas.
        """,
        en="""
        ## A neuron, one operation at a time

        Every `Value` holds a number (`data`), a gradient (`grad`, 0 until backprop runs) and a
        `label` for the pictures. Each operation (`*`, `+`, `tanh`) returns a new `Value` that
        remembers its inputs.
        """,
    ),
    code("""
    def named(value, label):
        \"\"\"Give a Value a label for the pictures and return it.\"\"\"
        value.label = label
        return value


    x1, x2 = Value(1.5, "x1"), Value(-0.5, "x2")    # «entradas|inputs»
    w1, w2 = Value(0.8, "w1"), Value(-1.2, "w2")    # «pesos|weights»
    b = Value(-1.2, "b")                            # «sesgo|bias»

    x1w1 = named(x1 * w1, "x1·w1")
    x2w2 = named(x2 * w2, "x2·w2")
    weighted = named(x1w1 + x2w2, "x1·w1 + x2·w2")
    n = named(weighted + b, "n")                    # «la suma ponderada más el sesgo|the weighted sum plus the bias»
    out = named(n.tanh(), "out")                    # «la activación|the activation»
    print(f"n = {n.data:.4f},  out = tanh(n) = {out.data:.4f}")
    """),
    md(
        es="""
        El **grafo de cómputo** (computation graph): cada caja es un `Value` (etiqueta, valor,
        gradiente) y cada elipse la operación que produjo el valor de su derecha. Todavía no hemos
        retropropagado nada, así que todos los gradientes valen 0.
        """,
        en="""
        The **computation graph**: each box is a `Value` (label, data, grad), each ellipse the
        operation that made the value to its right. Nothing has been backpropagated yet, so every
        grad is 0.
        """,
    ),
    code("""
    viz.draw_graph(out)
    """),
    md(
        es=r"""
        ## La regla de la cadena, a mano

        ¿Cuánto cambia `out` si cambiamos un poco `w1`? `w1` llega a `out` a través de una cadena de
        operaciones, y la **regla de la cadena** (chain rule) multiplica la derivada local de cada
        eslabón:

        $$\frac{\partial\,\text{out}}{\partial w_1}
          = \underbrace{\frac{\partial\,\text{out}}{\partial n}}_{1-\tanh^2 n}
            \cdot \underbrace{\frac{\partial n}{\partial (x_1 w_1 + x_2 w_2)}}_{1}
            \cdot \underbrace{\frac{\partial (x_1 w_1 + x_2 w_2)}{\partial (x_1 w_1)}}_{1}
            \cdot \underbrace{\frac{\partial (x_1 w_1)}{\partial w_1}}_{x_1}$$

        Una suma deja pasar el gradiente tal cual (derivada local 1); un producto le envía a cada
        entrada el *otro* factor.
        """,
        en=r"""
        ## The chain rule by hand

        How much does `out` change when `w1` changes a little? `w1` reaches `out` through a chain
        of operations, and the **chain rule** multiplies the local derivative of each link:

        $$\frac{\partial\,\text{out}}{\partial w_1}
          = \underbrace{\frac{\partial\,\text{out}}{\partial n}}_{1-\tanh^2 n}
            \cdot \underbrace{\frac{\partial n}{\partial (x_1 w_1 + x_2 w_2)}}_{1}
            \cdot \underbrace{\frac{\partial (x_1 w_1 + x_2 w_2)}{\partial (x_1 w_1)}}_{1}
            \cdot \underbrace{\frac{\partial (x_1 w_1)}{\partial w_1}}_{x_1}$$

        A sum passes the gradient on unchanged (local derivative 1); a product sends each input the
        *other* factor.
        """,
    ),
    code("""
    dout_dn = 1 - out.data**2          # tanh'(n) = 1 - tanh²(n)
    by_hand = {
        "w1": dout_dn * x1.data,
        "w2": dout_dn * x2.data,
        "b": dout_dn * 1.0,
        "x1": dout_dn * w1.data,
        "x2": dout_dn * w2.data,
    }
    for name, grad in by_hand.items():
        print(f"∂out/∂{name} = {grad:+.6f}")
    """),
    md(
        es="""
        ## Retropropagación paso a paso

        La retropropagación hace esas mismas multiplicaciones para todos los nodos a la vez,
        recorriendo el grafo desde la salida hacia las entradas (en orden topológico inverso).
        Empieza con `out.grad = 1` (∂out/∂out) y, en cada nodo, suma al gradiente de cada entrada

        `entrada.grad += derivada local × nodo.grad`

        `viz.BackpropStepper` guarda un fotograma por nodo. En Jupyter se ve con botones
        *anterior*/*siguiente*, *reproducir*/*pausa* con una velocidad, un deslizador y las
        flechas del teclado (una pulsación, un fotograma); el dibujo se acerca, se aleja y se
        arrastra. El nodo que se procesa aparece recuadrado en rojo; cada arista que entra en su
        operación dice su derivada local con los nombres de los nodos (`∂n/∂w1 = 1.5`) y lo que
        se acaba de sumar (`w1.grad += 1.5 × 0.71 = 1.07`), y el rótulo de arriba enuncia ese paso
        de la regla de la cadena con sus números. (`stepper.to_html("backprop.html")` escribe el
        mismo visor en una página que se abre en cualquier navegador, sin conexión.)
        """,
        en="""
        ## Backpropagation, step by step

        Backprop does the same multiplications for every node at once, walking the graph from the
        output back to the inputs (reverse topological order). It starts with `out.grad = 1`
        (∂out/∂out) and, at each node, adds to each input's grad

        `input.grad += local derivative × node.grad`

        `viz.BackpropStepper` records one frame per node. In Jupyter it shows *previous*/*next*,
        *play*/*pause* with a speed, a slider and the arrow keys (one press, one frame); the
        picture zooms and pans. The node being processed is outlined in red; each edge into its
        operation names its local derivative with the nodes' labels (`∂n/∂w1 = 1.5`) and what was
        just added (`w1.grad += 1.5 × 0.71 = 1.07`), and the caption above states that chain-rule
        step with its numbers. (`stepper.to_html("backprop.html")` writes the same viewer to a page
        that opens in any browser, offline.)
        """,
    ),
    code("""
    stepper = viz.BackpropStepper(out)
    stepper
    """),
    md(
        es="""
        Los fotogramas también se pueden dibujar uno a uno. El fotograma 0 es el punto de partida;
        este es el 2, en el que el gradiente llega a las entradas de la suma ponderada `n`:
        """,
        en="""
        The same frames can be drawn one by one. Frame 0 is the start; here is frame 2, where the
        gradient reaches the weighted sum `n`'s inputs:
        """,
    ),
    code("""
    print(stepper.caption(2))
    stepper.digraph(2)
    """),
    md(
        es="""
        Cada paso es el registro del turno de un nodo, tal como los entrega `out.backward_steps()`:
        el gradiente que llega desde arriba ∂out/∂nodo, la derivada local respecto de cada entrada y
        la contribución que se suma al gradiente de esa entrada. Se escriben como en las aristas del
        dibujo: `∂x1·w1/∂w1` (= x1) es la derivada local de una sola operación; `∂out/∂w1`, la de la salida,
        es lo que queda en `w1.grad` al terminar.
        """,
        en="""
        Each step of the stepper is a record of one node's turn, as `out.backward_steps()` yields
        them: the upstream gradient ∂out/∂node, the local derivative towards each input and the
        contribution added to that input's grad. They are written as on the picture's edges:
        `∂x1·w1/∂w1` (= x1) is the local derivative of one operation; `∂out/∂w1`, that of the output, is what
        `w1.grad` holds at the end.
        """,
    ),
    code("""
    for step in stepper.steps:
        if not step.children:
            continue  # «una hoja no tiene entradas a las que pasar gradiente|a leaf has no inputs to pass a gradient to»
        for child, local, added in zip(step.children, step.local_grads, step.contributions):
            print(f"∂{step.node.label}/∂{child.label} = {local:.4g}   "
                  f"{child.label}.grad += {local:.4g} × {step.upstream:.4g} = {added:.4g}")
    """),
    md(
        es="""
        Tras el último paso, cada nodo tiene su gradiente. `show_local_grads=True` escribe en cada
        arista la derivada local y la contribución, y `color_by_grad=True` colorea las cajas según
        el tamaño de su gradiente.
        """,
        en="""
        After the last step every node holds its gradient. `show_local_grads=True` writes the local
        derivative and the contribution on every edge, and `color_by_grad=True` colours the boxes
        by the size of their gradient.
        """,
    ),
    code("""
    viz.draw_graph(out, show_local_grads=True, color_by_grad=True)
    """),
    code("""
    backprop = {"w1": w1.grad, "w2": w2.grad, "b": b.grad, "x1": x1.grad, "x2": x2.grad}
    for name in by_hand:
        print(f"∂out/∂{name}: «a mano|by hand» {by_hand[name]:+.6f}, «retropropagación|backprop» {backprop[name]:+.6f}")
    assert all(abs(by_hand[name] - backprop[name]) < 1e-12 for name in by_hand)
    """),
    md(
        es="""
        ### Un valor usado dos veces: los gradientes se suman

        Cuando un valor alimenta dos operaciones, los dos caminos contribuyen a su gradiente; por eso
        la retropropagación *acumula* (`+=`) en lugar de asignar. Para `c = a · a`,
        ∂c/∂a = a + a = 2a: cada una de las dos aristas aporta `a`.
        """,
        en="""
        ### A value used twice: gradients add up

        When a value feeds two operations, both paths contribute to its gradient, which is why
        backprop *adds* (`+=`) instead of assigning. For `c = a · a`, ∂c/∂a = a + a = 2a: each of
        the two edges brings `a`.
        """,
    ),
    code("""
    a = Value(3.0, "a")
    c = named(a * a, "c")
    c.backward()
    print(f"∂c/∂a = {a.grad} (2a = {2 * a.data})")
    viz.draw_graph(c, show_local_grads=True)
    """),
    md(
        es=r"""
        ## Comprobación con diferencias finitas

        Una derivada es un límite, así que podemos estimarla moviendo una entrada un $h$ pequeño
        en los dos sentidos (la diferencia centrada, *central difference*):

        $$\frac{\partial f}{\partial w} \approx \frac{f(w + h) - f(w - h)}{2h}$$

        Necesita dos pasadas hacia delante por entrada, así que es demasiado lenta para entrenar,
        pero es la comprobación independiente de cada gradiente que calcula la retropropagación.
        """,
        en=r"""
        ## Checking with finite differences

        A derivative is a limit, so we can estimate it by nudging one input by a small $h$ in both
        directions (the central difference):

        $$\frac{\partial f}{\partial w} \approx \frac{f(w + h) - f(w - h)}{2h}$$

        It needs two forward passes per input, so it is far too slow to train with, but it is the
        independent check of every gradient that backprop computes.
        """,
    ),
    code("""
    def neuron(x1, x2, w1, w2, b):
        return (x1 * w1 + x2 * w2 + b).tanh()


    h = 1e-6
    plus = neuron(x1, x2, Value(w1.data + h), w2, b).data
    minus = neuron(x1, x2, Value(w1.data - h), w2, b).data
    print(f"«diferencia finita para w1:|finite difference for w1:» {(plus - minus) / (2 * h):+.8f}")
    print(f"«retropropagación para w1: |backprop for w1:         » {w1.grad:+.8f}")
    """),
    md(
        es="""
        `autograd.numerical_grads` hace esto para cada entrada, y `autograd.gradcheck` compara el
        resultado con la retropropagación (lanza un error que nombra la entrada cuando no
        coinciden). `viz.draw_gradcheck` dibuja la comprobación sobre el grafo: las entradas en
        verde coinciden.
        """,
        en="""
        `autograd.numerical_grads` does this for every input, and `autograd.gradcheck` compares the
        result with backprop (it raises an error that names the input when they disagree).
        `viz.draw_gradcheck` draws the check on the graph: green inputs agree.
        """,
    ),
    code("""
    inputs = [x1, x2, w1, w2, b]
    estimates = numerical_grads(neuron, inputs)
    print("«diferencias finitas|finite differences»:", [round(g, 6) for g in estimates])
    print("«gradcheck pasa|gradcheck passes»:", gradcheck(neuron, inputs))
    viz.draw_gradcheck(neuron, inputs)
    """),
    md(
        es="""
        ## Los mismos gradientes, con PyTorch

        PyTorch construye el mismo grafo detrás de sus tensores; en float64 sus gradientes
        coinciden con los nuestros hasta las últimas cifras. (Si PyTorch no está instalado, esta
        celda se salta la comparación.)
        """,
        en="""
        ## The same gradients from PyTorch

        PyTorch builds the same graph behind its tensors; in float64 its gradients agree with ours
        to the last digits. (This cell skips itself when PyTorch is not installed.)
        """,
    ),
    code("""
    try:
        import torch
    except ImportError:
        torch = None
        print("«PyTorch no está instalado (pip install torch): me salto la comparación|PyTorch is not installed (pip install torch): skipping the comparison»")

    if torch is not None:
        leaves = {v.label: torch.tensor(v.data, dtype=torch.float64, requires_grad=True) for v in inputs}
        torch_out = torch.tanh(leaves["x1"] * leaves["w1"] + leaves["x2"] * leaves["w2"] + leaves["b"])
        torch_out.backward()
        for v in inputs:
            theirs = leaves[v.label].grad.item()
            print(f"{v.label:>2}: retrograd {v.grad:+.10f}   PyTorch {theirs:+.10f}   "
                  f"«diferencia|difference» {abs(v.grad - theirs):.1e}")
            assert abs(v.grad - theirs) < 1e-12
        print("«PyTorch coincide|PyTorch agrees»")
    """),
    md(
        es="""
        ## La neurona de la biblioteca, y un paso de descenso del gradiente

        `nn.Neuron` es esta misma neurona empaquetada: pesos, sesgo y activación. Con `fused=False`
        construye el grafo nodo a nodo, como arriba; por defecto (`fused=True`) la suma ponderada
        `w·x + b` es un solo nodo, que es más rápido y mantiene legibles los grafos grandes.
        """,
        en="""
        ## The library's neuron, and one step of gradient descent

        `nn.Neuron` is this neuron packaged: weights, bias and activation. With `fused=False` it
        builds the graph node by node as above; by default (`fused=True`) the weighted sum `w·x + b`
        is a single node, which is faster and keeps big graphs readable.
        """,
    ),
    code("""
    neuron_unit = nn.Neuron(2, "tanh", weights=[0.8, -1.2], bias=-1.2)
    prediction = neuron_unit([1.5, -0.5])
    print(f"«nn.Neuron da|nn.Neuron gives» {prediction.data:.4f} («igual que|same as» out = {out.data:.4f})")
    viz.draw_graph(prediction)
    """),
    md(
        es=r"""
        Para *aprender* necesitamos una **función de pérdida** (loss): un número que dice cuánto se
        equivoca la salida. Para un objetivo $t$, el error cuadrático es $L = (\text{out} - t)^2$.
        El **descenso del gradiente** (gradient descent) mueve cada parámetro un pequeño paso en
        contra de su gradiente,

        $$w \leftarrow w - \eta \, \frac{\partial L}{\partial w},$$

        donde $\eta$ es la **tasa de aprendizaje** (learning rate). Se repite, y la pérdida baja.
        """,
        en=r"""
        To *learn*, we need a **loss**: a number that says how wrong the output is. For a target
        $t$ the squared error is $L = (\text{out} - t)^2$. **Gradient descent** moves every
        parameter a small step against its gradient,

        $$w \leftarrow w - \eta \, \frac{\partial L}{\partial w},$$

        where $\eta$ is the **learning rate**. Repeat, and the loss falls.
        """,
    ),
    code("""
    target = -0.5
    learning_rate = 0.05
    losses = []
    for _ in range(30):
        loss = (neuron_unit([1.5, -0.5]) - target) ** 2
        neuron_unit.zero_grad()           # «las hojas acumulan gradientes: primero se ponen a cero|leaves accumulate grads: clear them first»
        loss.backward()
        for p in neuron_unit.parameters():
            p.data -= learning_rate * p.grad
        losses.append(loss.data)

    output = neuron_unit([1.5, -0.5]).data
    print(f"«pérdida|loss»: {losses[0]:.4f} → {losses[-1]:.6f};  «salida ahora|output now» {output:+.4f} "
          f"(«objetivo|target» {target})")
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.plot(losses, marker="o", markersize=3)
    ax.set(xlabel="«paso del descenso del gradiente|step of gradient descent»", ylabel="«pérdida|loss»",
           title="«una neurona aprende un objetivo|one neuron learning a target»")
    ax.grid(alpha=0.3)
    plt.show()
    """),
    md(
        es="""
        ## De una neurona a una red: niveles de detalle

        Con muchas neuronas, el dibujo de cada operación deja de leerse. `viz.draw_graph` dibuja el
        mismo grafo a tres niveles (`level=`): `"op"` (cada operación, como arriba), `"neuron"`
        (una caja por neurona, con su suma ponderada `z`, su activación `a` y su gradiente; los
        pesos entran como cajas con nombre) y `"layer"` (una caja por capa). Por defecto elige el
        nivel más fino que se puede leer, y lo dice en el dibujo. Cada neurona se llama por su capa
        y su número: `z(1,2)` es la suma ponderada de la neurona 2 de la capa 1.
        """,
        en="""
        ## From one neuron to a network: levels of detail

        With many neurons, a picture of every operation can no longer be read. `viz.draw_graph`
        draws the same graph at three levels (`level=`): `"op"` (every operation, as above),
        `"neuron"` (one box per neuron, with its weighted sum `z`, its activation `a` and its grad;
        the weights come in as labelled boxes) and `"layer"` (one box per layer). By default it
        picks the finest level that stays readable, and says so in the picture. Each neuron is named
        by its layer and number: `z(1,2)` is the weighted sum of neuron 2 of layer 1.
        """,
    ),
    code("""
    network = nn.MLP(2, [4, 1], seed=0)
    network_loss = (network([1.5, -0.5]) - target) ** 2
    network_loss.backward()
    viz.draw_graph(network_loss, level="neuron", show_local_grads=True)
    """),
    md(
        es="""
        `expand=` abre una neurona (o una capa) dentro del dibujo resumido: se ven sus operaciones y
        el gradiente que le llega desde arriba. Y el paso a paso también puede ir neurona a neurona.
        """,
        en="""
        `expand=` opens one neuron (or layer) inside the collapsed picture: its operations appear,
        with the gradient that reaches it from above. The stepper can go neuron by neuron too.
        """,
    ),
    code("""
    viz.draw_graph(network_loss, level="neuron", expand=[network.layers[0].neurons[1]], show_local_grads=True)
    """),
    code("""
    viz.BackpropStepper(network_loss, level="neuron")
    """),
    md(
        es="""
        **Para recordar**

        - Una neurona es una suma ponderada más un sesgo, pasada por una función de activación.
        - La retropropagación es la regla de la cadena aplicada nodo a nodo, desde la salida hacia
          atrás: el gradiente de cada entrada recibe `derivada local × gradiente de arriba`, y las
          contribuciones de varios caminos se suman.
        - Las diferencias finitas y PyTorch son dos comprobaciones independientes de los mismos
          números.

        Siguiente: [2. Funciones de activación y de pérdida](02_activations_and_losses.ipynb).
        """,
        en="""
        **What to remember**

        - A neuron is a weighted sum plus a bias, passed through an activation.
        - Backprop is the chain rule applied node by node, from the output back: each input's grad
          gets `local derivative × upstream grad`, and contributions from several paths add up.
        - Finite differences and PyTorch are two independent checks of the same numbers.

        Next: [2. Activations and losses](02_activations_and_losses.ipynb).
        """,
    ),
]
