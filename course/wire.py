"""Plain data across the grading channel: the one format both sides of the sandbox speak.

At grading time a submission's kernel runs in a sandbox and the hidden checks run in a trusted
scorer outside it. Between them pass only messages of plain data, JSON-encoded and
length-prefixed, never pickle: numbers, strings, bytes, None, lists, tuples, dicts, sets,
numpy arrays and scalars (numeric and boolean dtypes; object arrays element by element),
random generators (their state), materialised iterators, and Keras models and histories as
their configuration and weights. Anything else stays on its side and crosses as a handle
(``{"__remote__": id, ...}`` for a sandbox object, ``{"__callback__": id}`` for a scorer
function the sandbox may call back).

Mutable containers sent by the scorer carry a reference (``{"__ref__": "t3", "v": ...}``):
the receiver keeps the object under that name, updates it in place when it comes again, and
sends it back under the same name, so a function that modifies its argument in place is seen
doing so, as it would be in one process.

Decoding is strict: unknown tags, object dtypes from the other side, oversized or too deeply
nested messages raise ``WireError``.
"""

from __future__ import annotations

import base64
import json
import socket
import struct
from collections.abc import Iterator

import numpy as np

MAX_MESSAGE_BYTES = 64 * 2**20
MAX_DEPTH = 64
MAX_ITEMS = 200_000  # items taken from an iterator the other side returned
NUMERIC_KINDS = "biufc"
_HEADER = struct.Struct("!I")


class WireError(ValueError):
    """A message that is not valid plain data (or is too big, or too deep)."""


class ChannelClosed(ConnectionError):
    """The other side closed the channel (or never answered in time)."""


# --- framing ----------------------------------------------------------------------------------

def send_message(sock: socket.socket, message: dict) -> None:
    data = json.dumps(message, allow_nan=True, separators=(",", ":")).encode("utf-8")
    if len(data) > MAX_MESSAGE_BYTES:
        raise WireError(f"message of {len(data)} bytes is over the limit of "
                        f"{MAX_MESSAGE_BYTES} bytes")
    sock.sendall(_HEADER.pack(len(data)) + data)


