"""The bubblewrap (``bwrap``) command line that confines one submission's kernel.

What the kernel sees (everything read-only unless said otherwise):

- ``/usr`` (with the usual ``/bin``, ``/lib`` links), ``/etc/ld.so.cache`` and the few files of
  ``/etc`` that Python and matplotlib read (no passwd, no hosts, no ssl keys);
- the Python interpreter's prefix and the environment's ``site-packages`` (``sys.prefix``);
- the student package ``course`` (only that folder of the checkout: never ``autograder/``,
  ``solutions/``, a gradebook, SUBMISSIONS or OUT);
- its own scratch folder, read-write, at the same path as outside (the kernel's connection
  file and ZeroMQ sockets live there, so the grader can talk to it);
- a private ``/tmp`` and ``/home/student`` (tmpfs with a size cap), a private ``/proc`` and a
  minimal ``/dev``.

Namespaces: PID (nothing it starts survives it: when its init dies the kernel kills the whole
namespace), network (only a loopback of its own), IPC, UTS and cgroup; ``--die-with-parent``
ties it to the grader, ``--new-session`` keeps it off the grader's terminal. The environment is
cleared and rebuilt from a short allow-list. The kernel runs as an unprivileged user: when the
grader is root, bwrap sets up the mounts and ``setpriv`` drops to a uid of its own per grading
process (so ``RLIMIT_NPROC`` counts this sandbox's processes only); otherwise bwrap runs as the
grader in a user namespace that maps it to ``nobody``. Limits come from ``limits.Limits``.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from autograder.sandbox.limits import Limits

SANDBOX_HOME = "/home/student"
# The uid a sandbox runs as when the grader is root: one per grading process.
UID_BASE = 100_000
ETC_FILES = ("ld.so.cache", "localtime", "nsswitch.conf", "mime.types", "fonts")


class SandboxUnavailable(RuntimeError):
    """No sandbox can be made on this machine (no bwrap, no user namespaces, not Linux)."""


def sandbox_uid() -> int | None:
    """The uid the kernel runs as: its own when the grader is root, else None (the grader's,
    mapped to nobody inside a user namespace)."""
    return UID_BASE + os.getpid() if os.geteuid() == 0 else None


def _ancestors(path: str) -> list[str]:
    parts = Path(path).parts[1:-1]
    return ["/" + "/".join(parts[: i + 1]) for i in range(len(parts))]


def _python_roots() -> list[str]:
    """Folders the interpreter and its packages need: base prefix, venv prefix, and the real
    locations of the interpreter and of site-packages (symlinks resolved)."""
    roots = {sys.base_prefix, sys.prefix, os.path.dirname(os.path.realpath(sys.executable))}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        roots.add(os.path.realpath(sysconfig.get_paths()[key]))
    kept = []
    for root in sorted(roots, key=len):
        if not any(root == k or root.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(root)
    # /usr is bound anyway; its sub-folders need no bind of their own
    return [r for r in kept if r != "/usr" and not r.startswith("/usr/")]


def course_package_dir() -> str:
    """The folder of the student package ``course`` (without importing it here)."""
    import importlib.util

    spec = importlib.util.find_spec("course")
    if spec is None or not spec.submodule_search_locations:
        raise SandboxUnavailable("the student package 'course' is not installed")
    return os.path.realpath(list(spec.submodule_search_locations)[0])


def sandbox_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The whole environment of the sandboxed kernel: none of the grader's variables."""
    bin_dir = os.path.dirname(sys.executable)
    env = {
        "HOME": SANDBOX_HOME,
        "PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONNOUSERSITE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": f"{SANDBOX_HOME}/.config/matplotlib",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "JUPYTER_PLATFORM_DIRS": "1",
        "NBGRADER_EXECUTION": "autograde",
    }
    env.update(extra or {})
    return env


