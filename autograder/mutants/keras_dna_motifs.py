"""Mutants and correct alternatives for notebook 07 (Keras and TensorFlow on DNA motifs).

Sources are whole answer cells; they run in the notebook, where ``np``, ``keras`` and ``tf``
are imported by the setup cell."""

from autograder.mutants import Variant

A = "07_keras_dna_motifs"


# --- one_hot_encode ---------------------------------------------------------------------------

def _one_hot(body: str) -> str:
    return f"def one_hot_encode(sequences):\n{body}\n"


def _one_hot_loop(*, columns='{"A": 0, "C": 1, "G": 2, "T": 3}', upper=".upper()",
                  other="            elif base != \"N\":\n"
                        "                raise ValueError(f\"invalid letter {base!r}\")\n",
                  length_check=True, end="    return X") -> str:
    """The reference loop with one piece replaced."""
    check = ("        if len(sequence) != length:\n"
             "            raise ValueError(\"sequences of unequal length\")\n"
             if length_check else "")
    return _one_hot(
        f"    columns = {columns}\n"
        "    length = len(sequences[0])\n"
        "    X = np.zeros((len(sequences), length, 4), dtype=np.float32)\n"
        "    for i, sequence in enumerate(sequences):\n"
        f"{check}"
        f"        for j, base in enumerate(sequence{upper}[:length]):\n"
        "            if base in columns:\n"
        "                X[i, j, columns[base]] = 1.0\n"
        f"{other}"
        f"{end}")


ONE_HOT = [
    Variant(A, "one_hot_encode", "order-acgt-as-actg",
            _one_hot_loop(columns='{"A": 0, "C": 1, "T": 2, "G": 3}'), False,
            "one-hot columns in the order A, C, T, G instead of A, C, G, T"),
    Variant(A, "one_hot_encode", "transposed",
            _one_hot_loop(end="    return X.transpose(0, 2, 1)"), False,
            "returns (n, 4, L): the bases on the second axis"),
    Variant(A, "one_hot_encode", "invalid-letter-zero-row",
            _one_hot_loop(other=""), False,
            "an invalid letter silently becomes a row of zeros instead of raising ValueError"),
    Variant(A, "one_hot_encode", "n-raises",
            _one_hot_loop(other="            else:\n"
                                "                raise ValueError(f\"invalid letter {base!r}\")\n"),
            False, "N raises ValueError instead of giving a row of zeros"),
    Variant(A, "one_hot_encode", "case-sensitive",
            _one_hot_loop(upper=""), False,
            "lower-case letters are rejected as invalid instead of read as upper case"),
    Variant(A, "one_hot_encode", "no-length-check",
            _one_hot_loop(length_check=False), False,
            "sequences of unequal length are cut or padded with zeros instead of raising"),
    Variant(A, "one_hot_encode", "integer-codes",
            _one_hot(
                "    codes = {'A': 0, 'C': 1, 'G': 2, 'T': 3}\n"
                "    return np.array([[codes[b] for b in s.upper()] for s in sequences])"),
            False, "returns integer codes 0-3, shape (n, L), instead of one-hot vectors"),
    Variant(A, "one_hot_encode", "upper-cases-the-list-in-place",
            _one_hot(
                "    for i, sequence in enumerate(sequences):\n"
                "        sequences[i] = sequence.upper()  # modifies the caller's list\n"
                "    columns = {'A': 0, 'C': 1, 'G': 2, 'T': 3}\n"
                "    if len({len(s) for s in sequences}) > 1:\n"
                "        raise ValueError('sequences of unequal length')\n"
                "    X = np.zeros((len(sequences), len(sequences[0]), 4), dtype=np.float32)\n"
                "    for i, sequence in enumerate(sequences):\n"
                "        for j, base in enumerate(sequence):\n"
                "            if base in columns:\n"
                "                X[i, j, columns[base]] = 1.0\n"
                "            elif base != 'N':\n"
                "                raise ValueError(f'invalid letter {base!r}')\n"
                "    return X"), False,
            "right values, but upper-cases the caller's list in place"),
    Variant(A, "one_hot_encode", "lookup-table",
            _one_hot(
                "    if len({len(s) for s in sequences}) != 1:\n"
                "        raise ValueError('sequences must have the same length')\n"
                "    table = np.full((256, 4), np.nan, dtype=np.float32)\n"
                "    for k, base in enumerate('ACGT'):\n"
                "        table[ord(base)] = table[ord(base.lower())] = np.eye(4)[k]\n"
                "    table[ord('N')] = table[ord('n')] = 0.0\n"
                "    data = ''.join(sequences).encode('ascii', errors='replace')\n"
                "    codes = np.frombuffer(data, dtype=np.uint8)\n"
                "    X = table[codes].reshape(len(sequences), -1, 4)\n"
                "    if np.isnan(X).any():\n"
                "        raise ValueError('invalid letter')\n"
                "    return X"), True,
            "a 256 x 4 lookup table indexed by the bytes of the letters (NaN marks invalid)"),
    Variant(A, "one_hot_encode", "broadcast-compare",
            _one_hot(
                "    lengths = {len(s) for s in sequences}\n"
                "    if len(lengths) > 1:\n"
                "        raise ValueError(f'sequences have lengths {sorted(lengths)}')\n"
                "    letters = np.array([list(s.upper()) for s in sequences])\n"
                "    if not np.isin(letters, list('ACGTN')).all():\n"
                "        raise ValueError('letters other than A, C, G, T, N')\n"
                "    return (letters[..., None] == np.array(list('ACGT'))).astype(np.float64)"),
            True, "compares a letter array with 'ACGT' by broadcasting (float64 result)"),
    Variant(A, "one_hot_encode", "eye-rows",
            _one_hot(
                "    index = {'A': 0, 'C': 1, 'G': 2, 'T': 3, 'N': 4}\n"
                "    rows = []\n"
                "    for s in sequences:\n"
                "        if len(s) != len(sequences[0]):\n"
                "            raise ValueError('unequal lengths')\n"
                "        try:\n"
                "            rows.append([index[b] for b in s.upper()])\n"
                "        except KeyError as error:\n"
                "            raise ValueError(f'invalid letter {error}') from None\n"
                "    return np.eye(5, 4, dtype=np.float32)[np.array(rows, dtype=int)]"),
            True, "rows of a 5 x 4 identity-like matrix whose fifth row (N) is zero"),
]


