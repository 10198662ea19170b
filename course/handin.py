"""Handing a submission's answers to the grader (runs in the student's kernel, untrusted).

At grading time each test cell ends with ``hand_in("module.grade_name", answer, points=N)``.
In the grading sandbox (``DLF_SCORER_SOCKET`` is set) this connects to the trusted scorer
outside the sandbox and then only does what the scorer asks, until it says it is done: call
an answer with arguments it sends, read an attribute, swap names in an answer's globals for
the scorer's functions. Values cross as plain data (``course.wire``); the student's objects
stay here and cross as handles. The scorer alone decides the points; what this returns and
prints is a courtesy copy for the notebook.

Without a scorer, an instructor's ``nbgrader validate`` of the solutions grades in this
process: the instructors' nbgrader configuration names the package of grading functions in
``DLF_LOCAL_GRADERS``. Anywhere else (a student's own kernel) there is nothing to hand in to.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import itertools
import os
import socket
import warnings

from course import wire

SOCKET_VARIABLE = "DLF_SCORER_SOCKET"
LOCAL_GRADERS_VARIABLE = "DLF_LOCAL_GRADERS"
MAX_CAPTURE = 100_000  # characters of a call's stdout sent back
_PROTECTED = ("__builtins__",)


def hand_in(grader: str, *answers, points: float):
    """Give ``answers`` to the grading function ``grader`` ("module.grade_name"); returns
    the points the grader reports (the gradebook takes them from the grader, not from here)."""
    path = os.environ.get(SOCKET_VARIABLE)
    if not path:
        return _grade_here(grader, answers, points)
    session = _Session(path)
    try:
        return session.run(grader, answers, points)
    finally:
        session.close()


def _grade_here(grader: str, answers, points: float):
    package = os.environ.get(LOCAL_GRADERS_VARIABLE)
    if not package:
        print("No grader is listening here: hidden tests run at grading time.")
        return None
    module_name, _, function = grader.rpartition(".")
    module = importlib.import_module(f"{package}.{module_name}")
    return getattr(module, function)(*answers, points=points)


class _SandboxEncoder(wire.Encoder):
    def __init__(self, session):
        super().__init__(session.refs)
        self.session = session

    def handle(self, value):
        return self.session.describe(value)


class _SandboxDecoder(wire.Decoder):
    def __init__(self, session):
        super().__init__(session.objects, session.refs)
        self.session = session

    def handle_ref(self, body):
        try:
            return self.session.handles[body]
        except (KeyError, TypeError):
            raise wire.WireError("unknown handle") from None

    def callback(self, data):
        return self.session.callback_stub(data)

    def remote(self, data):
        raise wire.WireError("the scorer sends no remote objects")

    def keras_model(self, data, existing=None):
        return _keras_model(data, self, existing)


def _keras_model(data, decoder, existing=None):
    model = wire.keras_model_from_data(data, decoder, existing)
    cap = data.get("epoch_cap") if model is not existing else None
    if isinstance(cap, int) and cap > 0:
        import keras

        from course.checks.keras_dna_motifs import cap_epochs

        cap_epochs(model, keras, cap)
    return model


class _Session:
    """One test cell's conversation with the scorer."""

    def __init__(self, path: str):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.refs: dict = {}  # id(obj) -> (name, obj): objects the scorer sent
        self.objects: dict = {}  # name -> obj
        self.handles: dict = {}  # handle id -> a student object
        self._ids = itertools.count(1)
        self.encoder = _SandboxEncoder(self)
        self.decoder = _SandboxDecoder(self)
        self.swapped: dict = {}

    def close(self) -> None:
        for namespace, saved in self.swapped.values():
            namespace.update(saved)
        with contextlib.suppress(OSError):
            self.sock.close()

    # --- what crosses as a handle

    def describe(self, value) -> dict:
        handle = next(self._ids)
        self.handles[handle] = value
        info = {"__remote__": handle, "type": type(value).__name__,
                "module": str(getattr(type(value), "__module__", "")),
                "callable": callable(value), "name": _name(value),
                "repr": _short_repr(value), "signature": None}
        if callable(value):
            info["signature"] = self._signature(value)
        return info

    def _signature(self, value):
        try:
            signature = inspect.signature(value)
        except (TypeError, ValueError):
            return None
        parameters = []
        for p in signature.parameters.values():
            entry = {"name": p.name, "kind": int(p.kind)}
            if p.default is not inspect.Parameter.empty:
                try:
                    entry["default"] = self.encoder.encode(p.default)
                except wire.WireError:
                    entry["default"] = None
            parameters.append(entry)
        return parameters

    def callback_stub(self, data):
        number, name = data.get("__callback__"), data.get("name")
        session = self

        def stand_in(*args, **kwargs):
            return session.call_back(number, args, kwargs)

        stand_in.__name__ = stand_in.__qualname__ = str(name or "callback")
        return stand_in

    # --- the conversation

    def send(self, message: dict) -> None:
        wire.send_message(self.sock, message)

    def run(self, grader: str, answers, points: float):
        self.send({"op": "hand_in", "grader": grader,
                   "answers": [self.encoder.encode(a) for a in answers]})
        while True:
            message = wire.receive_message(self.sock)
            op = message.get("op")
            if op == "done":
                verdict = message.get("verdict")
                if isinstance(verdict, str):
                    print(verdict)
                score = message.get("score")
                return float(score) if isinstance(score, (int, float)) else 0.0
            if op == "refused":
                print(f"The grader did not take this hand-in: {message.get('why')}")
                return 0.0
            self.send(self.answer(message))

    def call_back(self, number, args, kwargs):
        """Ask the scorer to run one of its functions (a reference the check substitutes)."""
        self.send({"op": "callback", "id": number,
                   "args": [self.encoder.encode(a) for a in args],
                   "kwargs": self.encoder.encode(dict(kwargs))})
        while True:
            message = wire.receive_message(self.sock)
            if message.get("op") == "callback_result":
                if message.get("error"):
                    raise RuntimeError(str(message["error"]))
                return self.decoder.decode(message.get("value"))
            if message.get("op") in ("done", "refused"):
                raise wire.ChannelClosed("the grader ended the session")
            self.send(self.answer(message))

    def answer(self, message: dict) -> dict:
        op = message.get("op")
        try:
            if op == "call":
                return self._call(message)
            if op == "getattr":
                target = self.decoder.handle_ref(message.get("target"))
                name = message.get("name")
                if not isinstance(name, str) or name.startswith("__"):
                    raise wire.WireError("bad attribute name")
                try:
                    value = getattr(target, name)
                except Exception as exc:  # a property may raise anything
                    return {"op": "result", "error": _error(exc)}
                return {"op": "result", "value": self.encoder.encode(value)}
            if op == "swap_globals":
                return self._swap(message)
            if op == "restore_globals":
                entry = self.swapped.pop(message.get("target"), None)
                if entry is not None:
                    entry[0].update(entry[1])
                return {"op": "result", "value": None}
        except wire.WireError as exc:
            return {"op": "result", "error": {"type": "WireError", "bases": [],
                                              "message": str(exc)}}
        return {"op": "result", "error": {"type": "WireError", "bases": [],
                                          "message": f"unknown request {op!r}"}}

    def _swap(self, message):
        target = self.decoder.handle_ref(message.get("target"))
        namespace = getattr(target, "__globals__", None)
        names = self.decoder.decode(message.get("names"))
        if not isinstance(namespace, dict) or not isinstance(names, dict):
            return {"op": "result", "value": False}
        present = {k: v for k, v in names.items()
                   if isinstance(k, str) and k in namespace and k not in _PROTECTED}
        saved = {k: namespace[k] for k in present}
        namespace.update(present)
        self.swapped[message.get("target")] = (namespace, saved)
        return {"op": "result", "value": True}

    def _call(self, message):
        from course.harness import CallTimeout, _time_limit

        target = self.decoder.handle_ref(message.get("target"))
        args = self.decoder.decode(message.get("args"))
        kwargs = self.decoder.decode(message.get("kwargs"))
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise wire.WireError("malformed call")
        limit = message.get("time_limit")
        limit = float(limit) if isinstance(limit, (int, float)) and limit > 0 else 10.0
        out = io.StringIO()
        reply = {"op": "result"}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                try:
                    with _time_limit(limit):
                        value = target(*args, **kwargs)
                        if wire.is_iterator(value):
                            value = _Materialised(wire.materialise(value))
                except CallTimeout:
                    reply["timed_out"] = True
                except (Exception, SystemExit) as exc:
                    reply["error"] = _error(exc)
                except KeyboardInterrupt as exc:  # the grader's interrupt, or the student's
                    reply["error"] = _error(exc)
        if "error" not in reply and not reply.get("timed_out"):
            try:
                if isinstance(value, _Materialised):
                    reply["value"] = {"__iter__": [self.encoder.encode(v) for v in value.items]}
                else:
                    reply["value"] = self.encoder.encode(value)
            except (wire.WireError, RecursionError) as exc:
                reply["error"] = {"type": "WireError", "bases": [],
                                  "message": f"the returned value cannot be sent: {exc}"}
        reply["stdout"] = out.getvalue()[:MAX_CAPTURE]
        reply["warnings"] = [[w.category.__name__, str(w.message)[:500]] for w in caught[:20]]
        try:
            reply["args_after"] = self.encoder.encode(args)
            reply["kwargs_after"] = self.encoder.encode(kwargs)
        except (wire.WireError, RecursionError):
            reply["args_after"] = None
        return reply


class _Materialised:
    def __init__(self, items):
        self.items = items


def _name(value):
    name = getattr(value, "__name__", None) if callable(value) else None
    return name if isinstance(name, str) else None


def _short_repr(value) -> str:
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 80 else text[:77] + "..."


def _error(exc: BaseException) -> dict:
    try:
        message = str(exc)
    except Exception:
        message = ""
    bases = [c.__name__ for c in type(exc).__mro__ if c.__module__ == "builtins"]
    return {"type": type(exc).__name__, "bases": bases, "message": message[:2000]}

