"""Public checks for notebook 07, Keras and TensorFlow on DNA motifs.

- ``one_hot_encode``: known encodings (column order A, C, G, T; lower case; ``N`` as a row of
  zeros) and the errors it must raise.
- ``build_motif_model``: the architecture layer by layer (class, filters, kernel and pool
  sizes, units, activations, output shapes), the parameter count 6,226 and the compiled loss,
  optimizer and metric. The first layer that differs is reported. The model must be a
  ``keras.Sequential`` whose last layer is the ``Dense(2, softmax)`` itself: the notebook's
  saliency recipe calls ``model.layers[:-1]`` in turn and then reads the last layer's kernel
  (a functional model lists its InputLayer among its layers; an ``Activation`` layer has no
  kernel).
- ``train_motif_model``: behaviour on a small task built so that the answer is known: its
  validation rows (the last quarter) are labelled the other way round, so the validation loss
  is lowest after the first epoch and early stopping with patience 5 must stop after 6 epochs
  and bring back the first epoch's weights. The task is easy, so those weights classify fresh
  data well.
- ``saliency_map``: a model whose pre-softmax scores are a linear function of the input, so
  the gradient is known exactly: for z = x W + b, d(z1 - z0)/dx = W[:, 1] - W[:, 0]. The
  model's weights must be the same after the call (they are put back if not).

The helpers that describe what is expected (``architecture_problem``, ``compile_problems``,
``easy_training_task``, ``training_outcomes``) are shared with the hidden tests, which run
them on other inputs. TensorFlow and Keras are imported only when a check runs.
"""

from __future__ import annotations

import math
import os

import numpy as np

from course.checks.report import CheckReport
from course.harness import call_safely, compare
from course.validation import describe

BASES = "ACGT"
FILTERS, KERNEL_SIZE, POOL_SIZE, HIDDEN_UNITS, N_CLASSES = 32, 12, 4, 16, 2
PRIMER_PARAMETERS = 6226  # for sequences of 50 bp
VALIDATION_SPLIT, BATCH_SIZE, MAX_EPOCHS, PATIENCE = 0.25, 32, 50, 5
# On the easy task early stopping ends a correct run after 6 epochs; a run still going after
# EPOCH_CAP epochs is ended there by the check (it has failed already), so that forgetting early
# stopping costs seconds, not 50 epochs.
EPOCH_CAP = 10
TRAIN_TIME_LIMIT = 30.0  # seconds for one call of train_motif_model on a small task
BUILD_TIME_LIMIT = 15.0
SALIENCY_TIME_LIMIT = 10.0
LAYOUT_DESCRIPTION = ("a keras.Sequential whose last layer is the Dense(2, softmax) itself "
                      "(the saliency recipe of section 8 needs it)")


