"""Mutants and correct alternatives for notebook 05 (backpropagation).

Answer cells run in the notebook's namespace: numpy as ``np``, ``tqdm`` (from ``tqdm.auto``),
the provided cell "From notebook 04" (``sigmoid``, ``tanh``, ``relu``, ``softmax``, their
``*_derivative``, ``ACTIVATIONS``, ``DERIVATIVES``, ``mlp_forward``, ``cross_entropy``,
``one_hot``) and ``init_params``.
"""

from autograder.mutants import Variant

A = "05_backpropagation"

NG = "def numerical_gradient(f, x, h=1e-5):\n"
RE = "def relative_error(a, b):\n"
BW = "def mlp_backward(X, Y, params, cache):\n"
MB = "def minibatches(X, y, batch_size=32, rng=None):\n"
TR = "def train_mlp(X, y, hidden_units, lr, n_epochs, batch_size=32, rng=None):\n"

# --- numerical_gradient -----------------------------------------------------------------------

_NG_LOOP = ("    grad = np.zeros(x.shape)\n"
            "    for index in np.ndindex(x.shape):\n"
            "        old = x[index]\n")


def _ng(body: str) -> str:
    return NG + _NG_LOOP + body + "    return grad\n"


_NG_CENTRED = ("        x[index] = old + h\n"
               "        f_plus = f(x)\n"
               "        x[index] = old - h\n"
               "        f_minus = f(x)\n"
               "        x[index] = old\n")

# --- mlp_backward -----------------------------------------------------------------------------

_BW_START = ("    n = X.shape[0]\n"
             "    P = ACTIVATIONS[params[-1]['activation']](cache[-1]['Z'])\n"
             "    dZ = (P - Y) / n\n"
             "    grads = [None] * len(params)\n"
             "    for i in reversed(range(len(params))):\n")
_BW_GRADS = "        grads[i] = {'W': cache[i]['A_prev'].T @ dZ, 'b': dZ.sum(axis=0)}\n"
_BW_DOWN = ("        if i > 0:\n"
            "            dA = dZ @ params[i]['W'].T\n"
            "            dZ = dA * DERIVATIVES[params[i - 1]['activation']](cache[i - 1]['Z'])\n")


def _bw(start=_BW_START, grads=_BW_GRADS, down=_BW_DOWN) -> str:
    return BW + start + grads + down + "    return grads\n"


# --- minibatches ------------------------------------------------------------------------------

_MB_ORDER = ("    rng = np.random.default_rng(rng)\n"
             "    order = rng.permutation(len(X))\n")
_MB_LOOP = ("    for start in range(0, len(X), batch_size):\n"
            "        batch = order[start:start + batch_size]\n"
            "        yield X[batch], y[batch]\n")


def _mb(order=_MB_ORDER, loop=_MB_LOOP) -> str:
    return MB + order + loop


# --- train_mlp --------------------------------------------------------------------------------

_TR_INIT = ("    rng = np.random.default_rng(rng)\n"
            "    X = np.asarray(X, dtype=float)\n"
            "    y = np.asarray(y)\n"
            "    k = int(y.max()) + 1\n"
            "    Y = one_hot(y, k)\n"
            "    params = init_params([X.shape[1], *hidden_units, k], rng)\n"
            "    history = {'loss': [], 'accuracy': []}\n")
_TR_EPOCHS = "    for epoch in tqdm(range(n_epochs), desc='epochs'):\n"
_TR_BATCHES = ("        for X_batch, Y_batch in minibatches(X, Y, batch_size, rng):\n"
               "            _, cache = mlp_forward(X_batch, params)\n"
               "            grads = mlp_backward(X_batch, Y_batch, params, cache)\n")
_TR_UPDATE = ("            for layer, grad in zip(params, grads):\n"
              "                layer['W'] = layer['W'] - lr * grad['W']\n"
              "                layer['b'] = layer['b'] - lr * grad['b']\n")
_TR_RECORD = ("        P, _ = mlp_forward(X, params)\n"
              "        history['loss'].append(cross_entropy(P, Y))\n"
              "        history['accuracy'].append(float(np.mean(P.argmax(axis=1) == y)))\n")


