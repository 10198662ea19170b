"""The sandbox (bubblewrap) and the plain-data channel, without nbgrader.

The adversarial submissions through the whole grading command are in tests/test_attacks.py;
these tests pin down the walls themselves: what a sandboxed process can see and do."""

import json
import os
import subprocess
import sys
import tempfile
import textwrap

import numpy as np
import pytest

from autograder.sandbox import bwrap
from autograder.sandbox.limits import GIB, MIB, Limits
from course import wire

pytestmark = pytest.mark.skipif(bwrap.probe() is not None, reason=str(bwrap.probe()))


def _run(code: str, limits: Limits | None = None, timeout: float = 60):
    with tempfile.TemporaryDirectory(prefix="dlf-test-") as scratch:
        uid = bwrap.sandbox_uid()
        if uid is not None:
            os.chown(scratch, uid, uid)
        cmd = bwrap.bwrap_command([sys.executable, "-c", textwrap.dedent(code)],
                                  scratch=scratch, limits=limits or Limits())
        os.environ["DLF_GRADER_SECRET"] = "s3cr3t-of-the-grader"
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        finally:
            os.environ.pop("DLF_GRADER_SECRET")


def test_the_sandbox_sees_no_instructor_file_and_no_grader_variable():
    from autograder import REPO_ROOT

    proc = _run(f"""
        import json, os
        root = {str(REPO_ROOT)!r}
        print(json.dumps({{"uid": os.getuid(), "env": dict(os.environ),
                          "repo": sorted(os.listdir(root)),
                          "autograder": os.path.exists(root + "/autograder"),
                          "solutions": os.path.exists(root + "/solutions"),
                          "etc": sorted(os.listdir("/etc")), "pid": os.getpid()}}))
    """)
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout)
    assert seen["uid"] != 0 and not seen["autograder"] and not seen["solutions"]
    assert set(seen["repo"]) <= {"course", ".venv"}
    assert "DLF_GRADER_SECRET" not in seen["env"] and "passwd" not in seen["etc"]
    assert seen["pid"] < 10  # its own PID namespace


def test_the_sandbox_has_no_network_and_cannot_import_the_grader():
    proc = _run("""
        import socket
        try:
            socket.create_connection(("1.1.1.1", 53), timeout=3)
            print("connected")
        except OSError as exc:
            print("no network:", exc)
        try:
            import autograder.reference
            print("imported the reference")
        except ImportError:
            print("no autograder")
    """)
    assert "no network" in proc.stdout and "no autograder" in proc.stdout, proc.stdout


def test_nothing_started_in_the_sandbox_survives_it(tmp_path):
    marker = f"dlf-survivor-{os.getpid()}"
    proc = _run(f"""
        import subprocess
        subprocess.Popen(["sleep", "300", "{marker}"], start_new_session=True)
        print("started")
    """)
    assert "started" in proc.stdout, proc.stderr
    import psutil

    alive = [p for p in psutil.process_iter(["cmdline"]) if marker in (p.info["cmdline"] or [])]
    assert alive == []


def test_memory_processes_and_file_size_are_limited():
    limits = Limits(memory_bytes=1 * GIB, processes=32, file_bytes=1 * MIB)
    proc = _run("""
        import os, subprocess
        try:
            bytearray(2 * 2**30)
            print("allocated")
        except MemoryError:
            print("memory limited")
        started = []
        try:
            for _ in range(100):
                started.append(subprocess.Popen(["sleep", "5"]))
            print("forked 100")
        except OSError:
            print("processes limited at", len(started))
        try:
            with open("/home/student/big", "wb") as f:
                f.write(b"x" * 4 * 2**20)
            print("wrote 4 MiB")
        except OSError:
            print("file size limited")
    """, limits=limits)
    assert "memory limited" in proc.stdout, proc.stdout + proc.stderr
    assert "processes limited" in proc.stdout, proc.stdout + proc.stderr
    assert "file size limited" in proc.stdout, proc.stdout + proc.stderr


def test_grading_refuses_without_a_sandbox(monkeypatch, tmp_path):
    from autograder.pipeline.grade import GradingError, grade

    monkeypatch.setattr(bwrap, "probe", lambda: "'bwrap' is not installed (test)")
    (tmp_path / "sub" / "ada" / "01_threshold_logic_unit").mkdir(parents=True)
    with pytest.raises(GradingError, match="--unsafe-no-sandbox"):
        grade(tmp_path / "sub", tmp_path / "out", progress=False, echo=lambda m: None)