def keras_modules():
    """(keras, tensorflow), imported now, with TensorFlow's log messages silenced.

    TF_CPP_MIN_LOG_LEVEL only works if set before TensorFlow's first import (the notebook's
    setup cell does that); the Python-side logger is silenced here in any case."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")
    return keras, tf


def _callable(report: CheckReport, func, name: str) -> bool:
    return report.check(
        f"{name} is a function",
        None if callable(func) else f"expected a function, got {describe(func)}",
    )


# --- one_hot_encode -----------------------------------------------------------------------------

def one_hot_problem(one_hot_encode, sequences, expected, call: str) -> str | None:
    """Call ``one_hot_encode(sequences)`` and compare with ``expected`` (n, L, 4); the list
    must come back unchanged."""
    result = call_safely(one_hot_encode, sequences, arg_names=["sequences"], time_limit=5.0)
    problem = result.problem(call)
    if problem is None and result.mutated:
        problem = f"{call} modified its input list; it must not"
    if problem is None:
        problem = compare(result.value, expected, what=call)
    return problem


def raises_problem(func, args, names, call: str, exception=ValueError) -> str | None:
    """None if ``func(*args)`` raises ``exception``, else what happened instead."""
    result = call_safely(func, *args, arg_names=names, time_limit=5.0)
    if result.timed_out:
        return result.problem(call)
    if result.error is None:
        return (f"{call} returned {describe(result.value)} instead of raising "
                f"{exception.__name__}")
    if not isinstance(result.error, exception):
        return (f"{call} raised {type(result.error).__name__} ({result.error}); expected "
                f"{exception.__name__}")
    return None


def check_one_hot_encode(one_hot_encode) -> None:
    """Column order A, C, G, T; shape (n, L, 4); lower case; N -> zeros; errors."""
    report = CheckReport("one_hot_encode")
    if _callable(report, one_hot_encode, "one_hot_encode"):
        eye = np.eye(4)
        report.check("'ACGT' gives the 4 x 4 identity: columns in the order A, C, G, T",
                     one_hot_problem(one_hot_encode, ["ACGT"], eye[None],
                                     "one_hot_encode(['ACGT'])"))
        report.check("two sequences of length 3 give shape (2, 3, 4)",
                     one_hot_problem(one_hot_encode, ["GAT", "TCA"],
                                     np.stack([eye[[2, 0, 3]], eye[[3, 1, 0]]]),
                                     "one_hot_encode(['GAT', 'TCA'])"))
        report.check("lower case is read like upper case",
                     one_hot_problem(one_hot_encode, ["cgTa"], eye[[1, 2, 3, 0]][None],
                                     "one_hot_encode(['cgTa'])"))
        with_n = eye[[0, 0, 1, 3]].copy()
        with_n[1] = 0.0
        report.check("N (an unknown base) is a row of zeros",
                     one_hot_problem(one_hot_encode, ["ANCT"], with_n[None],
                                     "one_hot_encode(['ANCT'])"))
        report.check("a letter other than A, C, G, T, N raises ValueError",
                     raises_problem(one_hot_encode, (["ACGT", "ACXT"],), ["sequences"],
                                    "one_hot_encode(['ACGT', 'ACXT'])"))
        report.check("sequences of unequal length raise ValueError",
                     raises_problem(one_hot_encode, (["ACGT", "ACG"],), ["sequences"],
                                    "one_hot_encode(['ACGT', 'ACG'])"))
    report.finish()


# --- build_motif_model -----------------------------------------------------------------------

def expected_layers(sequence_length: int) -> list:
    """(class name, config entries, output shape) of each layer of the primer's CNN."""
    conv = sequence_length - KERNEL_SIZE + 1
    pooled = conv // POOL_SIZE
    return [
        ("Conv1D", {"filters": FILTERS, "kernel_size": (KERNEL_SIZE,), "strides": (1,),
                    "padding": "valid", "dilation_rate": (1,), "activation": "linear",
                    "use_bias": True}, (None, conv, FILTERS)),
        ("MaxPooling1D", {"pool_size": (POOL_SIZE,), "strides": (POOL_SIZE,),
                          "padding": "valid"}, (None, pooled, FILTERS)),
        ("Flatten", {}, (None, pooled * FILTERS)),
        ("Dense", {"units": HIDDEN_UNITS, "activation": "relu", "use_bias": True},
         (None, HIDDEN_UNITS)),
        ("Dense", {"units": N_CLASSES, "activation": "softmax", "use_bias": True},
         (None, N_CLASSES)),
    ]


def expected_parameters(sequence_length: int) -> int:
    """Weights and biases of the primer's CNN: 6,226 for 50 bp."""
    pooled = (sequence_length - KERNEL_SIZE + 1) // POOL_SIZE
    return ((KERNEL_SIZE * 4 + 1) * FILTERS + (pooled * FILTERS + 1) * HIDDEN_UNITS
            + (HIDDEN_UNITS + 1) * N_CLASSES)


def _activation_name(value) -> str:
    if isinstance(value, dict):  # a serialized activation
        value = value.get("config", {}).get("name", value.get("class_name"))
    return str(getattr(value, "__name__", value))


def _layer_summary(layer) -> tuple[str, dict]:
    """(class name, config) of a layer, with separate activation layers recognised."""
    name = type(layer).__name__
    config = layer.get_config()
    if name == "Activation":
        return "Activation", {"activation": _activation_name(config.get("activation"))}
    if name == "ReLU" and not config.get("max_value") and not config.get("negative_slope") \
            and not config.get("threshold"):
        return "Activation", {"activation": "relu"}
    if name == "Softmax":
        return "Activation", {"activation": "softmax"}
    if "activation" in config:
        config = {**config, "activation": _activation_name(config["activation"])}
    return name, config


