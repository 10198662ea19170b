"""Public checks (course.checks) and hidden checks (autograder.hidden) for notebook 04."""

import subprocess
import sys

import numpy as np
import pytest

from autograder.hidden import multilayer_perceptron as hidden
from autograder.mutants.multilayer_perceptron import VARIANTS
from autograder.reference import multilayer_perceptron as ref
from course.checks import multilayer_perceptron as public
from course.checks.report import PublicCheckError

POINTS = {"tanh": 2, "relu": 1, "sigmoid_derivative": 1, "tanh_derivative": 1,
          "relu_derivative": 1, "softmax": 2, "dense": 2, "mlp_forward": 3,
          "collapse_linear": 2, "xor_params": 2}
FUNCTIONS = [name for name in POINTS if name != "xor_params"]


def _grade(question, answer, points=None):
    return getattr(hidden, f"grade_{question}")(answer, points=points or POINTS[question])


def _namespace() -> dict:
    """A notebook's globals after a perfect run: the reference answers under their names."""
    namespace = {"np": np, "ACTIVATIONS": dict(ref.ACTIVATIONS),
                 "DERIVATIVES": dict(ref.DERIVATIVES)}
    for name in ("linear", "sigmoid", *FUNCTIONS):
        namespace[name] = getattr(ref, name)
    return namespace


def _compile(variant) -> object:
    """The variant's answer, defined next to the reference versions of the other answers."""
    namespace = _namespace()
    exec(variant.source, namespace)
    return namespace["XOR_PARAMS" if variant.question == "xor_params" else variant.question]


# --- public checks ----------------------------------------------------------------------------

def test_public_checks_pass_on_reference_and_say_hidden_tests_follow(capsys):
    for name in FUNCTIONS:
        getattr(public, f"check_{name}")(getattr(ref, name))
    public.check_xor_params(ref.XOR_PARAMS)
    out = capsys.readouterr().out
    assert out.count("Hidden tests with other inputs run at grading time.") == 10
    assert "✗" not in out


def test_public_tanh_check_explains_the_overflow(capsys):
    def tanh(z):
        z = np.asarray(z, dtype=float)
        return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))

    with pytest.raises(PublicCheckError):
        public.check_tanh(tanh)
    out = capsys.readouterr().out
    assert "raised a warning (RuntimeWarning: overflow" in out
    assert "2 sigmoid(2z) - 1" in out


def test_public_softmax_check_catches_the_wrong_axis(capsys):
    def softmax(Z):
        e = np.exp(Z - Z.max(axis=0, keepdims=True))
        return e / e.sum(axis=0, keepdims=True)

    with pytest.raises(PublicCheckError):
        public.check_softmax(softmax)
    assert "axis=1" in capsys.readouterr().out


def test_public_derivative_checks_catch_classic_slips(capsys):
    with pytest.raises(PublicCheckError):
        public.check_relu_derivative(lambda z: np.where(np.asarray(z) >= 0, 1.0, 0.0))
    with pytest.raises(PublicCheckError):
        public.check_sigmoid_derivative(lambda z: np.asarray(z) * (1 - np.asarray(z)))
    with pytest.raises(PublicCheckError):
        public.check_tanh_derivative(lambda z: 1 - np.tanh(z))
    out = capsys.readouterr().out
    assert "relu_derivative(0.0) returned 1" in out
    assert "compute s = sigmoid(z) first" in out
    assert "matches centred differences" in out


def test_public_forward_check_catches_a_cache_of_activations(capsys):
    def mlp_forward(X, params):
        A, cache = np.asarray(X, dtype=float), []
        for layer in params:
            A_prev = A
            A = ref.ACTIVATIONS[layer["activation"]](A_prev @ layer["W"] + layer["b"])
            cache.append({"A_prev": A_prev, "Z": A})
        return A, cache

    with pytest.raises(PublicCheckError):
        public.check_mlp_forward(mlp_forward)
    assert "cache[0]['Z'] (X @ W + b, before the activation)" in capsys.readouterr().out