def _tr(init=_TR_INIT, epochs=_TR_EPOCHS, batches=_TR_BATCHES, update=_TR_UPDATE,
        record=_TR_RECORD) -> str:
    return TR + init + epochs + batches + update + record + "    return params, history\n"


VARIANTS = [
    # ---- numerical_gradient ----------------------------------------------------------------
    Variant(A, "numerical_gradient", "forward-difference",
            _ng("        x[index] = old + h\n"
                "        f_plus = f(x)\n"
                "        x[index] = old\n"
                "        grad[index] = (f_plus - f(x)) / h\n"), False,
            "one-sided (f(x + h) - f(x)) / h: an error of order h instead of h²"),
    Variant(A, "numerical_gradient", "divides-by-h",
            _ng(_NG_CENTRED + "        grad[index] = (f_plus - f_minus) / h\n"), False,
            "centred difference divided by h instead of 2h: twice the gradient"),
    Variant(A, "numerical_gradient", "ignores-h",
            _ng(_NG_CENTRED.replace("h\n", "1e-5\n")
                + "        grad[index] = (f_plus - f_minus) / 2e-5\n"), False,
            "always steps 1e-5, whatever h is given"),
    Variant(A, "numerical_gradient", "never-restores-x",
            _ng("        x[index] = old + h\n"
                "        f_plus = f(x)\n"
                "        x[index] = old - h\n"
                "        grad[index] = (f_plus - f(x)) / (2 * h)\n"), False,
            "leaves every entry of x at x - h: the caller's array is modified"),
    Variant(A, "numerical_gradient", "restores-by-arithmetic",
            _ng("        x[index] += h\n"
                "        f_plus = f(x)\n"
                "        x[index] -= 2 * h\n"
                "        f_minus = f(x)\n"
                "        x[index] += h\n"
                "        grad[index] = (f_plus - f_minus) / (2 * h)\n"), False,
            "undoes the steps by adding h back: rounding leaves x slightly changed"),
    Variant(A, "numerical_gradient", "rows-not-entries",
            NG + "    grad = np.zeros(x.shape)\n"
                 "    for i in range(len(x)):\n"
                 "        old = x[i].copy()\n"
                 "        x[i] = old + h\n"
                 "        f_plus = f(x)\n"
                 "        x[i] = old - h\n"
                 "        f_minus = f(x)\n"
                 "        x[i] = old\n"
                 "        grad[i] = (f_plus - f_minus) / (2 * h)\n"
                 "    return grad\n", False,
            "loops over len(x): for a matrix it moves whole rows at once"),
    Variant(A, "numerical_gradient", "flat-result",
            NG + "    flat = x.reshape(-1)\n"
                 "    grad = np.zeros(flat.size)\n"
                 "    for i in range(flat.size):\n"
                 "        old = flat[i]\n"
                 "        flat[i] = old + h\n"
                 "        f_plus = f(x)\n"
                 "        flat[i] = old - h\n"
                 "        f_minus = f(x)\n"
                 "        flat[i] = old\n"
                 "        grad[i] = (f_plus - f_minus) / (2 * h)\n"
                 "    return grad\n", False,
            "right numbers, but flattened: not x's shape"),
    Variant(A, "numerical_gradient", "copies",
            NG + "    x = np.asarray(x, dtype=float)\n"
                 "    grad = np.zeros_like(x)\n"
                 "    for index in np.ndindex(x.shape):\n"
                 "        step = np.zeros_like(x)\n"
                 "        step[index] = h\n"
                 "        grad[index] = (f(x + step) - f(x - step)) / (2 * h)\n"
                 "    return grad\n", True,
            "evaluates f at perturbed copies: x is never touched"),
    Variant(A, "numerical_gradient", "nditer",
            NG + "    grad = np.zeros_like(x, dtype=float)\n"
                 "    it = np.nditer(x, flags=['multi_index'], op_flags=['readwrite'])\n"
                 "    while not it.finished:\n"
                 "        ix = it.multi_index\n"
                 "        oldval = x[ix]\n"
                 "        x[ix] = oldval + h\n"
                 "        fxph = f(x)\n"
                 "        x[ix] = oldval - h\n"
                 "        fxmh = f(x)\n"
                 "        x[ix] = oldval\n"
                 "        grad[ix] = (fxph - fxmh) / (2 * h)\n"
                 "        it.iternext()\n"
                 "    return grad\n", True,
            "CS231n's loop with np.nditer, restoring the saved value"),
    Variant(A, "numerical_gradient", "flat-view",
            NG + "    grad = np.zeros(x.shape)\n"
                 "    flat_x, flat_grad = x.reshape(-1), grad.reshape(-1)\n"
                 "    for i in range(x.size):\n"
                 "        saved = flat_x[i]\n"
                 "        flat_x[i] = saved + h\n"
                 "        up = f(x)\n"
                 "        flat_x[i] = saved - h\n"
                 "        down = f(x)\n"
                 "        flat_x[i] = saved\n"
                 "        flat_grad[i] = (up - down) / (2 * h)\n"
                 "    return grad\n", True,
            "flat views of x and of the result, shaped like x"),
    # ---- relative_error --------------------------------------------------------------------
    Variant(A, "relative_error", "no-abs",
            RE + "    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)\n"
                 "    return float(np.max(a - b) / max(np.max(np.abs(a) + np.abs(b)), 1e-8))\n",
            False, "max(a - b) without the absolute value: negative or too small"),
    Variant(A, "relative_error", "one-side",
            RE + "    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)\n"
                 "    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a)), 1e-8))\n",
            False, "divides by the scale of a only"),
    Variant(A, "relative_error", "no-floor",
            RE + "    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)\n"
                 "    return float(np.max(np.abs(a - b)) / np.max(np.abs(a) + np.abs(b)))\n",
            False, "no floor: 0 / 0 = nan when both are zero"),
    Variant(A, "relative_error", "elementwise",
            RE + "    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)\n"
                 "    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), "
                 "1e-8)))\n",
            False, "the largest entry-by-entry ratio: tiny entries dominate"),
    Variant(A, "relative_error", "max-not-sum",
            RE + "    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)\n"
                 "    scale = max(np.max(np.abs(a)), np.max(np.abs(b)), 1e-8)\n"
                 "    return float(np.max(np.abs(a - b)) / scale)\n",
            False, "divides by max(|a|, |b|) instead of max(|a| + |b|)"),
    Variant(A, "relative_error", "norms",
            RE + "    a, b = np.ravel(a).astype(float), np.ravel(b).astype(float)\n"
                 "    scale = max(np.linalg.norm(a) + np.linalg.norm(b), 1e-8)\n"
                 "    return float(np.linalg.norm(a - b) / scale)\n",
            False, "Euclidean norms instead of the largest entries"),
    Variant(A, "relative_error", "mean",
            RE + "    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)\n"
                 "    return float(np.mean(np.abs(a - b)) / max(np.max(np.abs(a) + np.abs(b)), "
                 "1e-8))\n",
            False, "the mean difference instead of the largest"),
    Variant(A, "relative_error", "tiny-floor",
            RE + "    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)\n"
                 "    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a) + np.abs(b)), "
                 "1e-15))\n",
            False, "a floor of 1e-15 instead of 1e-8"),
    Variant(A, "relative_error", "maximum-floor",
            RE + "    a, b = np.asarray(a), np.asarray(b)\n"
                 "    numerator = np.abs(a - b).max()\n"
                 "    return numerator / np.maximum((np.abs(a) + np.abs(b)).max(), 1e-8)\n",
            True, "np.maximum for the floor; returns a numpy float"),
    Variant(A, "relative_error", "inf-norm",
            RE + "    diff = np.ravel(np.subtract(a, b, dtype=float))\n"
                 "    size = np.ravel(np.abs(np.asarray(a, dtype=float)) + "
                 "np.abs(np.asarray(b, dtype=float)))\n"
                 "    denominator = max(np.linalg.norm(size, ord=np.inf), 1e-8)\n"
                 "    return float(np.linalg.norm(diff, ord=np.inf) / denominator)\n",
            True, "infinity norms (the largest absolute entries)"),
    Variant(A, "relative_error", "python-loop",
            RE + "    pairs = list(zip(np.ravel(a).tolist(), np.ravel(b).tolist()))\n"
                 "    top = max(abs(p - q) for p, q in pairs)\n"
                 "    scale = max(abs(p) + abs(q) for p, q in pairs)\n"
                 "    return top / max(scale, 1e-8)\n",
            True, "plain Python over the flattened entries"),
    # ---- mlp_backward ----------------------------------------------------------------------
    Variant(A, "mlp_backward", "no-derivative",
            _bw(down=_BW_DOWN.replace(
                "dA * DERIVATIVES[params[i - 1]['activation']](cache[i - 1]['Z'])", "dA")),
            False, "forgets the activation's derivative: dZ = dA"),
    Variant(A, "mlp_backward", "no-mean",
            _bw(start=_BW_START.replace("(P - Y) / n", "P - Y")), False,
            "the gradient of the summed loss: 1/n missing"),
    Variant(A, "mlp_backward", "transposed-W",
            _bw(grads=_BW_GRADS.replace("cache[i]['A_prev'].T @ dZ", "dZ.T @ cache[i]['A_prev']")),
            False, "dZ.T @ A_prev: the W gradient transposed, (n_out, n_in)"),
    Variant(A, "mlp_backward", "bias-not-summed",
            _bw(grads=_BW_GRADS.replace("dZ.sum(axis=0)", "dZ")), False,
            "the bias gradient keeps one row per instance instead of summing over the batch"),
    Variant(A, "mlp_backward", "bias-mean",
            _bw(grads=_BW_GRADS.replace("dZ.sum(axis=0)", "dZ.mean(axis=0)")), False,
            "averages the bias gradient again: 1/n applied twice"),
    Variant(A, "mlp_backward", "derivative-of-A",
            _bw(down=_BW_DOWN.replace(
                "(cache[i - 1]['Z'])",
                "(ACTIVATIONS[params[i - 1]['activation']](cache[i - 1]['Z']))")), False,
            "evaluates the derivative at the activation A = φ(Z) instead of at Z"),
    Variant(A, "mlp_backward", "relu-prime-at-zero",
            _bw(down=_BW_DOWN.replace(
                "DERIVATIVES[params[i - 1]['activation']](cache[i - 1]['Z'])",
                "(DERIVATIVES[params[i - 1]['activation']](cache[i - 1]['Z']) if "
                "params[i - 1]['activation'] != 'relu' else (cache[i - 1]['Z'] >= 0))")),
            False, "ReLU'(0) = 1 (Z >= 0) against the course's convention ReLU'(0) = 0"),
    Variant(A, "mlp_backward", "wrong-sign",
            _bw(start=_BW_START.replace("(P - Y) / n", "(Y - P) / n")), False,
            "(Y - P) / n: the gradient of minus the loss"),
    Variant(A, "mlp_backward", "derivative-of-this-layer",
            _bw(down=_BW_DOWN.replace("DERIVATIVES[params[i - 1]['activation']]",
                                      "DERIVATIVES.get(params[i]['activation'], "
                                      "np.ones_like)")), False,
            "uses the activation of the layer above instead of the layer the Z belongs to"),
    Variant(A, "mlp_backward", "forward-again",
            BW + "    P, _ = mlp_forward(X, params)\n"
                 "    delta = (P - Y) / len(X)\n"
                 "    grads = []\n"
                 "    for i in range(len(params) - 1, -1, -1):\n"
                 "        grads.insert(0, {'W': cache[i]['A_prev'].T @ delta,\n"
                 "                         'b': np.sum(delta, axis=0)})\n"
                 "        if i:\n"
                 "            derivative = DERIVATIVES[params[i - 1]['activation']]\n"
                 "            delta = (delta @ params[i]['W'].T) * derivative(cache[i - 1]['Z'])\n"
                 "    return grads\n", True,
            "recomputes the output with mlp_forward; builds the list from the front"),
    Variant(A, "mlp_backward", "mean-at-the-end",
            BW + "    n = len(Y)\n"
                 "    out = params[-1]['activation']\n"
                 "    Z_last = cache[-1]['Z']\n"
                 "    P = softmax(Z_last) if out == 'softmax' else sigmoid(Z_last)\n"
                 "    dZ = P - Y\n"
                 "    grads = [None] * len(params)\n"
                 "    for i in range(len(params) - 1, -1, -1):\n"
                 "        grads[i] = {'W': np.einsum('ni,nj->ij', cache[i]['A_prev'], dZ) / n,\n"
                 "                    'b': dZ.sum(axis=0) / n}\n"
                 "        if i > 0:\n"
                 "            name = params[i - 1]['activation']\n"
                 "            Z = cache[i - 1]['Z']\n"
                 "            if name == 'relu':\n"
                 "                local = relu_derivative(Z)\n"
                 "            elif name == 'tanh':\n"
                 "                local = tanh_derivative(Z)\n"
                 "            elif name == 'sigmoid':\n"
                 "                local = sigmoid_derivative(Z)\n"
                 "            else:\n"
                 "                local = np.ones_like(Z)\n"
                 "            dZ = (dZ @ params[i]['W'].T) * local\n"
                 "    return grads\n", True,
            "divides by n at the end, einsum for the W gradient, if/elif for the derivative"),
    Variant(A, "mlp_backward", "two-passes",
            BW + "    n = X.shape[0]\n"
                 "    L = len(params)\n"
                 "    deltas = [None] * L\n"
                 "    P = ACTIVATIONS[params[-1]['activation']](cache[-1]['Z'])\n"
                 "    deltas[-1] = (P - Y) / n\n"
                 "    for i in range(L - 2, -1, -1):\n"
                 "        phi_prime = DERIVATIVES[params[i]['activation']](cache[i]['Z'])\n"
                 "        deltas[i] = deltas[i + 1] @ params[i + 1]['W'].T * phi_prime\n"
                 "    return [{'W': c['A_prev'].T @ d, 'b': d.sum(axis=0)}\n"
                 "            for c, d in zip(cache, deltas)]\n", True,
            "first all the deltas (dZ per layer), then all the gradients"),
    # ---- minibatches -----------------------------------------------------------------------
    Variant(A, "minibatches", "drops-last",
            _mb(loop=_MB_LOOP.replace("range(0, len(X), batch_size)",
                                      "range(0, len(X) - batch_size + 1, batch_size)")), False,
            "drops the last partial batch"),
    Variant(A, "minibatches", "no-shuffle",
            _mb(order="    order = np.arange(len(X))\n"), False,
            "never shuffles: the same batches every epoch"),
    Variant(A, "minibatches", "separate-shuffles",
            MB + "    rng = np.random.default_rng(rng)\n"
                 "    X, y = rng.permutation(X), rng.permutation(y)\n"
                 "    for start in range(0, len(X), batch_size):\n"
                 "        yield X[start:start + batch_size], y[start:start + batch_size]\n",
            False, "shuffles X and y with two different permutations: rows no longer match"),
    Variant(A, "minibatches", "own-generator",
            _mb(order="    order = np.random.default_rng(0).permutation(len(X))\n"), False,
            "a generator of its own: the same order every epoch, whatever rng is given"),
    Variant(A, "minibatches", "shuffles-in-place",
            MB + "    rng = np.random.default_rng(rng)\n"
                 "    order = rng.permutation(len(X))\n"
                 "    X[:] = X[order]\n"
                 "    y[:] = y[order]\n"
                 "    for start in range(0, len(X), batch_size):\n"
                 "        yield X[start:start + batch_size], y[start:start + batch_size]\n",
            False, "reorders the caller's X and y in place"),
    Variant(A, "minibatches", "overlapping",
            _mb(loop=_MB_LOOP.replace("range(0, len(X), batch_size)",
                                      "range(0, len(X), max(batch_size // 2, 1))")), False,
            "steps half a batch: examples appear twice per epoch"),
    Variant(A, "minibatches", "batch-size-ignored",
            _mb(loop=_MB_LOOP.replace("batch_size", "32")), False,
            "always batches of 32, whatever batch_size is"),
    Variant(A, "minibatches", "returns-list",
            MB + "    rng = np.random.default_rng(rng)\n"
                 "    order = rng.permutation(X.shape[0])\n"
                 "    X_shuffled, y_shuffled = X[order], y[order]\n"
                 "    return [(X_shuffled[i:i + batch_size], y_shuffled[i:i + batch_size])\n"
                 "            for i in range(0, X.shape[0], batch_size)]\n", True,
            "returns a list of pairs instead of yielding them"),
    Variant(A, "minibatches", "shuffle-indices",
            MB + "    if rng is None:\n"
                 "        rng = np.random.default_rng()\n"
                 "    indices = np.arange(len(X))\n"
                 "    rng.shuffle(indices)  # the same order as rng.permutation(len(X))\n"
                 "    start = 0\n"
                 "    while start < len(indices):\n"
                 "        chosen = indices[start:start + batch_size]\n"
                 "        yield X[chosen], y[chosen]\n"
                 "        start += batch_size\n", True,
            "shuffles an index array with rng.shuffle (the same order) in a while loop"),
    Variant(A, "minibatches", "array-split",
            MB + "    rng = np.random.default_rng(rng)\n"
                 "    order = rng.permutation(len(X))\n"
                 "    cuts = np.arange(batch_size, len(X), batch_size)\n"
                 "    for batch in np.split(order, cuts):\n"
                 "        yield X[batch], y[batch]\n", True,
            "np.split of the permutation at multiples of batch_size"),
    # ---- train_mlp -------------------------------------------------------------------------
    Variant(A, "train_mlp", "never-updates",
            _tr(update="            for layer, grad in zip(params, grads):\n"
                       "                new_W = layer['W'] - lr * grad['W']\n"
                       "                new_b = layer['b'] - lr * grad['b']\n"), False,
            "computes the new weights but never stores them"),
    Variant(A, "train_mlp", "full-batch",
            _tr(batches="        for X_batch, Y_batch in [(X, Y)]:\n"
                        "            _, cache = mlp_forward(X_batch, params)\n"
                        "            grads = mlp_backward(X_batch, Y_batch, params, cache)\n"),
            False, "one step per epoch on the whole training set: no mini-batches"),
    Variant(A, "train_mlp", "wrong-sign",
            _tr(update=_TR_UPDATE.replace("- lr", "+ lr")), False,
            "adds the gradient: gradient ascent"),
    Variant(A, "train_mlp", "sigmoid-hidden",
            _tr(init=_TR_INIT.replace(
                "init_params([X.shape[1], *hidden_units, k], rng)",
                "init_params([X.shape[1], *hidden_units, k], rng)\n"
                "    for layer in params[:-1]:\n"
                "        layer['activation'] = 'sigmoid'")), False,
            "sigmoid hidden layers instead of ReLU"),
    Variant(A, "train_mlp", "history-before-epoch",
            _tr(epochs=_TR_EPOCHS + _TR_RECORD.replace("        ", "        ", 1),
                record=""), False,
            "records the loss before each epoch's updates, not after"),
    Variant(A, "train_mlp", "history-per-batch",
            _tr(update=_TR_UPDATE + _TR_RECORD.replace("        ", "            "), record=""),
            False, "one history entry per mini-batch instead of per epoch"),
    Variant(A, "train_mlp", "counts-present-classes",
            _tr(init=_TR_INIT.replace("k = int(y.max()) + 1", "k = len(np.unique(y))")), False,
            "one output per class present, not y.max() + 1: labels 0, 1, 3 give 3 outputs and "
            "one_hot fails on label 3"),
    Variant(A, "train_mlp", "ignores-rng",
            _tr(init=_TR_INIT.replace("np.random.default_rng(rng)",
                                      "np.random.default_rng(42)")), False,
            "a fixed seed of its own: the caller's generator has no effect"),
    Variant(A, "train_mlp", "no-bias-update",
            _tr(update="            for layer, grad in zip(params, grads):\n"
                       "                layer['W'] = layer['W'] - lr * grad['W']\n"), False,
            "updates the weights but never the biases"),
    Variant(A, "train_mlp", "reinitializes-each-epoch",
            _tr(init=_TR_INIT.replace(
                "    params = init_params([X.shape[1], *hidden_units, k], rng)\n", ""),
                epochs=_TR_EPOCHS + "        params = init_params([X.shape[1], *hidden_units, "
                                    "k], rng)\n"), False,
            "starts from fresh random weights every epoch"),
    Variant(A, "train_mlp", "in-place-trange",
            TR + "    from tqdm.auto import trange\n"
                 "    rng = np.random.default_rng(rng)\n"
                 "    labels = np.asarray(y)\n"
                 "    n_classes = int(labels.max()) + 1\n"
                 "    targets = np.eye(n_classes)[labels]\n"
                 "    params = init_params([np.shape(X)[1], *hidden_units, n_classes], rng)\n"
                 "    losses, accuracies = np.zeros(n_epochs), np.zeros(n_epochs)\n"
                 "    for epoch in trange(n_epochs):\n"
                 "        for X_batch, Y_batch in minibatches(X, targets, batch_size, rng):\n"
                 "            grads = mlp_backward(X_batch, Y_batch, params,\n"
                 "                                 mlp_forward(X_batch, params)[1])\n"
                 "            for layer, grad in zip(params, grads):\n"
                 "                layer['W'] -= lr * grad['W']\n"
                 "                layer['b'] -= lr * grad['b']\n"
                 "        P = mlp_forward(X, params)[0]\n"
                 "        losses[epoch] = cross_entropy(P, targets)\n"
                 "        accuracies[epoch] = np.mean(np.argmax(P, axis=1) == labels)\n"
                 "    return params, {'loss': losses, 'accuracy': accuracies}\n", True,
            "in-place updates of its own arrays, trange, history as arrays, k from np.unique"),
    Variant(A, "train_mlp", "glorot-uniform",
            TR + "    rng = np.random.default_rng(rng)\n"
                 "    X = np.asarray(X, dtype=float)\n"
                 "    k = int(np.max(y)) + 1\n"
                 "    sizes = [X.shape[1], *hidden_units, k]\n"
                 "    params = []\n"
                 "    for i in range(len(sizes) - 1):\n"
                 "        limit = np.sqrt(6 / (sizes[i] + sizes[i + 1]))\n"
                 "        shape = (sizes[i], sizes[i + 1])\n"
                 "        params.append({'W': rng.uniform(-limit, limit, shape),\n"
                 "                       'b': np.zeros(sizes[i + 1]),\n"
                 "                       'activation': 'relu' if i < len(sizes) - 2 "
                 "else 'softmax'})\n"
                 "    history = {'loss': [], 'accuracy': []}\n"
                 "    bar = tqdm(total=n_epochs)\n"
                 "    for _ in range(n_epochs):\n"
                 "        batches = list(minibatches(X, one_hot(y, k), batch_size, rng))\n"
                 "        for X_batch, Y_batch in batches:\n"
                 "            _, cache = mlp_forward(X_batch, params)\n"
                 "            for layer, g in zip(params, mlp_backward(X_batch, Y_batch, params,\n"
                 "                                                     cache)):\n"
                 "                layer.update(W=layer['W'] - lr * g['W'], "
                 "b=layer['b'] - lr * g['b'])\n"
                 "        probabilities, _ = mlp_forward(X, params)\n"
                 "        history['loss'].append(cross_entropy(probabilities, one_hot(y, k)))\n"
                 "        predicted = probabilities.argmax(axis=1)\n"
                 "        history['accuracy'].append(float((predicted == y).mean()))\n"
                 "        bar.update(1)\n"
                 "    bar.close()\n"
                 "    return params, history\n", True,
            "its own Glorot-uniform initialization; a manual tqdm bar; batches listed first"),
]
