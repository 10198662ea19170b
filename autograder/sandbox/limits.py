"""Resource limits of one sandboxed kernel, set per assignment in grading_settings.py.

Memory, CPU time, processes, file size and open files are kernel rlimits (``prlimit`` run
inside the sandbox, after the switch to the sandbox's own uid, so ``RLIMIT_NPROC`` counts the
sandbox's processes and threads only). Disk is capped by the size of the sandbox's tmpfs
folders; output by the grader, which stops a cell (and drops the rest of its output) past
``output_bytes``.
Wall time is the grader's: per cell (nbgrader's ``Execute.timeout``) and per notebook.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

GIB = 2**30
MIB = 2**20


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = 4 * GIB  # address space (RLIMIT_AS) of every process in the sandbox
    cpu_seconds: int = 600  # CPU time of the kernel process (RLIMIT_CPU)
    processes: int = 256  # processes and threads of the sandbox's uid (RLIMIT_NPROC)
    file_bytes: int = 64 * MIB  # largest file a process may write (RLIMIT_FSIZE)
    open_files: int = 1024  # RLIMIT_NOFILE
    tmpfs_bytes: int = 256 * MIB  # each of /tmp and /home/student
    output_bytes: int = 2 * MIB  # output recorded per cell (past it: the cell is stopped)
    notebook_seconds: float = 300.0  # wall time of the whole notebook

    def inner_prlimit_args(self) -> list[str]:
        """``prlimit`` options, soft and hard limits equal (the sandbox cannot raise them)."""
        return [f"--as={self.memory_bytes}", f"--cpu={self.cpu_seconds}",
                f"--nproc={self.processes}", f"--fsize={self.file_bytes}",
                f"--nofile={self.open_files}", "--core=0"]

    def outer_prlimit_args(self) -> list[str]:
        """Limits on bwrap itself (it runs before the switch of user): none but core dumps."""
        return ["--core=0"]

    def to_dict(self) -> dict:
        return asdict(self)

    def describe(self) -> str:
        return (f"memory {self.memory_bytes / GIB:g} GiB, CPU {self.cpu_seconds} s, "
                f"{self.processes} processes/threads, files up to "
                f"{self.file_bytes / MIB:g} MiB, output {self.output_bytes / MIB:g} MiB "
                f"per cell, notebook {self.notebook_seconds:g} s")
