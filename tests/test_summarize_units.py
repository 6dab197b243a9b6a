"""Unit tests of the summarizer's parts (lintlock/summarize/): the held-lock set,
LL105's guard fact, the dispatch of expressions and statements, site numbering."""

from __future__ import annotations

import textwrap

import libcst as cst

from lintlock.model import Acquire, Call, Held, LockPath, Value
from lintlock.summarize import parse, site_nodes, summarize
from lintlock.summarize.held import after_finally, join, without


def summary_of(source: str, positions: bool = False):
    return summarize(textwrap.dedent(source).encode(), "m.py", "m", False, positions=positions)


def function(source: str, name: str = "f"):
    [found] = [f for f in summary_of(source).functions if f.name == name]
    return found


def events(source: str, kind: type, name: str = "f"):
    return [event for event in function(source, name).events if isinstance(event, kind)]


A = Held(site=1, lock=LockPath("a"))
B = Held(site=2, lock=LockPath("b"))
A_AGAIN = Held(site=3, lock=LockPath("a"), how="acquire")


def test_join_keeps_what_both_paths_hold_in_order():
    assert join((A, B), (B, A)) == (A, B)
    assert join((A, B), (B,)) == (B,)
    assert join(None, (A,)) == (A,)  # a path that does not continue adds nothing
    assert join((A,), None) == (A,)
    assert join(None, None) is None


def test_without_releases_only_the_latest_acquisition():
    assert without((A, B, A_AGAIN), LockPath("a")) == (A, B)
    assert without((A, B), LockPath("c")) == (A, B)


def test_after_finally_keeps_what_the_finally_block_acquired_and_drops_what_it_released():
    # before the finally block: A and B; it releases B and acquires A_AGAIN
    assert after_finally(after=(A, B), start=(A, B), finished=(A, A_AGAIN)) == (A, A_AGAIN)


GUARDED = """
    import threading
    lock = threading.Lock()

    def f():
        lock.acquire()
        try:
            work()
        finally:
            lock.release()
"""


def test_acquire_followed_by_try_finally_release_is_guarded():
    [acquire] = events(GUARDED, Acquire)
    assert (acquire.how, acquire.guarded, acquire.lock) == ("acquire", True, LockPath("m.lock", (), "global"))


def test_acquire_released_only_on_the_normal_path_is_not_guarded():
    [acquire] = events(
        """
        import threading
        lock = threading.Lock()

        def f():
            lock.acquire()
            work()
            lock.release()
        """,
        Acquire,
    )
    assert acquire.guarded is False


def test_acquire_in_a_test_is_guarded_by_its_branch():
    [acquire] = events(
        """
        import threading
        lock = threading.Lock()

        def f():
            if lock.acquire(False):
                try:
                    work()
                finally:
                    lock.release()
        """,
        Acquire,
    )
    assert (acquire.guarded, acquire.blocking) == (True, False)


def test_the_guard_of_one_acquire_does_not_apply_to_the_next():
    # the first acquire is guarded by the try that follows it; the second, in
    # the try's body, is released by nothing
    first, second = events(
        """
        import threading
        a = threading.Lock()
        b = threading.Lock()

        def f():
            a.acquire()
            try:
                b.acquire()
                work()
            finally:
                a.release()
        """,
        Acquire,
    )
    assert (first.lock.base, first.guarded) == ("m.a", True)
    assert (second.lock.base, second.guarded) == ("m.b", False)


def test_an_acquire_passed_to_a_call_is_not_an_acquisition():
    source = """
        import threading
        lock = threading.Lock()

        def f():
            spawn(lock.acquire())
            try:
                work()
            finally:
                lock.release()
    """
    assert events(source, Acquire) == []


def dunder_calls(source: str):
    return [(e.target.kind, e.target.name, e.target.writes, e.target.receiver.text() if e.target.receiver else None) for e in events(source, Call)]


def test_syntax_on_a_local_object_calls_its_dunder_methods():
    source = """
        def f(obj):
            if 1 in obj:
                obj[0] = obj[1]
                del obj[2]
                obj.size = 3
                print(obj.size)
    """
    assert dunder_calls(source) == [
        ("dunder", "__contains__", False, "obj"),
        ("dunder", "__getitem__", False, "obj"),
        ("dunder", "__setitem__", False, "obj"),
        ("dunder", "__delitem__", False, "obj"),
        ("attr", "size", True, "obj"),  # a write: a property's setter runs
        ("attr", "size", False, "obj"),
        ("global", "builtins.print", False, None),
    ]