def test_public_collapse_and_xor_checks_catch_mistakes(capsys):
    with pytest.raises(PublicCheckError):
        public.check_collapse_linear(lambda W1, b1, W2, b2: (W1 @ W2, b2))
    params = [dict(layer) for layer in ref.XOR_PARAMS]
    params[1] = {**params[1], "b": np.array([5.0])}  # fires on (0, 0) and (1, 1) too
    with pytest.raises(PublicCheckError):
        public.check_xor_params(params)
    with pytest.raises(PublicCheckError):
        public.check_xor_params([{"W": np.eye(2), "b": np.zeros(2), "activation": "step"}] * 2)
    out = capsys.readouterr().out
    assert "the same outputs as the two layers" in out
    assert "which predicts 1 (output >= 0.5 means 1)" in out
    assert "should be one of linear, sigmoid, tanh, relu, softmax, got 'step'" in out


def test_public_xor_check_reads_the_notebook_and_names_a_network_not_written_yet(capsys):
    public.check_xor_params_in({"XOR_PARAMS": ref.XOR_PARAMS})
    assert "all 5 passed" in capsys.readouterr().out
    with pytest.raises(PublicCheckError):
        public.check_xor_params_in({})
    out = capsys.readouterr().out
    assert "XOR_PARAMS is not defined yet: write it in the exercise cell above" in out
    assert "NameError" not in out


def test_public_check_reports_a_stub_without_crashing(capsys):
    def stub(X, params):
        raise NotImplementedError()

    with pytest.raises(PublicCheckError):
        public.check_mlp_forward(stub)
    out = capsys.readouterr().out
    assert "not written yet: replace `raise NotImplementedError()` with your code" in out
    assert "✓" not in out and "passed" not in out  # an untouched stub passes nothing


def test_public_checks_do_not_raise_at_grading_time(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    public.check_relu(lambda z: np.abs(z))  # wrong: the hidden tests decide
    assert "✗" in capsys.readouterr().out


# --- hidden checks ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(POINTS))
def test_hidden_checks_give_full_marks_to_the_reference(name, capsys):
    answer = ref.XOR_PARAMS if name == "xor_params" else getattr(ref, name)
    score = _grade(name, answer)
    assert type(score) is float and score == POINTS[name]
    # nbgrader parses the cell's repr: np.float64(...) would not parse and mean full marks
    assert repr(score) == str(score)
    assert "cases passed" in capsys.readouterr().out


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: f"{v.question}-{v.name}")
def test_mutants_lose_points_and_alternatives_keep_them_in_process(variant, capsys):
    score = _grade(variant.question, _compile(variant))
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
    assert {v.assignment for v in VARIANTS} == {"04_multilayer_perceptron"}


def test_each_answer_is_graded_on_its_own_and_the_notebook_is_restored(capsys):
    namespace = _namespace()
    exec("def tanh(z):\n    return np.asarray(z, dtype=float)\n"  # a wrong tanh
         "def dense(X, W, b, activation):\n    return X @ W\n"  # a wrong dense
         "ACTIVATIONS = {'linear': linear, 'sigmoid': sigmoid, 'tanh': tanh, 'relu': relu,\n"
         "               'softmax': softmax}\n"
         "def tanh_derivative(z):\n    return 1 - tanh(z) ** 2\n"
         "def mlp_forward(X, params):\n"
         "    A, cache = np.asarray(X, dtype=float), []\n"
         "    for layer in params:\n"
         "        Z = dense(A, layer['W'], layer['b'], linear)\n"
         "        cache.append({'A_prev': A, 'Z': Z})\n"
         "        A = ACTIVATIONS[layer['activation']](Z)\n"
         "    return A, cache\n", namespace)
    before = dict(namespace)
    assert _grade("tanh", namespace["tanh"]) < 2
    assert _grade("tanh_derivative", namespace["tanh_derivative"]) == 1.0
    assert _grade("mlp_forward", namespace["mlp_forward"]) == 3.0
    assert namespace == before  # the student's own functions are back
    capsys.readouterr()


@pytest.mark.parametrize("name, source", [
    ("softmax", "def softmax(Z):\n    return ACTIVATIONS['softmax'](Z)\n"),
    ("tanh", "def tanh(z):\n    return ACTIVATIONS['tanh'](z)\n"),
    ("tanh_derivative", "def tanh_derivative(z):\n    return DERIVATIVES['tanh'](z)\n"),
])
def test_an_answer_cannot_borrow_its_own_reference_through_the_notebook(name, source, capsys):
    namespace = _namespace()
    exec(source, namespace)
    namespace["ACTIVATIONS"][name] = namespace[name]  # as the notebook's table would hold it
    namespace["DERIVATIVES"]["tanh"] = namespace.get("tanh_derivative")
    assert _grade(name, namespace[name]) == 0.0
    assert "RecursionError" in capsys.readouterr().out


