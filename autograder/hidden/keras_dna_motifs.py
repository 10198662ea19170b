"""Hidden checks for notebook 07, Keras and TensorFlow on DNA motifs.

Run by the trusted scorer (autograder.scorer), outside the sandbox: TensorFlow and Keras are
imported only inside the grading functions, never at import time.

- ``one_hot_encode``: random sequences of several lengths (a single sequence, a single base,
  long ones), lower and mixed case, ``N``; invalid letters and unequal lengths must raise
  ValueError. Compared with the reference.
- ``build_motif_model``: the architecture for several sequence lengths, layer by layer (the
  first layer that differs is reported), the parameter count, how it is compiled, and that
  it is a ``keras.Sequential`` ending in the Dense(2, softmax) layer itself (the notebook's
  saliency recipe walks ``model.layers`` and reads the last layer's kernel).
- ``train_motif_model``: behaviour, on two small tasks whose early-stopping run is known in
  advance (see ``course.checks.keras_dna_motifs.easy_training_task``).
- ``saliency_map``: values against the reference on untrained models of two lengths (their
  random weights make every entry count), then on a motif model trained here once per kernel
  (seeded, a few seconds): the top position of each positive test sequence must fall inside
  the planted motif, where the reference's does. Every call must leave the model's weights
  as they were ("do not change the model"): the model crosses to the sandbox as data and its
  weights after the call come back, so a change made there is seen here.
"""

from __future__ import annotations

import warnings

import numpy as np

from autograder.hidden.scoring import Question, rng_for
from autograder.reference import keras_dna_motifs as ref
from course import genomics
from course.checks import keras_dna_motifs as spec
from course.harness import call_safely
from course.validation import describe

SALIENCY_RTOL = 1e-3  # float32 gradients through different but equivalent computations
TRAINED_LENGTH = 30
_TRAINED: dict = {}  # the motif model trained for the saliency checks, kept for the kernel


