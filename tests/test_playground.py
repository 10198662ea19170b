"""course.playground (notebook 05's playground) and its data sets in course.data."""

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course import data
from course import playground as pg


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --- data sets --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", data.PLAYGROUND_DATASETS)
def test_playground_datasets_have_the_playgrounds_shape(name):
    X, y = data.playground_dataset(name, n_samples=500, noise=0.0, seed=3)
    assert X.shape == (500, 2) and X.dtype == np.float64
    assert y.shape == (500,) and y.dtype == np.int64 and set(np.unique(y)) == {0, 1}
    assert np.abs(X).max() <= 6.0  # inside the Playground's [-6, 6]² at no noise
    again = data.playground_dataset(name, n_samples=500, noise=0.0, seed=3)
    assert np.array_equal(X, again[0]) and np.array_equal(y, again[1])
    # another seed, other points (the spiral without noise has nothing random to change)
    noisy = data.playground_dataset(name, n_samples=500, noise=0.1, seed=3)
    other = data.playground_dataset(name, n_samples=500, noise=0.1, seed=4)
    assert not np.array_equal(noisy[0], other[0])


def test_playground_labels_follow_the_rules_without_noise():
    X, y = data.playground_dataset("circle", 400, 0.0, 0)
    radius = np.linalg.norm(X, axis=1)
    assert np.all(radius[y == 1] < 2.5) and np.all((radius[y == 0] >= 3.5) & (radius[y == 0] <= 5))
    X, y = data.playground_dataset("xor", 400, 0.0, 0)
    assert np.array_equal(y, (X[:, 0] * X[:, 1] >= 0).astype(int))
    assert np.all(np.abs(X) >= 0.3)  # pushed away from the axes
    X, y = data.playground_dataset("gauss", 400, 0.0, 0)
    assert np.allclose(X[y == 1].mean(axis=0), [2, 2], atol=0.2)
    assert np.allclose(X[y == 0].mean(axis=0), [-2, -2], atol=0.2)
    X, y = data.playground_dataset("spiral", 400, 0.0, 0)
    assert np.allclose(X[y == 1], -X[y == 0])  # the second arm is the first turned by π
    assert np.linalg.norm(X, axis=1).max() < 5.0


def test_noise_flips_circle_labels_and_spreads_the_gaussians():
    _, clean = data.playground_dataset("circle", 500, 0.0, 1)
    _, noisy = data.playground_dataset("circle", 500, 0.5, 1)
    assert clean.mean() == 0.5 and noisy.mean() < 0.45  # noisy inner points land outside
    X_clean, _ = data.playground_dataset("gauss", 500, 0.0, 1)
    X_noisy, _ = data.playground_dataset("gauss", 500, 0.5, 1)
    assert X_noisy.std() > X_clean.std() * 1.3


def test_playground_dataset_refuses_bad_arguments():
    with pytest.raises(ValueError, match="name must be one of circle, xor, gauss, spiral"):
        data.playground_dataset("moons")
    with pytest.raises(ValueError, match="noise must be between 0 and 0.5"):
        data.playground_dataset("xor", noise=50)
    with pytest.raises(TypeError, match="noise must be a number"):
        data.playground_dataset("xor", noise="low")
    with pytest.raises(ValueError, match="n_samples must be at least 2"):
        data.playground_dataset("xor", n_samples=1)
    X, y = data.playground_dataset("spiral", n_samples=7)
    assert X.shape == (7, 2) and y.sum() == 4  # class 1 gets the odd point


# --- configuration and features ---------------------------------------------------------------

