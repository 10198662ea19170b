"""Public checks (course.checks) and hidden checks (autograder.hidden) for notebook 07.

The mutant catalog is graded here in-process by the hidden checks (without nbgrader), the
way the suite does it for every notebook. Keras makes this the slowest of the check tests:
each training variant runs a few small fits."""

import os
import subprocess
import sys

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from autograder.hidden import keras_dna_motifs as hidden  # noqa: E402
from autograder.mutants.keras_dna_motifs import VARIANTS  # noqa: E402
from autograder.reference import keras_dna_motifs as ref  # noqa: E402
from course.checks import keras_dna_motifs as public  # noqa: E402
from course.checks.report import PublicCheckError  # noqa: E402

POINTS = {"one_hot_encode": 3, "build_motif_model": 3, "train_motif_model": 3,
          "saliency_map": 3}
GRADERS = {name: getattr(hidden, f"grade_{name}") for name in POINTS}
PUBLIC = {name: getattr(public, f"check_{name}") for name in POINTS}


def test_importing_the_hidden_checks_does_not_import_tensorflow():
    # every grading kernel of every notebook imports the hidden checks
    code = ("import sys, autograder.hidden.keras_dna_motifs, autograder.reference."
            "keras_dna_motifs, course.checks.keras_dna_motifs, course.genomics, "
            "course.genomics_plots; print(any(m in sys.modules for m in "
            "('tensorflow', 'keras', 'logomaker', 'sklearn')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"


def test_public_checks_pass_on_the_reference_and_say_hidden_tests_follow(capsys):
    for name, check in PUBLIC.items():
        check(getattr(ref, name))
    out = capsys.readouterr().out
    assert out.count("Hidden tests with other inputs run at grading time.") == 4
    assert "✗" not in out


@pytest.mark.parametrize("name", sorted(POINTS))
def test_hidden_checks_give_full_marks_to_the_reference(name, capsys):
    score = GRADERS[name](getattr(ref, name), points=POINTS[name])
    assert type(score) is float and score == POINTS[name]
    assert repr(score) == str(score)  # nbgrader must be able to parse it
    assert "cases passed" in capsys.readouterr().out


def _compile(variant):
    """The variant's function, defined next to the reference versions of the other answers."""
    keras, tf = public.keras_modules()
    namespace = {"np": np, "keras": keras, "tf": tf,
                 **{name: getattr(ref, name) for name in POINTS}}
    exec(variant.source, namespace)
    return namespace[variant.question]


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: f"{v.question}-{v.name}")
def test_mutants_lose_points_and_alternatives_keep_them_in_process(variant, capsys):
    score = GRADERS[variant.question](_compile(variant), points=POINTS[variant.question])
    out = capsys.readouterr().out
    if variant.correct:
        assert score == POINTS[variant.question], out
    else:
        assert score < POINTS[variant.question], out


def test_the_catalog_has_enough_mutants_and_alternatives_per_question():
    for question in POINTS:
        mutants = [v for v in VARIANTS if v.question == question and not v.correct]
        alternatives = [v for v in VARIANTS if v.question == question and v.correct]
        assert len(mutants) >= 5 and len(alternatives) >= 2, question
    assert len({v.student_id for v in VARIANTS}) == len(VARIANTS)
    assert {v.assignment for v in VARIANTS} == {"07_keras_dna_motifs"}


def test_public_checks_catch_mistakes_with_a_message(capsys):
    by_name = {(v.question, v.name): v for v in VARIANTS}
    cases = [("one_hot_encode", "order-acgt-as-actg", "one_hot_encode(['ACGT'])"),
             ("build_motif_model", "kernel-8", "kernel_size=(12,)"),
             ("train_motif_model", "no-restore", "restore the best weights"),
             ("saliency_map", "probability-gradient", "saliency_map(confident model")]
    for question, name, expected in cases:
        with pytest.raises(PublicCheckError):
            PUBLIC[question](_compile(by_name[question, name]))
        assert expected in capsys.readouterr().out, (question, name)