def _quietly(func, *args, **kwargs):
    """Run grader-side Keras code with its warnings silenced (stderr zeroes a test cell)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


# --- one_hot_encode ---------------------------------------------------------------------------

def _random_sequences(rng, n: int, length: int, letters: str = "ACGT") -> list:
    choices = np.array(list(letters))
    return ["".join(row) for row in choices[rng.integers(0, len(letters), size=(n, length))]]


def one_hot_cases() -> list:
    """(label, sequences) cases with a valid answer."""
    rng = rng_for("one_hot_encode")
    cases = []
    for n, length in [(5, 50), (1, 1), (3, 7), (8, 101), (1, 12), (20, 4)]:
        cases.append((f"{n} random sequence(s) of length {length}",
                      _random_sequences(rng, n, length)))
    cases.append(("one base per sequence, every base: ['A', 'C', 'G', 'T']", list("ACGT")))
    cases.append(("constant sequences ['TTTTT', 'GGGGG', 'AAAAA', 'CCCCC']",
                  ["TTTTT", "GGGGG", "AAAAA", "CCCCC"]))
    cases.append(("lower case: 4 sequences of length 20", _random_sequences(rng, 4, 20, "acgt")))
    cases.append(("mixed case: 3 sequences of length 15",
                  _random_sequences(rng, 3, 15, "ACGTacgt")))
    cases.append(("with N and n (unknown bases): 6 sequences of length 30",
                  _random_sequences(rng, 6, 30, "ACGTNn")))
    cases.append(("all N: ['NNN', 'nnn']", ["NNN", "nnn"]))
    return cases


def invalid_cases() -> list:
    """(label, sequences) that must raise ValueError."""
    return [
        ("an invalid letter X in the second sequence", ["ACGTACGT", "ACGTAXGT"]),
        ("RNA's U instead of T", ["ACGU"]),
        ("a gap '-'", ["AC-GT", "ACCGT"]),
        ("a space inside a sequence", ["ACG TA"]),
        ("IUPAC ambiguity code R (A or G)", ["ACGTR", "ACGTA"]),
        ("a digit", ["ACGT1"]),
        ("unequal lengths, 8 and 7", ["ACGTACGT", "ACGTACG"]),
        ("unequal lengths, the third sequence longer", ["ACG", "TTA", "GGCA"]),
    ]


def grade_one_hot_encode(one_hot_encode, points: float = 3) -> float:
    """(n, L, 4) one-hot, columns A, C, G, T, lower case accepted, N -> zeros; errors."""
    question = Question("one_hot_encode", points)
    if question.require_callable(one_hot_encode):
        for label, sequences in one_hot_cases():
            call = f"one_hot_encode({label})"
            question.call_case(label, one_hot_encode, (sequences,), names=["sequences"],
                               expected=ref.one_hot_encode(sequences), call=call,
                               time_limit=5.0)
        for label, sequences in invalid_cases():
            if question.stopped is not None:
                question.record(f"raises ValueError: {label}", f"skipped: {question.stopped}")
                continue
            if not question.works():
                question.record(f"raises ValueError: {label}", question.NOT_WORKING)
                continue
            shown = repr(sequences) if len(repr(sequences)) < 50 else label
            question.record(f"raises ValueError: {label}",
                            spec.raises_problem(one_hot_encode, (sequences,), ["sequences"],
                                                f"one_hot_encode({shown})"))
    return question.score()


# --- build_motif_model ------------------------------------------------------------------------

BUILD_LENGTHS = (50, 15, 37, 101)  # 15, the shortest the text allows: one pooled position


def grade_build_motif_model(build_motif_model, points: float = 3) -> float:
    """The primer's CNN for several lengths; compiled with Adam, sparse cross-entropy and
    accuracy."""
    question = Question("build_motif_model", points)
    if not question.require_callable(build_motif_model):
        return question.score()
    for length in BUILD_LENGTHS:
        label = f"architecture for sequences of length {length}"
        if question.stopped is not None:
            question.record(label, f"skipped: {question.stopped}")
            continue
        model, failure = _quietly(spec.build_model, build_motif_model, length)
        if failure is not None and "did not return" in failure:
            question.stopped = "an earlier call did not return in time"
        if failure is None:
            failure = _quietly(spec.architecture_problem, model, length)
        question.record(label, failure)
        if length == 50:
            compile_outcomes = None
            usable = model is not None and _quietly(spec.model_problem, model, length) is None
            if usable:
                compile_outcomes = _quietly(spec.compile_problems, model)
            if compile_outcomes is None:
                reason = failure or "the model cannot be used"
                compile_outcomes = [(d, f"not checked: {reason}") for d in (
                    "compiled with sparse categorical cross-entropy",
                    "compiled with Adam, learning rate 0.001",
                    "compiled with metrics=['accuracy']")]
            for description, problem in compile_outcomes:
                question.record(description, problem)
            question.record(spec.LAYOUT_DESCRIPTION,
                            _quietly(spec.layout_problem, model) if usable
                            else f"not checked: {failure or 'the model cannot be used'}")
    return question.score()


# --- train_motif_model ------------------------------------------------------------------------

TRAIN_TASKS = ((328, 10, 101),)  # (rows, sequence length, seed): one run, ~3 s


def grade_train_motif_model(train_motif_model, points: float = 3) -> float:
    """Validation split 0.25, batch 32, at most 50 epochs, early stopping with patience 5 and
    the best weights restored, the given model trained; returns the History."""
    question = Question("train_motif_model", points)
    if not question.require_callable(train_motif_model):
        return question.score()
    for n, length, seed in TRAIN_TASKS:
        if question.stopped is not None:
            question.record(f"task with {n} rows", f"skipped: {question.stopped}")
            continue
        outcomes = _quietly(spec.training_outcomes, train_motif_model, n=n, length=length,
                            seed=seed)
        for description, failure in outcomes:
            question.record(f"{n} rows of length {length}: {description}", failure)
            if failure is not None and "did not return" in failure:
                question.stopped = "an earlier call did not return in time"
    return question.score()


# --- saliency_map -----------------------------------------------------------------------------

def _untrained_model(length: int, seed: int):
    keras, _ = spec.keras_modules()
    keras.utils.set_random_seed(seed)
    return ref.build_motif_model(length)


def trained_motif_model():
    """A motif model trained once per kernel on short sequences (seeded; about 2 s on CPU).

    Returns (model, X_test (n, 30, 4), starts (n,)) for positive test sequences on which the
    reference's top position falls inside the motif."""
    if "model" not in _TRAINED:
        keras, _ = spec.keras_modules()
        data = genomics.make_motif_dataset(n_positive=400, n_negative=400,
                                           length=TRAINED_LENGTH, seed=31)
        X = ref.one_hot_encode(data.sequences)
        keras.utils.set_random_seed(31)
        model = ref.build_motif_model(TRAINED_LENGTH)
        model.optimizer.learning_rate = 0.01  # the check's own model: a few epochs suffice
        model.fit(X, data.labels, epochs=6, batch_size=64, verbose=0)
        test = genomics.make_motif_dataset(n_positive=12, n_negative=0, length=TRAINED_LENGTH,
                                           seed=32)
        X_test = ref.one_hot_encode(test.sequences)
        keep = []
        for i in range(len(X_test)):
            peak = int(np.argmax(ref.saliency_map(model, X_test[i]).sum(axis=1)))
            if test.starts[i] <= peak < test.starts[i] + len(genomics.MOTIF):
                keep.append(i)
        _TRAINED.update(model=model, X=X_test[keep[:4]], starts=test.starts[keep[:4]])
    return _TRAINED["model"], _TRAINED["X"], _TRAINED["starts"]