def test_validate_config_normalizes_and_keeps_the_playgrounds_defaults():
    config = pg.validate_config()
    assert config == pg.PlaygroundConfig()
    assert (config.activation, config.learning_rate, config.batch_size) == ("tanh", 0.03, 10)
    changed = pg.validate_config(config, features=["x2", "sin(x1)", "x1"], hidden_layers="8, 8",
                                 noise=0, learning_rate=1)
    assert changed.features == ("x1", "x2", "sin(x1)")  # the order of FEATURES
    assert changed.hidden_layers == (8, 8)
    assert isinstance(changed.noise, float) and isinstance(changed.learning_rate, float)
    assert pg.validate_config({"dataset": "xor"}).dataset == "xor"
    assert pg.validate_config(hidden_layers="").hidden_layers == ()


@pytest.mark.parametrize("changes, error, message", [
    ({"dataset": "moons"}, ValueError, "dataset must be one of circle, xor, gauss, spiral"),
    ({"noise": 0.8}, ValueError, "noise must be between 0 and 0.5, got 0.8"),
    ({"train_ratio": 1.0}, ValueError, "train_ratio must be between 0.1 and 0.9"),
    ({"features": ()}, ValueError, "choose at least one input feature"),
    ({"features": ("x1", "cos(x1)")}, ValueError, r"unknown name\(s\) \['cos\(x1\)'\]"),
    ({"features": "x1"}, TypeError, "features must be a list of names"),
    ({"hidden_layers": (1, 2, 3, 4, 5, 6, 7)}, ValueError, "at most 6 hidden layers, got 7"),
    ({"hidden_layers": (4, 9)}, ValueError, r"hidden_layers\[1\] must be between 1 and 8"),
    ({"hidden_layers": "4, x"}, ValueError, "whole numbers separated by commas"),
    ({"hidden_layers": (2.5,)}, TypeError, r"hidden_layers\[0\] must be an integer"),
    ({"activation": "softmax"}, ValueError, "activation must be one of tanh, relu"),
    ({"learning_rate": 0}, ValueError, "learning_rate must be between 1e-05 and 10"),
    ({"regularization": "L3"}, ValueError, "regularization must be one of none, L1, L2"),
    ({"regularization_rate": -1}, ValueError, "regularization_rate must be between 0 and 10"),
    ({"batch_size": 31}, ValueError, "batch_size must be between 1 and 30, got 31"),
    ({"batch_size": True}, TypeError, "batch_size must be an integer"),
    ({"epochs": 3}, TypeError, r"unknown setting\(s\) \['epochs'\]"),
])
def test_validate_config_names_the_bad_setting(changes, error, message):
    with pytest.raises(error, match=message):
        pg.validate_config(**changes)


def test_feature_matrix_computes_every_feature():
    X = np.array([[1.0, 2.0], [-0.5, 0.0]])
    F = pg.feature_matrix(X, list(pg.FEATURES))
    expected = np.array([[1.0, 2.0, 1.0, 4.0, 2.0, np.sin(1.0), np.sin(2.0)],
                         [-0.5, 0.0, 0.25, 0.0, -0.0, np.sin(-0.5), 0.0]])
    assert F.shape == (2, 7) and np.allclose(F, expected)
    assert np.array_equal(pg.feature_matrix(X, ("x1*x2",)), [[2.0], [-0.0]])
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\)"):
        pg.feature_matrix(np.zeros((3, 3)), ("x1",))
    with pytest.raises(ValueError, match="unknown name"):
        pg.feature_matrix(X, ("x3",))


def test_make_data_splits_all_points_by_the_training_share():
    config = pg.validate_config(dataset="gauss", train_ratio=0.3, seed=5)
    split = pg.make_data(config)
    assert len(split.X_train) == 150 and len(split.X_test) == 350
    X, _ = data.playground_dataset("gauss", 500, 0.0, 5)
    together = np.vstack([split.X_train, split.X_test])
    assert np.array_equal(np.sort(together, axis=0), np.sort(X, axis=0))  # a permutation
    assert np.array_equal(pg.make_data(config).X_train, split.X_train)


# --- training ---------------------------------------------------------------------------------