# --- build_motif_model ------------------------------------------------------------------------

_LAYERS = ["keras.Input(shape=(sequence_length, 4))",
           "keras.layers.Conv1D(32, 12)",
           "keras.layers.MaxPooling1D(4)",
           "keras.layers.Flatten()",
           "keras.layers.Dense(16, activation='relu')",
           "keras.layers.Dense(2, activation='softmax')"]
_COMPILE = ("optimizer='adam', loss='sparse_categorical_crossentropy', "
            "metrics=['accuracy']")


def _build(layers=None, compile_args=_COMPILE) -> str:
    layers = _LAYERS if layers is None else layers
    listed = "".join(f"        {layer},\n" for layer in layers)
    compiled = f"    model.compile({compile_args})\n" if compile_args else ""
    return ("def build_motif_model(sequence_length):\n"
            f"    model = keras.Sequential([\n{listed}    ])\n"
            f"{compiled}"
            "    return model\n")


def _replace(index: int, layer: str | None) -> list:
    layers = list(_LAYERS)
    if layer is None:
        del layers[index]
    else:
        layers[index] = layer
    return layers


BUILD = [
    Variant(A, "build_motif_model", "16-filters",
            _build(_replace(1, "keras.layers.Conv1D(16, 12)")), False,
            "16 filters instead of 32"),
    Variant(A, "build_motif_model", "kernel-8",
            _build(_replace(1, "keras.layers.Conv1D(32, 8)")), False,
            "filters of width 8 instead of 12"),
    Variant(A, "build_motif_model", "relu-convolution",
            _build(_replace(1, "keras.layers.Conv1D(32, 12, activation='relu')")), False,
            "a ReLU on the convolution (the primer's has no activation)"),
    Variant(A, "build_motif_model", "no-pooling", _build(_replace(2, None)), False,
            "no max pooling: 39 x 32 = 1,248 inputs to the dense layer"),
    Variant(A, "build_motif_model", "sigmoid-output",
            _build(_replace(5, "keras.layers.Dense(2, activation='sigmoid')")), False,
            "a sigmoid on the two output units: they no longer sum to 1"),
    Variant(A, "build_motif_model", "fixed-length-50",
            _build(_replace(0, "keras.Input(shape=(50, 4))")), False,
            "ignores sequence_length: always built for 50 bp"),
    Variant(A, "build_motif_model", "binary-crossentropy",
            _build(compile_args="optimizer='adam', loss='binary_crossentropy', "
                                "metrics=['accuracy']"), False,
            "binary cross-entropy on two softmax outputs with integer labels"),
    Variant(A, "build_motif_model", "from-logits",
            _build(compile_args="optimizer='adam', metrics=['accuracy'], loss=keras.losses."
                                "SparseCategoricalCrossentropy(from_logits=True)"), False,
            "from_logits=True although the output is already a softmax"),
    Variant(A, "build_motif_model", "not-compiled", _build(compile_args=None), False,
            "returns the model without compiling it"),
    Variant(A, "build_motif_model", "functional-api",
            "def build_motif_model(sequence_length):\n"
            "    inputs = keras.Input(shape=(sequence_length, 4))\n"
            "    h = keras.layers.Conv1D(filters=32, kernel_size=12)(inputs)\n"
            "    h = keras.layers.MaxPooling1D(pool_size=4)(h)\n"
            "    h = keras.layers.Flatten()(h)\n"
            "    h = keras.layers.Dense(units=16, activation='relu')(h)\n"
            "    outputs = keras.layers.Dense(units=2, activation='softmax')(h)\n"
            "    model = keras.Model(inputs, outputs)\n"
            "    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),\n"
            "                  loss=keras.losses.SparseCategoricalCrossentropy(),\n"
            "                  metrics=['accuracy'])\n"
            "    return model\n", False,
            "the functional API: the same layers, but model.layers starts with the InputLayer, "
            "so section 8's saliency recipe breaks"),
    Variant(A, "build_motif_model", "separate-softmax-layer",
            _build(_replace(5, "keras.layers.Dense(2)") + ["keras.layers.Softmax()"]), False,
            "the softmax as a layer of its own: the last layer has no kernel for the saliency "
            "recipe"),
    Variant(A, "build_motif_model", "add-aliases-and-relu-layer",
            "def build_motif_model(sequence_length):\n"
            "    model = keras.Sequential()\n"
            "    model.add(keras.Input(shape=(sequence_length, 4)))\n"
            "    model.add(keras.layers.Convolution1D(32, 12, activation=None))\n"
            "    model.add(keras.layers.MaxPool1D(pool_size=4))\n"
            "    model.add(keras.layers.Flatten())\n"
            "    model.add(keras.layers.Dense(16))\n"
            "    model.add(keras.layers.ReLU())\n"
            "    model.add(keras.layers.Dense(2, activation='softmax'))\n"
            "    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),\n"
            "                  loss=keras.losses.SparseCategoricalCrossentropy(),\n"
            "                  metrics=['accuracy'])\n"
            "    return model\n", True,
            "model.add, the layer aliases Convolution1D / MaxPool1D, the hidden ReLU as a "
            "layer of its own, optimizer and loss objects"),
    Variant(A, "build_motif_model", "no-input-layer",
            _build(_LAYERS[1:]), True,
            "no keras.Input: Keras builds the model on first use (the checks build it)"),
]