def saliency_cases() -> list:
    """(label, length, model seed, x) for the untrained models: random one-hot sequences, one
    with N rows (zeros), one as integers."""
    rng = rng_for("saliency_map")
    cases = []
    for length, seed in ((50, 1), (23, 2)):
        for k in range(2):
            x = np.eye(4)[rng.integers(0, 4, size=length)]
            cases.append((f"untrained model for length {length}, random sequence {k + 1}",
                          length, seed, x))
    x = np.eye(4)[rng.integers(0, 4, size=50)]
    x[[3, 17, 18]] = 0.0
    cases.append(("untrained model for length 50, a sequence with 3 N (rows of zeros)", 50, 1,
                  x))
    x = np.eye(4, dtype=np.int64)[rng.integers(0, 4, size=23)]
    cases.append(("untrained model for length 23, x as integers", 23, 2, x))
    return cases


def _peak_problem(saliency_map, model, x, start: int) -> str | None:
    before = [np.array(w, copy=True) for w in model.get_weights()]
    result = call_safely(lambda x: saliency_map(model, x), x, arg_names=["x"],
                         time_limit=spec.SALIENCY_TIME_LIMIT)
    call = f"saliency_map(trained model, x {x.shape})"
    problem = result.problem(call)
    if not result.timed_out:
        problem = spec.weights_problem(model, before, call) or problem
    if problem is None:
        value = result.value
        if type(value) is not np.ndarray or value.shape != x.shape:
            return f"{call} should return an np.ndarray of shape {x.shape}, got " \
                   f"{describe(value)}"
        end = start + len(genomics.MOTIF)
        peak = int(np.argmax(np.asarray(value, dtype=float).sum(axis=1)))
        if not start <= peak < end:
            problem = (f"{call}: the top position (largest sum over the 4 bases) is {peak}, "
                       f"outside the planted motif at positions {start}-{end - 1}")
    return problem


def grade_saliency_map(saliency_map, points: float = 3) -> float:
    """Gradient x input of z1 - z0, shape (L, 4); its peak inside the motif on a trained
    model."""
    question = Question("saliency_map", points)
    if not question.require_callable(saliency_map):
        return question.score()
    models = {}
    for label, length, seed, x in saliency_cases():
        if question.stopped is not None:
            question.record(label, f"skipped: {question.stopped}")
            continue
        if (length, seed) not in models:
            models[length, seed] = _quietly(_untrained_model, length, seed)
        model = models[length, seed]
        expected = _quietly(ref.saliency_map, model, x)
        failure = _quietly(spec.saliency_problem, saliency_map, model, x, expected,
                           f"saliency_map(model, x {x.shape})", rtol=SALIENCY_RTOL)
        if failure is not None and "did not return" in failure:
            question.stopped = "an earlier call did not return in time"
        question.record(label, failure)
    model, X_test, starts = _quietly(trained_motif_model)
    for x, start in zip(X_test, starts):
        label = f"trained model, a sequence with the motif at {start}: the peak is in the motif"
        if question.stopped is not None:
            question.record(label, f"skipped: {question.stopped}")
            continue
        failure = _quietly(_peak_problem, saliency_map, model, x, int(start))
        if failure is not None and "did not return" in failure:
            question.stopped = "an earlier call did not return in time"
        question.record(label, failure)
    return question.score()
