"""Mutants and correct alternatives for notebook 04 (multilayer perceptron)."""

from autograder.mutants import Variant

A = "04_multilayer_perceptron"


def _def(signature: str, body: str) -> str:
    return f"def {signature}:\n{body}\n"


def _tanh(body: str) -> str:
    return _def("tanh(z)", "    z = np.asarray(z, dtype=float)\n" + body)


def _relu(body: str) -> str:
    return _def("relu(z)", body)


def _dsig(body: str) -> str:
    return _def("sigmoid_derivative(z)", body)


def _dtanh(body: str) -> str:
    return _def("tanh_derivative(z)", body)


def _drelu(body: str) -> str:
    return _def("relu_derivative(z)", body)


def _softmax(body: str) -> str:
    return _def("softmax(Z)", "    Z = np.asarray(Z, dtype=float)\n" + body)


def _dense(body: str) -> str:
    return _def("dense(X, W, b, activation)", body)


def _collapse(body: str) -> str:
    return _def("collapse_linear(W1, b1, W2, b2)", body)


# The reference forward pass, with one piece replaced by each mutant / alternative.
_FWD_LOOP = ("    for layer in params:\n"
             "        Z = A @ layer[\"W\"] + layer[\"b\"]\n"
             "        cache.append({\"A_prev\": A, \"Z\": Z})\n"
             "        A = ACTIVATIONS[layer[\"activation\"]](Z)\n")


def _forward(loop: str = _FWD_LOOP, start: str = "    A = np.asarray(X, dtype=float)\n",
             end: str = "    return A, cache") -> str:
    return _def("mlp_forward(X, params)", start + "    cache = []\n" + loop + end)


def _xor(hidden_w, hidden_b, hidden_act, out_w, out_b, out_act) -> str:
    return ("XOR_PARAMS = [\n"
            f"    {{\"W\": {hidden_w}, \"b\": {hidden_b}, \"activation\": {hidden_act!r}}},\n"
            f"    {{\"W\": {out_w}, \"b\": {out_b}, \"activation\": {out_act!r}}},\n"
            "]\n")


# Hidden units OR and NAND, output AND of them; sigmoids with weights of 20 act like steps.
_OR_W, _OR_NAND_B = "np.array([[20.0, -20.0], [20.0, -20.0]])", "np.array([-10.0, 30.0])"
_AND_W, _AND_B = "np.array([[20.0], [20.0]])", "np.array([-30.0])"

