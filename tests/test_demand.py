"""Which files on-demand parsing reads (lintlock.demand): the vocabulary scan matches identifiers
in code, and a file is parsed only when something in it can matter.

Asserted on the files parsed (the pipeline's summaries), never on time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lintlock.config import Settings
from lintlock.demand import ASSIGNED, ATTRIBUTE, STORED, Learned, Vocabulary, identifiers, only_data
from lintlock.pipeline import load, run

LOCKING = "import threading\n\nLOCK = threading.Lock()\n\n\ndef work():\n    with LOCK:\n        return 1\n"


def parsed(root: Path, files: dict) -> set:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    loaded = load([str(root)], Settings())
    return {os.path.relpath(p, root) for p in loaded.summaries}


def findings(root: Path, full: bool) -> list:
    return [(os.path.relpath(f.path, root), f.line, f.code, f.message) for f in run([str(root)], Settings(full=full)).findings]


@pytest.mark.parametrize(
    "code",
    [
        "import threading\nmu = threading.Lock()\n",
        "from threading import RLock as R\n",
        "def f(sem):\n    sem.acquire()\n",
        "x = BoundedSemaphore(2)\n",
        'def f(mu: "threading.Lock"):\n    pass\n',  # an annotation in a string is code
        "def f(mu: 'Optional[Lock]'):\n    pass\n",
        'name = f"{threading.Lock()}"\n',  # an f-string holds code
        '"""docstring"""\nx = "# not a comment"; y = Lock()\n',
        'def f(mu: "Optional[\\"threading.Lock\\"]"):\n    pass\n',  # an escaped quote in an annotation
    ],
)
def test_lock_vocabulary_in_code_matches(code):
    assert Vocabulary().matches(code.encode())


@pytest.mark.parametrize(
    "code",
    [
        "class FooSemaphoreBar:\n    pass\n",  # a substring of an identifier is not the word
        "def block():\n    clock = 1\n",
        "x = 1  # take the Lock first\n",
        '"""Lock, Condition and Semaphore are documented here."""\n',
        "def f():\n    '''Hold the Lock.\n\n    acquire() it first.'''\n",
        'raise ValueError("the Lock is not held")\n',  # prose, not an annotation
        "x = 'it''s' # Lock\n",
        "acquired = reacquire = 1\n",
        # a one-line string that no annotation could be: a call (pydoc_data/topics.py's 757 KB of help text)
        'text = (\'the methods "keys()", \'\n        \'"clear()", "acquire()", "Lock()", \')\n',
    ],
)
def test_words_outside_code_or_inside_identifiers_do_not_match(code):
    assert not Vocabulary().matches(code.encode())


def test_learned_names_match_by_how_they_are_learned():
    vocabulary = Vocabulary(learned=[Learned("_mu", ATTRIBUTE), Learned("synchronized"), Learned("on_event", ASSIGNED), Learned("_callbacks", STORED)])
    assert vocabulary.matches(b"with self._mu:\n    pass\n")
    assert not vocabulary.matches(b"_mu = 1\n")
    assert vocabulary.matches(b"@synchronized\ndef f(): pass\n")
    assert vocabulary.matches(b"bus.on_event = handler\n")
    assert vocabulary.matches(b"class Sub(Bus):\n    def on_event(self):\n        pass\n")
    assert not vocabulary.matches(b"bus.on_event(1)\nif bus.on_event == 2: pass\n")
    assert vocabulary.matches(b"bus._callbacks.append(handler)\n")
    assert vocabulary.matches(b"bus._callbacks['x'] = handler\n")
    assert not vocabulary.matches(b"for cb in bus._callbacks:\n    print(cb)\n")
    # configured lock factories are words too
    assert Vocabulary(factories=["app.locks.make_mutex"]).matches(b"m = make_mutex()\n")


def test_a_vocabulary_of_learned_names_only_leaves_out_the_base_words():
    # (a later demand round: the files left did not match the base words already)
    learned = Vocabulary(["app.make_mutex"], [Learned("_mu", ATTRIBUTE), Learned("synchronized")], base=False)
    text = b"with self._mu:\n    pass\n"
    assert learned.matches(text) and learned.matches(text, identifiers(text))
    assert learned.matches(b"@synchronized\ndef f(): pass\n")
    for code in (b"lock = threading.Lock()\n", b"m = make_mutex()\n", b"_mu = 1\n"):
        assert not learned.matches(code) and not learned.matches(code, identifiers(code))
    assert Vocabulary(["app.make_mutex"]).matches(b"m = make_mutex()\n")  # the same words with base=True
    assert not Vocabulary(base=False).matches(b"lock = threading.Lock()\nself._mu.acquire()\n")  # no name at all


def test_a_generated_file_naming_a_semaphore_class_is_not_parsed(tmp_path):
    """A 60,000-line generated file whose class name contains "Semaphore", and whose comments
    and docstrings mention locks, costs no libcst parse: only CPython's syntax check."""
    body = ['"""Generated: Lock, Semaphore and Condition wrappers are elsewhere."""', "", "", "class FooSemaphoreBar:"]
    body += [f"    def method_{i}(self, value):  # no Lock here\n        return value + {i}\n" for i in range(20_000)]
    generated = "\n".join(body) + "\n"
    assert generated.count("\n") >= 60_000
    files = {"locking.py": LOCKING, "generated.py": generated}
    assert parsed(tmp_path, files) == {"locking.py"}


