"""Value flow's kept answers (lintlock.program.valueflow): what the definitions alone decide about a
path (Declared.plan), the answers kept once the table is solved, and the call memo keyed by
identity. Each keeps the answers the unkept computation gives."""

from __future__ import annotations

import textwrap
from dataclasses import replace

from lintlock.link import Program
from lintlock.model import Call, FunctionSummary, LockPath
from lintlock.program.valueflow import Pointee
from lintlock.summarize import summarize

SOURCE = """
import threading


class Backend:
    def __init__(self):
        self._lock = threading.Lock()

    def send(self):
        with self._lock:
            pass


class Session:
    def __init__(self, backend):
        self._backend = backend
        self._listeners = []
        self._declared = Backend()

    def subscribe(self, fn):
        self._listeners.append(fn)

    def run(self):
        self._backend.send()
        self._declared.send()
        for fn in self._listeners:
            fn()


def wire():
    session = Session(Backend())
    session.subscribe(session.run)
"""


def program() -> Program:
    return Program([summarize(textwrap.dedent(SOURCE).encode(), "m.py", "m", False)])


def call_named(fn: FunctionSummary, name: str) -> Call:
    return next(e for e in fn.events if isinstance(e, Call) and e.target.name == name)


def test_a_path_whose_prefix_class_is_declared_has_a_plan():
    p = program()
    run = p.functions["m.Session.run"]
    values, plain, held = p.flow.paths.declared.plan(run, LockPath("self", ("_declared", "send")))
    assert values == frozenset({Pointee("bound", "m.Backend.send", receiver=LockPath("self", ("_declared",)))})
    assert (plain, held) == ((), (("A", "m.Backend", "send"),))
    values, plain, held = p.flow.paths.declared.plan(run, LockPath("self"))
    assert (values, plain, held) == (frozenset({Pointee("inst", "m.Session")}), (("L", "m.Session.run", "self"),), ())


def test_a_path_whose_prefix_class_only_value_flow_finds_has_no_plan():
    """`self._backend` is a parameter kept: its class is what flows there, read as the table stands."""
    p = program()
    run = p.functions["m.Session.run"]
    assert p.flow.paths.declared.plan(run, LockPath("self", ("_backend", "send"))) is None
    assert p.flow.of_path(run, LockPath("self", ("_backend", "send"))) == {Pointee("bound", "m.Backend.send", receiver=LockPath("self", ("_backend",)))}


def test_kept_answers_are_copies_a_caller_may_change():
    p = program()
    run = p.functions["m.Session.run"]
    backend = LockPath("self", ("_backend",))
    listeners = LockPath("self", ("_listeners",))
    first = p.flow.classes_of(run, backend)
    assert first == {"m.Backend"}
    first.clear()
    assert p.flow.classes_of(run, backend) == {"m.Backend"}
    elements = p.flow.paths.elements(run, listeners)
    assert [(v.kind, v.name, v.receiver, v.origin.path if v.origin else None) for v in elements] == [("bound", "m.Session.run", LockPath("self"), "m.py")]
    elements.clear()
    assert len(p.flow.paths.elements(run, listeners)) == 1
    values = p.flow.of_path(run, backend)
    values.clear()
    assert [v.name for v in p.flow.of_path(run, backend)] == ["m.Backend"]


def test_answers_while_solving_are_not_kept():
    """Before the table is solved, nothing is kept: an answer asked then would miss what flows later."""
    p = program()
    run = p.functions["m.Session.run"]
    backend = LockPath("self", ("_backend",))
    assert p.flow.paths.classes_of(run, backend) == set()  # the table is empty: nothing flowed yet
    assert p.flow.classes_of(run, backend) == {"m.Backend"}  # solves first


def test_callees_of_an_equal_call_that_is_another_object():
    p = program()
    run = p.functions["m.Session.run"]
    call = call_named(run, "fn")
    edges = p.callees(run, call)
    assert [(e.callee, e.why) for e in edges] == [("m.Session.run", "value flow")]
    twin = replace(call)
    assert twin == call and twin is not call
    assert p.callees(run, twin) == edges
    assert p.callees(run, call) is edges  # asked again: kept


def test_static_class_of_an_equal_summary_that_is_another_object():
    p = program()
    run = p.functions["m.Session.run"]
    declared = LockPath("self", ("_declared",))
    assert p.static_class_of_path(run, declared) == "m.Backend"
    twin = replace(run, cls=None)  # not a method any more: `self` is a plain parameter
    assert p.static_class_of_path(twin, declared) is None
    assert p.static_class_of_path(run, declared) == "m.Backend"


def registry(order: range) -> Program:
    handlers = "".join(f"def h{i:02}():\n    pass\n\n\n" for i in range(40))
    wire = "".join(f"    r.add(h{i:02})\n" for i in order)
    source = f"""
class Registry:
    def __init__(self):
        self._handlers = []

    def add(self, fn):
        self._handlers.append(fn)

    def fire(self):
        for fn in self._handlers:
            fn()


{handlers}def wire():
    r = Registry()
{wire}"""
    return Program([summarize(source.encode(), "m.py", "m", False)])


def test_a_full_variable_keeps_the_first_values_registered():
    """More than 32 callbacks in one container: those registered first (in the order the facts are applied)."""
    p = registry(range(39, -1, -1))
    fire = p.functions["m.Registry.fire"]
    assert [e.callee for e in p.callees(fire, call_named(fire, "fn"))] == [f"m.h{i:02}" for i in range(8, 40)]


def test_values_arriving_together_past_the_limit_are_chosen_whatever_a_sets_order():
    """Which values a full variable keeps of those added at once must not depend on a set's order
    (string hashes change from run to run)."""
    values = [Pointee("function", f"m.h{i:02}") for i in range(40)]
    kept = []
    for order in (values, values[::-1]):
        flow = registry(range(0)).flow
        flow._add(("G", "m.handlers"), order[:3])
        flow._add(("G", "m.handlers"), order)
        kept.append(flow.paths.table[("G", "m.handlers")])
    assert kept[0] == set(values[:3] + values[3:32])
    assert kept[1] == set(values[37:] + values[:29])


def test_a_variable_under_the_limit_keeps_every_value():
    p = registry(range(32))
    fire = p.functions["m.Registry.fire"]
    assert [e.callee for e in p.callees(fire, call_named(fire, "fn"))] == [f"m.h{i:02}" for i in range(32)]