def _shape(tensor_shape) -> tuple:
    return tuple(None if d is None else int(d) for d in tensor_shape)


def _describe_layer(name: str, config: dict) -> str:
    keys = ("filters", "kernel_size", "pool_size", "strides", "padding", "units", "activation")
    shown = ", ".join(f"{k}={config[k]!r}" for k in keys if k in config)
    return f"{name}({shown})"


def model_problem(model, sequence_length: int) -> str | None:
    """Why ``model`` is not a built Keras model for input (sequence_length, 4), or None."""
    keras, _ = keras_modules()
    if not isinstance(model, keras.Model):
        return f"build_motif_model should return a keras.Model, got {describe(model)}"
    if not model.built:
        try:  # a Sequential without keras.Input: build it for the expected input
            model.build((None, sequence_length, 4))
        except Exception as exc:
            return (f"the model is not built and cannot be built for input shape "
                    f"(None, {sequence_length}, 4) ({type(exc).__name__}: {exc}); start "
                    f"with keras.Input(shape=(sequence_length, 4))")
    try:
        shape = _shape(model.inputs[0].shape)
    except Exception as exc:
        return f"cannot read the model's input shape ({type(exc).__name__}: {exc})"
    if shape != (None, sequence_length, 4):
        return (f"the model's input should have shape (None, {sequence_length}, 4) (one-hot "
                f"sequences of length {sequence_length}), got {shape}")
    return None


def architecture_problem(model, sequence_length: int) -> str | None:
    """Compare the layers with the primer's CNN; describe the first difference, or None."""
    problem = model_problem(model, sequence_length)
    if problem is not None:
        return problem
    actual = []
    for layer in model.layers:
        name, config = _layer_summary(layer)
        if name == "InputLayer":
            continue
        if name == "Activation" and actual and actual[-1][1].get("activation") == "linear":
            # Dense(2) followed by Activation("softmax") is Dense(2, activation="softmax")
            previous_name, previous_config, previous_layer = actual[-1]
            actual[-1] = (previous_name, {**previous_config, **config}, layer)
            continue
        actual.append((name, config, layer))
    expected = expected_layers(sequence_length)
    for k, (want_name, want_config, want_shape) in enumerate(expected):
        if k >= len(actual):
            return (f"layer {k + 1} should be {_describe_layer(want_name, want_config)}, but "
                    f"the model has only {len(actual)} layers (after the input)")
        name, config, layer = actual[k]
        shown = _describe_layer(name, config)
        if name != want_name:
            return (f"layer {k + 1} should be {_describe_layer(want_name, want_config)}, got "
                    f"{shown}")
        for key, value in want_config.items():
            got = config.get(key)
            if isinstance(got, list):
                got = tuple(got)
            if got != value:
                return (f"layer {k + 1} ({want_name}) should have {key}={value!r}, got "
                        f"{key}={got!r}")
        try:
            shape = _shape(layer.output.shape)
        except Exception as exc:
            return f"cannot read the output shape of layer {k + 1} ({type(exc).__name__}: {exc})"
        if shape != want_shape:
            return (f"layer {k + 1} ({want_name}) should output shape {want_shape} for "
                    f"sequences of length {sequence_length}, got {shape}")
    if len(actual) > len(expected):
        extra = _describe_layer(actual[len(expected)][0], actual[len(expected)][1])
        return (f"the model should end after {len(expected)} layers (the Dense(2) softmax "
                f"output), but layer {len(expected) + 1} is {extra}")
    n_parameters = model.count_params()
    if n_parameters != expected_parameters(sequence_length):
        return (f"the model should have {expected_parameters(sequence_length):,} parameters, "
                f"got {n_parameters:,}")
    return None