VARIANTS = [
    # ---- tanh --------------------------------------------------------------------------------
    Variant(A, "tanh", "naive-exp",
            _tanh("    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))"), False,
            "the definition as written: exp overflows at |z| > 709 (inf / inf = nan, a warning)"),
    Variant(A, "tanh", "sigmoid", _tanh("    return sigmoid(z)"), False,
            "the logistic function instead of tanh: range (0, 1), not (-1, 1)"),
    Variant(A, "tanh", "no-inner-two", _tanh("    return 2 * sigmoid(z) - 1"), False,
            "2 sigma(z) - 1 is tanh(z / 2): the argument must be 2z"),
    Variant(A, "tanh", "no-minus-one", _tanh("    return 2 * sigmoid(2 * z)"), False,
            "forgets the - 1: range (0, 2)"),
    Variant(A, "tanh", "sign-lost",
            _tanh("    e = np.exp(-2 * np.abs(z))\n"
                  "    return (1 - e) / (1 + e)"), False,
            "the stable formula without sign(z): tanh(|z|), wrong for every negative z"),
    Variant(A, "tanh", "flattened",
            _tanh("    import math\n"
                  "    return np.array([math.tanh(v) for v in np.ravel(z)])"), False,
            "a loop over the flattened input: every shape becomes 1-D"),
    Variant(A, "tanh", "writes-into-input",
            _def("tanh(z)", "    z = np.asarray(z)\n"
                            "    z[...] = np.tanh(z)\n"
                            "    return z"), False,
            "overwrites the caller's array (and truncates integer arrays)"),
    Variant(A, "tanh", "numpy", _tanh("    return np.tanh(z)"), True, "NumPy's own tanh"),
    Variant(A, "tanh", "two-sigmoid-minus-one", _tanh("    return 2 * sigmoid(2 * z) - 1"),
            True, "the identity tanh(z) = 2 sigma(2z) - 1 with the stable sigmoid"),
    Variant(A, "tanh", "clip-then-exp",
            _tanh("    z = np.clip(z, -20.0, 20.0)  # tanh(20) is 1.0 in float64 already\n"
                  "    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))"), True,
            "clipping at |z| = 20 changes nothing in float64 and removes the overflow"),
    Variant(A, "tanh", "expm1",
            _tanh("    m = np.expm1(-2 * np.abs(z))  # exp(-2|z|) - 1, exact near 0\n"
                  "    return np.sign(z) * -m / (2 + m)"), True,
            "the stable formula with expm1"),
    # ---- relu --------------------------------------------------------------------------------
    Variant(A, "relu", "abs", _relu("    return np.abs(z)"), False,
            "|z| instead of max(0, z)"),
    Variant(A, "relu", "leaky", _relu("    return np.maximum(z, 0.01 * np.asarray(z))"), False,
            "leaky ReLU (0.01 z for negative z)"),
    Variant(A, "relu", "python-max", _relu("    return max(0, z)"), False,
            "Python's max: works for one number, fails on arrays"),
    Variant(A, "relu", "step", _relu("    return np.where(np.asarray(z) > 0, 1.0, 0.0)"), False,
            "returns the derivative (a step) instead of the function"),
    Variant(A, "relu", "capped", _relu("    return np.clip(z, 0, 1)"), False,
            "caps the output at 1"),
    Variant(A, "relu", "minimum", _relu("    return np.minimum(z, 0)"), False,
            "min instead of max: keeps the negative part"),
    Variant(A, "relu", "in-place",
            _relu("    z = np.asarray(z)\n"
                  "    z[z < 0] = 0\n"
                  "    return z"), False,
            "zeroes the negative entries of the caller's array"),
    Variant(A, "relu", "maximum", _relu("    return np.maximum(z, 0)"), True,
            "np.maximum (integer in, integer out)"),
    Variant(A, "relu", "where", _relu("    z = np.asarray(z, dtype=float)\n"
                                      "    return np.where(z > 0, z, 0.0)"), True,
            "np.where"),
    Variant(A, "relu", "mask-product", _relu("    z = np.asarray(z, dtype=float)\n"
                                             "    return z * (z > 0)"), True,
            "z times the mask z > 0"),
    Variant(A, "relu", "half-sum-abs", _relu("    z = np.asarray(z, dtype=float)\n"
                                             "    return (z + np.abs(z)) / 2"), True,
            "(z + |z|) / 2"),
    # ---- sigmoid_derivative ------------------------------------------------------------------
    Variant(A, "sigmoid_derivative", "on-z", _dsig("    return z * (1 - z)"), False,
            "s (1 - s) evaluated on z instead of s = sigmoid(z)"),
    Variant(A, "sigmoid_derivative", "sigmoid-only", _dsig("    return sigmoid(z)"), False,
            "the function instead of its derivative"),
    Variant(A, "sigmoid_derivative", "tanh-formula",
            _dsig("    return 1 - sigmoid(z) ** 2"), False,
            "tanh's formula 1 - s**2 applied to the sigmoid"),
    Variant(A, "sigmoid_derivative", "naive-exp",
            _dsig("    z = np.asarray(z, dtype=float)\n"
                  "    return np.exp(-z) / (1 + np.exp(-z)) ** 2"), False,
            "exp(-z) overflows at z = -1000 (inf / inf = nan, a warning)"),
    Variant(A, "sigmoid_derivative", "sigmoid-twice",
            _dsig("    s = sigmoid(sigmoid(z))\n"
                  "    return s * (1 - s)"), False,
            "applies the sigmoid twice before s (1 - s)"),
    Variant(A, "sigmoid_derivative", "squared",
            _dsig("    return sigmoid(z) * sigmoid(z)"), False,
            "s * s instead of s * (1 - s)"),
    Variant(A, "sigmoid_derivative", "s-one-minus-s",
            _dsig("    s = sigmoid(z)\n"
                  "    return s - s ** 2"), True, "s - s**2 = s (1 - s)"),
    Variant(A, "sigmoid_derivative", "symmetric",
            _dsig("    return sigmoid(z) * sigmoid(-np.asarray(z, dtype=float))"), True,
            "sigma(z) sigma(-z), since 1 - sigma(z) = sigma(-z)"),
    Variant(A, "sigmoid_derivative", "stable-exp",
            _dsig("    e = np.exp(-np.abs(np.asarray(z, dtype=float)))\n"
                  "    return e / (1 + e) ** 2"), True,
            "e / (1 + e)**2 with e = exp(-|z|): the derivative is even, and exp never overflows"),
    # ---- tanh_derivative ---------------------------------------------------------------------
    Variant(A, "tanh_derivative", "one-minus-tanh", _dtanh("    return 1 - np.tanh(z)"), False,
            "1 - tanh(z): the square is missing"),
    Variant(A, "tanh_derivative", "on-z", _dtanh("    return 1 - np.asarray(z) ** 2"), False,
            "1 - a**2 evaluated on z instead of a = tanh(z)"),
    Variant(A, "tanh_derivative", "cosh-overflow",
            _dtanh("    return 1 / np.cosh(z) ** 2"), False,
            "sech(z)**2: right values, but cosh overflows at |z| = 1000 (a warning)"),
    Variant(A, "tanh_derivative", "chain-rule-half",
            _dtanh("    s = sigmoid(2 * np.asarray(z, dtype=float))\n"
                   "    return 2 * s * (1 - s)"), False,
            "differentiates 2 sigma(2z) - 1 but forgets the inner factor 2 (half the slope)"),
    Variant(A, "tanh_derivative", "tanh-squared", _dtanh("    return np.tanh(z) ** 2"), False,
            "tanh(z)**2 without the 1 -"),
    Variant(A, "tanh_derivative", "sigmoid-derivative",
            _dtanh("    return sigmoid(z) * (1 - sigmoid(z))"), False,
            "the sigmoid's derivative"),
    Variant(A, "tanh_derivative", "numpy", _dtanh("    return 1 - np.tanh(z) ** 2"), True,
            "1 - tanh(z)**2 with NumPy's tanh"),
    Variant(A, "tanh_derivative", "own-tanh-factored",
            _dtanh("    t = tanh(z)\n"
                   "    return (1 - t) * (1 + t)"), True,
            "(1 - t)(1 + t) = 1 - t**2 with the notebook's tanh"),
    Variant(A, "tanh_derivative", "four-sigmoid-prime",
            _dtanh("    s = sigmoid(2 * np.asarray(z, dtype=float))\n"
                   "    return 4 * s * (1 - s)"), True,
            "the derivative of 2 sigma(2z) - 1 is 4 sigma'(2z)"),
    # ---- relu_derivative ---------------------------------------------------------------------
    Variant(A, "relu_derivative", "one-at-zero",
            _drelu("    return np.where(np.asarray(z) >= 0, 1.0, 0.0)"), False,
            "ReLU'(0) = 1: the course's convention is 0"),
    Variant(A, "relu_derivative", "booleans", _drelu("    return np.asarray(z) > 0"), False,
            "returns True/False instead of numbers"),
    Variant(A, "relu_derivative", "integer-mask",
            _drelu("    return (np.asarray(z) > 0).astype(int)"), False,
            "the right 0/1 values as integers: the contract says floats"),
    Variant(A, "relu_derivative", "sign", _drelu("    return np.sign(z)"), False,
            "sign(z): -1 for negative z"),
    Variant(A, "relu_derivative", "relu-itself", _drelu("    return np.maximum(z, 0)"), False,
            "the function instead of its derivative"),
    Variant(A, "relu_derivative", "divide",
            _drelu("    z = np.asarray(z, dtype=float)\n"
                   "    return np.maximum(z, 0) / z"), False,
            "relu(z) / z: nan and a warning at z = 0"),
    Variant(A, "relu_derivative", "half-at-zero", _drelu("    return np.heaviside(z, 0.5)"),
            False, "ReLU'(0) = 1/2"),
    Variant(A, "relu_derivative", "astype",
            _drelu("    return (np.asarray(z) > 0).astype(float)"), True, "the mask as floats"),
    Variant(A, "relu_derivative", "np-heaviside", _drelu("    return np.heaviside(z, 0.0)"),
            True, "NumPy's heaviside with the value 0 at 0"),
    Variant(A, "relu_derivative", "greater-times-one",
            _drelu("    return np.greater(z, 0) * 1.0"), True, "the mask times 1.0"),
    # ---- softmax -----------------------------------------------------------------------------
    Variant(A, "softmax", "no-shift",
            _softmax("    e = np.exp(Z)\n"
                     "    return e / e.sum(axis=1, keepdims=True)"), False,
            "no max shift: exp(1000) overflows (nan, a warning)"),
    Variant(A, "softmax", "axis-0",
            _softmax("    e = np.exp(Z - Z.max(axis=0, keepdims=True))\n"
                     "    return e / e.sum(axis=0, keepdims=True)"), False,
            "normalizes over the instances (columns) instead of the classes"),
    Variant(A, "softmax", "no-keepdims",
            _softmax("    e = np.exp(Z - Z.max(axis=1, keepdims=True))\n"
                     "    return e / e.sum(axis=1)"), False,
            "divides by a (n,) vector: broadcast along the wrong axis"),
    Variant(A, "softmax", "total-sum",
            _softmax("    e = np.exp(Z - Z.max())\n"
                     "    return e / e.sum()"), False,
            "normalizes over the whole array: the rows do not sum to 1"),
    Variant(A, "softmax", "global-max-shift",
            _softmax("    e = np.exp(Z - Z.max())\n"
                     "    return e / e.sum(axis=1, keepdims=True)"), False,
            "one shift for the whole array: a row far below the maximum underflows to 0 / 0"),
    Variant(A, "softmax", "sigmoid", _softmax("    return sigmoid(Z)"), False,
            "an independent sigmoid per class: rows do not sum to 1"),
    Variant(A, "softmax", "no-exp", _softmax("    return Z / Z.sum(axis=1, keepdims=True)"),
            False, "normalizes the scores without exponentiating"),
    Variant(A, "softmax", "logsumexp",
            _softmax("    m = Z.max(axis=1, keepdims=True)\n"
                     "    lse = m + np.log(np.exp(Z - m).sum(axis=1, keepdims=True))\n"
                     "    return np.exp(Z - lse)"), True,
            "exp(Z - logsumexp(Z)), the log-sum-exp computed stably"),
    Variant(A, "softmax", "transposed",
            _softmax("    E = np.exp(Z.T - Z.T.max(axis=0))\n"
                     "    return (E / E.sum(axis=0)).T"), True,
            "works on the transpose, over its axis 0, and transposes back"),
    Variant(A, "softmax", "row-loop",
            _softmax("    rows = []\n"
                     "    for row in Z:\n"
                     "        e = np.exp(row - row.max())\n"
                     "        rows.append(e / e.sum())\n"
                     "    return np.array(rows)"), True, "one row at a time"),
    # ---- dense -------------------------------------------------------------------------------
    Variant(A, "dense", "no-bias", _dense("    return activation(X @ W)"), False,
            "ignores the bias"),
    Variant(A, "dense", "w-transposed", _dense("    return activation(X @ W.T + b)"), False,
            "W transposed: (n_neurons, n_inputs) instead of (n_inputs, n_neurons)"),
    Variant(A, "dense", "no-activation", _dense("    return X @ W + b"), False,
            "never applies the activation"),
    Variant(A, "dense", "bias-after-activation", _dense("    return activation(X @ W) + b"),
            False, "adds the bias after the activation"),
    Variant(A, "dense", "minus-bias", _dense("    return activation(X @ W - b)"), False,
            "subtracts the bias"),
    Variant(A, "dense", "always-relu", _dense("    return np.maximum(X @ W + b, 0)"), False,
            "always ReLU, whatever activation is given"),
    Variant(A, "dense", "np-dot", _dense("    return activation(np.dot(X, W) + b)"), True,
            "np.dot"),
    Variant(A, "dense", "einsum",
            _dense("    return activation(np.einsum('ni,ij->nj', X, W) + b)"), True,
            "einsum over the input axis"),
    Variant(A, "dense", "transposed-product", _dense("    return activation((W.T @ X.T).T + b)"),
            True, "(W^T X^T)^T = X W"),
    # ---- mlp_forward -------------------------------------------------------------------------
    Variant(A, "mlp_forward", "last-activation-twice",
            _forward(end="    return ACTIVATIONS[params[-1][\"activation\"]](A), cache"), False,
            "applies the output layer's activation a second time"),
    Variant(A, "mlp_forward", "skips-last-activation",
            _forward(loop="    for i, layer in enumerate(params):\n"
                          "        Z = A @ layer[\"W\"] + layer[\"b\"]\n"
                          "        cache.append({\"A_prev\": A, \"Z\": Z})\n"
                          "        if i < len(params) - 1:\n"
                          "            A = ACTIVATIONS[layer[\"activation\"]](Z)\n"
                          "        else:\n"
                          "            A = Z\n"), False,
            "returns the output layer's pre-activation Z (no softmax / sigmoid)"),
    Variant(A, "mlp_forward", "caches-activation",
            _forward(loop="    for layer in params:\n"
                          "        A_prev = A\n"
                          "        A = ACTIVATIONS[layer[\"activation\"]](A_prev @ layer[\"W\"]"
                          " + layer[\"b\"])\n"
                          "        cache.append({\"A_prev\": A_prev, \"Z\": A})\n"), False,
            "caches the activation A under 'Z' instead of the pre-activation"),
    Variant(A, "mlp_forward", "caches-output-as-input",
            _forward(loop="    for layer in params:\n"
                          "        Z = A @ layer[\"W\"] + layer[\"b\"]\n"
                          "        A = ACTIVATIONS[layer[\"activation\"]](Z)\n"
                          "        cache.append({\"A_prev\": A, \"Z\": Z})\n"), False,
            "caches each layer's output as its input"),
    Variant(A, "mlp_forward", "relu-everywhere",
            _forward(loop="    for layer in params:\n"
                          "        Z = A @ layer[\"W\"] + layer[\"b\"]\n"
                          "        cache.append({\"A_prev\": A, \"Z\": Z})\n"
                          "        A = np.maximum(Z, 0)\n"), False,
            "ignores the activation names: ReLU in every layer"),
    Variant(A, "mlp_forward", "no-bias",
            _forward(loop=_FWD_LOOP.replace(" + layer[\"b\"]", "")), False,
            "ignores the biases"),
    Variant(A, "mlp_forward", "cache-last-layer-only",
            _forward(loop="    for layer in params:\n"
                          "        Z = A @ layer[\"W\"] + layer[\"b\"]\n"
                          "        cache = [{\"A_prev\": A, \"Z\": Z}]\n"
                          "        A = ACTIVATIONS[layer[\"activation\"]](Z)\n"), False,
            "overwrites the cache in every layer: only the last layer's entry remains"),
    Variant(A, "mlp_forward", "stores-in-params",
            _forward(loop="    for layer in params:\n"
                          "        layer[\"Z\"] = A @ layer[\"W\"] + layer[\"b\"]\n"
                          "        cache.append({\"A_prev\": A, \"Z\": layer[\"Z\"]})\n"
                          "        A = ACTIVATIONS[layer[\"activation\"]](layer[\"Z\"])\n"),
            False, "writes Z into the caller's params dicts"),
    Variant(A, "mlp_forward", "through-dense",
            _forward(loop="    for layer in params:\n"
                          "        Z = dense(A, layer[\"W\"], layer[\"b\"], lambda z: z)\n"
                          "        cache.append({\"A_prev\": A, \"Z\": Z})\n"
                          "        A = ACTIVATIONS[layer[\"activation\"]](Z)\n"), True,
            "Z from dense with the identity as activation"),
    Variant(A, "mlp_forward", "if-elif-chain",
            _forward(loop="    for layer in params:\n"
                          "        Z = np.dot(A, layer[\"W\"]) + layer[\"b\"]\n"
                          "        cache.append({\"A_prev\": A, \"Z\": Z})\n"
                          "        name = layer[\"activation\"]\n"
                          "        if name == \"relu\":\n"
                          "            A = relu(Z)\n"
                          "        elif name == \"tanh\":\n"
                          "            A = tanh(Z)\n"
                          "        elif name == \"sigmoid\":\n"
                          "            A = sigmoid(Z)\n"
                          "        elif name == \"softmax\":\n"
                          "            A = softmax(Z)\n"
                          "        else:\n"
                          "            A = Z\n"), True,
            "the notebook's functions chosen by an if/elif chain"),
    Variant(A, "mlp_forward", "indexed-no-float",
            _forward(start="    A = X\n",
                     loop="    for i in range(len(params)):\n"
                          "        W, b = params[i][\"W\"], params[i][\"b\"]\n"
                          "        cache.append({\"A_prev\": A, \"Z\": A @ W + b})\n"
                          "        A = ACTIVATIONS[params[i][\"activation\"]](cache[i][\"Z\"])\n"),
            True, "indexes the layers, keeps X as given (integers stay integers in A_prev)"),
    # ---- collapse_linear ---------------------------------------------------------------------
    Variant(A, "collapse_linear", "b1-w2-missing", _collapse("    return W1 @ W2, b2"), False,
            "forgets that b1 also goes through W2: b = b2"),
    Variant(A, "collapse_linear", "biases-added", _collapse("    return W1 @ W2, b1 + b2"),
            False, "adds the biases without passing b1 through W2"),
    Variant(A, "collapse_linear", "order-swapped",
            _collapse("    return W2 @ W1, b1 @ W2 + b2"), False,
            "multiplies the weights in the wrong order"),
    Variant(A, "collapse_linear", "b2-missing", _collapse("    return W1 @ W2, b1 @ W2"), False,
            "forgets the second layer's bias"),
    Variant(A, "collapse_linear", "elementwise",
            _collapse("    return W1 * W2, b1 * W2 + b2"), False,
            "elementwise products instead of matrix products"),
    Variant(A, "collapse_linear", "w1-transposed",
            _collapse("    return W1.T @ W2, b1 @ W2 + b2"), False, "transposes W1"),
    Variant(A, "collapse_linear", "np-dot-transpose",
            _collapse("    return np.dot(W1, W2), W2.T @ b1 + b2"), True,
            "np.dot, and W2^T b1 = b1 W2"),
    Variant(A, "collapse_linear", "probe-the-layers",
            _collapse("    n_inputs = np.shape(W1)[0]\n"
                      "    b = (np.zeros(n_inputs) @ W1 + b1) @ W2 + b2  # the output at x = 0\n"
                      "    W = (np.eye(n_inputs) @ W1 + b1) @ W2 + b2 - b  # one input at a time\n"
                      "    return W, b"), True,
            "reads b off the output at x = 0 and each row of W off a unit input"),
    Variant(A, "collapse_linear", "list-pair", _collapse("    return [W1 @ W2, b1 @ W2 + b2]"),
            True, "a list [W, b] instead of a tuple"),
    # ---- xor_params --------------------------------------------------------------------------
    Variant(A, "xor_params", "three-of-four",
            _xor("np.array([[20.0, -20.0], [20.0, 0.0]])", _OR_NAND_B.replace("30.0", "10.0"),
                 "sigmoid", _AND_W, _AND_B, "sigmoid"), False,
            "the second hidden unit is NOT x1 instead of NAND: (1, 0) comes out 0"),
    Variant(A, "xor_params", "or-only",
            _xor(_OR_W, _OR_NAND_B, "sigmoid", "np.array([[20.0], [0.0]])", "np.array([-10.0])",
                 "sigmoid"), False,
            "the output ignores the NAND unit: it computes OR, wrong on (1, 1)"),
    Variant(A, "xor_params", "all-linear",
            _xor("np.array([[1.0, 1.0], [1.0, 1.0]])", "np.array([0.0, -1.0])", "linear",
                 "np.array([[10.0], [-20.0]])", "np.array([-5.0])", "linear"), False,
            "linear activations: the network is one linear unit and cannot compute XOR"),
    Variant(A, "xor_params", "softmax-single-output",
            _xor(_OR_W, _OR_NAND_B, "sigmoid", _AND_W, _AND_B, "softmax"), False,
            "softmax over a single output is always 1"),
    Variant(A, "xor_params", "output-w-transposed",
            _xor(_OR_W, _OR_NAND_B, "sigmoid", "np.array([[20.0, 20.0]])", _AND_B, "sigmoid"),
            False, "output W of shape (1, 2) instead of (2, 1)"),
    Variant(A, "xor_params", "column-bias",
            _xor(_OR_W, "np.array([[-10.0], [30.0]])", "sigmoid", _AND_W, _AND_B, "sigmoid"),
            False, "hidden b of shape (2, 1) instead of (2,)"),
    Variant(A, "xor_params", "step-activation",
            _xor(_OR_W, _OR_NAND_B, "heaviside", _AND_W, _AND_B, "sigmoid"), False,
            "'heaviside' is not one of the activation names"),
    Variant(A, "xor_params", "three-hidden-units",
            _xor("np.array([[20.0, -20.0, 0.0], [20.0, -20.0, 0.0]])",
                 "np.array([-10.0, 30.0, 0.0])", "sigmoid",
                 "np.array([[20.0], [20.0], [0.0]])", _AND_B, "sigmoid"), False,
            "solves XOR with a third (useless) hidden unit: not a 2-2-1 network"),
    Variant(A, "xor_params", "or-nand-and-sigmoid",
            _xor(_OR_W, _OR_NAND_B, "sigmoid", _AND_W, _AND_B, "sigmoid"), True,
            "OR and NAND hidden units, AND output; large weights make sigmoids act like steps"),
    Variant(A, "xor_params", "relu-goodfellow",
            _xor("np.array([[1.0, 1.0], [1.0, 1.0]])", "np.array([0.0, -1.0])", "relu",
                 "np.array([[1.0], [-2.0]])", "np.array([0.0])", "linear"), True,
            "Goodfellow et al.'s ReLU network: outputs exactly 0, 1, 1, 0"),
    Variant(A, "xor_params", "tanh-hidden-lists",
            _xor("[[5, -5], [5, -5]]", "[-2.5, 7.5]", "tanh", "[[5], [5]]", "[-5]", "sigmoid"),
            True, "tanh hidden units, weights given as lists of integers"),
]