def test_training_steps_record_losses_and_learn():
    run = pg.start(dataset="gauss", hidden_layers=(3,), learning_rate=0.1, seed=1)
    assert run.epoch == 0 and len(run.train_loss) == len(run.test_loss) == 1
    assert [layer["W"].shape for layer in run.params] == [(2, 3), (3, 1)]
    assert run.params[-1]["activation"] == "tanh"  # the Playground's output unit
    assert pg.train(run, 5) is run
    assert run.epoch == 5 and len(run.train_loss) == 6
    assert run.train_loss[-1] < 0.5 * run.train_loss[0] and run.test_loss[-1] < run.test_loss[0]
    again = pg.train(pg.start(dataset="gauss", hidden_layers=(3,), learning_rate=0.1, seed=1), 5)
    assert again.train_loss == run.train_loss  # everything random comes from the seed
    assert pg.train(run, 0).epoch == 5


def test_features_make_a_linear_model_fit_the_circle():
    run = pg.train(pg.start(dataset="circle", features=("x1^2", "x2^2"), hidden_layers=()), 15)
    assert pg.accuracy(run) > 0.95 and pg.accuracy(run, "train") > 0.95
    plain = pg.train(pg.start(dataset="circle", hidden_layers=()), 15)
    # x1, x2 alone: a line cannot do it (an output of 0 everywhere has the squared error 0.5)
    assert plain.test_loss[-1] > 0.45 and pg.accuracy(plain) < 0.75


def test_regularization_is_the_playgrounds_step():
    """After the data step, L2 moves w by -lr*lam*w; L1 by -lr*lam*sign(w), 0 when it crosses."""
    config = pg.validate_config(hidden_layers=(), learning_rate=0.5, batch_size=30)
    inputs, labels = np.zeros((30, 2)), np.ones(30)  # zero inputs: the data moves no weight
    for kind, W, expected in (("L2", [[0.2], [-0.4]], [[0.19], [-0.38]]),
                              ("L1", [[0.2], [-0.01]], [[0.15], [0.0]])):
        layers = [{"W": np.array(W), "b": np.zeros(1), "activation": "tanh"}]
        pg._playground_epoch(layers, inputs, labels,
                             pg.validate_config(config, regularization=kind,
                                                regularization_rate=0.1))
        np.testing.assert_allclose(layers[0]["W"], expected, atol=1e-12)
        assert layers[0]["b"][0] > 0  # the bias follows the data, unpenalized


def test_training_descends_the_squared_error():
    """One small step of the playground's epoch lowers its loss (its gradient is right)."""
    run = pg.start(dataset="gauss", hidden_layers=(3, 2), learning_rate=0.001,
                   batch_size=30, train_ratio=0.1, activation="sigmoid", seed=4)
    before = run.train_loss[-1]
    pg.train(run, 1)
    assert run.train_loss[-1] < before


def test_regularization_shrinks_the_weights():
    settings = dict(dataset="xor", hidden_layers=(8, 8), learning_rate=0.1, seed=2)
    size = {}
    for kind in ("none", "L1", "L2"):
        run = pg.train(pg.start(regularization=kind, regularization_rate=0.1, **settings), 10)
        size[kind] = sum(np.abs(layer["W"]).sum() for layer in run.params)
    assert size["L1"] < size["none"] and size["L2"] < size["none"]


def test_a_diverging_run_stops_quietly():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning may escape
        # the tanh output saturates instead of overflowing, so weights of 1e200 (linear
        # hidden layers: products of 1e400 = inf) stand for a run that blew up
        run = pg.start(dataset="gauss", activation="linear", hidden_layers=(8, 8),
                       learning_rate=10.0, noise=0.5)
        for layer in run.params:
            layer["W"] = layer["W"] * 1e200
        pg.train(run, 30)
        pg.plot_playground(run)
    assert run.diverged and run.epoch < 30
    with pytest.raises(ValueError, match="n_epochs must be a whole number"):
        pg.train(run, -1)
    with pytest.raises(TypeError, match="run must be a PlaygroundRun"):
        pg.train("run", 1)