# --- train_motif_model ------------------------------------------------------------------------

def _train(fit_args="X, y, validation_split=0.25, batch_size=32, epochs=50, "
                    "callbacks=[stopping]",
           stopping="monitor='val_loss', patience=5, restore_best_weights=True",
           end="    return history") -> str:
    return ("def train_motif_model(model, X, y):\n"
            f"    stopping = keras.callbacks.EarlyStopping({stopping})\n"
            f"    history = model.fit({fit_args})\n"
            f"{end}\n")


TRAIN = [
    Variant(A, "train_motif_model", "no-validation-split",
            _train(fit_args="X, y, batch_size=32, epochs=50, callbacks=[stopping]"), False,
            "no validation split: early stopping has no val_loss to watch and never stops"),
    Variant(A, "train_motif_model", "no-early-stopping",
            _train(fit_args="X, y, validation_split=0.25, batch_size=32, epochs=50"), False,
            "validation split but no early stopping: always 50 epochs, last weights kept"),
    Variant(A, "train_motif_model", "no-restore",
            _train(stopping="monitor='val_loss', patience=5"), False,
            "stops early but keeps the last epoch's weights, not the best"),
    Variant(A, "train_motif_model", "patience-10",
            _train(stopping="monitor='val_loss', patience=10, restore_best_weights=True"),
            False, "patience 10 instead of 5"),
    Variant(A, "train_motif_model", "monitor-training-loss",
            _train(stopping="monitor='loss', patience=5, restore_best_weights=True"), False,
            "early stopping watches the training loss, which keeps falling"),
    Variant(A, "train_motif_model", "validation-20-percent",
            _train(fit_args="X, y, validation_split=0.2, batch_size=32, epochs=50, "
                            "callbacks=[stopping]"), False,
            "holds out 20 % instead of 25 %"),
    Variant(A, "train_motif_model", "batch-64",
            _train(fit_args="X, y, validation_split=0.25, batch_size=64, epochs=50, "
                            "callbacks=[stopping]"), False,
            "batches of 64"),
    Variant(A, "train_motif_model", "returns-model", _train(end="    return model"), False,
            "returns the model instead of the History"),
    Variant(A, "train_motif_model", "trains-a-new-model",
            "def train_motif_model(model, X, y):\n"
            "    fresh = build_motif_model(X.shape[1])\n"
            "    stopping = keras.callbacks.EarlyStopping(monitor='val_loss', patience=5,\n"
            "                                             restore_best_weights=True)\n"
            "    return fresh.fit(X, y, validation_split=0.25, batch_size=32, epochs=50,\n"
            "                     callbacks=[stopping])\n", False,
            "builds and trains a new model: the one it is given stays untrained"),
    Variant(A, "train_motif_model", "explicit-validation-rows",
            "def train_motif_model(model, X, y):\n"
            "    n_fit = int(len(X) * 0.75)  # validation_split=0.25 holds out the last rows\n"
            "    stopping = keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)\n"
            "    return model.fit(X[:n_fit], y[:n_fit], validation_data=(X[n_fit:], y[n_fit:]),\n"
            "                     batch_size=32, epochs=50, callbacks=[stopping], verbose=2)\n",
            True, "the last quarter passed as validation_data (monitor defaults to val_loss)"),
    Variant(A, "train_motif_model", "model-history",
            "def train_motif_model(model, X, y):\n"
            "    model.fit(x=X, y=y, epochs=50, batch_size=32, validation_split=0.25, verbose=0,\n"
            "              callbacks=[keras.callbacks.EarlyStopping(\n"
            "                  monitor='val_loss', mode='min', patience=5, min_delta=0,\n"
            "                  restore_best_weights=True)])\n"
            "    return model.history\n", True,
            "returns model.history, the same History object; explicit mode and min_delta"),
]


