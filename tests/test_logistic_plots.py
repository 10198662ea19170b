"""course.logistic_plots: the iris loader, the scikit-learn factory and notebook 02's figures."""

import sys
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from autograder.reference import logistic_regression as ref  # noqa: E402
from course import logistic_plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures_and_fail_on_warnings():
    """Warnings would reach stderr in a notebook (and zero a test cell at grading time)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
    plt.close("all")


def _labelled(ax: Axes) -> bool:
    return bool(ax.get_xlabel() and ax.get_ylabel() and ax.get_title())


# --- data ----------------------------------------------------------------------------------

def test_iris_binary_is_standardized_with_labels_0_and_1():
    data = logistic_plots.load_iris_binary()
    assert data.X.shape == (100, 2) and data.y.shape == (100,)
    assert data.X.dtype == np.float64 and data.y.dtype.kind == "i"
    assert np.bincount(data.y).tolist() == [50, 50]
    assert np.allclose(data.X.mean(axis=0), 0) and np.allclose(data.X.std(axis=0), 1)
    assert np.allclose(data.X * data.scale + data.mean, data.X_raw)
    assert data.class_names == ("versicolor", "virginica")
    assert data.feature_names == ("petal length (cm)", "petal width (cm)")


def test_iris_binary_other_choices_and_raw_features():
    data = logistic_plots.load_iris_binary(classes=("virginica", "setosa"),
                                           features=("sepal length (cm)",), standardized=False)
    assert data.X.shape == (100, 1)
    assert np.array_equal(data.X, data.X_raw)
    # label 1 is the second class named: setosa's sepals are the shorter ones
    assert data.X[data.y == 1].mean() < data.X[data.y == 0].mean()


@pytest.mark.parametrize("kwargs, message", [
    ({"classes": ("versicolor", "daisy")}, "classes: unknown name 'daisy'"),
    ({"classes": ("setosa", "setosa")}, "two different species"),
    ({"classes": "setosa"}, "classes must be a sequence of names"),
    ({"features": ("petal area",)}, "features: unknown name 'petal area'"),
    ({"features": ()}, "at least one feature"),
])
def test_iris_binary_rejects_bad_arguments_by_name(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        logistic_plots.load_iris_binary(**kwargs)


def test_a_missing_scikit_learn_is_explained(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)  # makes `import sklearn` fail
    with pytest.raises(ImportError, match="pip install scikit-learn"):
        logistic_plots.load_iris_binary()
    with pytest.raises(ImportError, match="scikit-learn is needed for the comparison"):
        logistic_plots.unpenalized_logistic_regression()


def test_course_package_does_not_import_scikit_learn():
    import subprocess

    code = ("import sys, course.logistic_plots, course.checks.logistic_regression; "
            "print('sklearn' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


def test_standardize_centres_a_constant_column_without_dividing_by_zero():
    X = np.array([[1.0, 5.0], [3.0, 5.0], [5.0, 5.0]])
    X_std, mean, scale = logistic_plots.standardize(X)
    assert np.allclose(X_std[:, 0], [-1.2247449, 0.0, 1.2247449])
    assert np.array_equal(X_std[:, 1], [0.0, 0.0, 0.0]) and scale[1] == 1.0
    assert mean.tolist() == [3.0, 5.0]
    with pytest.raises(ValueError, match="X must be 2-D"):
        logistic_plots.standardize([1.0, 2.0])


def test_unpenalized_logistic_regression_matches_gradient_descent_without_warnings():
    data = logistic_plots.load_iris_binary()
    clf = logistic_plots.unpenalized_logistic_regression(tol=1e-10, max_iter=1000)
    clf.fit(data.X, data.y)  # a FutureWarning (deprecated penalty=None) would fail here
    w, b, _ = ref.fit_logistic_regression(data.X, data.y, 2.0, 2000)
    assert np.max(np.abs(clf.coef_[0] - w)) < 1e-3 and abs(clf.intercept_[0] - b) < 1e-3
    assert np.max(np.abs(clf.predict_proba(data.X)[:, 1] - ref.predict_proba(data.X, w, b))) \
        < 1e-4
    assert np.array_equal(clf.predict(data.X), ref.predict(data.X, w, b))
    with pytest.raises(TypeError, match="sets penalty/C itself"):
        logistic_plots.unpenalized_logistic_regression(C=1.0)


# --- figures -------------------------------------------------------------------------------

def test_plot_sigmoid_draws_the_given_function():
    ax = logistic_plots.plot_sigmoid(ref.sigmoid)
    assert isinstance(ax, Axes) and _labelled(ax)
    curve = ax.get_lines()[-2]
    assert np.allclose(curve.get_ydata(), ref.sigmoid(curve.get_xdata()))


@pytest.mark.parametrize("func, error, message", [
    ("sigmoid", TypeError, "sigmoid must be a function"),
    (lambda z: np.zeros(3), ValueError, "sigmoid\\(z\\) must have the shape of z"),
])
def test_plot_sigmoid_rejects_bad_functions(func, error, message):
    with pytest.raises(error, match=message):
        logistic_plots.plot_sigmoid(func)


def test_plot_loss_curve_with_initial_loss():
    ax = logistic_plots.plot_loss_curve([0.5, 0.4, 0.35], initial_loss=np.log(2), label="run")
    assert _labelled(ax)
    line = ax.get_lines()[0]
    assert line.get_xdata().tolist() == [0, 1, 2, 3]
    assert line.get_ydata()[0] == pytest.approx(np.log(2))
    with pytest.raises(ValueError, match="losses must be 1-D"):
        logistic_plots.plot_loss_curve(np.ones((2, 2)))
    with pytest.raises(ValueError, match="at least one loss"):
        logistic_plots.plot_loss_curve([])


def test_plot_learning_rates_one_curve_per_rate():
    histories = {"lr = 0.1": [0.6, 0.5], "lr = 1": [0.3, 0.2], "lr = 100": [2.0, 1.0]}
    ax = logistic_plots.plot_learning_rates(histories, initial_loss=np.log(2))
    assert _labelled(ax) and ax.get_yscale() == "log"
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels[:3] == list(histories) and "loss before training" in labels[3]
    with pytest.raises(TypeError, match="histories must be a non-empty dict"):
        logistic_plots.plot_learning_rates({})
    with pytest.raises(TypeError, match=r"histories\['bad'\] must hold real numbers"):
        logistic_plots.plot_learning_rates({"bad": ["a", "b"]})


def test_plot_probability_map_marks_the_misclassified_points():
    X = np.array([[-1.0, -1.0], [-0.5, 0.0], [1.0, 1.0], [0.5, -0.2], [-0.2, 0.1]])
    y = np.array([0, 0, 1, 1, 1])
    ax = logistic_plots.plot_probability_map(ref.predict_proba, np.array([1.0, 1.0]), 0.0, X, y,
                                             feature_names=("a", "b"), class_names=("no", "yes"))
    assert ax.get_xlabel() == "a" and ax.get_ylabel() == "b"
    assert "accuracy 80% (4 of 5)" in ax.get_title()
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels[:3] == ["no", "yes", "misclassified"]


@pytest.mark.parametrize("args, error, message", [
    (("not a function", [1.0, 1.0], 0.0, np.zeros((3, 2)), [0, 1, 0]), TypeError,
     "predict_proba must be a function"),
    ((ref.predict_proba, [1.0, 1.0], 0.0, np.zeros((3, 3)), [0, 1, 0]), ValueError,
     "X must have shape \\(n_instances, 2\\)"),
    ((ref.predict_proba, [1.0, 1.0], 0.0, np.zeros((3, 2)), [0, 1]), ValueError,
     "y must hold one label per row of X"),
    ((ref.predict_proba, [1.0, 1.0, 1.0], 0.0, np.zeros((3, 2)), [0, 1, 0]), ValueError,
     "w must hold 2 weights"),
    ((ref.predict_proba, [1.0, 1.0], [0.0, 1.0], np.zeros((3, 2)), [0, 1, 0]), ValueError,
     "b must be a single number"),
    ((lambda X, w, b: np.zeros(2), [1.0, 1.0], 0.0, np.zeros((3, 2)), [0, 1, 0]), ValueError,
     "predict_proba must return one probability per row"),
])
def test_plot_probability_map_names_the_bad_argument(args, error, message):
    with pytest.raises(error, match=message):
        logistic_plots.plot_probability_map(*args)


def test_plots_draw_on_a_given_axes_and_refuse_other_objects():
    fig, ax = plt.subplots()
    assert logistic_plots.plot_loss_curve([0.3, 0.2], ax=ax) is ax
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        logistic_plots.plot_loss_curve([0.3], ax="axes")
