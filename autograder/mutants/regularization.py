"""Mutants and correct alternatives for notebook 06 (regularization)."""

from autograder.mutants import Variant

A = "06_regularization"


def _fn(signature: str, body: str) -> str:
    return f"def {signature}:\n{body}\n"


def _l2p(body: str) -> str:
    return _fn("l2_penalty(params, lam)", body)


def _l2g(body: str) -> str:
    return _fn("l2_gradient(params, lam)", body)


def _l1p(body: str) -> str:
    return _fn("l1_penalty(params, lam)", body)


def _l1g(body: str) -> str:
    return _fn("l1_gradient(params, lam)", body)


def _drop(body: str) -> str:
    return _fn("dropout(A, rate, rng, training)", body)


_RATE_CHECK = ("    if not 0 <= rate < 1:\n"
               "        raise ValueError(f'rate must be in [0, 1), got {rate}')\n")


def _stopper(*, init_extra: str = "", improve: str = "loss < self.best_loss - self.min_delta",
             save: str = "copy.deepcopy(params)", wait: str = "self.wait >= self.patience",
             best_epoch: str = "self.epoch", reset: str = "        self.wait = 0\n",
             last: str = "") -> str:
    """The reference EarlyStopping with one piece replaced."""
    return ("import copy\n\n\n"
            "class EarlyStopping:\n"
            "    def __init__(self, patience, min_delta=0.0):\n"
            "        self.patience = patience\n"
            "        self.min_delta = min_delta\n"
            "        self.best_loss = np.inf\n"
            "        self.best_epoch = None\n"
            "        self.best_params = None\n"
            "        self.stopped_epoch = None\n"
            "        self.wait = 0\n"
            "        self.epoch = -1\n"
            f"{init_extra}"
            "\n"
            "    def update(self, loss, params):\n"
            "        self.epoch += 1\n"
            f"{last}"
            f"        if {improve}:\n"
            "            self.best_loss = loss\n"
            f"            self.best_epoch = {best_epoch}\n"
            f"            self.best_params = {save}\n"
            f"    {reset}"
            "            return False\n"
            "        self.wait += 1\n"
            f"        if {wait}:\n"
            "            self.stopped_epoch = self.epoch\n"
            "            return True\n"
            "        return False\n")


