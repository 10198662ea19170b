"""A kernel manager that starts the IPython kernel inside the sandbox (``bwrap``).

The kernel talks to the grader over ZeroMQ IPC sockets (files) in the job's scratch folder,
which is the one folder both sides see: the sandbox has no network of its own to reach TCP
ports on the grader's loopback. Interrupts go as ``interrupt_request`` messages (the kernel
signals itself inside the sandbox): the kernel runs in a session of its own, out of reach of
the grader's signals, and signalling bwrap would kill it instead.
"""

from __future__ import annotations

import copy
import os
import sys

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Dict, Unicode

from autograder.sandbox import bwrap
from autograder.sandbox.limits import Limits


class SandboxKernelManager(AsyncKernelManager):
    scratch = Unicode(help="the job's scratch folder, seen by both sides").tag(config=True)
    limits = Dict(help="autograder.sandbox.limits.Limits fields").tag(config=True)
    sandbox_env = Dict(help="extra variables of the kernel's environment").tag(config=True)
    use_sandbox = Bool(True, help="False only with --unsafe-no-sandbox").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.transport = "ipc"
        self.ip = os.path.join(self.scratch, "kernel")
        self.connection_file = os.path.join(self.scratch, "kernel.json")

    @property
    def kernel_spec(self):
        spec = super().kernel_spec
        if spec is not None and spec.interrupt_mode != "message":
            spec = copy.copy(spec)
            spec.interrupt_mode = "message"
            self._kernel_spec = spec
        return spec

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        if cmd and os.path.basename(cmd[0]).startswith("python"):
            cmd[0] = sys.executable
        if not self.use_sandbox:  # unconfined, but it still hands in to the scorer
            return ["/usr/bin/env", *(f"{k}={v}" for k, v in self.sandbox_env.items()), *cmd]
        return bwrap.bwrap_command(cmd, scratch=self.scratch, limits=Limits(**self.limits),
                                   env=dict(self.sandbox_env))

    def write_connection_file(self, **kwargs):
        super().write_connection_file(**kwargs)
        uid = bwrap.sandbox_uid() if self.use_sandbox else None
        if uid is not None:
            os.chown(self.connection_file, uid, uid)
