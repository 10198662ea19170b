"""nbgrader's Execute step with the kernel in a sandbox and the scores from the scorer.

For each notebook: a scratch folder (``/tmp/dlf-*``, owned by the sandbox's user, removed
afterwards), a ``Scorer`` listening there, and a sandboxed kernel. Each test cell runs as
usual; while it runs, the scorer accepts that cell's hand-in and grades it outside the
sandbox. Then the cell's outputs are replaced by the scorer's verdict and points (an
``execute_result`` that nbgrader's SaveAutoGrades reads as the partial credit): whatever the
kernel displayed in a test cell is discarded. Also enforced here, from outside: the
notebook's wall time (cells after it are not run), the output recorded per cell, and a kernel
that dies (its cause is named; the cells after it are not run, the ones before keep their
points).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_output
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute
from nbgrader.utils import is_grade, is_solution
from traitlets import Bool, Dict, Unicode

from autograder.sandbox import bwrap
from autograder.sandbox.kernel import SandboxKernelManager
from autograder.sandbox.limits import MIB, Limits
from autograder.scorer.server import Scorer, Verdict
from autograder.scorer.specs import notebook_specs
from course.handin import SOCKET_VARIABLE

NOT_HANDED_IN = "the test cell ended before its answer reached the grader"


def _grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def is_test_cell(cell) -> bool:
    return cell.cell_type == "code" and is_grade(cell) and not is_solution(cell)


def death_reason(returncode: int | None, limits: Limits) -> str:
    """Why the sandboxed kernel ended, from its exit status."""
    if returncode is None:
        return "the kernel stopped answering"
    sig = -returncode if returncode < 0 else returncode - 128 if returncode > 128 else None
    if sig == signal.SIGXCPU:
        return f"the kernel used up its CPU time limit ({limits.cpu_seconds} s)"
    if sig == signal.SIGKILL:
        return "the kernel was killed (out of memory, or a process limit)"
    if sig == signal.SIGXFSZ:
        return f"the kernel wrote a file over the size limit ({limits.file_bytes // MIB} MiB)"
    if sig:
        return f"the kernel died from signal {signal.Signals(sig).name}"
    return f"the kernel exited with status {returncode} (os._exit, sys.exit in a thread, a crash)"


class SandboxedExecute(Execute):
    limits = Dict(help="Limits fields for this assignment").tag(config=True)
    unsafe_no_sandbox = Bool(False, help="run the kernel without the sandbox").tag(config=True)
    source_notebook = Unicode("", help="override: the instructor notebook").tag(config=True)

    # --- the notebook

    def preprocess(self, nb, resources=None, km=None):
        if self.limits:
            self._limits = Limits(**self.limits)
        else:
            from autograder.grading_settings import sandbox_limits

            self._limits = sandbox_limits((resources or {}).get("nbgrader", {}).get(
                "assignment", ""))
        self._scratch = tempfile.mkdtemp(prefix="dlf-", dir="/tmp")
        uid = None if self.unsafe_no_sandbox else bwrap.sandbox_uid()
        if uid is not None:
            os.chown(self._scratch, uid, uid)
        os.chmod(self._scratch, 0o700)
        self._dead: str | None = None
        self._loop = None
        self._out_bytes: dict[int, int] = {}
        self._notes: list[str] = []  # limits hit since the last test cell, for its verdict
        self._uid = uid
        self._cell_timeout = self.timeout
        self._deadline = time.monotonic() + self._limits.notebook_seconds
        self._scorer = Scorer(os.path.join(self._scratch, "scorer.sock"),
                              notebook_specs(self._source(resources)),
                              on_timeout=self._interrupt_soon)
        try:
            return super().preprocess(nb, resources, km)
        finally:
            self._scorer.close()
            shutil.rmtree(self._scratch, ignore_errors=True)

    def _source(self, resources) -> Path:
        if self.source_notebook:
            return Path(self.source_notebook)
        info = resources["nbgrader"]
        coursedir = CourseDirectory(config=self.config)
        folder = coursedir.format_path(coursedir.source_directory, ".", info["assignment"])
        return Path(folder) / f"{info['notebook']}.ipynb"

    def create_kernel_manager(self):
        if not self.kernel_name:
            self.kernel_name = self.nb.metadata.get("kernelspec", {}).get("name") or "python3"
        self.km = SandboxKernelManager(
            kernel_name=self.kernel_name, config=self.config, scratch=self._scratch,
            limits=self._limits.to_dict(), use_sandbox=not self.unsafe_no_sandbox,
            sandbox_env={SOCKET_VARIABLE: os.path.join(self._scratch, "scorer.sock")})
        return self.km

    # --- one cell

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        test = is_test_cell(cell)
        left = self._deadline - time.monotonic()
        why_not = self._dead or (None if left > 1 else
                                 f"the notebook used up its {self._limits.notebook_seconds:g} "
                                 "s of grading time")
        if why_not is not None:
            cell.outputs = [new_output("error", ename="NotRun", evalue=f"not run: {why_not}",
                                       traceback=[f"not run: {why_not}"])]
            if test:
                verdict = Verdict(0.0, f"✗ not graded: {why_not}")
                self._set_verdict(cell, self._with_notes(verdict))
            return cell, resources
        self.timeout = max(1, int(min(self._cell_timeout or left, left)))
        self._scorer.expect(_grade_id(cell) if test else None)
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._dead = death_reason(self._returncode(), self._limits)
            cell.outputs.append(new_output("error", ename="KernelDied", evalue=self._dead,
                                           traceback=[self._dead]))
        except CellTimeoutError:
            # nbclient gave up waiting for the end of the cell's output after interrupting it
            # (a flood of output still in flight): the cell failed, the notebook goes on.
            why = (f"cell {index + 1} ran past its time limit and its output did not end "
                   "after the interrupt")
            self._notes.append(why)
            cell.outputs.append(new_output("error", ename="CellTimeoutError", evalue=why,
                                           traceback=[why]))
        self._note_processes(index)
        if test:
            verdict = self._scorer.verdict(_grade_id(cell))
            self._set_verdict(cell, self._with_notes(
                verdict or Verdict(0.0, self._why_no_hand_in(cell))))
        return cell, resources

    def _with_notes(self, verdict: Verdict) -> Verdict:
        """The verdict with the limits hit since the last test cell (then forgotten)."""
        if not self._notes:
            return verdict
        text = "\n".join([verdict.text, *(f"✗ limit: {n}" for n in self._notes)]).strip("\n")
        self._notes = []
        return Verdict(verdict.score, text)

    async def async_execute_cell(self, *args, **kwargs):
        self._loop = asyncio.get_running_loop()
        return await super().async_execute_cell(*args, **kwargs)

    def _interrupt_soon(self) -> None:
        """Called from the scorer's thread when a call into student code ran out of time."""
        if self._loop is not None and self.km is not None:
            asyncio.run_coroutine_threadsafe(self.km.interrupt_kernel(), self._loop)

    def _note_processes(self, index: int) -> None:
        """Say so when a cell left the sandbox near its process limit (a fork bomb is
        stopped by the limit, but the student should learn why their cell failed)."""
        if self._uid is None:
            return
        import psutil

        threads = 0
        for process in psutil.process_iter(["uids", "num_threads"]):
            uids = process.info.get("uids")
            if uids is not None and uids.real == self._uid:
                threads += process.info.get("num_threads") or 1
        if threads >= 0.5 * self._limits.processes:
            self._notes.append(f"cell {index + 1} left {threads} processes and threads running "
                               f"in the sandbox (the process limit is "
                               f"{self._limits.processes}: starting more fails)")

    def _returncode(self):
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is None:
            return None
        for _ in range(20):
            if process.poll() is not None:
                return process.returncode
            time.sleep(0.1)
        return None

    def _why_no_hand_in(self, cell) -> str:
        errors = [o for o in cell.outputs if o.get("output_type") == "error"]
        detail = ""
        if errors:
            first = errors[-1] if errors[-1].get("ename") == "KernelDied" else errors[0]
            detail = f" ({first.get('ename')}: {str(first.get('evalue', ''))[:300]})"
        return f"✗ not graded: {NOT_HANDED_IN}{detail}"

    def _set_verdict(self, cell, verdict: Verdict) -> None:
        outputs = []
        if verdict.text:
            outputs.append(new_output("stream", name="stdout", text=verdict.text + "\n"))
        outputs.append(new_output("execute_result", data={"text/plain": repr(verdict.score)},
                                  execution_count=cell.get("execution_count")))
        cell.outputs = outputs

    # --- output recorded from the kernel, capped in bytes

    def output(self, outs, msg, display_id, cell_index):
        limit = self._limits.output_bytes
        used = self._out_bytes.get(cell_index, 0)
        if used > limit:
            return None  # already over: dropped without measuring
        size = len(json.dumps(msg.get("content", {}), default=str))
        self._out_bytes[cell_index] = used + size
        if used + size <= limit:
            return super().output(outs, msg, display_id, cell_index)
        # Over the limit: the cell is stopped at once, so a flood of output costs the
        # grader neither time nor memory and the outcome does not depend on the load.
        self._notes.append(f"cell {cell_index + 1} printed more than {limit // MIB} MiB (the "
                           "output limit); it was stopped there and the rest of its output "
                           "dropped")
        outs.append(new_output("stream", name="stdout", text=(
            f"\n[output limit: more than {limit // MIB} MiB of output; the cell was stopped "
            "and the rest of its output dropped]\n")))
        if self.km is not None:
            asyncio.ensure_future(self.km.interrupt_kernel())
        return None
