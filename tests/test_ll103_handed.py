"""LL103 on work handed to other threads and waited for: the messages say what was waited for
and where it was started (the cases and their expected lines are in testdata/)."""

from __future__ import annotations

from pathlib import Path

from lintlock.pipeline import run

TESTDATA = Path(__file__).resolve().parent.parent / "testdata"


def _messages(case, folder="valueflow"):
    """(line, code, message) of the findings in one testdata case, analysed alone."""
    return [(f.line, f.code, f.message) for f in run([str(TESTDATA / folder / case)]).findings]


def test_thread_subclass_joining_itself_names_its_own_run_and_where_it_started():
    found = _messages("thread_joins_itself.py")
    assert [(line, code) for line, code, _ in found] == [(24, "LL103"), (52, "LL103"), (72, "LL103")]
    assert found[0][2] == (
        "self.join() blocks while holding self._lock (acquired at line 22) until the thread finishes; "
        "but Poller.run (it joins itself: this thread object's own run(), started at line 13) takes Poller._lock "
        "on its way (at line 17), so it waits for this thread to release it: neither ever proceeds"
    )
    # no self.start() in the class: nothing said about where it started
    assert "but ReentrantPoller.run (it joins itself: this thread object's own run()) takes ReentrantPoller._lock" in found[1][2]
    assert "but Sleeper.run (it joins itself: this thread object's own run()) takes Sleeper._cond on its way (at line 64)" in found[2][2]


def test_coroutine_sent_to_another_loop_says_where_it_was_sent():
    found = _messages("coroutine_threadsafe.py")
    assert [(line, code) for line, code, _ in found] == [(27, "LL103"), (32, "LL103"), (38, "LL103"), (76, "LL103")]
    assert found[1][2] == (
        "future.result() blocks while holding self._lock (acquired at line 30) until the coroutine returns on its event "
        "loop's thread; but Bridge._refresh (sent to the event loop at line 31) takes Bridge._lock on its way (at line 15), "
        "so it waits for this thread to release it: neither ever proceeds"
    )
    # made before the lock, kept in a name: still the coroutine sent
    assert "but Bridge._refresh (sent to the event loop at line 37) takes Bridge._lock" in found[2][2]
    assert "but register (sent to the event loop at line 76) takes coroutine_threadsafe._registry_lock on its way (at line 70)" in found[3][2]


def test_multiprocessing_thread_pool_waits_for_the_work_a_process_pool_does_not():
    found = _messages("thread_pool_apply.py")
    assert [(line, code) for line, code, _ in found] == [(26, "LL103"), (30, "LL103"), (34, "LL103"), (39, "LL103"), (43, "LL103"), (85, "LL103")]
    assert found[0][2] == (
        "self._pool.apply(self._load) blocks while holding self._lock (acquired at line 25) until the pool's threads have "
        "run the call; but Index._load takes Index._lock on its way (at line 18), so it waits for this thread to release it: "
        "neither ever proceeds"
    )
    assert "pending.get() blocks while holding self._lock (acquired at line 37) until the submitted call returns; " in found[3][2]
    assert "but Index._load (handed over at line 38) takes Index._lock" in found[3][2]
    assert "until each mapped call returns; but Index._load takes Index._lock" in found[4][2]


def test_futures_kept_in_an_attribute_and_waited_as_a_collection():
    found = _messages("futures_kept.py")
    assert [(line, code) for line, code, _ in found] == [(28, "LL103"), (33, "LL103"), (52, "LL103"), (78, "LL103"), (146, "LL103")]
    assert found[0][2] == (
        "wait(self._futures) blocks while holding self._lock (acquired at line 27) until the submitted call returns; "
        "but Batch._work (kept in self._futures, submitted at line 20) takes Batch._lock on its way (at line 16), "
        "so it waits for this thread to release it: neither ever proceeds"
    )
    assert "future.result() blocks while holding self._lock (acquired at line 31)" in found[1][2]
    assert "but Completed._work (kept in self._futures, submitted at line 72) takes Completed._lock" in found[3][2]
    # a list of futures assigned to the attribute, in __init__
    assert "but Assigned._work (kept in self._futures, submitted at line 129) takes Assigned._lock" in found[4][2]


def test_pool_map_is_waited_for_by_leaving_the_pool_or_its_shutdown():
    found = _messages("executor_map_exit.py", folder="ll103")
    assert [(line, code) for line, code, _ in found] == [(20, "LL103"), (27, "LL103"), (45, "LL103"), (75, "LL103")]
    assert found[0][2].startswith(
        "leaving `with ThreadPoolExecutor(2) as pool` blocks while holding self._lock (acquired at line 19) until the submitted "
        "call returns; but Batch._work (handed over at line 21) takes Batch._lock on its way (at line 12)"
    )
    assert "but Batch._work (handed over at line 44) takes Batch._lock" in found[2][2]
    # a pool kept in an attribute, mapped on in another method (not where its results are iterated)
    assert found[3][0] == 75
    assert "but Service._work (handed over at line 68) takes Service._lock" in found[3][2]


def test_futures_of_several_submit_calls_kept_at_once():
    found = _messages("futures_kept_several.py")
    # quiet: work without the lock, as_completed over several calls, a result taken where submitted,
    # a submit whose future is not kept (it sits between the kept ones)
    assert [(line, code) for line, code, _ in found] == [(26, "LL103"), (31, "LL103"), (71, "LL103"), (102, "LL103")]
    assert found[0][2] == (
        "wait(self._futures) blocks while holding self._lock (acquired at line 25) until the submitted call returns; "
        "but Pair._load (kept in self._futures, submitted at line 14) takes Pair._lock on its way (at line 18), "
        "so it waits for this thread to release it: neither ever proceeds"
    )
    assert "but Refreshed._load (kept in self._futures, submitted at line 61) takes Refreshed._lock" in found[2][2]
    assert "but Extended._load (kept in self._futures, submitted at line 98) takes Extended._lock" in found[3][2]
