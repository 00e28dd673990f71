"""Notebook 7: the playground (the TensorFlow Playground over retrograd's own networks) and its exercises."""

from . import code, md

CELLS = [
    md(
        es="""
        # 7. Un laboratorio interactivo

        El TensorFlow Playground, aquí mismo y sin conexión, sobre las redes de retrograd: el
        *kernel* entrena una red `nn` de verdad y el navegador dibuja lo que va aprendiendo. Cada
        neurona oculta muestra su propio mapa de calor (qué ha aprendido a detectar en el plano), la
        salida muestra la frontera de decisión sobre los puntos, y las conexiones se colorean con su
        peso (naranja positivo, azul negativo, más gruesa cuanto mayor).

        Ejecuta la celda siguiente y pulsa **Entrenar**: la red aprende una época por fotograma,
        mientras puedes seguir ejecutando celdas.
        """,
        en="""
        # 7. A playground

        The TensorFlow Playground, right here and offline, over retrograd's own networks: the
        kernel trains a real `nn` network and the browser draws what it learns. Every hidden neuron
        shows its own heatmap (what it has learnt to detect in the plane), the output shows the
        decision boundary over the points, and the edges are coloured by their weight (orange
        positive, blue negative, thicker when larger).

        Run the next cell and press **Play**: the network learns one epoch per frame, while you can
        still run other cells.
        """,
    ),
    code("""
    import viz
    from viz.playground import Playground
    from viz.playground.exercises import (
        check_gaussian_without_hidden_layer,
        check_spiral,
        check_spiral_l2,
        check_spiral_overfits,
        check_xor_with_feature_cross,
        check_xor_with_hidden_layer,
    )

    viz.set_language(«"es"|"en"»)
    playground = Playground()
    playground
    """),
    md(
        es="""
        ## Los controles

        Significan lo mismo que en el original:

        - **Datos**: círculo, o exclusivo (XOR), dos gaussianas, espiral; en regresión, plano y
          varias gaussianas. **Ruido**, **proporción de datos de entrenamiento** (el resto son los
          de prueba) y **semilla** (los mismos datos y los mismos pesos iniciales cada vez).
        - **Tamaño del lote** (batch size): cuántos puntos entran en cada paso del descenso del
          gradiente; una época son tantos pasos como lotes caben en los datos de entrenamiento.
        - **Características de entrada** (features): haz clic en x₁, x₂, x₁², x₂², x₁·x₂, sen(x₁),
          sen(x₂) para darlas o quitarlas a la primera capa.
        - **Capas ocultas**: los botones + y − añaden o quitan capas y neuronas (hasta 6 capas de 8);
          un valor fuera de rango se rechaza con una frase y se conserva la red anterior.
        - **Tasa de aprendizaje**, **función de activación**, **regularización** (L1, L2) y su
          **tasa**, **tipo de problema** (clasificación o regresión).
        - **Mostrar los datos de prueba**, **discretizar la salida**, y qué muestra el color de las
          conexiones: **el peso** o **su gradiente** (en escala logarítmica: así se ve cuándo el
          gradiente se desvanece en las primeras capas).
        - **Inspeccionar** y luego clic en un punto de entrenamiento: abre debajo el paso a paso de
          la retropropagación de ese punto con los pesos actuales.
        """,
        en="""
        ## The controls

        They mean what they mean in the original:

        - **Data**: circle, exclusive or (XOR), Gaussian, spiral; for regression, plane and
          multi-Gaussian. **Noise**, the **ratio of training to test data** and the **seed** (the
          same points and the same starting weights every time).
        - **Batch size**: how many points go into each step of gradient descent; an epoch is as
          many steps as batches fit in the training data.
        - **Features**: click x₁, x₂, x₁², x₂², x₁·x₂, sin(x₁), sin(x₂) to give them to the first
          layer or take them away.
        - **Hidden layers**: the + and − buttons add or remove layers and neurons (up to 6 layers
          of 8); a value out of range is refused with a sentence and the network before is kept.
        - **Learning rate**, **activation**, **regularisation** (L1, L2) and its **rate**, the
          **problem type** (classification or regression).
        - **Show test data**, **discretise output**, and what the edge colour shows: **the weight**
          or **its gradient** (on a log scale, so you see when the gradient vanishes in the first
          layers).
        - **Inspect**, then click a training point: it opens below the step-by-step
          backpropagation of that point with the current weights.
        """,
    ),
    md(
        es="""
        ## Lo mismo desde el código

        Los controles y el estado nunca discrepan: lo que cambies aquí lo muestran los controles de
        arriba, y lo que cambies arriba se lee aquí. El estado completo (todos los controles y la
        semilla) cabe en una línea JSON: así se reparte un ejercicio. La red que se entrena es
        `playground.model`, un módulo `nn` como cualquier otro (se guarda con `save`, se llama con
        un `Tensor`).
        """,
        en="""
        ## The same from code

        The controls and the state never disagree: what you change here the controls above show,
        and what you change above can be read here. The whole state (every control and the seed)
        fits in one line of JSON: that is how an exercise is handed out. The network being trained
        is `playground.model`, an `nn` module like any other (save it with `save`, call it on a
        `Tensor`).
        """,
    ),
    code("""
    print(playground.to_json())
    playground.model
    """),
    md(
        es="""
        Una segunda instancia, manejada solo desde el código: el XOR con una capa oculta de 4
        neuronas, 40 épocas. `Playground(texto_json)` la reconstruiría igual en otro ordenador.
        """,
        en="""
        A second one, driven from code only: XOR with a hidden layer of 4 neurons, 40 epochs.
        `Playground(json_text)` would rebuild exactly this one on another computer.
        """,
    ),
    code("""
    demo = Playground(data_set="xor", hidden=[4], learning_rate=0.1)
    demo.step(40)
    print(demo)
    check_xor_with_hidden_layer(demo)
    """),
    md(
        es="""
        `inspect(i)` abre el paso a paso de la retropropagación (`viz.BackpropStepper`) en el punto
        de entrenamiento `i` con los pesos de ahora; es lo que hace el botón **Inspeccionar**.
        """,
        en="""
        `inspect(i)` opens the step-by-step backpropagation (`viz.BackpropStepper`) on training
        point `i` with the weights of now; it is what the **Inspect** button does.
        """,
    ),
    code("""
    demo.inspect(0)
    """),
    md(
        es="""
        ## Ejercicios

        Cada ejercicio se hace con los controles del laboratorio de arriba; la celda que le sigue
        comprueba el estado en que lo hayas dejado y responde con una frase: resuelto, o qué probar
        a continuación. Vuelve a ejecutarla tantas veces como quieras.

        **1. Una sola neurona.** Elige *Dos gaussianas* y quita todas las capas ocultas: la salida
        es entonces una sola neurona, una recta en el plano. ¿Basta para separar las dos nubes?
        """,
        en="""
        ## Exercises

        Each exercise is done with the controls of the playground above; the cell after it checks
        the state you left it in and answers in a sentence: solved, or what to try next. Run it
        again as often as you like.

        **1. One neuron.** Choose *Gaussian* and remove every hidden layer: the output is then a
        single neuron, a straight line in the plane. Is that enough to separate the two clouds?
        """,
    ),
    code("""
    check_gaussian_without_hidden_layer(playground)
    """),
    md(
        es="""
        **2. El XOR con un producto de características.** Elige *O exclusivo* sin capas ocultas y
        añade la característica x₁·x₂. Una sola neurona lo resuelve: ¿por qué? (Mira el signo de
        x₁·x₂ en cada cuadrante.)
        """,
        en="""
        **2. XOR with a feature cross.** Choose *Exclusive or* with no hidden layer and add the
        feature x₁·x₂. A single neuron solves it: why? (Look at the sign of x₁·x₂ in each
        quadrant.)
        """,
    ),
    code("""
    check_xor_with_feature_cross(playground)
    """),
    md(
        es="""
        **3. El XOR con una capa oculta.** Ahora quita x₁·x₂, deja solo x₁ y x₂, y añade una capa
        oculta. Mira los mapas de calor de sus neuronas: cada una traza una recta, y la salida las
        combina. ¿Cuántas neuronas hacen falta como mínimo?
        """,
        en="""
        **3. XOR with a hidden layer.** Now take x₁·x₂ away, keep only x₁ and x₂, and add a hidden
        layer. Look at its neurons' heatmaps: each one draws a line, and the output combines them.
        How few neurons will do?
        """,
    ),
    code("""
    check_xor_with_hidden_layer(playground)
    """),
    md(
        es="""
        **4. La espiral.** El conjunto más difícil. Prueba varias capas ocultas, ReLU, otras
        características (sen(x₁), sen(x₂) ayudan mucho) y la tasa de aprendizaje: el objetivo es
        acertar el 90 % de los puntos de prueba.
        """,
        en="""
        **4. The spiral.** The hardest set. Try several hidden layers, ReLU, other features
        (sin(x₁), sin(x₂) help a lot) and the learning rate: the aim is 90 % of the test points
        right.
        """,
    ),
    code("""
    check_spiral(playground)
    """),
    md(
        es="""
        **5. Sobreajuste (overfitting).** Con la espiral, deja pocos puntos de entrenamiento (una
        proporción del 10 %) y mucho ruido (50), todas las características y tres capas de 8
        neuronas, con tasa de aprendizaje 0,1. Marca *Mostrar los datos de prueba* y entrena unas
        150 épocas: la pérdida de entrenamiento baja mientras la de prueba, tras un mínimo, sube. La
        red memoriza el ruido de sus pocos puntos.

        Para empezar desde ahí: `playground.load_json('{"data_set": "spiral", "noise": 50,
        "train_ratio": 10, "hidden": [8, 8, 8], "learning_rate": 0.1, "show_test_data": true,
        "features": ["x1", "x2", "x1_squared", "x2_squared", "x1_x2", "sin_x1", "sin_x2"]}')`.
        """,
        en="""
        **5. Overfitting.** With the spiral, keep few training points (a ratio of 10 %) and much
        noise (50), every feature and three layers of 8 neurons, at a learning rate of 0.1. Tick
        *Show test data* and train for about 150 epochs: the training loss falls while the test
        loss, after a minimum, rises. The network learns the noise of its few points by heart.

        To start from there: `playground.load_json('{"data_set": "spiral", "noise": 50,
        "train_ratio": 10, "hidden": [8, 8, 8], "learning_rate": 0.1, "show_test_data": true,
        "features": ["x1", "x2", "x1_squared", "x2_squared", "x1_x2", "sin_x1", "sin_x2"]}')`.
        """,
    ),
    code("""
    check_spiral_overfits(playground)
    """),
    md(
        es="""
        **6. Regularización L2.** Con los mismos ajustes, elige regularización L2 y pulsa
        Reiniciar. Prueba tasas de 0,003 a 0,03: con la adecuada la pérdida de prueba queda por
        debajo de la de la misma red sin L2; con demasiada, la red deja de aprender (subajuste). La
        comprobación entrena la misma red sin L2 el mismo número de épocas y compara (tarda unos
        segundos).
        """,
        en="""
        **6. L2 regularisation.** With the same settings, choose L2 regularisation and press Reset.
        Try rates from 0.003 to 0.03: with the right one the test loss stays below that of the same
        network without L2; with too much, the network stops learning (underfitting). The check
        trains the same network without L2 for as many epochs and compares (it takes a few
        seconds).
        """,
    ),
    code("""
    check_spiral_l2(playground)
    """),
    md(
        es="""
        **7. Gradientes que se desvanecen.** Elige la función de activación sigmoide, seis capas
        ocultas y el color de las conexiones según *su gradiente*. Entrena: las conexiones de las
        primeras capas apenas se ven (gradientes de 10⁻⁵ y menos) mientras las últimas aprenden.
        Pasa el ratón por encima para leer el valor. Cambia a ReLU o a Tanh y compara.
        """,
        en="""
        **7. Vanishing gradients.** Choose the sigmoid activation, six hidden layers, and edge
        colours by *its gradient*. Train: the edges of the first layers barely show (gradients of
        10⁻⁵ and less) while the last ones learn. Hover over an edge to read its value. Switch to
        ReLU or Tanh and compare.
        """,
    ),
]
