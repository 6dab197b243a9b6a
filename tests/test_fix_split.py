"""The `_locked` split at its edges: where it must not be made, names, parameters, async, implicit calls."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from lintlock.config import Settings
from lintlock.pipeline import Loaded, check, fix, load


def fixed(tmp_path: Path, files):
    """{name: source} -> ({name: fixed source}, titles of the fixes applied)."""
    for name, source in files.items():
        (tmp_path / name).write_text(textwrap.dedent(source))
    outcome = fix([str(tmp_path)], Settings())
    changed = {Path(path).name: after.decode() for path, _, after in outcome.new_sources}
    return changed, [title for _, title in outcome.fixed]


HEAD = "import threading\n\n\nclass Store:\n    def __init__(self):\n        self._lock = threading.Lock()\n        self._data = {}\n\n"


def test_a_generator_is_not_split(tmp_path):
    source = HEAD + (
        "    def rows(self):\n        with self._lock:\n            yield from list(self._data)\n\n"
        "    def dump(self):\n        with self._lock:\n            found = list(self.rows())  # error: LL101\n            return found\n"
    )
    changed, titles = fixed(tmp_path, {"gen.py": source})
    assert changed == {} and titles == []


def test_other_decorators_and_computed_defaults_prevent_the_split(tmp_path):
    source = HEAD + (
        "    @staticmethod\n    def helper():\n        return 1\n\n"
        "    def put(self, key, seen=[]):\n        with self._lock:\n            self._data[key] = seen\n\n"
        "    def put_all(self, keys):\n        with self._lock:\n            count = self.put(keys[0])\n            return count\n"
    )
    changed, _ = fixed(tmp_path, {"defaults.py": source})
    assert changed == {}


def test_recursion_is_not_split(tmp_path):
    source = HEAD + "    def walk(self, depth):\n        with self._lock:\n            total = self.walk(depth - 1) if depth else 0\n            return total\n"
    assert fixed(tmp_path, {"walk.py": source}) == ({}, [])


def test_a_variant_with_other_parameters_is_not_reused(tmp_path):
    source = HEAD + (
        "    def get(self, key, default=None):\n        with self._lock:\n            return self._get(key, default)\n\n"
        "    def _get(self, key, default):\n        return self._data.get(key, default)\n\n"
        "    def pair(self, key):\n        with self._lock:\n            first = self.get(key)\n            return first, key\n"
    )
    changed, titles = fixed(tmp_path, {"variant.py": source})
    assert titles == ["split get(): its work under the lock becomes get_locked(), called here directly"]
    assert "    def get_locked(self, key, default=None):\n" in changed["variant.py"]
    assert "            first = self.get_locked(key)\n" in changed["variant.py"]


def test_a_name_taken_in_a_subclass_elsewhere_is_not_reused(tmp_path):
    base = HEAD + (
        "    def lookup(self, key):\n        with self._lock:\n            return self._data[key]\n\n"
        "    def pair(self, key):\n        with self._lock:\n            value = self.lookup(key)  # error: LL101\n            return value, key\n"
    )
    sub = "from base import Store\n\n\nclass Frozen(Store):\n    def lookup_locked(self, key):\n        return False\n"
    # sub.py mentions no lock, so checking alone would not parse it; --fix parses every file
    changed, titles = fixed(tmp_path, {"base.py": base, "sub.py": sub})
    assert titles == ["split lookup(): its work under the lock becomes lookup_lock_held() (lookup_locked is taken), called here directly"]
    assert "value = self.lookup_lock_held(key)" in changed["base.py"]


def test_a_module_function_in_another_file(tmp_path):
    """`store.put()` names it through its module: the split can rename it there. A function
    imported by name would need its import changed too: no split."""
    store = "import threading\n\nLOCK = threading.Lock()\nDATA = {}\n\n\ndef put(key):\n    with LOCK:\n        DATA[key] = 1\n"
    user = "import store\n\n\ndef put_two(a):\n    with store.LOCK:\n        done = store.put(a)\n        return done\n"
    (tmp_path / "store.py").write_text(store)
    (tmp_path / "user.py").write_text(user)
    [request] = [d.fix for d in check(load([str(tmp_path)]), ("LL",), ()) if d.code == "LL101"]
    assert (request.split_path, request.split_why, request.split_target) == (str(tmp_path / "store.py"), "", "global")
    if hasattr(Loaded, "with_sources"):
        changed, _ = fixed(tmp_path, {"store.py": store, "user.py": user})
        assert changed["user.py"] == user.replace("store.put(a)", "store.put_locked(a)")
        imported = user.replace("import store\n", "import store\nfrom store import put\n").replace("store.put(a)", "put(a)")
        assert fixed(tmp_path, {"store.py": store, "user.py": imported}) == ({}, [])


def test_async_split(tmp_path):
    source = (
        "import asyncio\n\n\nclass Feed:\n    def __init__(self):\n        self._lock = asyncio.Lock()\n        self._items = []\n\n"
        "    async def flush(self):\n        async with self._lock:\n            self._items.clear()\n\n"
        "    async def push(self, item):\n        async with self._lock:\n            self._items.append(item)\n"
        "            await self.flush()  # error: LL101\n            self._items.append(item)\n"
    )
    changed, titles = fixed(tmp_path, {"feed.py": source})
    assert titles == ["split flush(): its work under the lock becomes flush_locked(), called here directly"]
    assert changed["feed.py"] == source.replace(
        "            self._items.clear()\n\n    async def push",
        "            await self.flush_locked()\n\n"
        "    async def flush_locked(self):\n"
        '        """The work of flush(), for a caller that already holds self._lock."""\n'
        "        self._items.clear()\n\n    async def push",
    ).replace("await self.flush()  # error", "await self.flush_locked()  # error")


def test_membership_keeps_its_value(tmp_path):
    source = HEAD + (
        "    def __contains__(self, key):\n        with self._lock:\n            return key in self._data\n\n"
        "    def check(self, key):\n        with self._lock:\n            here = key in self  # error: LL101\n"
        "            gone = key not in self  # error: LL101\n            return here, gone\n"
    )
    changed, _ = fixed(tmp_path, {"member.py": source})
    assert "            here = bool(self._contains_locked(key))  # error: LL101\n" in changed["member.py"]
    assert "            gone = not self._contains_locked(key)  # error: LL101\n" in changed["member.py"]


def test_a_with_that_names_the_lock_is_not_split(tmp_path):
    source = HEAD + (
        "    def clear(self):\n        with self._lock as held:\n            self._data.clear()\n            return held\n\n"
        "    def reset(self):\n        with self._lock:\n            done = self.clear()  # error: LL101\n            return done\n"
    )
    assert fixed(tmp_path, {"named.py": source}) == ({}, [])


def test_a_decorator_that_does_more_than_lock_is_not_split(tmp_path):
    source = (
        "import threading\n\n\ndef counted(method):\n    def wrapper(self, *args):\n        with self._lock:\n"
        "            self.calls += 1\n            return method(self, *args)\n\n    return wrapper\n\n\n"
        "class Meter:\n    def __init__(self):\n        self._lock = threading.Lock()\n        self.calls = 0\n\n"
        "    @counted\n    def read(self):\n        return self.calls\n\n"
        "    def twice(self):\n        with self._lock:\n            first = self.read()  # error: LL101\n            return first\n"
    )
    (tmp_path / "meter.py").write_text(source)
    requests = [d.fix for d in check(load([str(tmp_path)]), ("LL",), ()) if d.code == "LL101"]
    assert [(r.split_site, r.split_why) for r in requests] == [(-1, "Meter.read has a decorator that does more than hold the lock")]
    assert fixed(tmp_path, {"meter.py": source}) == ({}, [])


def test_an_override_in_a_file_without_locks_prevents_the_split(tmp_path):
    base = HEAD + (
        "    def step(self):\n        with self._lock:\n            self._data.clear()\n\n"
        "    def run(self):\n        with self._lock:\n            done = self.step()  # error: LL101\n            return done\n"
    )
    sub = "from base import Store\n\n\nclass Quiet(Store):\n    def step(self):\n        return None\n"
    assert fixed(tmp_path, {"base.py": base, "sub.py": sub}) == ({}, [])
    (tmp_path / "sub.py").unlink()  # without the override, the split is made
    assert fixed(tmp_path, {"base.py": base})[1] == ["split step(): its work under the lock becomes step_locked(), called here directly"]


def test_calls_wait_for_the_loop_when_the_callee_cannot_be_split(tmp_path):
    """submit() does work outside its lock (no split), but touches nothing the loop reads."""
    source = HEAD + (
        "    def submit(self, task):\n        task.seen = True\n        with self._lock:\n            self._data[task] = 1\n\n"
        "    def resubmit(self, tasks):\n        with self._lock:\n            for task in tasks:\n                self.submit(task)  # error: LL101\n"
    )
    changed, titles = fixed(tmp_path, {"loop.py": source})
    assert titles == ["collect the calls under the lock, make them after the release"]
    assert changed["loop.py"].endswith(
        "        to_submit = []\n        with self._lock:\n            for task in tasks:\n                to_submit.append(task)\n"
        "        for task in to_submit:\n            self.submit(task)  # error: LL101\n"
    )


def test_calls_do_not_wait_for_a_loop_that_reads_what_they_change(tmp_path):
    source = HEAD + (
        "    def submit(self, task):\n        task.seen = True\n        with self._lock:\n            self._data[task] = 1\n\n"
        "    def fill(self, tasks):\n        with self._lock:\n            for task in tasks:\n                if len(self._data) < 3:\n"
        "                    self.submit(task)  # error: LL101\n"
    )
    assert fixed(tmp_path, {"fill.py": source}) == ({}, [])


BASE = (
    "import threading\n\n\nclass Base:\n    def __init__(self):\n        self._lock = threading.Lock()\n        self._items = {}\n\n"
    "    def refresh(self):\n        with self._lock:\n            self._items.clear()\n"
)
USER = (
    "from base import Base\n\n\nclass Cache(Base):\n    def reload(self):\n        with self._lock:\n"
    "            done = self.refresh()  # error: LL101\n            return done\n"
)


def test_the_split_edits_the_file_that_defines_the_function(tmp_path):
    """A method of a base class in another file: both files change, verified together."""
    if not hasattr(Loaded, "with_sources"):
        pytest.skip("the pipeline verifies one file per fix (requested: Loaded.with_sources)")
    changed, titles = fixed(tmp_path, {"base.py": BASE, "user.py": USER})
    assert titles == ["split refresh(): its work under the lock becomes refresh_locked(), called here directly"]
    assert changed["user.py"] == USER.replace("self.refresh()", "self.refresh_locked()")
    assert changed["base.py"] == BASE.replace(
        "            self._items.clear()\n",
        "            self.refresh_locked()\n\n    def refresh_locked(self):\n"
        '        """The work of refresh(), for a caller that already holds self._lock."""\n        self._items.clear()\n',
    )


def test_the_split_edits_another_file_only_if_it_was_named(tmp_path):
    for name, source in (("base.py", BASE), ("user.py", USER)):
        (tmp_path / name).write_text(source)
    outcome = fix([str(tmp_path / "user.py")], Settings())
    assert outcome.new_sources == () and outcome.fixed == ()
