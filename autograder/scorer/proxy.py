"""Stand-ins for the student's objects, on the trusted side of the channel.

The hidden checks (``autograder.hidden``) were written for objects in their own process. The
scorer gives them ``Remote`` stand-ins instead: calling one sends the arguments as plain data
to the sandbox, which calls the real object and sends back the value, its printed output, its
warnings, its exception, and the arguments as they were after the call (applied here in
place, so ``call_safely`` sees a modified argument as modified). The time limit is the
scorer's: past the deadline the call is abandoned, the channel is closed and the kernel is
interrupted from outside (``Channel.on_timeout``). Attribute reads go over the channel too.

A stand-in never holds an expected value, and the sandbox never sees one: it only receives
inputs and, when a check substitutes a reference function inside an answer's globals
(notebook 04), a callback to run that function here.
"""

from __future__ import annotations

import builtins
import contextlib
import inspect
import itertools
import socket
import time
import warnings

import numpy as np

from course import wire
from course.harness import CallTimeout, current_deadline

DEFAULT_CALL_SECONDS = 10.0
GRACE_SECONDS = 0.5  # beyond the sandbox's own alarm, before the scorer gives up
_WARNING_CLASSES: dict[str, type] = {}
_ERROR_CLASSES: dict[str, type] = {}


class ChannelBroken(CallTimeout):
    """The sandbox stopped answering (timed out earlier, died, or sent garbage): every later
    call of the session fails at once, as a call that did not return in time."""


def _warning_class(name: str) -> type:
    builtin = getattr(builtins, name, None)
    if isinstance(builtin, type) and issubclass(builtin, Warning):
        return builtin
    if name not in _WARNING_CLASSES:
        _WARNING_CLASSES[name] = type(name, (UserWarning,), {})
    return _WARNING_CLASSES[name]


def rebuild_error(info) -> BaseException:
    """The student's exception, as an exception of this process: a builtin class where its
    class is (or derives from) one, else an Exception subclass of the same name."""
    if not isinstance(info, dict):
        return RuntimeError("the call failed")
    name = str(info.get("type", "Exception"))[:100]
    message = str(info.get("message", ""))[:2000]
    if name == "SystemExit":
        return SystemExit(message)
    for base in [name, *[str(b) for b in info.get("bases") or []]]:
        cls = getattr(builtins, base, None)
        if isinstance(cls, type) and issubclass(cls, Exception) and base == name:
            try:
                return cls(message)
            except Exception:
                break
    base = next((getattr(builtins, b) for b in info.get("bases") or []
                 if isinstance(getattr(builtins, b, None), type)
                 and issubclass(getattr(builtins, b), Exception)), Exception)
    key = f"{name}:{base.__name__}"
    if key not in _ERROR_CLASSES:
        _ERROR_CLASSES[key] = type(name, (base,), {})
    return _ERROR_CLASSES[key](message)


class Channel:
    """The scorer's end of one session: encoder, decoder and request/answer over a socket."""

    def __init__(self, sock: socket.socket, callbacks_allowed: bool = True, on_timeout=None):
        self.sock = sock
        self.refs: dict = {}
        self.objects: dict = {}
        self.callbacks: dict = {}
        self._ref_names = (f"t{i}" for i in itertools.count(1))
        self._callback_ids = itertools.count(1)
        self.encoder = _ScorerEncoder(self)
        self.decoder = _ScorerDecoder(self)
        self.broken: str | None = None
        self.on_timeout = on_timeout

    def request(self, message: dict, deadline: float | None) -> dict:
        """Send a request and wait for its result, answering callbacks meanwhile."""
        if self.broken is not None:
            raise ChannelBroken(self.broken)
        try:
            wire.send_message(self.sock, message)
            while True:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise TimeoutError
                self.sock.settimeout(left)
                reply = wire.receive_message(self.sock)
                if reply.get("op") == "callback":
                    wire.send_message(self.sock, self._run_callback(reply))
                    continue
                if reply.get("op") != "result":
                    raise wire.WireError(f"unexpected message {reply.get('op')!r}")
                return reply
        except TimeoutError:
            self.broken = "an earlier call did not return in time"
            if self.on_timeout is not None:
                self.on_timeout()
            raise CallTimeout() from None
        except (wire.WireError, wire.ChannelClosed, OSError) as exc:
            self.broken = f"the kernel stopped answering the grader ({exc})"
            raise ChannelBroken(self.broken) from None

    def _run_callback(self, message: dict) -> dict:
        func = self.callbacks.get(message.get("id"))
        if func is None:
            return {"op": "callback_result", "error": "unknown callback"}
        try:
            args = self.decoder.decode(message.get("args"))
            kwargs = self.decoder.decode(message.get("kwargs"))
            if not isinstance(args, list) or not isinstance(kwargs, dict) or \
                    not all(isinstance(k, str) for k in kwargs):
                raise wire.WireError("malformed callback")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = func(*args, **kwargs)
            return {"op": "callback_result", "value": self.encoder.encode(value)}
        except Exception as exc:  # the sandbox chose the inputs: any error is its problem
            return {"op": "callback_result", "error": f"{type(exc).__name__}: {exc}"[:500]}

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


