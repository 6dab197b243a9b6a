"""The parts of lintlock/program/ one at a time: definitions, call resolution, lock identity,
reachability and locks passed as arguments, on small programs summarized from source."""

from __future__ import annotations

import textwrap
from typing import Dict

from lintlock.link import Program
from lintlock.model import Acquire, Call, FunctionSummary, LockPath
from lintlock.program.calls import Receiver
from lintlock.program.locks import LockScope
from lintlock.program.reach import components
from lintlock.summarize import summarize


def program(**sources: str) -> Program:
    """A program of modules named by the keywords (`pkg_mod="..."` is module pkg.mod)."""
    summaries = []
    for name, source in sorted(sources.items()):
        module = name.replace("_", ".")
        summaries.append(summarize(textwrap.dedent(source).encode(), f"{module.replace('.', '/')}.py", module, False))
    return Program(summaries)


def call_named(fn: FunctionSummary, name: str) -> Call:
    return next(e for e in fn.events if isinstance(e, Call) and e.target.name == name)


# -- definitions ------------------------------------------------------------


def test_mro_is_c3_for_a_diamond():
    p = program(
        m="""
        class A: pass
        class B(A): pass
        class C(A): pass
        class D(B, C): pass
        """
    )
    assert p.mro("m.D") == ("m.D", "m.B", "m.C", "m.A")


def test_mro_of_an_inconsistent_hierarchy_falls_back_to_depth_first():
    p = program(
        m="""
        class X: pass
        class Y(X): pass
        class Z(X, Y): pass
        """
    )
    assert p.mro("m.Z") == ("m.Z", "m.X", "m.Y")


def test_resolve_follows_imports_and_aliases():
    p = program(
        a="""
        import threading
        Mutex = threading.Lock
        class Store:
            def get(self): pass
        """,
        b="""
        from a import Store as S
        """,
    )
    assert p.resolve("a.Mutex") == "threading.Lock"
    assert p.resolve("b.S.get") == "a.Store.get"
    assert p.resolve("b.nothing") == "b.nothing"


def test_lookup_after_a_class_finds_the_next_in_mro():
    p = program(
        m="""
        class Base:
            def run(self): pass
        class Child(Base):
            def run(self): pass
        """
    )
    assert p.lookup("m.Child", "run") == "m.Child.run"
    assert p.lookup("m.Child", "run", start_after="m.Child") == "m.Base.run"
    assert p.lookup("m.Base", "missing") is None


# -- call resolution ------------------------------------------------------------


def test_a_constructor_call_binds_a_new_object_not_named_in_the_caller():
    p = program(
        m="""
        class Box:
            def __init__(self, item):
                self.item = item
        def make(thing):
            return Box(thing)
        """
    )
    fn = p.functions["m.make"]
    call = call_named(fn, "m.Box")
    [target] = p.targets(fn, call)
    assert (target.callee, target.receiver, target.why) == ("m.Box.__init__", Receiver(None), "direct")
    [edge] = p.callees(fn, call)
    assert dict(edge.binding) == {"self": None, "item": LockPath("thing")}


def test_a_method_call_binds_its_receiver_and_a_function_binds_nothing():
    p = program(
        m="""
        def helper(x):
            pass
        class Box:
            def put(self, item):
                helper(item)
            def fill(self):
                self.put(1)
        """
    )
    fill = p.functions["m.Box.fill"]
    [target] = p.targets(fill, call_named(fill, "put"))
    assert target.receiver == Receiver(LockPath("self"))
    put = p.functions["m.Box.put"]
    [target] = p.targets(put, call_named(put, "m.helper"))
    assert target.receiver is None


# -- lock identity ----------------------------------------------------------------

LOCKS = """
import threading

GLOBAL = threading.Lock()

class Cache:
    shared = threading.RLock()

    def __init__(self):
        self._lock = threading.Lock()

    def get(self):
        with self._lock:
            pass
        with self.shared:
            pass
        with GLOBAL:
            pass
"""


def test_lock_refs_say_where_a_lock_lives_and_what_it_is():
    p = program(m=LOCKS)
    fn = p.functions["m.Cache.get"]
    instance = p.lock_ref(fn, LockPath("self", ("_lock",)))
    assert instance is not None
    assert (instance.scope, instance.owner, instance.name, instance.id, instance.short) == (
        LockScope.INSTANCE,
        "m.Cache",
        "_lock",
        "m.Cache._lock",
        "Cache._lock",
    )
    assert instance.kind is not None and instance.kind.name == "threading.Lock" and instance.reentrant is False
    assert instance.created is not None and instance.created.path == "m.py"
    shared = p.lock_ref(fn, LockPath("self", ("shared",)))
    assert shared is not None and (shared.scope, shared.reentrant) == (LockScope.CLASS, True)
    module = p.lock_ref(fn, LockPath("m.GLOBAL", (), "global"))
    assert module is not None and (module.scope, module.owner, module.name) == (LockScope.MODULE, "m", "GLOBAL")