VARIANTS = [
    # ---- l2_penalty --------------------------------------------------------------------------
    Variant(A, "l2_penalty", "half", _l2p(
        "    return float(0.5 * lam * sum(np.sum(layer['W'] ** 2) for layer in params))"), False,
        "lam/2 * sum(W^2): the other convention, not Keras's"),
    Variant(A, "l2_penalty", "with-biases", _l2p(
        "    return float(lam * sum(np.sum(layer['W'] ** 2) + np.sum(layer['b'] ** 2)\n"
        "                           for layer in params))"), False,
        "penalises the biases too"),
    Variant(A, "l2_penalty", "norm-not-squared", _l2p(
        "    return float(lam * sum(np.linalg.norm(layer['W']) for layer in params))"), False,
        "sum of the layers' Frobenius norms, not of squared weights"),
    Variant(A, "l2_penalty", "last-layer-only", _l2p(
        "    return float(lam * np.sum(params[-1]['W'] ** 2))"), False,
        "only the output layer's weights"),
    Variant(A, "l2_penalty", "mean", _l2p(
        "    return float(lam * sum(np.mean(layer['W'] ** 2) for layer in params))"), False,
        "mean of squared weights instead of their sum"),
    Variant(A, "l2_penalty", "array-result", _l2p(
        "    per_layer = np.array([np.sum(layer['W'] ** 2) for layer in params])\n"
        "    return lam * per_layer.sum(keepdims=True)"), False,
        "returns an array of shape (1,), not a float"),
    Variant(A, "l2_penalty", "lam-squared", _l2p(
        "    return float(lam ** 2 * sum(np.sum(layer['W'] ** 2) for layer in params))"), False,
        "lam squared"),
    Variant(A, "l2_penalty", "vdot", _l2p(
        "    total = 0.0\n"
        "    for layer in params:\n"
        "        W = layer['W']\n"
        "        total += np.vdot(W, W)\n"
        "    return float(lam * total)"), True, "a loop with np.vdot"),
    Variant(A, "l2_penalty", "frobenius-squared", _l2p(
        "    return lam * sum(float(np.linalg.norm(layer['W'])) ** 2 for layer in params)"),
        True, "squared Frobenius norms (a Python float)"),
    Variant(A, "l2_penalty", "np-float", _l2p(
        "    return lam * np.sum([np.sum(np.square(layer['W'])) for layer in params])"), True,
        "np.sum over a list: returns np.float64, which is a float"),
    # ---- l2_gradient -------------------------------------------------------------------------
    Variant(A, "l2_gradient", "no-factor-2", _l2g(
        "    return [{'W': lam * layer['W'], 'b': np.zeros_like(layer['b'])} for layer in params]"),
        False, "lam * W: the gradient of lam/2 * sum(W^2), not of lam * sum(W^2)"),
    Variant(A, "l2_gradient", "bias-penalised", _l2g(
        "    return [{'W': 2 * lam * layer['W'], 'b': 2 * lam * layer['b']} for layer in params]"),
        False, "a gradient for the biases as well"),
    Variant(A, "l2_gradient", "sign-flipped", _l2g(
        "    return [{'W': -2 * lam * layer['W'], 'b': np.zeros_like(layer['b'])}\n"
        "            for layer in params]"), False, "minus the gradient"),
    Variant(A, "l2_gradient", "scalar-bias", _l2g(
        "    return [{'W': 2 * lam * layer['W'], 'b': 0.0} for layer in params]"), False,
        "b as a number 0, not zeros like b"),
    Variant(A, "l2_gradient", "weights-only-list", _l2g(
        "    return [2 * lam * layer['W'] for layer in params]"), False,
        "a list of arrays, not of {'W', 'b'} dicts"),
    Variant(A, "l2_gradient", "in-place", _l2g(
        "    grads = []\n"
        "    for layer in params:\n"
        "        W = layer['W']\n"
        "        W *= 2 * lam\n"
        "        grads.append({'W': W, 'b': np.zeros_like(layer['b'])})\n"
        "    return grads"), False, "scales the caller's weights in place"),
    Variant(A, "l2_gradient", "loop-copy", _l2g(
        "    grads = []\n"
        "    for layer in params:\n"
        "        grad_W = np.array(layer['W'], dtype=float)\n"
        "        grad_W *= 2.0 * lam\n"
        "        grads.append({'W': grad_W, 'b': np.zeros(layer['b'].shape)})\n"
        "    return grads"), True, "in-place scaling of a copy"),
    Variant(A, "l2_gradient", "keeps-activation", _l2g(
        "    return [dict(layer, W=2 * lam * layer['W'], b=0 * layer['b']) for layer in params]"),
        True, "copies each layer dict and replaces W and b (an extra 'activation' key is fine)"),
    # ---- l1_penalty --------------------------------------------------------------------------
    Variant(A, "l1_penalty", "no-abs", _l1p(
        "    return float(lam * sum(np.sum(layer['W']) for layer in params))"), False,
        "sum of W without the absolute value"),
    Variant(A, "l1_penalty", "with-biases", _l1p(
        "    return float(lam * sum(np.abs(layer['W']).sum() + np.abs(layer['b']).sum()\n"
        "                           for layer in params))"), False, "penalises the biases too"),
    Variant(A, "l1_penalty", "squared", _l1p(
        "    return float(lam * sum(np.sum(layer['W'] ** 2) for layer in params))"), False,
        "the L2 penalty"),
    Variant(A, "l1_penalty", "abs-of-sum", _l1p(
        "    return float(lam * abs(sum(np.sum(layer['W']) for layer in params)))"), False,
        "absolute value of the sum instead of the sum of absolute values"),
    Variant(A, "l1_penalty", "first-layer-only", _l1p(
        "    return float(lam * np.abs(params[0]['W']).sum())"), False,
        "only the first layer"),
    Variant(A, "l1_penalty", "max-norm", _l1p(
        "    return float(lam * sum(np.abs(layer['W']).max() for layer in params))"), False,
        "largest |w| per layer instead of the sum"),
    Variant(A, "l1_penalty", "norm-1", _l1p(
        "    return lam * sum(float(np.linalg.norm(layer['W'].ravel(), 1)) for layer in params)"),
        True, "the vector 1-norm of each flattened W"),
    Variant(A, "l1_penalty", "loop", _l1p(
        "    total = 0.0\n"
        "    for layer in params:\n"
        "        total = total + np.abs(layer['W']).sum()\n"
        "    return float(total * lam)"), True, "a loop over layers"),
    # ---- l1_gradient -------------------------------------------------------------------------
    Variant(A, "l1_gradient", "gradient-of-w", _l1g(
        "    return [{'W': lam * layer['W'], 'b': np.zeros_like(layer['b'])} for layer in params]"),
        False, "lam * W (the L2 shape)"),
    Variant(A, "l1_gradient", "sign-plus-at-zero", _l1g(
        "    return [{'W': np.where(layer['W'] >= 0, lam, -lam), 'b': np.zeros_like(layer['b'])}\n"
        "            for layer in params]"), False, "+lam at w = 0 instead of 0"),
    Variant(A, "l1_gradient", "positive-part", _l1g(
        "    return [{'W': lam * (layer['W'] > 0), 'b': np.zeros_like(layer['b'])}\n"
        "            for layer in params]"), False, "lam where w > 0, 0 elsewhere"),
    Variant(A, "l1_gradient", "bias-penalised", _l1g(
        "    return [{'W': lam * np.sign(layer['W']), 'b': lam * np.sign(layer['b'])}\n"
        "            for layer in params]"), False, "a gradient for the biases as well"),
    Variant(A, "l1_gradient", "no-lam", _l1g(
        "    return [{'W': np.sign(layer['W']), 'b': np.zeros_like(layer['b'])}\n"
        "            for layer in params]"),
        False, "forgets lam"),
    Variant(A, "l1_gradient", "twice", _l1g(
        "    return [{'W': 2 * lam * np.sign(layer['W']), 'b': np.zeros_like(layer['b'])}\n"
        "            for layer in params]"), False, "a factor 2 copied from L2"),
    Variant(A, "l1_gradient", "two-masks", _l1g(
        "    grads = []\n"
        "    for layer in params:\n"
        "        W = layer['W']\n"
        "        grads.append({'W': lam * (W > 0) - lam * (W < 0),\n"
        "                      'b': np.zeros(len(layer['b']))})\n"
        "    return grads"), True, "lam where w > 0, -lam where w < 0, 0 at 0"),
    Variant(A, "l1_gradient", "safe-divide", _l1g(
        "    grads = []\n"
        "    for layer in params:\n"
        "        W = np.asarray(layer['W'], dtype=float)\n"
        "        sign = np.divide(W, np.abs(W), out=np.zeros_like(W), where=W != 0)\n"
        "        grads.append({'W': lam * sign, 'b': np.zeros_like(layer['b'], dtype=float)})\n"
        "    return grads"), True, "w / |w| where w != 0"),
    # ---- dropout -----------------------------------------------------------------------------
    Variant(A, "dropout", "no-rescaling", _drop(
        _RATE_CHECK + "    if not training:\n        return A\n"
        "    return A * (rng.random(A.shape) >= rate)"), False,
        "drops without dividing the kept units by 1 - rate"),
    Variant(A, "dropout", "active-at-inference", _drop(
        _RATE_CHECK + "    return A * (rng.random(A.shape) >= rate) / (1 - rate)"), False,
        "ignores training: drops at inference too"),
    Variant(A, "dropout", "keep-probability", _drop(
        _RATE_CHECK + "    if not training:\n        return A\n"
        "    return A * (rng.random(A.shape) < rate) / rate"), False,
        "treats rate as the probability of keeping (CS231n's p)"),
    Variant(A, "dropout", "mask-less-than-rate", _drop(
        _RATE_CHECK + "    if not training:\n        return A\n"
        "    return A * (rng.random(A.shape) < rate) / (1 - rate)"), False,
        "keeps where the draw is < rate: keeps a fraction rate, not 1 - rate"),
    Variant(A, "dropout", "in-place", _drop(
        _RATE_CHECK + "    if not training:\n        return A\n"
        "    A *= rng.random(A.shape) >= rate\n"
        "    A /= 1 - rate\n"
        "    return A"), False, "modifies A in place"),
    Variant(A, "dropout", "returns-mask", _drop(
        _RATE_CHECK + "    if not training:\n        return A\n"
        "    return rng.random(A.shape) >= rate"), False, "returns the mask, not the activations"),
    Variant(A, "dropout", "classic-dropout", _drop(
        _RATE_CHECK + "    if not training:\n        return A * (1 - rate)\n"
        "    return A * (rng.random(A.shape) >= rate)"), False,
        "original (non-inverted) dropout: scales at inference instead of in training"),
    Variant(A, "dropout", "global-random", _drop(
        _RATE_CHECK + "    if not training:\n        return A\n"
        "    return A * (np.random.random(A.shape) >= rate) / (1 - rate)"), False,
        "draws from NumPy's global generator, not from rng"),
    Variant(A, "dropout", "binomial-draw", _drop(
        _RATE_CHECK + "    if not training:\n        return A\n"
        "    return A * rng.binomial(1, 1 - rate, size=A.shape) / (1 - rate)"), False,
        "another draw (right statistics, not the mask the contract fixes)"),
    Variant(A, "dropout", "no-rate-check", _drop(
        "    if not training:\n        return A\n"
        "    return A * (rng.random(A.shape) >= rate) / (1 - rate)"), False,
        "accepts rates outside [0, 1)"),
    Variant(A, "dropout", "np-where-copy", _drop(
        _RATE_CHECK + "    A = np.asarray(A, dtype=float)\n"
        "    if not training:\n        return A.copy()\n"
        "    keep = rng.random(size=A.shape) >= rate\n"
        "    return np.where(keep, A / (1.0 - rate), 0.0)"), True,
        "np.where, and a copy at inference"),
    Variant(A, "dropout", "uniform-draw", _drop(
        "    if rate < 0 or rate >= 1:\n"
        "        raise ValueError('rate must be in [0, 1)')\n"
        "    if training:\n"
        "        keep_prob = 1.0 - rate\n"
        "        mask = (rng.uniform(size=np.shape(A)) >= rate) / keep_prob\n"
        "        return A * mask\n"
        "    return A"), True, "rng.uniform draws the same numbers as rng.random"),
    Variant(A, "dropout", "flat-draw", _drop(
        _RATE_CHECK + "    if not training:\n        return A\n"
        "    out = np.array(A, dtype=float)\n"
        "    out[rng.random(out.size).reshape(out.shape) < rate] = 0.0\n"
        "    out[out != 0] /= 1 - rate\n"
        "    return out"), True, "zeroes a copy, then rescales the rest"),
    # ---- EarlyStopping -----------------------------------------------------------------------
    Variant(A, "EarlyStopping", "keeps-last-weights",
            _stopper(last="        self.best_params = copy.deepcopy(params)\n"), False,
            "overwrites best_params every epoch: the last weights, not the best"),
    Variant(A, "EarlyStopping", "patience-off-by-one",
            _stopper(wait="self.wait > self.patience"), False,
            "waits one epoch too many (wait > patience)"),
    Variant(A, "EarlyStopping", "stores-reference", _stopper(save="params"), False,
            "keeps a reference to the caller's params, which change afterwards"),
    Variant(A, "EarlyStopping", "shallow-copy", _stopper(save="list(params)"), False,
            "copies the list but not the dicts and arrays in it"),
    Variant(A, "EarlyStopping", "dict-copy", _stopper(save="[dict(layer) for layer in params]"),
            False, "copies the dicts but not the arrays: in-place updates reach them"),
    Variant(A, "EarlyStopping", "equal-is-improvement",
            _stopper(improve="loss <= self.best_loss - self.min_delta"), False,
            "a loss equal to the best counts as an improvement"),
    Variant(A, "EarlyStopping", "wait-never-reset", _stopper(reset="        pass\n"), False,
            "counts every epoch without improvement since the start, never resetting"),
    Variant(A, "EarlyStopping", "ignores-min-delta",
            _stopper(improve="loss < self.best_loss"), False, "ignores min_delta"),
    Variant(A, "EarlyStopping", "one-based-epochs", _stopper(best_epoch="self.epoch + 1"),
            False, "best_epoch counted from 1"),
    Variant(A, "EarlyStopping", "since-best", (
        "import copy\n\n\n"
        "class EarlyStopping:\n"
        "    def __init__(self, patience, min_delta=0.0):\n"
        "        self.patience, self.min_delta = patience, min_delta\n"
        "        self.losses = []\n"
        "        self.best_loss, self.best_epoch, self.best_params = float('inf'), None, None\n"
        "        self.stopped_epoch = None\n"
        "\n"
        "    def update(self, loss, params):\n"
        "        self.losses.append(loss)\n"
        "        epoch = len(self.losses) - 1\n"
        "        if loss + self.min_delta < self.best_loss:\n"
        "            self.best_loss, self.best_epoch = loss, epoch\n"
        "            self.best_params = copy.deepcopy(params)\n"
        "        if epoch - self.best_epoch >= max(self.patience, 1):\n"
        "            self.stopped_epoch = epoch\n"
        "            return True\n"
        "        return False\n"), True,
            "counts the epochs since the best one; loss + min_delta < best"),
    Variant(A, "EarlyStopping", "array-copies", _stopper(
        save="[{key: (np.copy(value) if isinstance(value, np.ndarray) else value)\n"
             "                                 for key, value in layer.items()} "
             "for layer in params]"), True,
            "copies every array by hand, keeps the other entries"),
    Variant(A, "EarlyStopping", "none-as-first-best", (
        "class EarlyStopping:\n"
        "    def __init__(self, patience, min_delta=0.0):\n"
        "        self.patience = patience\n"
        "        self.min_delta = min_delta\n"
        "        self.best_loss = None\n"
        "        self.best_epoch = self.best_params = self.stopped_epoch = None\n"
        "        self.wait = 0\n"
        "        self.n_updates = 0\n"
        "\n"
        "    def update(self, loss, params):\n"
        "        epoch = self.n_updates\n"
        "        self.n_updates += 1\n"
        "        if self.best_loss is None or self.best_loss - loss > self.min_delta:\n"
        "            self.best_loss = float(loss)\n"
        "            self.best_epoch = epoch\n"
        "            self.best_params = [{**layer, 'W': layer['W'].copy(),\n"
        "                                 'b': layer['b'].copy()} for layer in params]\n"
        "            self.wait = 0\n"
        "        else:\n"
        "            self.wait += 1\n"
        "        stop = self.wait >= self.patience and self.wait > 0\n"
        "        if stop:\n"
        "            self.stopped_epoch = epoch\n"
        "        return stop\n"), True,
            "None as the first best; best - loss > min_delta; copies each layer's arrays"),
]