def test_hidden_checks_keep_stderr_clean(capfd):
    def chatty(X, W, b, activation):
        print("debug", file=sys.stderr)
        np.log(np.zeros(1))  # RuntimeWarning
        return activation(X @ W + b)

    score = hidden.grade_dense(chatty, points=2)
    captured = capfd.readouterr()
    assert captured.err == ""
    assert score == 2.0


def test_a_warning_fails_an_activation_case(capsys):
    def relu(z):
        z = np.asarray(z, dtype=float)
        with np.errstate(all="warn"):
            np.exp(np.abs(z) * 1000)  # overflows for any z above 0.71: a RuntimeWarning
        return np.maximum(z, 0.0)

    assert hidden.grade_relu(relu, points=1) < 1
    assert "raised a warning (RuntimeWarning: overflow" in capsys.readouterr().out


def test_hidden_checks_of_non_functions_and_broken_structures(capsys):
    assert hidden.grade_softmax("not a function", points=2) == 0.0
    assert hidden.grade_xor_params(None, points=2) == 0.0
    assert hidden.grade_xor_params([{"W": 1}, {"b": 2}], points=2) == 0.0
    out = capsys.readouterr().out
    assert "softmax should be a function, got str" in out
    assert "XOR_PARAMS should be a list of 2 layers" in out
    assert "XOR_PARAMS[0] should be a dict with keys 'W', 'b' and 'activation'" in out


def test_hidden_forward_scores_output_and_cache_separately(capsys):
    def no_cache(X, params):
        return ref.mlp_forward(X, params)[0], []

    score = hidden.grade_mlp_forward(no_cache, points=3)
    assert score == 1.5  # every output right, every cache wrong
    assert "should hold one dict per layer" in capsys.readouterr().out


def test_hidden_inputs_are_deterministic_and_cover_awkward_shapes():
    first, again = hidden.forward_cases(), hidden.forward_cases()
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(first, again))
    depths = {len(params) for _, _, params in first}
    assert depths == {1, 2, 3, 4}
    assert any(X.shape[0] == 1 for _, X, _ in first)  # a batch of one
    assert any(X.dtype.kind == "i" for _, X, _ in first)
    names = {layer["activation"] for _, _, params in first for layer in params}
    assert names == set(hidden.ACTIVATION_NAMES)
    assert any(Z.shape[0] == Z.shape[1] for _, Z in hidden.softmax_cases())  # axis mix-ups
    assert any(W.shape[0] == W.shape[1] for _, _, W, _, _ in hidden.dense_cases())
    assert any(np.all(b == 0) for _, _, _, b, _ in hidden.dense_cases())
    assert any(np.all(X == 0) for _, X, _, _, _ in hidden.dense_cases())
    shapes = {np.shape(z) for _, z in hidden.activation_inputs("relu")}
    assert {(), (1,), (13,), (4, 5), (2, 3, 2)} <= shapes
    assert any(np.any(np.asarray(z) == 0) for _, z in hidden.activation_inputs("relu"))


def test_numerical_derivatives_agree_with_the_reference_away_from_kinks():
    for _, z in hidden.derivative_points("relu_derivative"):
        assert np.all(np.abs(z) >= 0.05)
        for f, df in ((ref.sigmoid, ref.sigmoid_derivative), (ref.tanh, ref.tanh_derivative),
                      (ref.relu, ref.relu_derivative)):
            assert hidden.relative_error(df(z), hidden.numerical_derivative(f, z)) < 1e-9


def test_the_reference_xor_network_computes_xor():
    output = ref.mlp_forward(hidden.XOR_INPUTS, ref.XOR_PARAMS)[0]
    assert ((output[:, 0] >= 0.5).astype(int) == hidden.XOR_LABELS).all()


def test_hidden_module_imports_without_heavy_libraries():
    code = ("import sys, autograder.hidden.multilayer_perceptron; "
            "print(any(m in sys.modules for m in ('tensorflow', 'sklearn', 'keras')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"