# --- saliency_map -----------------------------------------------------------------------------

def _saliency(score="scores[:, 1] - scores[:, 0]", end="    return (gradient * x)[0].numpy()",
              watch="        tape.watch(x)\n",
              scores="        scores = tf.matmul(hidden, last.kernel) + last.bias\n") -> str:
    return ("def saliency_map(model, x):\n"
            "    x = tf.convert_to_tensor(np.asarray(x, dtype=np.float32)[None])\n"
            "    last = model.layers[-1]\n"
            "    with tf.GradientTape() as tape:\n"
            f"{watch}"
            "        hidden = x\n"
            "        for layer in model.layers[:-1]:\n"
            "            hidden = layer(hidden)\n"
            f"{scores}"
            f"        score = {score}\n"
            "    gradient = tape.gradient(score, x)\n"
            f"{end}\n")


SALIENCY = [
    Variant(A, "saliency_map", "probability-gradient",
            _saliency(score="model(x)[:, 1]"), False,
            "the gradient of the softmax probability, squashed by p(1 - p)"),
    Variant(A, "saliency_map", "positive-logit-only",
            _saliency(score="scores[:, 1]"), False,
            "the gradient of z1 alone instead of the log-odds z1 - z0"),
    Variant(A, "saliency_map", "negative-class",
            _saliency(score="scores[:, 0] - scores[:, 1]"), False,
            "the log-odds of 'no motif': every sign flipped"),
    Variant(A, "saliency_map", "raw-gradient",
            _saliency(end="    return gradient[0].numpy()"), False,
            "the gradient alone, not multiplied by the input"),
    Variant(A, "saliency_map", "summed-over-positions",
            _saliency(end="    return (gradient * x)[0].numpy().sum(axis=0)"), False,
            "sums over the wrong axis: 4 numbers (one per base) instead of (L, 4)"),
    Variant(A, "saliency_map", "absolute-value",
            _saliency(end="    return np.abs((gradient * x)[0].numpy())"), False,
            "absolute values: negative evidence shown as positive"),
    Variant(A, "saliency_map", "returns-tensor",
            _saliency(end="    return (gradient * x)[0]"), False,
            "returns a TensorFlow tensor instead of a NumPy array"),
    Variant(A, "saliency_map", "not-watched",
            _saliency(watch=""), False,
            "forgets tape.watch: the gradient with respect to a constant is None"),
    Variant(A, "saliency_map", "edits-the-output-layer",
            "def saliency_map(model, x):\n"
            "    last = model.layers[-1]\n"
            "    W, b = last.get_weights()\n"
            "    last.set_weights([W - W[:, :1], b - b[:1]])  # z0 = 0, so z1 is the log-odds\n"
            "    x = tf.convert_to_tensor(np.asarray(x, dtype=np.float32)[None])\n"
            "    with tf.GradientTape() as tape:\n"
            "        tape.watch(x)\n"
            "        hidden = x\n"
            "        for layer in model.layers[:-1]:\n"
            "            hidden = layer(hidden)\n"
            "        score = tf.matmul(hidden, last.kernel)[:, 1] + last.bias[1]\n"
            "    return (tape.gradient(score, x) * x)[0].numpy()\n", False,
            "right values, but subtracts column 0 from the output layer's weights and leaves "
            "them so: the model is changed"),
    Variant(A, "saliency_map", "log-probability-ratio",
            "def saliency_map(model, x):\n"
            "    x = tf.constant(np.asarray(x, dtype='float32')[None])\n"
            "    with tf.GradientTape() as tape:\n"
            "        tape.watch(x)\n"
            "        p = model(x)\n"
            "        log_odds = tf.math.log(p[0, 1]) - tf.math.log(p[0, 0])\n"
            "    return (tape.gradient(log_odds, x) * x).numpy()[0]\n", True,
            "log p1 - log p0 = z1 - z0 through the softmax output"),
    Variant(A, "saliency_map", "sub-model",
            "def saliency_map(model, x):\n"
            "    body = keras.Model(model.inputs, model.layers[-2].output)\n"
            "    W, b = model.layers[-1].get_weights()\n"
            "    x = tf.Variable(np.asarray(x, dtype=np.float32)[None])  # watched automatically\n"
            "    with tf.GradientTape() as tape:\n"
            "        s = tf.linalg.matvec(body(x), W[:, 1] - W[:, 0]) + (b[1] - b[0])\n"
            "    return np.asarray(tape.gradient(s, x)[0] * x[0])\n", True,
            "a sub-model up to the hidden layer, and the weight difference of the output layer"),
    Variant(A, "saliency_map", "linear-output-temporarily",
            "def saliency_map(model, x):\n"
            "    last = model.layers[-1]\n"
            "    softmax = last.activation\n"
            "    last.activation = keras.activations.linear  # scores instead of probabilities\n"
            "    try:\n"
            "        x = tf.convert_to_tensor(np.asarray(x, np.float32)[None])\n"
            "        with tf.GradientTape() as tape:\n"
            "            tape.watch(x)\n"
            "            z = model(x)\n"
            "            s = z[0, 1] - z[0, 0]\n"
            "        gradient = tape.gradient(s, x)\n"
            "    finally:\n"
            "        last.activation = softmax\n"
            "    return (gradient * x).numpy()[0]\n", True,
            "switches the output layer to linear for the gradient and back"),
]

VARIANTS = ONE_HOT + BUILD + TRAIN + SALIENCY
