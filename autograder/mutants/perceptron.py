"""Mutants and correct alternatives for notebook 03 (perceptron)."""

from autograder.mutants import Variant

A = "03_perceptron"


def _layer(body: str) -> str:
    return f"def perceptron_layer(X, W, b, step=heaviside):\n{body}\n"


def _update(body: str) -> str:
    return f"def perceptron_update(w, b, x, y, lr):\n{body}\n"


def _fit(body: str) -> str:
    return f"def fit_perceptron(X, y, lr, n_epochs, rng):\n{body}\n"


# The reference fit, with one piece replaced by each mutant / alternative.
_FIT_START = ("    X = np.asarray(X, dtype=float)\n"
              "    n, n_inputs = X.shape\n")
_FIT_INIT = ("    w = np.zeros(n_inputs)\n"
             "    b = 0.0\n")
_FIT_LOOP = ("        for i in rng.permutation(n):\n"
             "            if heaviside(X[i] @ w + b) != y[i]:\n"
             "                mistakes[epoch] += 1\n"
             "                w, b = perceptron_update(w, b, X[i], y[i], lr)\n")


def _fit_with(*, init=_FIT_INIT, mistakes="    mistakes = np.zeros(n_epochs, dtype=int)\n",
              epochs="    for epoch in range(n_epochs):\n", loop=_FIT_LOOP,
              end="    return w, b, mistakes") -> str:
    return _fit(_FIT_START + init + mistakes + epochs + loop + end)


