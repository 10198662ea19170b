"""Reference answers for notebook 07 (Keras and TensorFlow on DNA motifs).

Contracts (the notebook states them):
- ``one_hot_encode(sequences)``: a list of n strings of equal length L -> float32 array
  (n, L, 4), columns A, C, G, T; lower case is upper case; ``N`` (an unknown base) is a row of
  zeros; any other letter, or sequences of unequal length, raise ValueError.
- ``build_motif_model(sequence_length)``: the primer's CNN, Input (L, 4) -> Conv1D(32, 12) (no
  activation) -> MaxPooling1D(4) -> Flatten -> Dense(16, relu) -> Dense(2, softmax), compiled
  with Adam (learning rate 0.001), sparse categorical cross-entropy and accuracy. Labels are
  integers 0/1 of shape (n,).
- ``train_motif_model(model, X, y)``: ``model.fit`` with ``validation_split=0.25``,
  ``batch_size=32``, ``epochs=50`` and ``EarlyStopping(monitor="val_loss", patience=5,
  restore_best_weights=True)``; returns the History.
- ``saliency_map(model, x)``: gradient x input of the log-odds ``z1 - z0`` (the difference of
  the two pre-softmax scores) with respect to one one-hot sequence x (L, 4); shape (L, 4).

TensorFlow and Keras are imported inside the functions: this module is imported by the hidden
checks, which every grading kernel imports.
"""

import numpy as np

BASES = "ACGT"


def one_hot_encode(sequences):
    """(n, L, 4) float32 one-hot of n DNA strings of length L (A, C, G, T; N -> zeros)."""
    if isinstance(sequences, str):
        raise ValueError("sequences must be a list of strings, got a single string")
    sequences = list(sequences)
    if not sequences:
        raise ValueError("sequences must hold at least one sequence")
    length = len(sequences[0])
    lookup = {base: k for k, base in enumerate(BASES)}
    X = np.zeros((len(sequences), length, 4), dtype=np.float32)
    for i, sequence in enumerate(sequences):
        if len(sequence) != length:
            raise ValueError(f"sequence {i} has length {len(sequence)}, sequence 0 has "
                             f"length {length}")
        for j, letter in enumerate(sequence.upper()):
            if letter in lookup:
                X[i, j, lookup[letter]] = 1.0
            elif letter != "N":
                raise ValueError(f"sequence {i} has the invalid letter {letter!r} at "
                                 f"position {j}")
    return X


def build_motif_model(sequence_length):
    """The primer's CNN for one-hot sequences of length ``sequence_length``, compiled."""
    import keras

    model = keras.Sequential([
        keras.Input(shape=(sequence_length, 4)),
        keras.layers.Conv1D(filters=32, kernel_size=12),
        keras.layers.MaxPooling1D(pool_size=4),
        keras.layers.Flatten(),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(2, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train_motif_model(model, X, y, verbose="auto"):
    """Fit with a 25 % validation split and early stopping on the validation loss."""
    import keras

    early_stopping = keras.callbacks.EarlyStopping(monitor="val_loss", patience=5,
                                                   restore_best_weights=True)
    return model.fit(X, y, validation_split=0.25, batch_size=32, epochs=50,
                     callbacks=[early_stopping], verbose=verbose)


def saliency_map(model, x):
    """Gradient x input of z1 - z0 (pre-softmax) for one one-hot sequence x (L, 4)."""
    import tensorflow as tf

    x = tf.convert_to_tensor(np.asarray(x, dtype=np.float32)[None])  # (1, L, 4)
    last = model.layers[-1]
    with tf.GradientTape() as tape:
        tape.watch(x)
        hidden = x
        for layer in model.layers[:-1]:
            hidden = layer(hidden)
        logits = tf.matmul(hidden, last.kernel) + last.bias  # (1, 2): before the softmax
        score = logits[:, 1] - logits[:, 0]
    gradient = tape.gradient(score, x)
    return (gradient * x)[0].numpy()