def test_a_syntax_error_in_an_unparsed_file_is_still_reported(tmp_path):
    files = {"locking.py": LOCKING, "broken.py": "def f(:\n    pass\n"}
    assert parsed(tmp_path, files) == {"locking.py"}
    assert [(os.path.basename(f.path), f.code) for f in run([str(tmp_path)], Settings()).findings] == [("broken.py", "LL001")]


HUB = """
import threading


class Hub:
    def __init__(self):
        self._lock = threading.Lock()
        self._callbacks = []

    def subscribe(self, callback):
        self._callbacks.append(callback)

    def publish(self):
        with self._lock:
            for callback in self._callbacks:
                callback()

    def count(self):
        with self._lock:
            return len(self._callbacks)
"""

# an unrelated class with a method that stores its parameter in an attribute of the same name
BOX = """
import threading


class Box:
    def __init__(self):
        self._lock = threading.Lock()
        self._callbacks = []

    def size(self):
        with self._lock:
            return len(self._callbacks)

    def put(self, item):
        self._callbacks.append(item)
"""


def test_a_registration_is_parsed_and_found(tmp_path):
    app = "from pkg.hub import Hub\n\n\ndef wire():\n    hub = Hub()\n    hub.subscribe(hub.count)\n"
    files = {"pkg/__init__.py": "", "pkg/hub.py": HUB, "pkg/app.py": app}
    assert "pkg/app.py" in parsed(tmp_path, files)
    found = findings(tmp_path, full=False)
    assert found == findings(tmp_path, full=True)
    assert [(path, code) for path, _, code, _ in found] == [("pkg/hub.py", "LL101")]


def test_an_unrelated_class_storing_into_a_same_named_attribute_makes_no_registrar(tmp_path):
    """Value flow keeps `self._callbacks` of unrelated classes apart, so `Box.put` registers
    nothing that Hub calls under its lock: a file calling `put` is not parsed."""
    user = "from pkg.box import Box\n\n\ndef fill(box: Box):\n    box.put(1)\n"
    files = {"pkg/__init__.py": "", "pkg/hub.py": HUB, "pkg/box.py": BOX, "pkg/user.py": user}
    assert "pkg/user.py" not in parsed(tmp_path, files)
    assert findings(tmp_path, full=False) == findings(tmp_path, full=True) == []


SELF_DEADLOCK = """import threading


class Account:
    def __init__(self):
        self._lock = threading.Lock()

    def deposit(self):
        with self._lock:
            self.audit()

    def audit(self):
        with self._lock:
            pass
"""