def layout_problem(model) -> str | None:
    """Why ``model`` does not fit the notebook's saliency recipe, or None.

    Section 8 computes the pre-softmax scores by calling ``model.layers[:-1]`` in turn and
    then ``hidden @ model.layers[-1].kernel + bias``. That needs a ``keras.Sequential`` (a
    functional ``keras.Model`` lists its InputLayer among ``model.layers``) whose last layer
    is the ``Dense(2)`` with the softmax as its own activation (a separate ``Activation``
    layer has no kernel)."""
    keras, _ = keras_modules()
    if not isinstance(model, keras.Sequential):
        return (f"the model should be a keras.Sequential (section 8 calls model.layers in "
                f"turn; a {type(model).__name__} model lists its input layer among them), got "
                f"{describe(model)}")
    layers = list(model.layers)
    last = layers[-1] if layers else None
    name, config = _layer_summary(last) if last is not None else ("nothing", {})
    if name != "Dense" or config.get("activation") != "softmax":
        return (f"the last layer should be Dense(2, activation='softmax') itself (section 8 "
                f"reads its kernel and bias), got {_describe_layer(name, config)}: give the "
                f"softmax as the Dense layer's activation, not as a layer of its own")
    return None


def _loss_problem(loss) -> str | None:
    keras, _ = keras_modules()
    wanted = "sparse categorical cross-entropy (loss='sparse_categorical_crossentropy')"
    if loss is None:
        return f"the model is not compiled with a loss: use {wanted}"
    obj = loss
    if isinstance(loss, str):
        try:
            obj = keras.losses.get(loss)
        except Exception:
            return f"the loss should be {wanted}, got {loss!r}"
    if isinstance(obj, type):
        obj = obj()
    function = getattr(obj, "fn", obj)
    name = getattr(function, "__name__", type(obj).__name__)
    if name != "sparse_categorical_crossentropy":
        return f"the loss should be {wanted} for integer labels 0/1, got {describe(loss)}"
    config = obj.get_config() if hasattr(obj, "get_config") else {}
    if config.get("from_logits"):
        return ("the loss should use from_logits=False: the model's output is already a "
                "softmax probability")
    return None


def compile_problems(model, *, check_metric: bool = True) -> list:
    """(description, failure) for the compiled loss, the optimizer and the accuracy metric."""
    if not getattr(model, "compiled", False):
        failure = "the model is not compiled: call model.compile(...) before returning it"
        return [("compiled with sparse categorical cross-entropy", failure),
                ("compiled with Adam, learning rate 0.001", failure)]
    outcomes = [("compiled with sparse categorical cross-entropy",
                 _loss_problem(getattr(model, "loss", None)))]
    optimizer = getattr(model, "optimizer", None)
    problem = None
    if type(optimizer).__name__ != "Adam":
        problem = f"the optimizer should be Adam ('adam'), got {describe(optimizer)}"
    else:
        try:
            rate = float(np.asarray(optimizer.learning_rate))
        except Exception:
            rate = None
        if rate is None or not math.isclose(rate, 0.001, rel_tol=1e-5):
            problem = (f"Adam should keep its default learning rate 0.001, got "
                       f"{describe(optimizer.learning_rate) if rate is None else rate}")
    outcomes.append(("compiled with Adam, learning rate 0.001", problem))
    if check_metric:
        try:
            metrics = model.get_compile_config().get("metrics") or []
        except Exception:
            metrics = []
        names = [m if isinstance(m, str) else m.get("config", {}).get("name")
                 if isinstance(m, dict) else getattr(m, "name", None)
                 for m in (metrics if isinstance(metrics, (list, tuple)) else [metrics])]
        problem = None if "accuracy" in names else (
            f"the model should report accuracy (metrics=['accuracy']), got metrics={metrics!r}")
        outcomes.append(("compiled with metrics=['accuracy']", problem))
    return outcomes


def build_model(build_motif_model, sequence_length: int):
    """(model, None) or (None, why the call failed)."""
    call = f"build_motif_model({sequence_length})"
    keras_modules()  # imported before the clock starts: TensorFlow takes seconds to import
    result = call_safely(build_motif_model, sequence_length, arg_names=["sequence_length"],
                         time_limit=BUILD_TIME_LIMIT)
    problem = result.problem(call)
    return (None, problem) if problem else (result.value, None)


