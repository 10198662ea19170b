"""Progress of the autograde step that an instructor can follow: per assignment, done/total,
the current rate and the time left.

On a terminal: one tqdm bar per assignment (``tqdm.auto``). Elsewhere (a log file, CI, a
SLURM job's output): plain lines, one when a submission finishes but at most one every
``every`` seconds per assignment, plus the last one, so a log of a thousand submissions stays
readable.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from dataclasses import dataclass, field

RATE_WINDOW = 20  # submissions the current rate is measured over


@dataclass
class Counter:
    """Submissions of one assignment: how many, how many done, when each finished."""

    total: int
    done: int = 0
    start: float = 0.0
    finished: deque = field(default_factory=lambda: deque(maxlen=RATE_WINDOW + 1))

    def rate(self, now: float) -> float | None:
        """Submissions per second over the last RATE_WINDOW ones (from the start for the
        first ones); None before the first is done."""
        if not self.done:
            return None
        times = list(self.finished)
        if self.done > RATE_WINDOW:  # the deque holds the last RATE_WINDOW + 1 finish times
            first, count = times[0], len(times) - 1
        else:
            first, count = self.start, self.done
        span = now - first
        return count / span if span > 0 else None

    def eta(self, now: float) -> float | None:
        rate = self.rate(now)
        if rate is None:
            return None
        return (self.total - self.done) / rate


def fmt_seconds(seconds: float | None) -> str:
    """12 s, 3 min 05 s, 2 h 07 min; '?' when unknown."""
    if seconds is None:
        return "?"
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def line(assignment: str, counter: Counter, now: float) -> str:
    """``autograde 01_x: 3/40 done, 0.21 submission/s, about 2 min 56 s left``."""
    rate = counter.rate(now)
    shown = "? submission/s" if rate is None else (
        f"{rate:.2f} submission/s" if rate >= 0.01 else f"{rate * 3600:.1f} submission/h")
    left = ("done" if counter.done == counter.total
            else f"about {fmt_seconds(counter.eta(now))} left")
    return f"autograde {assignment}: {counter.done}/{counter.total} done, {shown}, {left}"


class Progress:
    """``Progress({assignment: total})``; ``.done(assignment)`` as each submission finishes;
    ``.close()`` at the end. ``enabled`` False prints nothing; ``tty`` None asks the stream."""

    def __init__(self, totals: dict[str, int], *, enabled: bool = True, stream=None,
                 tty: bool | None = None, every: float = 10.0, clock=time.monotonic):
        self.stream = stream or sys.stderr
        self.enabled = enabled and any(totals.values())
        self.clock = clock
        self.every = every
        now = clock()
        self.counters = {a: Counter(n, start=now) for a, n in totals.items() if n}
        self.last_line = {a: None for a in self.counters}
        if tty is None:
            tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.bars = {}
        if self.enabled and tty:
            from tqdm.auto import tqdm

            width = max(len(a) for a in self.counters)
            self.bars = {a: tqdm(total=c.total, desc=f"autograde {a:<{width}}",
                                 unit="submission", position=i, file=self.stream,
                                 dynamic_ncols=True, smoothing=0.1)
                         for i, (a, c) in enumerate(self.counters.items())}

    def done(self, assignment: str, label: str = "") -> None:
        counter = self.counters.get(assignment)
        if counter is None:
            return
        now = self.clock()
        counter.done += 1
        counter.finished.append(now)
        if not self.enabled:
            return
        bar = self.bars.get(assignment)
        if bar is not None:
            if label:
                bar.set_postfix_str(label, refresh=False)
            bar.update(1)
            return
        last = self.last_line[assignment]
        if counter.done == counter.total or last is None or now - last >= self.every:
            self.last_line[assignment] = now
            print(line(assignment, counter, now), file=self.stream, flush=True)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()
        self.bars = {}