def test_fixes_are_planned_only_for_output_that_shows_them(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from lintlock import pipeline
    from lintlock.cli import main

    (tmp_path / "account.py").write_text(SELF_DEADLOCK)
    planned = []
    real = pipeline._plans
    monkeypatch.setattr(pipeline, "_plans", lambda *args, **kwargs: planned.append(1) or real(*args, **kwargs))
    args = ["check", "--no-cache", "--exit-zero", str(tmp_path)]
    github = CliRunner().invoke(main, args + ["--format", "github"])
    assert github.exit_code == 0 and "LL101" in github.output and planned == []
    shown = CliRunner().invoke(main, args + ["--format", "json"])
    assert '"fix": "unsafe"' in shown.output or '"fix": "safe"' in shown.output
    assert planned == [1]
    assert [f.fix for f in run([str(tmp_path)], Settings(), plan_fixes=False).findings] == [""]


def test_fix_parses_every_file_only_when_there_is_something_to_fix(tmp_path, monkeypatch):
    from lintlock import pipeline

    parsed_paths: list = []
    real = pipeline._Parser.parse

    def parse(self, chosen):
        chosen = list(chosen)
        parsed_paths.extend(chosen)
        return real(self, chosen)

    monkeypatch.setattr(pipeline._Parser, "parse", parse)
    (tmp_path / "unrelated.py").write_text("def add(a, b):\n    return a + b\n")
    (tmp_path / "account.py").write_text(LOCKING)
    assert pipeline.fix([str(tmp_path)], Settings()).findings == ()
    assert sorted(os.path.basename(p) for p in parsed_paths) == ["account.py"]
    (tmp_path / "account.py").write_text(SELF_DEADLOCK)
    parsed_paths.clear()
    pipeline.fix([str(tmp_path)], Settings())
    assert "unrelated.py" in {os.path.basename(p) for p in parsed_paths}


def test_a_module_called_only_outside_the_lock_is_not_parsed(tmp_path):
    """Name-level demand: a function holding a lock matters for what it calls while holding it."""
    locking = (
        "import threading\n\nfrom pkg import before, under\n\nLOCK = threading.Lock()\n\n\n"
        "def work():\n    before.prepare()\n    with LOCK:\n        under.step()\n\n\n"
        "def take():\n    with LOCK:\n        return 1\n"
    )
    files = {
        "pkg/__init__.py": "",
        "pkg/locking.py": locking,
        "pkg/before.py": "def prepare():\n    return 1\n",
        "pkg/under.py": "from pkg import deeper\n\n\ndef step():\n    deeper.again()\n",
        "pkg/deeper.py": "from pkg import locking\n\n\ndef again():\n    locking.take()\n",
    }
    assert parsed(tmp_path, files) == {"pkg/locking.py", "pkg/under.py", "pkg/deeper.py"}
    found = findings(tmp_path, full=False)
    assert found == findings(tmp_path, full=True)
    assert [(path, line, code) for path, line, code, _ in found] == [("pkg/locking.py", 11, "LL101")]


def test_syntax_checks_in_the_worker_pool_report_the_same_files(tmp_path):
    """With -j 2 and enough unparsed code, the syntax checks run in the pool while the demand rounds go on."""
    filler = "".join(f"def f{i}(a, b):\n    return a + b * {i}\n\n\n" for i in range(2_000))
    files = {"locking.py": LOCKING, "broken.py": "def f(:\n    pass\n", "ok_after.py": "x = 1\n"}
    files.update({f"plain{i}.py": filler for i in range(4)})
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    for jobs in (1, 2):
        found = run([str(tmp_path)], Settings(jobs=jobs)).findings
        assert [(os.path.basename(f.path), f.line, f.code) for f in found] == [("broken.py", 1, "LL001")]


IDENTIFIER_CASES = [
    ("with self._mu:\n    pass\n", True),
    ("x = 1  # _mu\n", False),
    ("bus.on_event = f\n", True),
    ("def on_event(self):\n    pass\n", True),
    ("bus.on_event == f\n", False),
    ("self._callbacks.append(f)\n", True),
    ("self._callbacks['k'] = f\n", True),
    ("n = len(self._callbacks)\n", False),
    ("with verrou_é:\n    pass\n", True),
    ("with verrou_éx:\n    pass\n", False),  # another word
    ("with éverrou_é:\n    pass\n", False),
    ("lock: 'threading.Lock' = make()\n", True),  # an annotation in a string
    ("print('the Lock is held')\n", False),  # prose
    ("print(f'{self._mu!r} is held')\n", True),  # code inside an f-string
    ('"""Lock, acquire and _mu are only named here."""\n', False),
    ("FooLockBar = 1\n", False),
    ("y = 2\n", False),
]


@pytest.mark.parametrize("code, expected", IDENTIFIER_CASES)
def test_the_identifier_set_answers_like_the_scan(code, expected):
    """A name is in identifiers() exactly when it is a whole word of the file, as the triggers see words
    (non-ASCII bytes included): the set test never turns down a file the scan would match."""
    vocabulary = Vocabulary(learned=[Learned("_mu", ATTRIBUTE), Learned("on_event", ASSIGNED), Learned("_callbacks", STORED), Learned("verrou_é")])
    data = code.encode()
    assert vocabulary.matches(data) is expected
    assert vocabulary.matches(data, identifiers(data)) is expected


def test_identifiers_are_whole_words_as_the_triggers_see_them():
    assert identifiers("with verrou_é:  # x.Lock\n".encode()) == frozenset({b"with", "verrou_é".encode(), b"x", b"Lock"})
    assert b"Lock" not in identifiers("éLock = FooLock\n".encode())


DEFAULT_BOX = "import threading\n\n\nclass Box:\n    def __init__(self, lock_cls=threading.Lock):\n        self._lock = lock_cls()\n\n    def _get(self):\n        with self._lock:\n            return 1\n\n    def twice(self):\n        with self._lock:\n            return self._get()\n"
SHARED = (
    "import threading\n\n\nclass Shared:\n    def __init__(self, lock):\n        self._lock = lock\n\n    def get(self):\n        with self._lock:\n            return 1\n\n"
    "    def get_twice(self):\n        with self._lock:\n            return self.get()\n\n\nclass Owner:\n    def __init__(self):\n        self._lock = threading.Lock()\n        self._shared = Shared(self._lock)\n"
)


@pytest.mark.parametrize(
    "files, expected",
    [
        # a caller that says no lock word passes another lock class: the parameter's default is not the lock
        ({"box.py": DEFAULT_BOX, "user.py": "from pkg.box import Box\nfrom pkg.factories import FACTORY\n\n\ndef make():\n    return Box(FACTORY)\n"}, []),
        ({"box.py": DEFAULT_BOX, "user.py": "from pkg import box\n\n\ndef make(factory):\n    return box.Box(factory)\n"}, []),
        ({"box.py": DEFAULT_BOX, "user.py": "from pkg.box import Box\n\n\ndef make():\n    return Box()\n"}, [("box.py", 14, "LL101")]),
        # a caller that says no lock word hands another lock over: the lock is not Owner._lock
        ({"shared.py": SHARED, "user.py": "from pkg.shared import Shared\n\n\ndef make(given):\n    return Shared(given)\n"}, []),
        ({"shared.py": SHARED, "user.py": "from pkg.shared import Owner\n\n\ndef make():\n    return Owner()\n"}, [("shared.py", 14, "LL101")]),
        # ... or builds a subclass that inherits the constructor, without naming the class that defines it
        (
            {
                "shared.py": SHARED,
                "sub.py": "from pkg import shared\n\n\nclass Sub(shared.Shared):\n    pass\n",
                "user.py": "from pkg.sub import Sub\n\n\ndef make(given):\n    return Sub(given)\n",
            },
            [],
        ),
    ],
)
def test_a_file_calling_a_function_whose_callers_decide_its_lock_is_parsed(tmp_path, files, expected):
    """Triage fp_8: what a handed lock or a parameter's default lock is depends on every call; on demand equals --full."""
    files = dict(files, **{"__init__.py": "", "factories.py": "from threading import RLock as reentrant\n\nFACTORY = reentrant\n"})
    for name, text in files.items():
        (tmp_path / "pkg").mkdir(exist_ok=True)
        (tmp_path / "pkg" / name).write_text(text)
    found = {full: [(os.path.basename(f.path), f.line, f.code) for f in run([str(tmp_path)], Settings(full=full)).findings] for full in (False, True)}
    assert found == {False: expected, True: expected}


def test_a_module_of_literal_data_asked_for_is_not_parsed(tmp_path):
    """A name under a lock in a module of data (`tables.CODES.get`, a generated table): nothing it
    defines can be called or lock, so it is left to CPython's parser; a table beside a function is parsed."""
    locking = (
        "import threading\n\nfrom pkg import helpers, tables\n\nLOCK = threading.Lock()\n\n\n"
        "def work(key):\n    with LOCK:\n        helpers.lookup(key)\n        return tables.CODES.get(key)\n\n\n"
        "def take():\n    with LOCK:\n        return 1\n"
    )
    table = '"""Generated."""\nCODES = {' + ", ".join(f'"k{i}": ("Lock", -{i}, "acquire()")' for i in range(300)) + "}\nSIZE = 300\n"
    files = {
        "pkg/__init__.py": "",
        "pkg/locking.py": locking,
        "pkg/tables.py": table,
        "pkg/helpers.py": "from pkg import locking\n\nCODES = {'a': 1}\n\n\ndef lookup(key):\n    return locking.take()\n",
    }
    assert parsed(tmp_path, files) == {"pkg/locking.py", "pkg/helpers.py"}
    found = findings(tmp_path, full=False)
    assert found == findings(tmp_path, full=True)
    assert [(path, line, code) for path, line, code, _ in found] == [("pkg/locking.py", 10, "LL101")]


@pytest.mark.parametrize(
    "code, expected",
    [
        ('"""Help texts."""\ntopics = {"assert": "The assert statement\\n"\n          "def f(): pass\\n"}\n', True),
        ("SIZES = [1, -2, 3 + 4]\nNAMES = ('a', 'b')\nBOTH = SIZES, NAMES\n", True),
        ('MU: "threading.Lock" = None\n', False),  # an annotation can type a global as a lock
        ("CODES = {'a': 1}\n\n\ndef lookup(key):\n    return CODES[key]\n", False),
        ("import threading\nLOCKS = {}\n", False),
        ("HANDLER = print\nTABLE = dict(a=1)\n", False),  # a call: not literal data
        ("TABLE = {'a': (lambda: 1)}\n", False),
        ("ALIAS = other.LOCK\n", False),
        ("x = {'a': 1\n", False),  # does not parse: libcst reports it
    ],
)
def test_only_data_is_literal_assignments(code, expected):
    assert only_data(code.encode()) is expected


HELD_BY_HELPERS = (
    "import contextlib\nimport threading\n\nfrom pkg import audit, helpers, quiet_work\n\nLOCK = threading.Lock()\n\n\n"
    "class Quiet:\n    def __enter__(self):\n        return self\n\n    def __exit__(self, *exc):\n        return False\n\n\n"
    "@contextlib.contextmanager\ndef locked():\n    with LOCK:\n        yield\n\n\n"
    "def work(path):\n    with open(path) as fh:\n        audit.record(fh)\n    with Quiet():\n        quiet_work.step()\n"
    "    with locked():\n        helpers.step()\n\n\n"
    "def take():\n    with LOCK:\n        return 1\n"
)


def test_a_with_that_holds_no_lock_makes_nothing_it_runs_matter(tmp_path):
    """`with open(...)` (nothing in the project) and `with Quiet()` (a class, no @contextmanager) hold
    no lock, as the rules read them: what runs in their body is not parsed for them. `with locked()`,
    a @contextmanager holding LOCK at its yield, does: helpers.step() reaches take(), an LL101."""
    calls_take = "from pkg import locking\n\n\ndef {name}(*args):\n    return locking.take()\n"
    files = {
        "pkg/__init__.py": "",
        "pkg/locking.py": HELD_BY_HELPERS,
        "pkg/audit.py": calls_take.format(name="record"),
        "pkg/quiet_work.py": calls_take.format(name="step"),
        "pkg/helpers.py": calls_take.format(name="step"),
    }
    assert parsed(tmp_path, files) == {"pkg/locking.py", "pkg/helpers.py"}
    found = findings(tmp_path, full=False)
    assert found == findings(tmp_path, full=True)
    assert [(path, line, code) for path, line, code, _ in found] == [("pkg/locking.py", 29, "LL101")]


@pytest.mark.parametrize(
    "guard, expected",
    [
        # a @contextmanager holding LOCK at its yield: what runs in the body matters (an LL101 through it)
        ("@contextlib.contextmanager\ndef held():\n    with locking.LOCK:\n        yield\n", [("pkg/locking.py", 10, "LL101")]),
        # a @contextmanager holding nothing, a class: the body holds no lock
        ("@contextlib.contextmanager\ndef held():\n    yield\n", []),
        ("class held:\n    def __enter__(self):\n        return self\n\n    def __exit__(self, *exc):\n        return False\n", []),
    ],
)
def test_a_with_of_a_helper_not_parsed_yet_is_decided_once_its_module_is(tmp_path, guard, expected):
    """`with guards.held():` in a module nothing else asks for: its module is parsed to tell whether
    it holds a lock; only if it does is what runs in its body parsed."""
    locking = (
        "import threading\n\nfrom pkg import guards, helpers\n\nLOCK = threading.Lock()\n\n\n"
        "def work():\n    with guards.held():\n        helpers.step()\n\n\n"
        "def take():\n    with LOCK:\n        return 1\n"
    )
    files = {
        "pkg/__init__.py": "",
        "pkg/locking.py": locking,
        "pkg/guards.py": "import contextlib\n\nfrom pkg import locking\n\n\n" + guard,
        "pkg/helpers.py": "from pkg import locking\n\n\ndef step():\n    return locking.take()\n",
    }
    assert parsed(tmp_path, files) == {"pkg/locking.py", "pkg/guards.py"} | ({"pkg/helpers.py"} if expected else set())
    found = findings(tmp_path, full=False)
    assert found == findings(tmp_path, full=True)
    assert [(path, line, code) for path, line, code, _ in found] == expected


@pytest.mark.parametrize("released, expected", [(False, set()), (True, {"pkg/helpers.py"})])
def test_a_call_after_an_acquire_released_elsewhere_holds_no_lock(tmp_path, released, expected):
    """`self._ready.acquire()` with no release() in the function: a signal handed to another thread,
    which the rules never count as held; what is called after it matters only if it is released."""
    release = "        self._ready.release()\n" if released else ""
    locking = (
        "import threading\n\nfrom pkg import helpers\n\n\nclass Waiter:\n    def __init__(self):\n"
        "        self._ready = threading.Semaphore(0)\n\n    def wait(self):\n        self._ready.acquire()\n"
        "        helpers.step()\n" + release + "\n    def signal(self):\n        self._ready.release()\n"
    )
    files = {"pkg/__init__.py": "", "pkg/locking.py": locking, "pkg/helpers.py": "def step():\n    return 1\n"}
    assert parsed(tmp_path, files) == {"pkg/locking.py"} | expected
    assert findings(tmp_path, full=False) == findings(tmp_path, full=True)


def test_what_only_value_flow_resolves_under_a_lock_is_followed_too(tmp_path):
    """Rounds resolve calls by names until those need nothing more, then once with value flow:
    `self._handler()` runs on_event only by value flow, and on_event's callee's module is parsed."""
    locking = (
        "import threading\n\nfrom pkg import deeper\n\nLOCK = threading.Lock()\n\n\n"
        "class Bus:\n    def __init__(self, handler):\n        self._handler = handler\n\n"
        "    def fire(self):\n        with LOCK:\n            self._handler()\n\n\n"
        "def on_event():\n    deeper.again()\n\n\ndef build():\n    return Bus(on_event)\n\n\n"
        "def take():\n    with LOCK:\n        return 1\n"
    )
    files = {
        "pkg/__init__.py": "",
        "pkg/locking.py": locking,
        "pkg/deeper.py": "from pkg import locking\n\n\ndef again():\n    return locking.take()\n",
        "pkg/unrelated.py": "from pkg import locking\n\n\ndef other():\n    return locking.build()\n",
    }
    assert parsed(tmp_path, files) == {"pkg/locking.py", "pkg/deeper.py"}
    found = findings(tmp_path, full=False)
    assert found == findings(tmp_path, full=True)
    assert [(path, line, code) for path, line, code, _ in found] == [("pkg/locking.py", 14, "LL101")]
