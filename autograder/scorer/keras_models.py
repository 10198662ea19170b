"""Keras models that cross the channel, rebuilt on the scorer's side (notebook 07).

Design: a model crosses as data, never as an object: its architecture (``model.to_json()``),
its weights (arrays) and its compile configuration. The scorer rebuilds a real Keras model
from them, so the checks inspect layers, parameters and compilation, and compute reference
saliency maps and predictions, on a model of their own; a model the scorer sends (to
``train_motif_model`` or ``saliency_map``) is rebuilt in the sandbox the same way, and its
weights after the call come back and are set on the scorer's model. Only Keras's own classes
are accepted (every ``module`` in the configuration must be Keras's): a custom layer or a
``Lambda`` with code in it is refused, and Keras's safe mode stays on.
"""

from __future__ import annotations

import json

from course import wire

ALLOWED_MODULE_PREFIXES = ("keras.",)


def _modules(config):
    if isinstance(config, dict):
        module = config.get("module")
        if module is not None:
            yield module
        for value in config.values():
            yield from _modules(value)
    elif isinstance(config, list):
        for value in config:
            yield from _modules(value)


def check_config(config) -> None:
    """Raise WireError unless every class named in ``config`` is one of Keras's own."""
    for module in _modules(config):
        if not isinstance(module, str) or not (module == "keras" or module.startswith(
                ALLOWED_MODULE_PREFIXES)):
            raise wire.WireError(f"a Keras model may use only Keras's own classes, got a "
                                 f"class from {str(module)[:60]!r}")
    text = json.dumps(config)
    if '"Lambda"' in text or '"TFOpLambda"' in text:
        raise wire.WireError("a Keras model with a Lambda layer cannot be graded")


def model_from_data(data, decoder, existing=None):
    """The scorer's copy of a model that crossed the channel (Keras's own classes only)."""
    return wire.keras_model_from_data(data, decoder, existing, check=check_config)