def _read_exactly(sock: socket.socket, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise ChannelClosed("the other side closed the channel")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def receive_message(sock: socket.socket) -> dict:
    (size,) = _HEADER.unpack(_read_exactly(sock, _HEADER.size))
    if size > MAX_MESSAGE_BYTES:
        raise WireError(f"message of {size} bytes is over the limit of {MAX_MESSAGE_BYTES}")
    try:
        message = json.loads(_read_exactly(sock, size).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise WireError(f"not a JSON message ({exc})") from None
    if not isinstance(message, dict):
        raise WireError("a message must be a JSON object")
    return message


# --- values -----------------------------------------------------------------------------------

def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text) -> bytes:
    if not isinstance(text, str):
        raise WireError("expected base64 text")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise WireError("invalid base64") from None


def _keras():
    import sys

    return sys.modules.get("keras")


def is_keras_model(value) -> bool:
    keras = _keras()
    return keras is not None and isinstance(value, keras.Model)


def is_keras_history(value) -> bool:
    keras = _keras()
    return keras is not None and isinstance(value, keras.callbacks.History)


class Encoder:
    """Turns values into plain data. Subclasses decide what crosses as a handle.

    ``refs`` maps ``id(obj)`` -> (name, obj) for objects that carry a reference; ``new_ref``
    (a callable or None) names objects seen for the first time (the scorer's side does; the
    sandbox only reuses names it received).
    """

    def __init__(self, refs: dict, new_ref=None, objects: dict | None = None):
        self.refs = refs
        self.new_ref = new_ref
        self.objects = objects  # the decoder's table: what comes back under a name is ours

    def handle(self, value):  # pragma: no cover - overridden
        raise WireError(f"cannot send a {type(value).__name__}")

    def encode(self, value, depth: int = 0):
        if depth > MAX_DEPTH:
            raise WireError("value nested too deeply")
        if value is None or isinstance(value, (bool, str)):
            return value
        if type(value) is int:
            return value
        if type(value) is float:
            return value
        if type(value) is complex:
            return {"__complex__": [value.real, value.imag]}
        if type(value) is bytes:
            return {"__bytes__": _b64(value)}
        if isinstance(value, (list, dict, np.ndarray, np.random.Generator)) or \
                is_keras_model(value):
            known = self.refs.get(id(value))
            if known is None and self.new_ref is not None:
                known = (self.new_ref(), value)
                self.refs[id(value)] = known
                if self.objects is not None:
                    self.objects[known[0]] = value
            content = self._content(value, depth)
            return content if known is None else {"__ref__": known[0], "v": content}
        if type(value) is tuple:
            return {"__tuple__": [self.encode(v, depth + 1) for v in value]}
        if type(value) in (set, frozenset):
            return {f"__{type(value).__name__}__": [self.encode(v, depth + 1) for v in value]}
        if isinstance(value, np.generic) and type(value).__module__ == "numpy" and \
                value.dtype.kind in NUMERIC_KINDS:
            return {"__np__": [value.dtype.str, _b64(value.tobytes())]}
        if is_keras_history(value):
            return {"__history__": {"history": self.encode(dict(value.history), depth + 1),
                                    "params": self.encode(dict(value.params or {}), depth + 1),
                                    "epoch": self.encode(list(value.epoch), depth + 1)}}
        return self.handle(value)

    def _content(self, value, depth):
        if isinstance(value, list):
            return [self.encode(v, depth + 1) for v in value]
        if isinstance(value, dict):
            return {"__dict__": [[self.encode(k, depth + 1), self.encode(v, depth + 1)]
                                 for k, v in value.items()]}
        if isinstance(value, np.ndarray):
            if type(value) is not np.ndarray:  # a subclass could redefine comparisons
                return self.handle(value)
            if value.dtype.kind in NUMERIC_KINDS:
                # tobytes() is C order whatever the layout (ascontiguousarray would make a
                # 0-d array 1-d)
                return {"__nd__": [value.dtype.str, list(value.shape),
                                   _b64(value.tobytes(order="C"))]}
            if value.dtype.kind == "O" and value.size <= MAX_ITEMS:
                return {"__ndobj__": [list(value.shape),
                                      [self.encode(v, depth + 1) for v in value.reshape(-1)]]}
            if value.dtype.kind == "U":
                return {"__ndstr__": [list(value.shape), [str(v) for v in value.reshape(-1)]]}
            return self.handle(value)
        if isinstance(value, np.random.Generator):
            return {"__rng__": self.encode(value.bit_generator.state, depth + 1)}
        return {"__keras__": self._keras_model(value)}

    def _keras_model(self, model) -> dict:
        compiled = None
        try:
            compiled = model.get_compile_config() if model.compiled else None
        except Exception:  # an optimizer Keras cannot serialize: leave it uncompiled
            compiled = None
        return {"json": model.to_json(),
                "weights": [self.encode(np.asarray(w)) for w in model.get_weights()],
                "compile": self.encode(compiled),
                "epoch_cap": getattr(model, "_course_epoch_cap", None)}


class Decoder:
    """Turns plain data back into values. ``objects`` maps reference names -> objects;
    ``refs`` (optional) is the encoder's table, filled so that objects received under a name
    go back under it."""

    def __init__(self, objects: dict, refs: dict | None = None):
        self.objects = objects
        self.refs = refs

    # subclasses resolve handles
    def remote(self, data):  # pragma: no cover - overridden
        raise WireError("unexpected handle")

    def callback(self, data):  # pragma: no cover - overridden
        raise WireError("unexpected callback")

    def handle_ref(self, data):  # pragma: no cover - overridden
        raise WireError("unexpected handle reference")

    def keras_model(self, data, existing=None):  # pragma: no cover - overridden
        raise WireError("Keras models are not accepted here")

    def decode(self, data, depth: int = 0):
        if depth > MAX_DEPTH:
            raise WireError("value nested too deeply")
        if data is None or isinstance(data, (bool, str, float)):
            return data
        if type(data) is int:
            return data
        if isinstance(data, list):
            return [self.decode(v, depth + 1) for v in data]
        if not isinstance(data, dict) or len(data) not in (1, 2, 3, 4, 5, 6, 7):
            raise WireError(f"unexpected {type(data).__name__} in a message")
        if "__ref__" in data:
            return self._decode_ref(data, depth)
        if len(data) != 1 and "__remote__" not in data and "__callback__" not in data:
            raise WireError("unexpected object in a message")
        (tag, body), *_ = data.items()
        if tag == "__tuple__":
            return tuple(self.decode(v, depth + 1) for v in _as_list(body))
        if tag == "__set__":
            return {self.decode(v, depth + 1) for v in _as_list(body)}
        if tag == "__frozenset__":
            return frozenset(self.decode(v, depth + 1) for v in _as_list(body))
        if tag == "__complex__":
            re, im = _as_list(body, 2)
            return complex(float(re), float(im))
        if tag == "__bytes__":
            return _unb64(body)
        if tag == "__np__":
            dtype, raw = _as_list(body, 2)
            dtype = _numeric_dtype(dtype)
            raw = _unb64(raw)
            if len(raw) != dtype.itemsize:
                raise WireError("numpy scalar of the wrong size")
            return np.frombuffer(raw, dtype=dtype)[0]
        if tag == "__history__":
            return self.history(body, depth)
        if tag == "__iter__":
            return iter([self.decode(v, depth + 1) for v in _as_list(body)])
        if "__remote__" in data:
            return self.remote(data)
        if "__callback__" in data:
            return self.callback(data)
        if tag == "__handle__":
            return self.handle_ref(body)
        return self._fresh(tag, body, depth)

    def _fresh(self, tag, body, depth):
        if tag == "__dict__":
            out = {}
            for pair in _as_list(body):
                key, value = _as_list(pair, 2)
                key = self.decode(key, depth + 1)
                try:
                    out[key] = self.decode(value, depth + 1)
                except TypeError:
                    raise WireError("unhashable dict key") from None
            return out
        if tag == "__nd__":
            dtype, shape, raw = _as_list(body, 3)
            dtype = _numeric_dtype(dtype)
            shape = _shape(shape)
            raw = _unb64(raw)
            count = int(np.prod(shape, dtype=np.int64))
            if len(raw) != count * dtype.itemsize:
                raise WireError("array data does not fit its shape and dtype")
            return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
        if tag == "__ndobj__":
            shape, items = _as_list(body, 2)
            shape = _shape(shape)
            items = _as_list(items)
            if len(items) != int(np.prod(shape, dtype=np.int64)):
                raise WireError("object array items do not fit its shape")
            out = np.empty(len(items), dtype=object)
            for i, item in enumerate(items):
                out[i] = self.decode(item, depth + 1)
            return out.reshape(shape)
        if tag == "__ndstr__":
            shape, items = _as_list(body, 2)
            shape = _shape(shape)
            items = [str(v) for v in _as_list(items)]
            if len(items) != int(np.prod(shape, dtype=np.int64)):
                raise WireError("string array items do not fit its shape")
            return np.array(items, dtype=str).reshape(shape) if items else \
                np.empty(shape, dtype="U1")
        if tag == "__rng__":
            generator = np.random.default_rng()
            _set_rng_state(generator, self.decode(body, depth + 1))
            return generator
        if tag == "__keras__":
            return self.keras_model(body)
        raise WireError(f"unknown tag {tag!r}")

    def _decode_ref(self, data, depth):
        name, body = data.get("__ref__"), data.get("v")
        if not isinstance(name, str) or not isinstance(body, (list, dict)):
            raise WireError("malformed reference")
        existing = self.objects.get(name)
        if existing is None:
            value = self.decode(body, depth + 1)
            if isinstance(value, (list, dict, np.ndarray, np.random.Generator)) or \
                    is_keras_model(value):
                self.objects[name] = value
                if self.refs is not None:
                    self.refs[id(value)] = (name, value)
            return value
        return self._update(existing, body, depth, name)

    def _update(self, existing, body, depth, name):
        """Bring ``existing`` to the state ``body`` describes, in place where possible."""
        if isinstance(existing, list) and isinstance(body, list):
            existing[:] = [self.decode(v, depth + 1) for v in body]
            return existing
        if isinstance(body, dict) and len(body) == 1:
            (tag, inner), = body.items()
            if isinstance(existing, dict) and tag == "__dict__":
                fresh = self._fresh(tag, inner, depth)
                existing.clear()
                existing.update(fresh)
                return existing
            if isinstance(existing, np.ndarray) and tag == "__nd__":
                fresh = self._fresh(tag, inner, depth)
                if fresh.shape == existing.shape and fresh.dtype == existing.dtype and \
                        existing.flags.writeable:
                    np.copyto(existing, fresh)
                    return existing
                self._rename(name, fresh)
                return fresh
            if isinstance(existing, np.random.Generator) and tag == "__rng__":
                _set_rng_state(existing, self.decode(inner, depth + 1))
                return existing
            if tag == "__keras__" and is_keras_model(existing):
                return self.keras_model(inner, existing=existing)
        fresh = self.decode(body, depth + 1)
        self._rename(name, fresh)
        return fresh

    def _rename(self, name, value):
        self.objects[name] = value
        if self.refs is not None:
            self.refs[id(value)] = (name, value)

    def history(self, body, depth):
        keras = _keras()
        if not isinstance(body, dict) or keras is None:
            raise WireError("a Keras History cannot be decoded here")
        history = keras.callbacks.History()
        history.history = self.decode(body.get("history"), depth + 1)
        history.params = self.decode(body.get("params"), depth + 1)
        history.epoch = self.decode(body.get("epoch"), depth + 1)
        if not isinstance(history.history, dict) or not isinstance(history.params, dict):
            raise WireError("malformed Keras History")
        return history


def keras_model_from_data(data, decoder: Decoder, existing=None, check=None):
    """A Keras model from its data (``Encoder._keras_model``): ``existing`` gets the weights
    when it can take them, else a new model is built. ``check(config)`` vets the
    architecture and compile configuration first (the scorer's side refuses foreign
    classes)."""
    import json

    import keras

    if not isinstance(data, dict) or not isinstance(data.get("json"), str):
        raise WireError("malformed Keras model")
    weights = [decoder.decode(w) for w in data.get("weights") or []]
    if existing is not None:
        try:
            existing.set_weights(weights)
            return existing
        except Exception:
            pass
    compiled = decoder.decode(data.get("compile"))
    if check is not None:
        try:
            check(json.loads(data["json"]))
        except json.JSONDecodeError:
            raise WireError("malformed Keras model") from None
        if compiled is not None:
            check(compiled)
    try:
        model = keras.models.model_from_json(data["json"])
        if weights:
            model.set_weights(weights)
        if compiled:
            model.compile_from_config(compiled)
    except Exception as exc:
        raise WireError(f"the Keras model could not be rebuilt ({type(exc).__name__}: "
                        f"{str(exc)[:200]})") from None
    return model


def _as_list(value, length: int | None = None) -> list:
    if not isinstance(value, list) or (length is not None and len(value) != length):
        raise WireError("malformed message")
    return value


def _numeric_dtype(text) -> np.dtype:
    if not isinstance(text, str) or len(text) > 8:
        raise WireError("malformed dtype")
    try:
        dtype = np.dtype(text)
    except TypeError:
        raise WireError(f"unknown dtype {text!r}") from None
    if dtype.kind not in NUMERIC_KINDS or dtype.fields is not None or dtype.subdtype:
        raise WireError(f"dtype {text!r} is not plain numbers")
    return dtype


def _shape(shape) -> tuple:
    shape = _as_list(shape)
    if len(shape) > 32 or not all(type(n) is int and 0 <= n < 2**31 for n in shape):
        raise WireError("malformed shape")
    if int(np.prod(shape, dtype=np.float64)) > MAX_MESSAGE_BYTES:
        raise WireError("array too large")
    return tuple(shape)


def _set_rng_state(generator: np.random.Generator, state) -> None:
    if not isinstance(state, dict) or state.get("bit_generator") != \
            type(generator.bit_generator).__name__:
        expected = type(generator.bit_generator).__name__
        name = state.get("bit_generator") if isinstance(state, dict) else None
        if name != expected and name in ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64"):
            generator.__init__(getattr(np.random, name)())
        elif name != expected:
            raise WireError("malformed generator state")
    try:
        generator.bit_generator.state = state
    except (TypeError, ValueError, KeyError) as exc:
        raise WireError(f"malformed generator state ({exc})") from None


def materialise(value, limit: int = MAX_ITEMS):
    """An iterator's items as a list (for sending), at most ``limit`` of them."""
    items = []
    for item in value:
        items.append(item)
        if len(items) > limit:
            raise WireError(f"the iterator yielded more than {limit} items")
    return items


def is_iterator(value) -> bool:
    return isinstance(value, Iterator) and not isinstance(value, (str, bytes))