class _ScorerEncoder(wire.Encoder):
    def __init__(self, channel: Channel):
        super().__init__(channel.refs, new_ref=lambda: next(channel._ref_names),
                         objects=channel.objects)
        self.channel = channel

    def handle(self, value):
        if isinstance(value, Remote):
            return {"__handle__": value._handle}
        if callable(value):
            number = next(self.channel._callback_ids)
            self.channel.callbacks[number] = value
            return {"__callback__": number, "name": getattr(value, "__name__", "callback")}
        raise wire.WireError(f"the scorer cannot send a {type(value).__name__}")


class _ScorerDecoder(wire.Decoder):
    def __init__(self, channel: Channel):
        super().__init__(channel.objects)
        self.channel = channel

    def remote(self, data):
        return make_remote(self.channel, data)

    def keras_model(self, data, existing=None):
        from autograder.scorer.keras_models import model_from_data

        return model_from_data(data, self, existing)


def make_remote(channel: Channel, info: dict) -> Remote:
    handle = info.get("__remote__")
    if type(handle) is not int:
        raise wire.WireError("malformed handle")
    type_name = str(info.get("type") or "object")
    if not type_name.isidentifier():
        type_name = "object"
    base = RemoteCallable if info.get("callable") is True else Remote
    cls = type(type_name, (base,), {})
    proxy = cls.__new__(cls)
    object.__setattr__(proxy, "_channel", channel)
    object.__setattr__(proxy, "_handle", handle)
    object.__setattr__(proxy, "_repr", str(info.get("repr") or "")[:80])
    name = info.get("name")
    if isinstance(name, str):
        object.__setattr__(proxy, "__name__", name[:100])
        object.__setattr__(proxy, "__qualname__", name[:100])
    if base is RemoteCallable:
        object.__setattr__(proxy, "__signature__", _signature(channel, info.get("signature")))
    return proxy


def _signature(channel: Channel, data):
    if not isinstance(data, list):
        return None
    parameters = []
    try:
        for entry in data:
            kind = inspect._ParameterKind(int(entry["kind"]))
            default = inspect.Parameter.empty
            if "default" in entry:
                default = channel.decoder.decode(entry["default"])
            parameters.append(inspect.Parameter(str(entry["name"]), kind, default=default))
        return inspect.Signature(parameters)
    except (KeyError, TypeError, ValueError, wire.WireError):
        return None


class Remote:
    """A student object that lives in the sandbox."""

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        reply = self._channel.request({"op": "getattr", "target": self._handle, "name": name},
                                      _deadline())
        if reply.get("error"):
            error = rebuild_error(reply["error"])
            if isinstance(error, AttributeError):
                raise error
            raise error
        return self._channel.decoder.decode(reply.get("value"))

    def __setattr__(self, name, value):
        raise AttributeError("the grader does not change the student's objects")

    def __deepcopy__(self, memo):
        return self

    def __copy__(self):
        return self

    def __eq__(self, other):
        return isinstance(other, Remote) and other._handle == self._handle and \
            other._channel is self._channel

    def __hash__(self):
        return hash((id(self._channel), self._handle))

    def __repr__(self):
        return self._repr or f"<{type(self).__name__}>"

    @contextlib.contextmanager
    def globals_replaced(self, names: dict):
        """While inside, the names of ``names`` present in the answer's globals are the given
        (scorer-side) functions, called back over the channel."""
        encoded = self._channel.encoder.encode(names)
        self._channel.request({"op": "swap_globals", "target": self._handle, "names": encoded},
                              time.monotonic() + DEFAULT_CALL_SECONDS)
        try:
            yield
        finally:
            with contextlib.suppress(CallTimeout):
                self._channel.request({"op": "restore_globals", "target": self._handle},
                                      time.monotonic() + DEFAULT_CALL_SECONDS)


class RemoteCallable(Remote):
    """A student function (or class, or bound method) that lives in the sandbox."""

    def __call__(self, *args, **kwargs):
        channel = self._channel
        deadline = _deadline()
        limit = max(0.05, deadline - time.monotonic() - GRACE_SECONDS)
        try:
            message = {"op": "call", "target": self._handle,
                       "args": channel.encoder.encode(list(args)),
                       "kwargs": channel.encoder.encode(dict(kwargs)), "time_limit": limit}
        except wire.WireError as exc:
            raise RuntimeError(f"the grader could not send the arguments: {exc}") from None
        reply = channel.request(message, deadline)
        # the arguments as the call left them, applied to ours in place
        try:
            channel.decoder.decode(reply.get("args_after"))
            channel.decoder.decode(reply.get("kwargs_after"))
        except wire.WireError:
            pass
        stdout = reply.get("stdout")
        if isinstance(stdout, str) and stdout:
            print(stdout[:10_000], end="")
        for item in reply.get("warnings") or []:
            if isinstance(item, list) and len(item) == 2:
                warnings.warn(str(item[1])[:500], _warning_class(str(item[0])[:100]),
                              stacklevel=2)
        if reply.get("timed_out"):
            raise CallTimeout()
        if reply.get("error"):
            raise rebuild_error(reply["error"])
        try:
            return channel.decoder.decode(reply.get("value"))
        except wire.WireError as exc:
            raise TypeError(f"the returned value could not be read: {exc}") from None


def _deadline() -> float:
    deadline = current_deadline()
    return deadline if deadline is not None else time.monotonic() + DEFAULT_CALL_SECONDS


def is_remote(value) -> bool:
    return isinstance(value, Remote)


__all__ = ["Channel", "ChannelBroken", "Remote", "RemoteCallable", "is_remote", "np"]