def test_a_lock_wrapped_by_an_instance_attribute_is_named_relative_to_the_instance():
    source = """
        import threading

        class Box:
            def __init__(self, lock):
                self._lock = threading.Lock()
                self._ready = threading.Condition(self._lock)
                self._other = threading.Condition(lock)
    """
    [box] = summary_of(source).classes
    declared = dict(box.instance_attrs)
    assert declared["_ready"].arg0 == LockPath("", ("_lock",), "instance")
    assert declared["_ready"].arg0.text() == "self._lock"
    assert declared["_other"].arg0 == LockPath("lock")  # a parameter: not the instance


def test_syntax_on_a_global_object_calls_nothing_we_follow():
    source = """
        registry = {}

        def f():
            if 1 in registry:
                registry[0] = registry[1]
                del registry[2]
    """
    assert dunder_calls(source) == []


def test_with_holds_the_lock_for_its_body_only():
    source = """
        import threading
        lock = threading.Lock()

        def f():
            with lock:
                inside()
            outside()

        def inside():
            pass

        def outside():
            pass
    """
    calls = {e.target.name: e.held for e in events(source, Call)}
    [acquire] = events(source, Acquire)
    assert calls["m.inside"] == (Held(site=acquire.site, lock=acquire.lock),)
    assert calls["m.outside"] == ()


def test_site_numbers_name_the_same_nodes_with_and_without_positions():
    source = textwrap.dedent(GUARDED).encode()
    plain = summarize(source, "m.py", "m", False)
    located = summarize(source, "m.py", "m", False, positions=True)
    assert plain.functions == located.functions
    tree = parse(source)
    nodes = site_nodes(tree, "m.py", "m", False)
    sites = sorted(event.site for f in plain.functions for event in f.events)
    assert sites and all(site in nodes for site in sites)
    texts = {site: text for site, _, _, _, _, text in located.positions}
    for site in sites:
        assert texts[site] == " ".join(tree.code_for_node(nodes[site]).split())
    assert isinstance(nodes[sites[0]], cst.Call)  # lock.acquire()


def test_the_result_of_an_acquire_kept_in_a_local_is_a_typed_flag():
    source = """
        import threading

        def f(lock):
            ok = lock.acquire(False)
            got = lock.acquire()
            other = threading.Lock()
            if ok:
                work()
    """
    values = dict(function(source).local_values)
    assert values["ok"] == Value(arg0=LockPath("lock"), acquired="try")
    assert values["got"] == Value(arg0=LockPath("lock"), acquired="blocking")
    assert values["other"].acquired is None and values["other"].callee == "threading.Lock"
    [work] = [e for e in events(source, Call) if e.target.name.endswith("work")]
    assert [(h.lock, h.how) for h in work.free] == [(LockPath("lock"), "free")]  # `if ok:` proves it was free


def test_a_blocking_acquire_flag_proves_nothing_about_freedom():
    source = """
        def f(lock):
            got = lock.acquire()
            if got:
                work()
    """
    [work] = [e for e in events(source, Call) if e.target.name.endswith("work")]
    assert work.free == ()


def test_an_augmented_assignment_to_an_attribute_reads_it_then_sets_it():
    source = """
        def f(obj, items):
            obj.size += 1
            items[0] += 1
    """
    attributes = [(e.target.name.rstrip("="), e.target.writes or e.target.name.endswith("=")) for e in events(source, Call) if e.target.kind == "attr"]
    assert attributes == [("size", False), ("size", True)]  # the getter runs, then the setter


def test_a_property_made_by_calling_property_is_an_accessor_that_calls_the_method():
    source = """
        class C:
            def _get(self):
                return 1

            def _set(self, value):
                pass

            size = property(_get, fset=_set)
            other = property(lambda self: 2)  # no method of the class: nothing to follow
    """
    summary = summary_of(source)
    accessors = {f.qualname: f for f in summary.functions if f.kind in ("property", "setter")}
    assert sorted(accessors) == ["m.C.size", "m.C.size.setter"]
    [get] = accessors["m.C.size"].events
    assert (get.target.kind, get.target.name, get.target.receiver) == ("method", "_get", LockPath("self"))
    [put] = accessors["m.C.size.setter"].events
    assert (put.target.name, put.args.positional) == ("_set", (LockPath("value"),))
    [cls] = summary.classes
    assert ("size", "m.C.size") in cls.methods and ("size.setter", "m.C.size.setter") in cls.methods