def check_build_motif_model(build_motif_model) -> None:
    """The primer's CNN for 50 bp: layers, 6,226 parameters, compiled for integer labels."""
    report = CheckReport("build_motif_model")
    if _callable(report, build_motif_model, "build_motif_model"):
        model, problem = build_model(build_motif_model, 50)
        if problem is None:
            problem = architecture_problem(model, 50)
        report.check("layers for 50 bp: Conv1D(32, 12) -> MaxPooling1D(4) -> Flatten -> "
                     "Dense(16, relu) -> Dense(2, softmax), 6,226 parameters", problem)
        usable = model is not None and model_problem(model, 50) is None
        report.check(LAYOUT_DESCRIPTION, layout_problem(model) if usable else
                     f"not checked: {problem or 'the model cannot be used'}")
        for description, failure in (compile_problems(model) if usable else []):
            report.check(description, failure)
    report.finish()


# --- train_motif_model -----------------------------------------------------------------------

def easy_training_task(n: int, length: int, seed: int):
    """A small task whose early-stopping run is known in advance.

    The label says whether one fixed position holds A or C: a linear model learns it in one
    epoch. The last quarter of the rows (Keras's validation_split=0.25 takes the last rows)
    is labelled the other way round, so the more the model learns, the higher the validation
    loss: the lowest one comes after the first epoch.

    Returns
    -------
    X : float32 (n, length, 4); y : int64 (n,), validation rows flipped; n_fit : int, the
    number of training rows; X_test, y_test : 200 fresh rows labelled correctly.
    """
    rng = np.random.default_rng(seed)
    key = int(rng.integers(length))
    codes = rng.integers(0, 4, size=(n + 200, length))
    labels = (codes[:, key] < 2).astype(np.int64)
    X = np.eye(4, dtype=np.float32)[codes]
    n_fit = int(math.floor(n * (1 - VALIDATION_SPLIT)))
    y = labels[:n].copy()
    y[n_fit:] = 1 - y[n_fit:]
    return X[:n], y, n_fit, X[n:], labels[n:]


