"""LL103 on an object the waiter makes, keeps in a field of its object and waits for, which another thread
wakes through that field (`fut = Future()`, `self._pending[key] = fut`, `fut.result()`; the reader thread
pops it and calls `set_result`): the messages say where it is kept and where the completer needs the lock."""

from __future__ import annotations

import textwrap
from pathlib import Path

from lintlock.pipeline import run

TESTDATA = Path(__file__).resolve().parent.parent / "testdata"


def _messages(path):
    """(line, code, message) of the findings of one file, analysed alone."""
    return [(f.line, f.code, f.message) for f in run([str(path)]).findings]


def _write(tmp_path, source):
    path = tmp_path / "case.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


def test_future_kept_in_a_collection_names_where_it_is_kept_and_where_the_completer_takes_it():
    found = _messages(TESTDATA / "ll103" / "future_completed.py")
    assert [(line, code) for line, code, _ in found] == [(22, "LL103"), (29, "LL103"), (74, "LL103"), (84, "LL103")]
    assert found[0][2] == (
        "fut.result() blocks while holding self._lock (acquired at line 19) until fut.set_result/set_exception() is called "
        "(it is kept in self._pending at line 20); but Client._on_reply (which does that at line 51) takes it from "
        "self._pending only while holding Client._lock (at line 50), so it waits for this thread to release it: "
        "neither ever proceeds"
    )
    # a future kept in an attribute: woken through it, as an Event is
    assert found[2][2] == (
        "self._fut.result() blocks while holding self._lock (acquired at line 73) until self._fut.set_result/set_exception() "
        "is called; but Waiters.ready does that only while holding Waiters._lock (at line 78), so it waits for this "
        "thread to release it: neither ever proceeds"
    )
    # completed in one expression under the lock: the call itself holds it
    assert "(it is kept in self._waiters at line 83); but Waiters.next_turn does that only while holding Waiters._lock (at line 88)" in found[3][2]


_EVENTS = """\
    import threading


    class Waiters:
        def __init__(self):
            self._lock = threading.Lock()
            self._waiting = {}

        def wait_for(self, key):
            ready = threading.Event()
            with self._lock:
                self._waiting[key] = ready
                ready.wait()

        def wake(self, key):
            with self._lock:
                ready = self._waiting.pop(key)
            ready.set()
    """


def test_any_waited_object_kept_in_a_collection_is_followed_an_event_too(tmp_path):
    found = _messages(_write(tmp_path, _EVENTS))
    assert [(line, code) for line, code, _ in found] == [(13, "LL103")]
    assert "until ready.set() is called (it is kept in self._waiting at line 12); but Waiters.wake (which does that at line 18)" in found[0][2]


def test_a_waker_called_in_the_class_on_an_object_of_unknown_origin_keeps_it_quiet(tmp_path):
    # set() on an event given as a parameter: it may be the one waited for, woken without the lock
    source = _EVENTS + "\n        def wake_given(self, ready):\n            ready.set()\n"
    assert _messages(_write(tmp_path, source)) == []


def test_a_waker_named_method_on_an_object_of_another_known_type_does_not_keep_it_quiet(tmp_path):
    # `var.set(...)` on a ContextVar, `seen.get(key)` on a literal dict: neither is a waited object
    source = (
        "    import contextvars\n"
        + _EVENTS
        + "\n        def tag(self, var: contextvars.ContextVar):\n            var.set(1)\n"
        + "\n        def clear(self):\n            done = {}\n            done.set(1)\n"
    )
    assert [(line, code) for line, code, _ in _messages(_write(tmp_path, source))] == [(14, "LL103")]


def test_an_element_taken_without_the_lock_can_wake_it(tmp_path):
    source = _EVENTS.replace("            with self._lock:\n                ready = self._waiting.pop(key)", "            ready = self._waiting.pop(key)")
    assert "with self._lock:\n                ready = self._waiting.pop" not in source
    assert _messages(_write(tmp_path, source)) == []


def test_waiting_after_the_release_is_quiet(tmp_path):
    source = _EVENTS.replace(
        "                self._waiting[key] = ready\n                ready.wait()", "                self._waiting[key] = ready\n            ready.wait()"
    )
    assert "\n            ready.wait()" in source
    assert _messages(_write(tmp_path, source)) == []


def test_futures_kept_in_a_dict_are_waited_for_by_wait_of_its_values_and_a_loop_over_them():
    found = _messages(TESTDATA / "ll103" / "futures_in_a_dict.py")
    assert [(line, code) for line, code, _ in found] == [(24, "LL103"), (29, "LL103"), (34, "LL103"), (128, "LL103")]
    assert found[0][2] == (
        "wait(self._futures.values()) blocks while holding self._lock (acquired at line 23) until the submitted call "
        "returns; but Jobs._work (kept in self._futures, submitted at line 20) takes Jobs._lock on its way (at line 16), "
        "so it waits for this thread to release it: neither ever proceeds"
    )
    assert all("but Jobs._work (kept in self._futures, submitted at line 20)" in message for _, _, message in found[:3])
    assert "but CompletedJobs._work (kept in self._running, submitted at line 124)" in found[3][2]


_CLIENT = """\
    import threading
    from concurrent.futures import Future


    class Client:
        def __init__(self):
            self._lock = threading.Lock()
            self._pending = {}

        def call(self, key):
            fut = Future()
            with self._lock:
                self._pending[key] = fut
                return fut.result()

        def on_reply(self, key, value):
            with self._lock:
                self._pending.pop(key).set_result(value)
    """

# completes futures taken from `_pending` of an object of unknown class, without the lock: maybe a Client's
_UNTYPED_READER = """

    class Reader:
        def __init__(self, client):
            self._client = client

        def on_reply(self, key, value):
            fut = self._client._pending.pop(key)
            fut.set_result(value)
    """


def test_a_completer_taking_from_a_collection_of_that_name_on_an_object_of_unknown_class_keeps_it_quiet(tmp_path):
    assert [(line, code) for line, code, _ in _messages(_write(tmp_path, _CLIENT))] == [(14, "LL103")]
    assert _messages(_write(tmp_path, _CLIENT + _UNTYPED_READER)) == []


_READY = """\
    import threading


    class Service:
        def __init__(self):
            self._lock = threading.Lock()
            self._ready = threading.Event()

        def wait_ready(self):
            with self._lock:
                self._ready.wait()

        def mark_ready(self):
            with self._lock:
                self._ready.set()
    """


def test_an_event_field_is_quiet_when_the_class_sets_an_event_of_unknown_origin(tmp_path):
    assert [(line, code) for line, code, _ in _messages(_write(tmp_path, _READY))] == [(11, "LL103")]
    # `mark(self._ready)` elsewhere would set it without the lock
    source = _READY + "\n        def mark(self, event):\n            event.set()\n"
    assert _messages(_write(tmp_path, source)) == []
