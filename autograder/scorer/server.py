"""The scorer's socket: a sandboxed kernel hands in each test cell's answers here.

One ``Scorer`` per notebook being graded, in a thread of the (trusted) nbgrader process. The
executing side tells it which test cell runs now (``expect``); a hand-in is accepted only
then, once per cell, on the socket in the job's scratch folder (the only thing of the grader
the sandbox can reach). The grading function comes from the instructor's notebook
(``specs``), runs here against stand-ins for the student's objects (``proxy``), and its points
and printed verdict are recorded for that cell (``verdict``); they become the cell's output,
whatever the kernel printed.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import os
import socket
import threading
import time
import traceback
from dataclasses import dataclass

from autograder.scorer.proxy import Channel
from autograder.scorer.specs import Spec
from course import wire

log = logging.getLogger(__name__)
HAND_IN_SECONDS = 10.0  # for the first message after a kernel connects


@dataclass
class Verdict:
    score: float
    text: str


class Scorer:
    def __init__(self, path: str, specs: dict[str, Spec], on_timeout=None):
        self.path = path
        self.specs = specs
        self.on_timeout = on_timeout
        self.verdicts: dict[str, Verdict] = {}
        self._current: str | None = None
        self._busy = threading.Lock()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(path)
        os.chmod(path, 0o777)  # the sandbox runs as another user
        self._listener.listen(4)
        self._listener.settimeout(0.2)
        self._thread = threading.Thread(target=self._serve, name="scorer", daemon=True)
        self._thread.start()

    # --- called by the executing side

    def expect(self, grade_id: str | None) -> None:
        with self._lock:
            self._current = grade_id
            if grade_id is not None:
                self.verdicts.pop(grade_id, None)

    def verdict(self, grade_id: str, wait: float = 30.0) -> Verdict | None:
        """The cell's verdict once its grading has finished (None: nothing was handed in)."""
        with self._lock:
            self._current = None
        if self._busy.acquire(timeout=wait):
            self._busy.release()
        return self.verdicts.get(grade_id)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        with contextlib.suppress(OSError):
            self._listener.close()
        with contextlib.suppress(OSError):
            os.unlink(self.path)

    # --- the thread

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._busy:
                try:
                    self._session(conn)
                except Exception:  # never let one session stop the scorer
                    log.error("scorer session failed:\n%s", traceback.format_exc())
                finally:
                    with contextlib.suppress(OSError):
                        conn.close()

    def _session(self, conn: socket.socket) -> None:
        conn.settimeout(HAND_IN_SECONDS)
        try:
            first = wire.receive_message(conn)
        except (OSError, wire.WireError, wire.ChannelClosed):
            return
        with self._lock:
            grade_id = self._current
            taken = grade_id in self.verdicts
        spec = self.specs.get(grade_id) if grade_id else None
        if first.get("op") != "hand_in" or spec is None or taken:
            why = ("no test cell is running" if spec is None
                   else "this test cell has handed in already")
            with contextlib.suppress(OSError, wire.WireError):
                wire.send_message(conn, {"op": "refused", "why": why})
            return
        channel = Channel(conn, on_timeout=self.on_timeout)
        verdict = self._grade(spec, channel, first.get("answers"))
        with self._lock:
            self.verdicts[grade_id] = verdict
        conn.settimeout(2.0)
        with contextlib.suppress(OSError, wire.WireError):
            wire.send_message(conn, {"op": "done", "score": verdict.score,
                                     "verdict": verdict.text})

    def _grade(self, spec: Spec, channel: Channel, answers) -> Verdict:
        out = io.StringIO()
        start = time.monotonic()
        try:
            values = channel.decoder.decode(answers)
            if not isinstance(values, list) or len(values) != spec.answers:
                return Verdict(0.0, f"{spec.grade_id}: the test cell handed in "
                                    f"{len(values) if isinstance(values, list) else 'no'} "
                                    f"answer(s), expected {spec.answers}.")
            function = spec.grading_function()
            with contextlib.redirect_stdout(out):
                score = function(*values, points=spec.points)
            score = float(score)
        except wire.WireError as exc:
            return Verdict(0.0, f"The grader could not read what the test cell handed in: "
                                f"{exc}")
        except Exception as exc:
            log.error("grading %s failed:\n%s", spec.grade_id, traceback.format_exc())
            return Verdict(0.0, out.getvalue() + f"The grader could not check this answer "
                                                 f"({type(exc).__name__}: {exc}).")
        if not math.isfinite(score):
            score = 0.0
        score = min(max(score, 0.0), spec.points)
        log.info("scored %s: %g of %g in %.1f s", spec.grade_id, score, spec.points,
                 time.monotonic() - start)
        return Verdict(score, out.getvalue().rstrip("\n"))
