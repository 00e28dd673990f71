"""Notebook 5: an MLP on images (digits), preprocessing, and a tabular exercise (wine)."""

from . import code, md

CELLS = [
    md(
        es="""
        # 5. Un perceptrón multicapa con imágenes

        Un MLP recibe un vector. Para clasificar una imagen la **aplanamos** (flatten): los 8 × 8
        píxeles de un dígito manuscrito se convierten en 64 números en fila, y cada uno es una
        neurona de entrada. Este cuaderno entrena una red así con los dígitos que trae
        scikit-learn (sin descargas), con la preparación que necesita cualquier conjunto de datos:
        la división entrenamiento/prueba, la **estandarización** y la **binarización** de las
        etiquetas (one-hot). Después se pregunta qué se pierde al aplanar, y termina con un
        ejercicio con datos tabulares de vinos.
        """,
        en="""
        # 5. An MLP on images

        An MLP takes a vector. To classify an image we **flatten** it: the 8 × 8 pixels of a
        handwritten digit become 64 numbers in a row, and each becomes one input neuron. This
        notebook trains such a network on scikit-learn's bundled digits (no download), with the
        preparation every data set needs: a train/test split, **standardisation**, **one-hot**
        labels. Then it asks what flattening throws away, and ends with a tabular exercise on
        wines.
        """,
    ),
    code("""
    %matplotlib inline
    import matplotlib.pyplot as plt
    import numpy as np

    import nn
    import viz
    from nn import data

    viz.set_language(«"es"|"en"»)

    X, y = data.load_digits()
    print(f"{X.shape[0]} «imágenes, cada una aplanada en|images, each flattened to» {X.shape[1]} «números|numbers» "
          f"(«valores de los píxeles|pixel values» {X.min():.0f}…{X.max():.0f}); «etiquetas|labels» {np.unique(y).tolist()}")
    """),
    code("""
    fig = plt.figure(figsize=(12, 3.6), layout="constrained")
    top, bottom = fig.subfigures(2, 1, height_ratios=[2, 1])
    for digit, ax in enumerate(top.subplots(1, 10)):
        ax.imshow(X[y == digit][0].reshape(8, 8), cmap="gray_r")
        ax.set(title=str(digit), xticks=[], yticks=[])
    ax = bottom.subplots()
    ax.imshow(X[y == 3][0].reshape(1, 64), cmap="gray_r", aspect="auto")     # «el 3, aplanado|the 3, flattened»
    ax.set(xticks=range(0, 64, 8), yticks=[],
           xlabel="«índice de entrada: los píxeles 0-7 son la fila de arriba, 8-15 la segunda, …|input index: pixels 0-7 are the top row, 8-15 the second, …»",
           title="«el 3 de arriba, aplanado: 64 números en fila, tal como los ve el MLP|the 3 above, flattened: 64 numbers in a row, as the MLP sees them»")
    plt.show()
    """),
    md(
        es="""
        ## División entrenamiento/prueba y escalado

        Primero la **división** (train/test split): se aparta una cuarta parte de las imágenes y no
        se usa nunca para entrenar. `stratify=True` mantiene la misma proporción de cada dígito en
        las dos partes.

        Después se llevan las entradas a una escala común. Los escaladores *aprenden* sus números
        solo del conjunto de entrenamiento (`fit`) y aplican esos mismos números al de prueba
        (`transform`): el conjunto de prueba no debe filtrarse en el entrenamiento.

        - **centrado** (centring): se resta la media de cada variable;
        - **estandarización** (standardisation): se centra y se divide por la desviación típica,
          de modo que cada variable tenga media 0 y varianza 1;
        - **normalización min-max** (min-max scaling): se lleva el rango de cada variable a [0, 1].
        """,
        en="""
        ## Train/test split and scaling

        First the **split**: a quarter of the images is set aside and never used for training.
        `stratify=True` keeps the same share of each digit in both parts.

        Then put the inputs on a common scale. The scalers *learn* their numbers from the training
        set only (`fit`), and apply the same numbers to the test set (`transform`): the test set
        must not leak into training.

        - **centring**: subtract each feature's mean;
        - **standardisation**: centre and divide by the standard deviation, so each feature has
          mean 0 and variance 1;
        - **min-max scaling**: map each feature's range onto [0, 1].
        """,
    ),
    code("""
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.25, seed=0, stratify=True)
    scalers = {"«centrado|centred»": data.Centerer(), "«estandarizado|standardised»": data.StandardScaler(),
               "min-max": data.MinMaxScaler()}
    print(f"{'«píxel 20|pixel 20»':>13}  {'«media|mean»':>6} {'«desv.|std»':>6} {'min':>6} {'max':>6}   "
          "«(conjunto de entrenamiento)|(training set)»")
    columns = {"«original|raw»": X_train[:, 20]} | {name: s.fit_transform(X_train)[:, 20] for name, s in scalers.items()}
    for name, column in columns.items():
        print(f"{name:>13}  {column.mean():6.2f} {column.std():6.2f} {column.min():6.2f} {column.max():6.2f}")

    scaler = data.StandardScaler().fit(X_train)
    X_train_s, X_test_s = scaler.transform(X_train), scaler.transform(X_test)
    """),
    md(
        es=r"""
        ## Binarización de las etiquetas (one-hot) y la capa de salida

        Diez clases necesitan diez neuronas de salida, una puntuación (*logit*) por dígito. La
        etiqueta "3" se convierte en el vector **one-hot** con un 1 en la posición 3 (la
        *binarización* de la etiqueta); la softmax convierte las diez puntuaciones en
        probabilidades y la **entropía cruzada** (cross-entropy) las compara con el objetivo
        one-hot. (`nn.cross_entropy` también acepta directamente los índices de clase, que es lo que
        le pasamos a `fit`.)
        """,
        en=r"""
        ## One-hot labels and the output layer

        Ten classes need ten output neurons, one score (*logit*) per digit. The label "3" becomes
        the **one-hot** vector with a 1 in position 3; softmax turns the ten scores into
        probabilities and **cross-entropy** compares them with the one-hot target.
        (`nn.cross_entropy` also accepts the class indices directly, which is what we pass to
        `fit`.)
        """,
    ),
    code("""
    print("«etiquetas:  |labels:      »", y_train[:4])
    print("«filas one-hot:|one-hot rows:»\\n", data.one_hot(y_train[:4], 10).astype(int))
    """),
    md(
        es="""
        ## Entrenamiento del MLP 64-32-10

        Capa oculta ReLU, Adam, lotes de 64, 30 épocas, en el motor tensorial (unos segundos). El
        conjunto de prueba hace de validación, así que podemos vigilar el sobreajuste.
        """,
        en="""
        ## Training the MLP 64-32-10

        ReLU hidden layer, Adam, mini-batches of 64, 30 epochs, on the tensor engine (a few
        seconds). The test set serves as validation, so we can watch for overfitting.
        """,
    ),
    code("""
    model = nn.tensor_mlp(64, [32, 10], activation="relu", seed=0)
    print(model, f"\\n{model.num_parameters()} «parámetros|parameters»")
    history = nn.fit(model, "cross_entropy", nn.Adam(model.parameters(), lr=0.003), (X_train_s, y_train),
                     epochs=30, batch_size=64, validation=(X_test_s, y_test), seed=0, progress=False)
    print(f"«exactitud en entrenamiento|training accuracy» {history.train_accuracy[-1]:.1%}, "
          f"«exactitud en prueba|test accuracy» {history.val_accuracy[-1]:.1%}")
    viz.plot_training_curves(history, title="«dígitos, MLP 64-32-10|digits, MLP 64-32-10»")
    """),
    md(
        es="""
        ## La matriz de confusión

        La exactitud es un solo número; la matriz de confusión (confusion matrix) muestra *qué*
        dígitos se confunden con cuáles: fila = dígito verdadero, columna = dígito predicho. Todo lo
        que queda fuera de la diagonal es un error.
        """,
        en="""
        ## The confusion matrix

        Accuracy is one number; the confusion matrix shows *which* digits are mistaken for which:
        row = true digit, column = predicted digit. Everything off the diagonal is an error.
        """,
    ),
    code("""
    predicted = nn.predict(model, X_test_s).argmax(axis=1)
    confusion = np.zeros((10, 10), dtype=int)
    np.add.at(confusion, (y_test, predicted), 1)
    print(f"«exactitud en prueba|test accuracy»: {np.mean(predicted == y_test):.1%} "
          f"({np.sum(predicted == y_test)} «de|of» {len(y_test)})")

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.6), layout="constrained", width_ratios=[1, 1.2])
    axes[0].imshow(confusion, cmap="Blues")
    for i in range(10):
        for j in range(10):
            if confusion[i, j]:
                axes[0].text(j, i, confusion[i, j], ha="center", va="center",
                             color="white" if confusion[i, j] > confusion.max() / 2 else "black", fontsize=8)
    axes[0].set(xticks=range(10), yticks=range(10), xlabel="«dígito predicho|predicted digit»",
                ylabel="«dígito verdadero|true digit»",
                title="«matriz de confusión (conjunto de prueba)|confusion matrix (test set)»")

    wrong = np.flatnonzero(predicted != y_test)[:8]
    axes[1].axis("off")
    axes[1].set_title("«algunos errores: verdadero → predicho|some mistakes: true → predicted»")
    for k, index in enumerate(wrong):
        inset = axes[1].inset_axes([(k % 4) * 0.25, 0.5 - (k // 4) * 0.5, 0.22, 0.42])
        inset.imshow(X_test[index].reshape(8, 8), cmap="gray_r")
        inset.set_title(f"{y_test[index]} → {predicted[index]}", fontsize=9)
        inset.set_xticks([])
        inset.set_yticks([])
    plt.show()
    """),
    md(
        es="""
        ## La misma red como estimador al estilo de scikit-learn

        `nn.estimators.MLPClassifier` envuelve todo lo anterior (el `nn.tensor_mlp`, Adam, los minilotes,
        la entropía cruzada, `nn.fit`) tras los nombres y métodos de scikit-learn: `fit`,
        `predict`, `predict_proba`, `score`. Junto al `MLPClassifier` de scikit-learn con los
        mismos ajustes, los dos alcanzan una exactitud parecida (los pesos iniciales son distintos,
        y por eso los números también).
        """,
        en="""
        ## The same network as a scikit-learn-style estimator

        `nn.estimators.MLPClassifier` wraps all of the above (the `nn.tensor_mlp`, Adam, mini-batches,
        cross-entropy, `nn.fit`) behind scikit-learn's names and methods: `fit`, `predict`,
        `predict_proba`, `score`. Placed beside scikit-learn's own `MLPClassifier` with the same
        settings, the two reach similar accuracy (the initial weights differ, so the numbers do
        too).
        """,
    ),
    code("""
    import warnings

    from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier

    from nn.estimators import MLPClassifier

    settings = dict(hidden_layer_sizes=(32,), max_iter=30, random_state=0)
    ours = MLPClassifier(**settings).fit(X_train_s, y_train)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")        # «scikit-learn avisa de que 30 iteraciones son pocas|scikit-learn warns that 30 iterations are few»
        theirs = SklearnMLPClassifier(**settings).fit(X_train_s, y_train)
    print(f"«el MLPClassifier de retrograd|retrograd's MLPClassifier»: «exactitud en prueba|test accuracy» "
          f"{ours.score(X_test_s, y_test):.1%}  ({ours.history_})")
    print(f"«el de scikit-learn:        |scikit-learn's:           » «exactitud en prueba|test accuracy» "
          f"{theirs.score(X_test_s, y_test):.1%}")
    """),
    md(
        es=r"""
        ## Lo que se pierde al aplanar

        Una capa totalmente conectada (fully connected) da a cada píxel su propio peso y trata las
        64 entradas como una lista sin orden: no sabe qué píxeles son *vecinos*. Es el gran
        inconveniente de aplanar, y dos experimentos lo muestran.

        1. Barajamos los píxeles de todas las imágenes con **una misma permutación fija**. Para
           nosotros las imágenes se vuelven ruido; para el MLP no cambia nada. Si además la red
           barajada empieza con los mismos pesos iniciales, barajados igual, su entrenamiento es
           *exactamente* el mismo, época a época: la suma ponderada $\sum_i w_i x_i$ no depende
           del orden de sus términos. Sus pesos, devueltos al orden de los píxeles, son los de la
           red normal.
        2. Desplazamos cada imagen de prueba un píxel a la derecha. Para nosotros no ha cambiado
           nada; para el MLP cada entrada ha ido a parar a otro peso, y la exactitud cae.

        Qué significa: todo lo que el MLP sabe sobre la forma de un dígito lo ha aprendido píxel a
        píxel, y lo que aprende en una posición no le sirve en la de al lado. Las redes
        convolucionales (LeCun y colaboradores, 1989) incorporan justo eso, la vecindad y el
        desplazamiento, y son el siguiente paso después del MLP.
        """,
        en=r"""
        ## What flattening throws away

        A fully connected layer gives every pixel its own weight and treats the 64 inputs as an
        unordered list: it does not know which pixels are *neighbours*. That is the drawback of
        flattening, and two experiments show it.

        1. Shuffle the pixels of every image with **one fixed permutation**. The images become noise
           to us; to the MLP nothing changes. If the shuffled network also starts from the same
           initial weights, shuffled the same way, its training is *exactly* the same, epoch by
           epoch: the weighted sum $\sum_i w_i x_i$ does not depend on the order of its terms. Its
           weights, put back in pixel order, are the ordinary network's.
        2. Shift every test image one pixel to the right. To us nothing changed; to the MLP every
           input moved to a different weight, and accuracy drops.

        What it means: everything the MLP knows about the shape of a digit it learnt pixel by
        pixel, and what it learns at one position is no use at the next. Convolutional networks
        (LeCun and colleagues, 1989) build exactly that in, neighbourhoods and shifts, and they are
        the next step after the MLP.
        """,
    ),
    code("""
    def train_digits(X_tr, X_te, first_weights=None, epochs=30):
        \"\"\"An MLP 64-32-10 trained as above (in float64), optionally starting from the given first-layer weights.\"\"\"
        scaler = data.StandardScaler().fit(X_tr)
        model = nn.tensor_mlp(64, [32, 10], activation="relu", seed=0, dtype=np.float64)
        if first_weights is not None:
            model[0].weight.data[...] = first_weights
        history = nn.fit(model, "cross_entropy", nn.Adam(model.parameters(), lr=0.003), (scaler.transform(X_tr), y_train),
                         epochs=epochs, batch_size=64, validation=(scaler.transform(X_te), y_test), seed=0, progress=False)
        return model, scaler, history


    permutation = np.random.default_rng(0).permutation(64)        # «una permutación fija de los 64 píxeles|one fixed permutation of the 64 pixels»
    initial = nn.tensor_mlp(64, [32, 10], activation="relu", seed=0, dtype=np.float64)[0].weight.data
    ordered, ordered_scaler, ordered_history = train_digits(X_train, X_test)
    shuffled, _, shuffled_history = train_digits(X_train[:, permutation], X_test[:, permutation],
                                                 first_weights=initial[:, permutation])
    gap = np.abs(np.subtract(ordered_history.val_accuracy, shuffled_history.val_accuracy)).max()
    weight_gap = np.abs(shuffled[0].weight.data[:, np.argsort(permutation)] - ordered[0].weight.data).max()
    print(f"«píxeles barajados|pixels shuffled»: «exactitud en prueba|test accuracy» {shuffled_history.val_accuracy[-1]:.1%} "
          f"(«en orden|in order»: {ordered_history.val_accuracy[-1]:.1%}); «mayor diferencia entre las dos curvas|largest gap between the two curves»: {gap:.1%}")
    print(f"«pesos de la primera capa devueltos al orden de los píxeles: mayor diferencia|first-layer weights put back in pixel order: largest difference»: {weight_gap:.1e}")

    shifted = np.roll(X_test.reshape(-1, 8, 8), 1, axis=2)
    shifted[:, :, 0] = 0                                       # «no entra nada por el borde izquierdo|nothing comes in from the left edge»
    shifted_accuracy = nn.evaluate(ordered, "cross_entropy", (ordered_scaler.transform(shifted.reshape(-1, 64)), y_test))[1]
    print(f"«imágenes de prueba desplazadas un píxel a la derecha|test images shifted one pixel right»: "
          f"«exactitud en prueba|test accuracy» {shifted_accuracy:.1%}")

    fig = plt.figure(figsize=(13, 3.4), layout="constrained")
    images, curves = fig.subfigures(1, 2, width_ratios=[1.5, 1])
    pictures = [(X_test[0], "«original|original»"), (X_test[0][permutation], "«píxeles barajados|pixels shuffled»"),
                (shifted[0].ravel(), "«desplazada a la derecha|shifted right»"),
                (ordered[0].weight.data[0], "«neurona 0: sus pesos|neuron 0: its weights»"),
                (shuffled[0].weight.data[0, np.argsort(permutation)], "«…en la red barajada|…in the shuffled net»")]
    for k, (ax, (image, title)) in enumerate(zip(images.subplots(1, 5), pictures)):
        if k < 3:
            ax.imshow(image.reshape(8, 8), cmap="gray_r")
        else:                                   # «pesos: rojo > 0, azul < 0|weights: red > 0, blue < 0»
            largest = np.abs(image).max()
            ax.imshow(image.reshape(8, 8), cmap="coolwarm", vmin=-largest, vmax=largest)
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    ax = curves.subplots()
    epochs = range(1, len(ordered_history.val_accuracy) + 1)
    ax.plot(epochs, ordered_history.val_accuracy, linewidth=4, alpha=0.4, label="«píxeles en orden|pixels in order»")
    ax.plot(epochs, shuffled_history.val_accuracy, "k--", linewidth=1.2, label="«píxeles barajados|pixels shuffled»")
    ax.set(xlabel="«época|epoch»", ylabel="«exactitud en prueba|test accuracy»",
           title="«el MLP no nota la diferencia|the MLP cannot tell the difference»")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    plt.show()
    """),
    md(
        es="""
        ## Un conjunto más difícil: Fashion-MNIST

        Fashion-MNIST (Xiao, Rasul y Vollgraf, 2017) tiene el mismo formato que MNIST, 70 000
        imágenes de 28 × 28 píxeles en gris, pero de prendas de ropa en diez clases: camisetas,
        pantalones, jerséis, vestidos, abrigos, sandalias, camisas, zapatillas, bolsos y botines.
        Es bastante más difícil que los dígitos. Descarga los cuatro archivos
        (`train-images-idx3-ubyte.gz` y los otros tres) de
        https://github.com/zalandoresearch/fashion-mnist en `notebooks/data/fashion-mnist/` (o en la
        carpeta que indique la variable de entorno `FASHION_MNIST_DIR`): `nn.data.load_fashion_mnist`
        los lee (el formato IDX, con `nn.data.load_idx`). Si no están, la celda usa los dígitos de
        siempre.
        """,
        en="""
        ## A harder data set: Fashion-MNIST

        Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017) has the format of MNIST, 70,000 greyscale
        images of 28 × 28 pixels, but of clothes in ten classes: T-shirts, trousers, pullovers,
        dresses, coats, sandals, shirts, sneakers, bags and ankle boots. It is much harder than the
        digits. Download the four files (`train-images-idx3-ubyte.gz` and the three others) from
        https://github.com/zalandoresearch/fashion-mnist into `notebooks/data/fashion-mnist/` (or the
        folder that the environment variable `FASHION_MNIST_DIR` names): `nn.data.load_fashion_mnist`
        reads them (the IDX format, with `nn.data.load_idx`). When they are absent, the cell uses
        the digits instead.
        """,
    ),
    code("""
    import os
    from pathlib import Path

    folder = Path(os.environ.get("FASHION_MNIST_DIR", "../data/fashion-mnist"))
    try:
        images_train, images_test, labels_train, labels_test = data.load_fashion_mnist(folder)
        # «10 000 imágenes de entrenamiento y 2000 de prueba, para ir rápido|10,000 training and 2,000 test images, to be quick»
        images_train, labels_train = images_train[:10000], labels_train[:10000]
        images_test, labels_test = images_test[:2000], labels_test[:2000]
        class_names = «["camiseta/top", "pantalón", "jersey", "vestido", "abrigo",
                       "sandalia", "camisa", "zapatilla", "bolso", "botín"]|list(data.FASHION_MNIST_CLASSES)»
        source = "Fashion-MNIST"
    except FileNotFoundError as missing:
        print(missing)
        print("«Sin Fashion-MNIST: seguimos con los dígitos.|Without Fashion-MNIST: carrying on with the digits.»")
        images_train, images_test, labels_train, labels_test = X_train, X_test, y_train, y_test
        class_names, source = [str(digit) for digit in range(10)], "«dígitos|digits»"
    side = int(np.sqrt(images_train.shape[1]))
    image_scaler = data.StandardScaler().fit(images_train)
    image_model = nn.tensor_mlp(side * side, [64, 10], activation="relu", seed=0)
    image_history = nn.fit(image_model, "cross_entropy", nn.Adam(image_model.parameters(), lr=0.001),
                           (image_scaler.transform(images_train), labels_train), epochs=10, batch_size=64,
                           validation=(image_scaler.transform(images_test), labels_test), seed=0, progress=False)
    image_predicted = nn.predict(image_model, image_scaler.transform(images_test)).argmax(axis=1)
    print(f"{source}: MLP {side * side}-64-10, {len(images_train)} «imágenes de entrenamiento|training images», "
          f"«exactitud en prueba|test accuracy» {image_history.val_accuracy[-1]:.1%}")

    fig, axes = plt.subplots(1, 10, figsize=(13, 1.9), layout="constrained")
    for k, ax in enumerate(axes):
        index = np.flatnonzero(labels_test == k)[0]
        ax.imshow(images_test[index].reshape(side, side), cmap="gray_r")
        right = image_predicted[index] == labels_test[index]
        ax.set_title(f"{class_names[k]}\\n→ {class_names[image_predicted[index]]}", fontsize=8,
                     color="black" if right else "#d62728")
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(f"{source}: «una imagen de prueba por clase: clase → predicción (en rojo, errores)|one test image per class: class → prediction (mistakes in red)»")
    plt.show()
    """),
    md(
        es="""
        ## Ejercicio: vinos, un conjunto de datos tabular

        178 vinos de tres variedades, con 13 medidas químicas cada uno en escalas muy distintas (la
        prolina va por los cientos, el tono ronda 1). Entrena un MLP 13-16-3 con y sin
        estandarización. Con datos pequeños como estos, **L-BFGS** con el lote completo converge en
        unas pocas decenas de iteraciones.

        Prueba: normalización min-max en su lugar; menos neuronas ocultas; L2; SGD en lugar de
        L-BFGS.
        """,
        en="""
        ## Exercise: wine, a tabular data set

        178 wines from three cultivars, 13 chemical measurements each, on wildly different scales
        (proline is in the hundreds, hue around 1). Train a 13-16-3 MLP with and without
        standardisation. On small data like this, **L-BFGS** with the full batch converges in a few
        dozen iterations.

        Try: min-max scaling instead; fewer hidden neurons; L2; SGD instead of L-BFGS.
        """,
    ),
    code("""
    X_wine, y_wine = data.load_wine()
    W_train, W_test, v_train, v_test = data.train_test_split(X_wine, y_wine, test_size=0.3, seed=0, stratify=True)
    print("«rangos de las variables en el conjunto de entrenamiento:|feature ranges in the training set:»",
          np.round(W_train.min(axis=0), 1).tolist()[:5], "…", np.round(W_train.max(axis=0), 1).tolist()[:5], "…")

    wine_scaler = data.StandardScaler().fit(W_train)
    for name, (train_inputs, test_inputs) in {
        "«sin escalar|raw features»": (W_train, W_test),
        "«estandarizadas|standardised»": (wine_scaler.transform(W_train), wine_scaler.transform(W_test)),
    }.items():
        wine_model = nn.tensor_mlp(13, [16, 3], activation="tanh", seed=0, dtype=np.float64)
        optimizer = nn.LBFGS(wine_model.parameters(), lr=1.0, max_iter=20, line_search_fn="strong_wolfe")
        wine_history = nn.fit(wine_model, "cross_entropy", optimizer, (train_inputs, v_train), epochs=5,
                              validation=(test_inputs, v_test), progress=False)
        print(f"{name:>13}: «pérdida de entrenamiento|training loss» {wine_history.train_loss[-1]:.3f}, "
              f"«exactitud en prueba|test accuracy» {wine_history.val_accuracy[-1]:.1%}")
    """),
    md(
        es="""
        **Para recordar**

        - Una imagen entra en un MLP aplanada en un vector: una entrada por píxel.
        - Primero se divide, el escalador se ajusta solo con el conjunto de entrenamiento, se
          estandariza, y se usa una salida por clase con softmax y entropía cruzada (objetivos
          one-hot).
        - La matriz de confusión muestra qué clases se confunden.
        - Un MLP ignora qué píxeles son vecinos: aprende las imágenes barajadas igual de bien que
          las reales, y un desplazamiento de un píxel lo confunde.

        Siguiente: [6. Escalar frente a tensor](06_scalar_vs_tensor.ipynb).
        """,
        en="""
        **What to remember**

        - An image enters an MLP flattened into a vector: one input per pixel.
        - Split first, fit the scaler on the training set only, standardise, and use one output per
          class with softmax and cross-entropy (one-hot targets).
        - The confusion matrix shows which classes are confused.
        - An MLP ignores which pixels are neighbours: it learns shuffled images as well as real
          ones, and a one-pixel shift confuses it.

        Next: [6. Scalar vs tensor](06_scalar_vs_tensor.ipynb).
        """,
    ),
]