VARIANTS = [
    # ---- perceptron_layer ------------------------------------------------------------------
    Variant(A, "perceptron_layer", "w-transposed", _layer("    return step(X @ W.T + b)"),
            False, "W transposed: shapes (n_inputs, n_neurons) and (n_neurons, n_inputs) mixed"),
    Variant(A, "perceptron_layer", "no-bias", _layer("    return step(X @ W)"), False,
            "ignores the bias"),
    Variant(A, "perceptron_layer", "bias-after-step", _layer("    return step(X @ W) + b"),
            False, "adds the bias after the step"),
    Variant(A, "perceptron_layer", "ignores-step",
            _layer("    return np.where(X @ W + b >= 0, 1.0, 0.0)"), False,
            "always a heaviside step, whatever step is given"),
    Variant(A, "perceptron_layer", "sums-over-neurons",
            _layer("    return step((X @ W + b).sum(axis=1))"), False,
            "adds up the neurons: one output per instance instead of one per neuron"),
    Variant(A, "perceptron_layer", "first-neuron-only",
            _layer("    return step(X @ W[:, :1] + b[:1])"), False,
            "computes only the first neuron"),
    Variant(A, "perceptron_layer", "minus-bias", _layer("    return step(X @ W - b)"), False,
            "subtracts the bias"),
    Variant(A, "perceptron_layer", "einsum",
            _layer("    return step(np.einsum('ij,jk->ik', X, W) + b)"), True,
            "einsum over the input axis"),
    Variant(A, "perceptron_layer", "np-dot", _layer("    return step(np.dot(X, W) + b)"), True,
            "np.dot"),
    Variant(A, "perceptron_layer", "one-tlu-per-column",
            _layer("    X = np.asarray(X, dtype=float)\n"
                   "    Z = np.column_stack([X @ W[:, j] + b[j] for j in range(W.shape[1])])\n"
                   "    return step(Z)"), True,
            "one TLU per column of W, stacked: the layer's definition"),
    Variant(A, "perceptron_layer", "broadcast-sum",
            _layer("    X = np.asarray(X, dtype=float)\n"
                   "    return step((X[:, :, None] * W[None, :, :]).sum(axis=1) + b)"), True,
            "elementwise products summed over the input axis"),
    # ---- perceptron_update -----------------------------------------------------------------
    Variant(A, "perceptron_update", "every-example",
            _update("    return w + lr * (2 * y - 1) * x, b + lr * (2 * y - 1)"), False,
            "moves towards the label on every example, not only on mistakes"),
    Variant(A, "perceptron_update", "bias-never-updated",
            _update("    y_hat = heaviside(x @ w + b)\n"
                    "    return w + lr * (y - y_hat) * x, b"), False,
            "the bias never changes"),
    Variant(A, "perceptron_update", "sign-flipped",
            _update("    y_hat = heaviside(x @ w + b)\n"
                    "    return w - lr * (y - y_hat) * x, b - lr * (y - y_hat)"), False,
            "moves the wrong way: (ŷ - y) instead of (y - ŷ)"),
    Variant(A, "perceptron_update", "in-place",
            _update("    y_hat = heaviside(x @ w + b)\n"
                    "    w += lr * (y - y_hat) * x\n"
                    "    b += lr * (y - y_hat)\n"
                    "    return w, b"), False,
            "modifies the caller's w in place"),
    Variant(A, "perceptron_update", "strict-threshold",
            _update("    y_hat = 1.0 if x @ w + b > 0 else 0.0\n"
                    "    return w + lr * (y - y_hat) * x, b + lr * (y - y_hat)"), False,
            "predicts 0 at a zero weighted sum: heaviside(0) must be 1"),
    Variant(A, "perceptron_update", "no-learning-rate",
            _update("    y_hat = heaviside(x @ w + b)\n"
                    "    return w + (y - y_hat) * x, b + (y - y_hat)"), False,
            "ignores lr"),
    Variant(A, "perceptron_update", "sign-prediction",
            _update("    y_hat = np.sign(x @ w + b)\n"
                    "    return w + lr * (y - y_hat) * x, b + lr * (y - y_hat)"), False,
            "predicts with sign (-1, 0, 1) while labels are 0 and 1"),
    Variant(A, "perceptron_update", "in-place-on-a-copy",
            _update("    w = np.array(w, dtype=float)\n"
                    "    error = y - heaviside(x @ w + b)\n"
                    "    w += lr * error * x\n"
                    "    b = b + lr * error\n"
                    "    return w, b"), True,
            "in-place update of a copy leaves the caller's w alone"),
    Variant(A, "perceptron_update", "branch-on-mistake",
            _update("    prediction = 1 if np.dot(x, w) + b >= 0 else 0\n"
                    "    if prediction == y:\n"
                    "        return w, b\n"
                    "    direction = 1 if y == 1 else -1\n"
                    "    return w + lr * direction * x, b + lr * direction"), True,
            "returns the inputs unchanged when right, adds or subtracts lr·x when wrong"),
    Variant(A, "perceptron_update", "np-where",
            _update("    error = y - np.where(x @ w + b >= 0, 1.0, 0.0)\n"
                    "    x = np.asarray(x, dtype=float)\n"
                    "    return w + lr * error * x, float(b + lr * error)"),
            True, "inline heaviside with np.where"),
    # ---- fit_perceptron --------------------------------------------------------------------
    Variant(A, "fit_perceptron", "no-shuffle",
            _fit_with(loop=_FIT_LOOP.replace("rng.permutation(n)", "range(n)")), False,
            "visits the examples in data order, ignoring rng"),
    Variant(A, "fit_perceptron", "own-rng",
            _fit_with(loop=_FIT_LOOP.replace("rng.permutation(n)",
                                             "np.random.default_rng(0).permutation(n)")), False,
            "uses its own generator instead of rng: not reproducible with the caller's seed"),
    Variant(A, "fit_perceptron", "one-permutation",
            _fit_with(epochs="    order = rng.permutation(n)\n"
                             "    for epoch in range(n_epochs):\n",
                      loop=_FIT_LOOP.replace("rng.permutation(n)", "order")), False,
            "draws one order and reuses it every epoch"),
    Variant(A, "fit_perceptron", "reset-each-epoch",
            _fit_with(init="", epochs="    for epoch in range(n_epochs):\n"
                                      "        w = np.zeros(n_inputs)\n"
                                      "        b = 0.0\n"), False,
            "starts every epoch again from zero weights"),
    Variant(A, "fit_perceptron", "one-epoch-short",
            _fit_with(epochs="    for epoch in range(n_epochs - 1):\n"), False,
            "runs one epoch too few (the last count stays 0)"),
    Variant(A, "fit_perceptron", "cumulative-mistakes",
            _fit_with(end="    return w, b, np.cumsum(mistakes)"), False,
            "returns the running total of mistakes, not the count per epoch"),
    Variant(A, "fit_perceptron", "random-start",
            _fit_with(init="    w = rng.normal(size=n_inputs)\n    b = 0.0\n"), False,
            "random initial weights instead of zeros"),
    Variant(A, "fit_perceptron", "counts-every-example",
            _fit_with(loop="        for i in rng.permutation(n):\n"
                           "            mistakes[epoch] += 1\n"
                           "            w, b = perceptron_update(w, b, X[i], y[i], lr)\n"),
            False, "counts every example as a mistake"),
    Variant(A, "fit_perceptron", "stops-early-short-array",
            _fit_with(mistakes="    mistakes = []\n",
                      loop="        mistakes.append(0)\n"
                           "        for i in rng.permutation(n):\n"
                           "            if heaviside(X[i] @ w + b) != y[i]:\n"
                           "                mistakes[-1] += 1\n"
                           "                w, b = perceptron_update(w, b, X[i], y[i], lr)\n"
                           "        if mistakes[-1] == 0:\n"
                           "            break\n",
                      end="    return w, b, np.array(mistakes)"), False,
            "stops at the first epoch without mistakes: fewer than n_epochs counts"),
    Variant(A, "fit_perceptron", "break-after-perfect-epoch",
            _fit_with(loop=_FIT_LOOP + "        if mistakes[epoch] == 0:\n"
                                       "            break\n"), False,
            "stops drawing permutations after the first epoch without mistakes: w, b and the "
            "(zero) counts are the same, only the generator's state tells"),
    Variant(A, "fit_perceptron", "inline-update",
            _fit("    X = np.asarray(X, dtype=float)\n"
                 "    w = np.zeros(X.shape[1])\n"
                 "    b = 0.0\n"
                 "    mistakes = np.zeros(n_epochs, dtype=int)\n"
                 "    for epoch in range(n_epochs):\n"
                 "        for i in rng.permutation(len(X)):\n"
                 "            error = y[i] - (1.0 if X[i] @ w + b >= 0 else 0.0)\n"
                 "            if error != 0:\n"
                 "                mistakes[epoch] += 1\n"
                 "                w = w + lr * error * X[i]\n"
                 "                b = b + lr * error\n"
                 "    return w, b, mistakes"), True,
            "the update written inline"),
    Variant(A, "fit_perceptron", "count-by-bias-change",
            _fit_with(loop="        for i in rng.permutation(n):\n"
                           "            w_new, b_new = perceptron_update(w, b, X[i], y[i], lr)\n"
                           "            mistakes[epoch] += int(b_new != b)\n"
                           "            w, b = w_new, b_new\n"), True,
            "calls the update on every example and counts the ones that changed b"),
    Variant(A, "fit_perceptron", "shuffle-index-array",
            _fit_with(mistakes="    mistakes = np.zeros(n_epochs, dtype=np.int64)\n"
                               "    order = np.arange(n)\n",
                      loop="        order = rng.permutation(order.size)\n"
                           "        for xi, yi in zip(X[order], np.asarray(y)[order]):\n"
                           "            if heaviside(xi @ w + b) != yi:\n"
                           "                mistakes[epoch] += 1\n"
                           "                w, b = perceptron_update(w, b, xi, yi, lr)\n"), True,
            "rows and labels reordered by the permutation, then zipped"),
]