def bwrap_command(argv: list[str], *, scratch: str, limits: Limits,
                  env: dict[str, str] | None = None) -> list[str]:
    """``argv`` (the kernel's command line) wrapped in prlimit, bwrap and setpriv.

    ``scratch`` is the job's scratch folder, bound read-write at the same path.
    """
    bwrap = shutil.which("bwrap") or "/usr/bin/bwrap"
    cmd = [shutil.which("prlimit") or "/usr/bin/prlimit", *limits.outer_prlimit_args(), "--",
           bwrap, "--die-with-parent", "--new-session",
           "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
           "--unshare-cgroup-try", "--hostname", "sandbox"]
    uid = sandbox_uid()
    if uid is None:
        cmd += ["--unshare-user", "--uid", "65534", "--gid", "65534"]
    cmd += ["--ro-bind", "/usr", "/usr"]
    for link in ("bin", "lib", "lib64", "sbin"):
        target = os.readlink(f"/{link}") if os.path.islink(f"/{link}") else None
        if target:
            cmd += ["--symlink", target, f"/{link}"]
        elif os.path.isdir(f"/{link}"):
            cmd += ["--ro-bind", f"/{link}", f"/{link}"]
    cmd += ["--perms", "0755", "--dir", "/etc"]
    for name in ETC_FILES:
        if os.path.exists(f"/etc/{name}"):
            cmd += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    # private /tmp and home first: the binds below go on top of them (the scratch folder
    # lives under /tmp outside, and must not be hidden by the sandbox's own /tmp)
    cmd += ["--proc", "/proc", "--dev", "/dev",
            "--size", str(limits.tmpfs_bytes), "--perms", "1777", "--tmpfs", "/dev/shm",
            "--size", str(limits.tmpfs_bytes), "--perms", "1777", "--tmpfs", "/tmp",
            "--size", str(limits.tmpfs_bytes), "--perms", "0755", "--tmpfs", "/home",
            "--perms", "0777", "--dir", SANDBOX_HOME]
    binds = [(p, False) for p in _python_roots()] + [(course_package_dir(), False),
                                                    (scratch, True)]
    made = set()
    for path, writable in binds:
        for parent in _ancestors(path):
            if parent not in made and parent not in ("/usr", "/tmp", "/home"):
                cmd += ["--perms", "0755", "--dir", parent]
                made.add(parent)
        cmd += ["--bind" if writable else "--ro-bind", path, path]
    cmd += ["--chdir", SANDBOX_HOME, "--clearenv"]
    # the grader found ``course`` in this folder (perhaps through PYTHONPATH): so does the kernel
    extra = {"PYTHONPATH": os.path.dirname(course_package_dir()), **(env or {})}
    for key, value in sandbox_env(extra).items():
        cmd += ["--setenv", key, value]
    if uid is not None:
        cmd += [shutil.which("setpriv") or "/usr/bin/setpriv", f"--reuid={uid}",
                f"--regid={uid}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all",
                "--no-new-privs", "--"]
    cmd += [shutil.which("prlimit") or "/usr/bin/prlimit", *limits.inner_prlimit_args(), "--"]
    return cmd + list(argv)


@functools.lru_cache(maxsize=1)
def probe() -> str | None:
    """None when a sandbox works here, else why not (one line)."""
    if not sys.platform.startswith("linux"):
        return f"the sandbox needs Linux namespaces; this is {sys.platform}"
    for tool in ("bwrap", "prlimit"):
        if shutil.which(tool) is None:
            return (f"'{tool}' is not installed (Debian: apt-get install "
                    f"{'bubblewrap' if tool == 'bwrap' else 'util-linux'})")
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        return "'setpriv' (util-linux) is not installed"
    import tempfile

    with tempfile.TemporaryDirectory(prefix="dlf-probe-") as scratch:
        os.chmod(scratch, 0o777)
        cmd = bwrap_command([sys.executable, "-c", "import os; print(os.getuid())"],
                            scratch=scratch, limits=Limits())
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"bwrap could not start a sandbox: {exc}"
    if proc.returncode != 0:
        detail = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        return f"bwrap could not start a sandbox ({detail}); are user namespaces enabled?"
    return None