def test_lock_refs_agree_with_the_string_ids():
    p = program(m=LOCKS)
    fn = p.functions["m.Cache.get"]
    for event in fn.events:
        if isinstance(event, Acquire):
            ref = p.lock_ref(fn, event.lock)
            assert ref is not None and ref.id == p.field_id(fn, event.lock)
            assert p.lock_ref_by_id(ref.id) == ref


def test_a_local_lock_has_no_lock_ref():
    p = program(
        m="""
        import threading
        def work():
            lock = threading.Lock()
            with lock:
                pass
        """
    )
    fn = p.functions["m.work"]
    assert p.lock_ref(fn, LockPath("lock")) is None
    assert p.canonical(fn, LockPath("lock")).reentrant is False


FACTORY = """
import threading

class Env:
    def make_lock(self):
        return threading.Lock()

    def make_rlock(self):
        return threading.RLock()

class Other:
    def make_lock(self):
        return threading.RLock()

class Store:
    def __init__(self, env: Env):
        self._env = env
        self._lock = self._env.make_lock()

class Journal:
    def __init__(self):
        self._lock = Env().make_rlock()

class Mixed:
    def __init__(self, env: Env, other: Other):
        self._a = env.make_lock()
        self._b = other.make_lock()
"""


def lock_kind(p: Program, cls: str, attr: str):
    fn = p.functions[f"{cls}.__init__"]
    return p.canonical(fn, LockPath("self", (attr,)))


def test_a_lock_made_by_another_objects_method_has_that_methods_kind():
    p = program(m=FACTORY)
    info = lock_kind(p, "m.Store", "_lock")
    assert info.kind is not None and info.kind.name == "threading.Lock" and info.reentrant is False


def test_a_lock_made_by_a_method_of_an_unknown_object_stays_unknown():
    p = program(m=FACTORY)
    assert lock_kind(p, "m.Journal", "_lock").kind is None  # `Env()` is not a path: its class is not followed


def test_two_calls_of_one_method_name_on_different_classes_are_not_guessed():
    p = program(m=FACTORY)
    first = lock_kind(p, "m.Mixed", "_a")
    assert first.kind is not None and first.kind.name == "threading.Lock"  # only env.make_lock() comes before it
    assert lock_kind(p, "m.Mixed", "_b").kind is None  # Env's or Other's make_lock: not known which one made it


# -- reachability ---------------------------------------------------------------


def test_components_come_callees_first_with_cycles_together():
    graph: Dict[str, list] = {"a": ["b"], "b": ["c", "a"], "c": [], "d": ["c"]}
    assert components(sorted(graph), lambda n: graph[n]) == [["c"], ["a", "b"], ["d"]]


WRAPPER = """
import threading

class Gate:
    def __init__(self):
        self._inner = threading.Lock()

    def acquire(self):
        self._inner.acquire()

    def release(self):
        self._inner.release()

class Outbox:
    def __init__(self):
        self._gate = Gate()

    def push(self):
        self._gate.acquire()
        try:
            pass
        finally:
            self._gate.release()

    def push_all(self):
        self._gate.acquire()
        try:
            self.push()
        finally:
            self._gate.release()
"""


def test_acquire_of_a_wrapper_reaches_and_holds_its_inner_lock():
    p = program(m=WRAPPER)
    inner = ("l", "self", ("_gate", "_inner"))
    assert inner in p.reach["m.Outbox.push"]
    assert [hop.callee for _, hop in p.chain("m.Outbox.push", inner)] == ["m.Gate.acquire", None]
    push_all = p.functions["m.Outbox.push_all"]
    held = p.held_locks(push_all, call_named(push_all, "push").held)
    assert [(h.key, h.how) for h in held] == [(inner, "through acquire()")]


def test_acquire_of_a_plain_object_reaches_nothing_more():
    p = program(
        m="""
        import threading
        class Plain:
            def __init__(self):
                self._lock = threading.Lock()
            def work(self):
                self._lock.acquire()
                try:
                    pass
                finally:
                    self._lock.release()
        """
    )
    assert list(p.reach["m.Plain.work"]) == [("l", "self", ("_lock",))]


# -- locks passed as arguments ----------------------------------------------------

TRANSFER = """
import threading

def transfer(first, second):
    with first:
        with second:
            pass

def twice(first, second):
    transfer(first, second)

class Bank:
    def __init__(self):
        self._a = threading.Lock()
        self._b = threading.Lock()

    def forward(self):
        transfer(self._a, self._b)

    def nested(self):
        twice(self._b, self._a)

    def same(self):
        transfer(self._a, self._a)
"""


def passed_at(p: Program, fn_name: str, callee: str):
    fn = p.functions[fn_name]
    [edge] = p.callees(fn, call_named(fn, callee))
    return fn, edge