def linear_classifier(length: int, seed: int):
    """Input (length, 4) -> Flatten -> Dense(2, softmax), compiled for integer labels like the
    motif model, but starting from zero weights with plain gradient descent at a large
    learning rate: one epoch is enough on the easy task, and every later one raises the
    validation loss."""
    keras, _ = keras_modules()
    keras.utils.set_random_seed(seed)  # the order of the batches
    model = keras.Sequential([keras.Input(shape=(length, 4)), keras.layers.Flatten(),
                              keras.layers.Dense(2, activation="softmax",
                                                 kernel_initializer="zeros")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _probabilities(model, X):
    """The linear classifier's softmax output for X (n, L, 4), float64, computed with numpy
    from its weights (no model.predict: tracing it would cost a second); or a message saying
    why the model cannot be used."""
    try:
        kernel, bias = (np.asarray(w, dtype=float) for w in model.layers[-1].get_weights())
        scores = X.reshape(len(X), -1) @ kernel + bias
    except Exception as exc:
        return f"cannot use the model after training ({type(exc).__name__}: {exc})"
    scores -= scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


def cap_epochs(model, keras, cap: int = EPOCH_CAP) -> None:
    """Make ``model.fit`` stop after ``cap`` epochs whatever its arguments (an extra
    callback; everything else is passed through unchanged)."""

    class EpochCap(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch + 1 >= cap:
                self.model.stop_training = True

    fit = model.fit

    def capped_fit(*args, **kwargs):
        callbacks = kwargs.get("callbacks")
        callbacks = [] if callbacks is None else (
            list(callbacks) if isinstance(callbacks, (list, tuple)) else [callbacks])
        kwargs["callbacks"] = [*callbacks, EpochCap()]
        return fit(*args, **kwargs)

    model.fit = capped_fit
    model._course_epoch_cap = cap  # the grading sandbox rebuilds the cap from this


def training_outcomes(train_motif_model, n: int, length: int, seed: int,
                      min_accuracy: float = 0.9) -> list:
    """Train a fresh linear classifier on the easy task with the student's function.

    Returns (description, failure or None) for: the History, the validation split, 50
    epochs at most, batch size 32, early stopping with patience 5, the best weights restored,
    the given model trained.
    """
    keras, _ = keras_modules()
    X, y, n_fit, X_test, y_test = easy_training_task(n, length, seed)
    model = linear_classifier(length, seed)
    cap_epochs(model, keras)
    call = f"train_motif_model(model, X {X.shape}, y {y.shape})"
    result = call_safely(lambda X, y: train_motif_model(model, X, y), X, y,
                         arg_names=["X", "y"], time_limit=TRAIN_TIME_LIMIT)
    failure = result.problem(call)
    if failure is None and result.mutated:
        failure = f"{call} modified its argument {', '.join(result.mutated)}; it must not"
    descriptions = [
        "returns the History that model.fit returns",
        "holds out the last 25 % of the rows for validation (val_loss in the history)",
        "fits for at most 50 epochs",
        f"uses batches of 32 ({math.ceil(n_fit / BATCH_SIZE)} steps per epoch for {n_fit} "
        "training rows)",
        "stops early: 5 epochs without a lower validation loss (patience=5)",
        "keeps the weights of the epoch with the lowest validation loss "
        "(restore_best_weights=True)",
        f"trains the model it is given: accuracy >= {min_accuracy:.0%} on fresh data",
    ]
    if failure is not None:
        return [(d, failure) for d in descriptions]

    history = result.value
    failures = [None] * len(descriptions)
    # predictions on the validation rows and on fresh data, with the weights training left
    probabilities = _probabilities(model, np.concatenate([X[n_fit:], X_test]))
    if not isinstance(history, keras.callbacks.History):
        failures[0] = f"{call} should return the History of model.fit, got {describe(history)}"
        failures[1:6] = ["not checked: no History returned"] * 5
    else:
        data = history.history
        params = history.params or {}
        if "val_loss" not in data:
            failures[1] = ("the History has no val_loss: pass validation_split=0.25 to "
                           "model.fit")
        if params.get("epochs") != MAX_EPOCHS:
            failures[2] = f"model.fit should get epochs=50, got epochs={params.get('epochs')}"
        steps = math.ceil(n_fit / BATCH_SIZE)
        if params.get("steps") != steps:
            failures[3] = (f"expected {steps} batches per epoch (batch_size=32 on the first "
                           f"75 % of {n} rows = {n_fit} rows), got {params.get('steps')}")
        if "val_loss" in data:
            val_loss = np.asarray(data["val_loss"], dtype=float)
            best = int(np.argmin(val_loss))
            ran = len(val_loss)
            if ran != min(best + PATIENCE + 1, MAX_EPOCHS):
                ran_for = (f"training had not stopped after {ran} epochs (the check ends a run "
                           f"there)" if ran >= EPOCH_CAP else f"training ran {ran} epochs")
                failures[4] = (f"the lowest validation loss came at epoch {best + 1}, so "
                               f"early stopping with patience 5 stops after epoch "
                               f"{best + PATIENCE + 1}; {ran_for} (use "
                               f"EarlyStopping(monitor='val_loss', patience=5, ...))")
            if isinstance(probabilities, str):
                failures[5] = probabilities
            else:
                # the cross-entropy on the validation rows, as Keras computes val_loss
                p = np.clip(probabilities[np.arange(n - n_fit), y[n_fit:]], 1e-7, 1.0)
                now = float(np.mean(-np.log(p)))
                if not math.isclose(now, val_loss[best], rel_tol=1e-3, abs_tol=1e-5):
                    failures[5] = (f"after training, the validation loss is {now:.4f}, but "
                                   f"the lowest one during training was {val_loss[best]:.4f} "
                                   f"(epoch {best + 1}): restore the best weights")
        else:
            failures[4] = failures[5] = "not checked: no validation loss in the History"
    if isinstance(probabilities, str):
        failures[6] = probabilities
    else:
        accuracy = float(np.mean(np.argmax(probabilities[n - n_fit:], axis=1) == y_test))
        if accuracy < min_accuracy:
            failures[6] = (f"after {call} the model classifies {accuracy:.1%} of fresh data "
                           f"right (trained with the expected settings: over "
                           f"{min_accuracy:.0%}); train the model you are given, as it is "
                           f"compiled")
    return list(zip(descriptions, failures))


def check_train_motif_model(train_motif_model) -> None:
    """Validation split, batch size, early stopping and restored weights on a small task."""
    report = CheckReport("train_motif_model")
    if _callable(report, train_motif_model, "train_motif_model"):
        for description, failure in training_outcomes(train_motif_model, n=240, length=6,
                                                      seed=7):
            report.check(description, failure)
    report.finish()


# --- saliency_map ------------------------------------------------------------------------------

def linear_softmax_model(weights: np.ndarray, bias: np.ndarray):
    """Input (L, 4) -> Flatten -> Dense(2, softmax) with the given kernel (4 L, 2) and bias:
    its pre-softmax scores are z = flatten(x) @ weights + bias."""
    keras, _ = keras_modules()
    length = weights.shape[0] // 4
    model = keras.Sequential([keras.Input(shape=(length, 4)), keras.layers.Flatten(),
                              keras.layers.Dense(2, activation="softmax")])
    model.layers[-1].set_weights([weights.astype("float32"), bias.astype("float32")])
    return model


def weights_problem(model, before: list, call: str) -> str | None:
    """None if ``model``'s weights equal ``before`` (a list of arrays), else a message; the
    weights are put back, so that one call cannot spoil the next ones."""
    try:
        after = [np.asarray(w) for w in model.get_weights()]
    except Exception as exc:
        return f"cannot read the model's weights after {call} ({type(exc).__name__}: {exc})"
    changed = len(after) != len(before) or any(
        a.shape != b.shape or not np.array_equal(a, b) for a, b in zip(after, before))
    if not changed:
        return None
    try:
        model.set_weights(before)
    except Exception:
        pass
    return (f"{call} changed the model's weights; it must not change the model (compute the "
            f"scores from the weights, do not edit them)")


def saliency_problem(saliency_map, model, x, expected, call: str, *, rtol=1e-3) -> str | None:
    """Call ``saliency_map(model, x)`` (x must come back unchanged, and the model's weights)
    and compare."""
    before = [np.array(w, copy=True) for w in model.get_weights()]
    result = call_safely(lambda x: saliency_map(model, x), x, arg_names=["x"],
                         time_limit=SALIENCY_TIME_LIMIT)
    problem = result.problem(call)
    if problem is None and result.mutated:
        problem = f"{call} modified x; it must not"
    if not result.timed_out:
        problem = weights_problem(model, before, call) or problem
    if problem is None:
        scale = float(np.max(np.abs(expected))) if np.size(expected) else 1.0
        problem = compare(result.value, expected, what=call, rtol=rtol, atol=1e-4 * scale)
    return problem


def check_saliency_map(saliency_map) -> None:
    """Gradient x input of z1 - z0 on a model whose scores are linear in x: known exactly."""
    report = CheckReport("saliency_map")
    if _callable(report, saliency_map, "saliency_map"):
        rng = np.random.default_rng(2019)
        length = 6
        weights = rng.normal(size=(4 * length, 2))
        bias = np.array([0.3, -0.2])
        model = linear_softmax_model(weights, bias)
        x = np.eye(4)[rng.integers(0, 4, size=length)]  # (6, 4) one-hot
        gradient = (weights[:, 1] - weights[:, 0]).reshape(length, 4).astype("float32")
        report.check("shape (L, 4) = (6, 4), values: d(z1 - z0)/dx times x (z: the scores "
                     "before the softmax)",
                     saliency_problem(saliency_map, model, x, gradient * x,
                                      "saliency_map(model, x (6, 4))"))
        x_n = x.copy()
        x_n[2] = 0.0  # an N
        report.check("a row of zeros (an N) gets saliency 0",
                     saliency_problem(saliency_map, model, x_n, gradient * x_n,
                                      "saliency_map(model, x with an N at position 2)"))
        # Scaled so that z1 - z0 = +-15: a probability within 1e-6 of 0 or 1, whose own
        # gradient is a million times smaller than the scores'.
        factor = 15.0 / abs(float(x.reshape(-1) @ (weights[:, 1] - weights[:, 0])))
        confident = linear_softmax_model(factor * weights, np.zeros(2))
        report.check("a confident model (probability within 1e-6 of 0 or 1): the gradient of "
                     "the scores, not of the saturated probability",
                     saliency_problem(saliency_map, confident, x, factor * gradient * x,
                                      "saliency_map(confident model, x (6, 4))"))
    report.finish()
