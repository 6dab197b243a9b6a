"""Reachability worked out on demand (lintlock/program/reach.py) and the calls LL102 resolves
for locks passed as arguments (lintlock/program/passed.py): only what is asked about is worked
out, and the answers are those of the whole program's tables."""

from __future__ import annotations

import textwrap
from typing import List

import pytest

from lintlock.link import Program
from lintlock.model import Call
from lintlock.pipeline import run
from lintlock.summarize import summarize

CHAINS = """
import threading

lock = threading.Lock()
other = threading.Lock()

def bottom():
    with lock:
        pass

def ping(n):
    if n:
        pong(n - 1)
    bottom()

def pong(n):
    ping(n)
    with other:
        pass

def top():
    pong(3)

def unrelated():
    helper()

def helper():
    with other:
        pass

class Box:
    def __init__(self):
        self._lock = threading.Lock()

    def put(self):
        with self._lock:
            self.count()

    def count(self):
        top()
"""


def program(source: str) -> Program:
    return Program([summarize(textwrap.dedent(source).encode(), "m.py", "m", False)])


def resolved(p: Program) -> List[str]:
    """Spy on the call graph: the functions whose calls get resolved, in order."""
    names: List[str] = []
    edges_of = p.calls.edges_of

    def spy(name: str):
        names.append(name)
        return edges_of(name)

    p.calls.edges_of = spy  # type: ignore[method-assign]
    return names


def test_asking_about_one_function_resolves_only_the_calls_below_it():
    p = program(CHAINS)
    names = resolved(p)
    assert sorted(p.reach_of("m.top")) == [("g", "m.lock", ()), ("g", "m.other", ())]
    assert sorted(set(names)) == ["m.bottom", "m.ping", "m.pong", "m.top"]
    names.clear()
    assert sorted(p.class_reach_of("m.pong")) == ["m.lock", "m.other"]  # worked out already
    assert names == []


@pytest.mark.parametrize("order", ["sorted", "reversed", "cycle first"])
def test_tables_are_the_whole_programs_whichever_function_is_asked_first(order):
    whole = program(CHAINS)
    reach, class_reach = whole.reach, whole.class_reach
    names = sorted(reach)
    asked = {"sorted": names, "reversed": names[::-1], "cycle first": ["m.ping"] + names}[order]
    p = program(CHAINS)
    for name in asked:
        assert (dict(p.reach_of(name)), dict(p.class_reach_of(name))) == (reach[name], class_reach[name])
        for key in reach[name]:
            assert p.chain(name, key) == whole.chain(name, key)
    assert p.chain("m.Box.put", ("l", "self", ("_lock",))) == whole.chain("m.Box.put", ("l", "self", ("_lock",)))


def test_a_name_that_is_no_function_reaches_nothing_and_the_answer_is_read_only():
    p = program(CHAINS)
    assert dict(p.reach_of("m.nothing")) == {} and dict(p.class_reach_of("m.Box")) == {}
    with pytest.raises(TypeError):
        p.reach_of("m.nothing")[("g", "m.lock", ())] = None  # type: ignore[index]
    assert p.chain("m.nothing", ("g", "m.lock", ())) == []


# -- which calls LL102 resolves for locks passed as arguments ------------------------

PASSING = """
import threading

def ordered(fn):
    def wrapper(obj, *args):
        with obj.first:
            with obj.second:
                return fn(obj, *args)
    return wrapper

def transfer(a, b):
    with a:
        with b:
            pass

class Pair:
    def __init__(self):
        self.first = threading.Lock()
        self.second = threading.Lock()

    @ordered
    def work(self):
        pass

    def plain(self):
        pass

    def calls(self):
        self.work()
        self.plain()
        transfer(self.first, self.second)
        transfer(1, 2)
"""


def calls_in(p: Program, fn_name: str) -> List[Call]:
    return [e for e in p.functions[fn_name].events if isinstance(e, Call)]


def test_only_calls_that_can_pass_an_object_other_than_the_receiver_may_pass():
    p = program(PASSING)
    verdicts = [(call.target.name, p.may_pass(call)) for call in calls_in(p, "m.Pair.calls") if call.target.kind != "attr"]
    # work(): its decorator's wrapper takes the receiver as its first argument
    assert verdicts == [("work", True), ("plain", False), ("m.transfer", True), ("m.transfer", False)]


def test_a_method_whose_first_parameter_is_starred_may_take_the_receiver_as_another():
    p = program(PASSING + "\nclass Odd:\n    def run(*args, key=None):\n        pass\n")
    assert all(p.may_pass(call) for call in calls_in(p, "m.Pair.calls") if call.target.kind == "method")


def test_orders_through_a_call_passing_nothing_but_its_receiver_are_none():
    p = program(PASSING)
    fn = p.functions["m.Pair.calls"]
    plain = next(c for c in calls_in(p, "m.Pair.calls") if c.target.name == "plain")
    [edge] = p.callees(fn, plain)
    assert p.orders_through(fn, edge) == [] and p.taken_through(fn, edge) == []


def findings(tmp_path, source: str):
    (tmp_path / "m.py").write_text(textwrap.dedent(source))
    return [(f.line, f.code, f.message) for f in run([str(tmp_path)]).findings]


def with_method(name: str, first: str, second: str) -> str:
    method = f"    def {name}(self):\n        with self.{first}:\n            with self.{second}:\n                pass\n\n"
    return PASSING.replace("    def calls(self):", method + "    def calls(self):").replace("        transfer(self.first, self.second)\n", "")


def test_a_decorator_holding_the_receivers_locks_orders_them(tmp_path):
    # `self.work()` passes no argument, but its decorator's wrapper takes the receiver and holds
    # its locks first, then second: `backwards` takes them the other way round
    [(line, code, message)] = findings(tmp_path, with_method("backwards", "second", "first"))
    assert (line, code) == (30, "LL102")
    assert message.startswith("lock-order inversion between Pair.second and Pair.first (taken in the other order at line 34)")


def test_the_decorated_method_in_the_same_order_is_quiet(tmp_path):
    assert findings(tmp_path, with_method("forwards", "first", "second")) == []