# --- the channel's format -------------------------------------------------------------------

def _roundtrip(value):
    return wire.Decoder({}).decode(wire.Encoder({}).encode(value))


@pytest.mark.parametrize("value", [
    None, True, 3, -2.5, "text", b"\x00\x01", 1 + 2j, (1, [2, 3]), {"a": 1, (1, 2): "b"},
    {1, 2}, np.float32(1.5), np.int64(-3), np.array(2.0), np.arange(6).reshape(2, 3),
    np.zeros((2, 0)), np.array([True, False]), np.array(["ACGT", "TT"]),
    np.array([1, "x", None], dtype=object),
])
def test_plain_data_crosses_unchanged(value):
    back = _roundtrip(value)
    assert type(back) is type(value)
    if isinstance(value, np.ndarray):
        assert back.shape == value.shape and back.dtype == value.dtype
        assert np.array_equal(back, value) if value.dtype != object else list(back) == \
            list(value)
    else:
        assert back == value


def test_a_generator_crosses_with_its_state():
    rng = np.random.default_rng(7)
    rng.normal(size=3)
    copy = _roundtrip(rng)
    assert np.array_equal(copy.normal(size=5), rng.normal(size=5))


def test_a_reference_updates_the_receivers_object_in_place():
    sent, mine = {}, {}
    encoder = wire.Encoder(sent, new_ref=iter(f"t{i}" for i in range(9)).__next__,
                           objects=mine)
    received, back_refs = {}, {}
    decoder = wire.Decoder(received, back_refs)
    x = np.zeros(3)
    first = decoder.decode(encoder.encode(x))
    x[1] = 5.0
    again = decoder.decode(encoder.encode(x))
    assert again is first and again[1] == 5.0
    # and what the receiver sends back under that name updates the sender's object
    again[2] = 7.0
    wire.Decoder(mine).decode(wire.Encoder(back_refs).encode(again))
    assert x[2] == 7.0


@pytest.mark.parametrize("bad", [
    {"__nd__": ["|O", [1], ""]},  # object dtype
    {"__nd__": ["<f8", [2], "AAAA"]},  # data does not fit the shape
    {"__nd__": ["<f8", [10**9, 10**9], ""]},  # absurd shape
    {"__pickle__": "gASV"},  # unknown tag
    {"a": 1},  # a bare object
    {"__np__": ["V8", "AAAAAAAAAAA="]},  # not numbers
])
def test_malformed_data_is_refused(bad):
    with pytest.raises(wire.WireError):
        wire.Decoder({}).decode(bad)


def test_deep_nesting_is_refused():
    data = 1
    for _ in range(wire.MAX_DEPTH + 5):
        data = [data]
    with pytest.raises(wire.WireError):
        wire.Decoder({}).decode(data)


def test_a_flood_of_output_stops_its_cell_and_the_notebook_goes_on(tmp_path):
    """Past the output limit the cell is interrupted at once (whatever the machine's load, a
    flood never runs into the cell's time limit), the note says so, later cells run."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from autograder.sandbox.execute import SandboxedExecute

    nb = new_notebook(cells=[new_code_cell("while True:\n    print('x' * 2**16)"),
                             new_code_cell("print('after the flood')")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    source = tmp_path / "source.ipynb"
    nbformat.write(nb, source)
    limits = Limits(output_bytes=1 * MIB, notebook_seconds=120).to_dict()
    executor = SandboxedExecute(limits=limits, source_notebook=str(source), timeout=100,
                                interrupt_on_timeout=True, allow_errors=True)
    executor.preprocess(nb, {})
    flood, after = nb.cells
    printed = sum(len(o.get("text", "")) for o in flood.outputs if o.output_type == "stream")
    assert printed <= 1.1 * MIB, printed
    assert "the cell was stopped" in str(flood.outputs)
    assert any(o.get("ename") == "KeyboardInterrupt" for o in flood.outputs), flood.outputs
    assert not any(o.get("ename") == "CellTimeoutError" for o in flood.outputs)
    assert "after the flood" in after.outputs[0]["text"]