def test_a_call_takes_the_locks_it_passes():
    p = program(m=TRANSFER)
    fn, edge = passed_at(p, "m.Bank.forward", "m.transfer")
    assert [(t.lock, t.text, t.chain) for t in p.taken_through(fn, edge)] == [("m.Bank._a", "first", ("transfer",)), ("m.Bank._b", "second", ("transfer",))]


def test_a_call_orders_the_locks_it_passes_in_the_order_of_its_parameters():
    p = program(m=TRANSFER)
    fn, edge = passed_at(p, "m.Bank.forward", "m.transfer")
    [order] = p.orders_through(fn, edge)
    assert (order.first, order.second, order.held.key, order.taken.chain) == ("m.Bank._a", "m.Bank._b", ("l", "self", ("_a",)), ("transfer",))
    fn, edge = passed_at(p, "m.Bank.nested", "m.twice")
    [order] = p.orders_through(fn, edge)
    assert (order.first, order.second, order.taken.chain) == ("m.Bank._b", "m.Bank._a", ("twice", "transfer"))


def test_one_lock_passed_twice_orders_nothing():
    p = program(m=TRANSFER)
    fn, edge = passed_at(p, "m.Bank.same", "m.transfer")
    assert p.orders_through(fn, edge) == []


def test_locks_with_an_identity_in_the_callee_are_left_to_class_reach():
    p = program(
        m="""
        import threading
        class Account:
            def __init__(self):
                self.lock = threading.Lock()
        def move(src: Account, dst: Account):
            with src.lock:
                with dst.lock:
                    pass
        def run(a: Account, b: Account):
            move(a, b)
        """
    )
    fn, edge = passed_at(p, "m.run", "m.move")
    assert p.taken_through(fn, edge) == [] and p.orders_through(fn, edge) == []
    assert "m.Account.lock" in p.class_reach["m.move"]


# -- locks handed over and stored ---------------------------------------------------

HANDED = """
import threading

class Worker:
    def __init__(self, lock):
        self._lock = lock

    def run(self):
        with self._lock:
            pass

class Special(Worker):
    pass

class Relay(Worker):
    def __init__(self, lock):
        super().__init__(lock)

class Owner:
    def __init__(self):
        self._lock = threading.Lock()
        self._worker = Worker(self._lock)
        self._special = Special(self._lock)
        self._relay = Relay(self._lock)

class Shared:
    def __init__(self, lock):
        self._lock = lock

    def run(self):
        with self._lock:
            pass

class Two:
    def __init__(self):
        self._a = threading.Lock()
        self._b = threading.RLock()
        Shared(self._a)
        Shared(self._b)
"""


def run_lock(p: Program, cls: str):
    fn = p.functions[f"{cls}.run"]
    key = p.key_of(fn, LockPath("self", ("_lock",)))
    return p.lock_info(fn, key), p.class_id(fn, key)


def test_a_lock_every_builder_hands_over_is_that_lock():
    p = program(m=HANDED)
    info, lock_id = run_lock(p, "m.Worker")
    assert lock_id == "m.Owner._lock"
    assert info.kind is not None and info.kind.name == "threading.Lock" and info.reentrant is False
    assert info.key == ("l", "self", ("_lock",))  # still this instance's attribute: same object only through self
    ref = p.lock_ref(p.functions["m.Worker.run"], LockPath("self", ("_lock",)))
    assert ref is not None and (ref.owner, ref.name) == ("m.Owner", "_lock")
    handed = p.handed_lock(p.functions["m.Worker.run"], LockPath("self", ("_lock",)))
    assert handed is not None and handed.passed_at.path == "m.py"
    assert p.event_at(p.functions["m.Owner.__init__"], handed.passed_at.site) == call_named(p.functions["m.Owner.__init__"], "m.Special")


def test_a_lock_handed_over_through_super_init_and_a_subclass_is_followed():
    p = program(m=HANDED)
    assert p.locks.handed is not None
    handed = p.locks.handed.attribute("m.Relay", "_lock")
    assert handed is not None and handed.lock_id == "m.Owner._lock"
    handed = p.locks.handed.attribute("m.Special", "_lock")
    assert handed is not None and handed.lock_id == "m.Owner._lock"


def test_builders_handing_over_different_locks_claim_nothing():
    p = program(m=HANDED)
    info, lock_id = run_lock(p, "m.Shared")
    assert info.kind is None
    assert lock_id == "m.Shared._lock"  # its own attribute, as before


def test_a_lock_never_handed_over_stays_unknown():
    p = program(
        m="""
        class Lonely:
            def __init__(self, lock):
                self._lock = lock
            def run(self):
                with self._lock:
                    pass
        """
    )
    info, lock_id = run_lock(p, "m.Lonely")
    assert info.kind is None and lock_id == "m.Lonely._lock"