def test_grid_predictions_cover_the_square_with_rows_along_x2():
    # one tanh unit that looks at x1 only: P rises along each row (x1), not along columns
    params = [{"W": np.array([[3.0], [0.0]]), "b": np.zeros(1), "activation": "tanh"}]
    grid, P = pg.grid_predictions(params, ("x1", "x2"), resolution=11)
    assert np.array_equal(grid, np.linspace(-6, 6, 11))
    assert P.shape == (11, 11) and np.all((P >= 0) & (P <= 1))
    assert np.all(np.diff(P, axis=1) > 0) and np.allclose(np.diff(P, axis=0), 0)
    params = [{"W": np.array([[0.0], [3.0]]), "b": np.zeros(1), "activation": "tanh"}]
    _, P = pg.grid_predictions(params, ("x1", "x2"), resolution=5, extent=2.0)
    assert np.all(np.diff(P, axis=0) > 0)
    with pytest.raises(ValueError, match="resolution must be an integer >= 2"):
        pg.grid_predictions(params, ("x1", "x2"), resolution=1)


# --- figures and widgets ----------------------------------------------------------------------

def test_plot_playground_draws_the_heat_map_and_both_loss_curves():
    run = pg.train(pg.start(dataset="xor", hidden_layers=(4,)), 3)
    ax_map, ax_loss = pg.plot_playground(run, resolution=30)
    assert ax_map.get_xlabel() == "$x_1$" and ax_map.get_ylabel() == "$x_2$"
    assert ax_map.get_images()[0].get_extent() == [-6, 6, -6, 6]
    assert "after 3 epochs" in ax_map.get_title()
    assert ax_loss.get_xlabel() == "epoch" and "squared error" in ax_loss.get_ylabel()
    lines = {line.get_label(): line for line in ax_loss.get_lines()}
    assert np.array_equal(lines["training loss"].get_ydata(), run.train_loss)
    assert np.array_equal(lines["test loss"].get_ydata(), run.test_loss)
    assert "xor" in ax_map.figure.get_suptitle()


def test_the_widget_interface_trains_restarts_and_reports_bad_input():
    ipywidgets = pytest.importorskip("ipywidgets")
    ui = pg.build_playground(ipywidgets, pg.validate_config(dataset="gauss", hidden_layers=(2,)),
                             epochs=2, epochs_per_click=10)
    assert ui.run.epoch == 2 and "epoch 2" in ui.status.value
    assert set(pg.PlaygroundConfig.__dataclass_fields__) - {"features"} <= set(ui.controls)
    assert ui.config() == ui.run.config

    ui.train_button.click()
    assert ui.run.epoch == 12 and "epoch 12" in ui.status.value

    ui.controls["dataset"].value = "xor"  # a new setting: a fresh run at epoch 0
    assert ui.run.epoch == 0 and ui.run.config.dataset == "xor"
    ui.controls["feature:x1*x2"].value = True
    assert ui.run.config.features == ("x1", "x2", "x1*x2")

    ui.controls["hidden_layers"].value = "4, x"  # invalid: the run is kept, the error shown
    assert "whole numbers" in ui.status.value and ui.run.config.hidden_layers == (2,)
    ui.controls["hidden_layers"].value = "3, 3"
    assert ui.run.config.hidden_layers == (3, 3)

    ui.train_button.click()
    ui.reset_button.click()
    assert ui.run.epoch == 0 and len(ui.run.train_loss) == 1


def test_show_playground_draws_a_static_figure_under_nbgrader(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert pg.show_playground(dataset="gauss", hidden_layers=(2,), epochs=2) is None
    out = capsys.readouterr().out
    assert "Static figure after 2 epochs" in out and "being run by nbgrader" in out
    assert len(plt.get_fignums()) == 1  # the figure is drawn (and shown in a notebook)
    with pytest.raises(ValueError, match="dataset must be one of"):
        pg.show_playground(dataset="moons")