def test_public_checks_do_not_raise_at_grading_time(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    public.check_one_hot_encode(lambda sequences: np.zeros((1, 1, 4)))
    assert "✗" in capsys.readouterr().out


def test_a_stub_scores_zero_everywhere_with_a_message(capsys):
    def stub(*args):
        raise NotImplementedError()

    for name, grade in GRADERS.items():
        assert grade(stub, points=POINTS[name]) == 0.0, name
    out = capsys.readouterr().out
    assert out.count("not written yet: replace `raise NotImplementedError()` with your code") >= 4


def test_hidden_check_of_a_non_function(capsys):
    assert hidden.grade_saliency_map("not a function", points=3) == 0.0
    assert "saliency_map should be a function, got str" in capsys.readouterr().out


def test_hidden_checks_keep_stderr_clean(capfd):
    def chatty(sequences):
        import warnings

        print("debug", file=sys.stderr)
        warnings.warn("a warning from student code")
        return ref.one_hot_encode(sequences)

    score = hidden.grade_one_hot_encode(chatty, points=3)
    captured = capfd.readouterr()
    assert captured.err == ""
    assert score == 3.0


def test_build_check_reports_the_first_layer_that_differs():
    keras, _ = public.keras_modules()
    model = keras.Sequential([keras.Input(shape=(50, 4)), keras.layers.Conv1D(32, 12),
                              keras.layers.MaxPooling1D(2), keras.layers.Flatten(),
                              keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    problem = public.architecture_problem(model, 50)
    assert problem.startswith("layer 2 (MaxPooling1D) should have pool_size=(4,)")


def test_expected_parameters_follow_the_primer():
    assert public.expected_parameters(50) == 6226
    assert public.expected_parameters(16) == (12 * 4 + 1) * 32 + (32 + 1) * 16 + 17 * 2


def test_hidden_inputs_are_deterministic_and_cover_awkward_cases():
    first, again = hidden.one_hot_cases(), hidden.one_hot_cases()
    assert [s for _, s in first] == [s for _, s in again]
    shapes = {(len(s), len(s[0])) for _, s in first}
    assert (1, 1) in shapes and any(n == 1 for n, _ in shapes) and any(L > 100 for _, L in shapes)
    letters = set("".join("".join(s) for _, s in first))
    assert {"a", "c", "g", "t", "N", "n"} <= letters
    for _, sequences in hidden.invalid_cases():
        with pytest.raises(ValueError):
            ref.one_hot_encode(sequences)
    assert 15 in hidden.BUILD_LENGTHS and 50 in hidden.BUILD_LENGTHS


def test_the_easy_training_task_flips_exactly_the_validation_rows():
    X, y, n_fit, X_test, y_test = public.easy_training_task(200, 8, 3)
    assert X.shape == (200, 8, 4) and X.dtype == np.float32 and n_fit == 150
    codes = X.argmax(axis=2)
    rule = None
    for position in range(8):  # the label is "A or C at one position" on the fitting rows
        if np.array_equal((codes[:n_fit, position] < 2).astype(int), y[:n_fit]):
            rule = position
    assert rule is not None
    assert np.array_equal((codes[n_fit:, rule] < 2).astype(int), 1 - y[n_fit:])
    assert np.array_equal((X_test.argmax(axis=2)[:, rule] < 2).astype(int), y_test)


def test_the_trained_saliency_model_is_cached_and_its_examples_hold_the_motif():
    model, X, starts = hidden.trained_motif_model()
    again = hidden.trained_motif_model()
    assert again[0] is model
    assert len(X) >= 3 and X.shape[1:] == (hidden.TRAINED_LENGTH, 4)
    for x, start in zip(X, starts):
        peak = int(np.argmax(ref.saliency_map(model, x).sum(axis=1)))
        assert start <= peak < start + 12
