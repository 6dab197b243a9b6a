"""Issue 13: the model has no sentinels in strings. Decorators are Decorator records,
an unnamed class base is a flag, and the cache codec checks both on load."""

from __future__ import annotations

import pytest

from lintlock import model
from lintlock.codec import Codec, Malformed, dataclasses_and_enums
from lintlock.model import ClassSummary, Decorator, FunctionSummary, ModuleSummary
from lintlock.program.index import Index
from lintlock.summarize import summarize

CODEC = Codec(dataclasses_and_enums(model))

SOURCE = b"""\
import functools
from contextlib import contextmanager as cm


def retry(times):
    return lambda f: f


@retry(3)
def factory():
    pass


@functools.lru_cache
def plain():
    pass


@(lambda f: f)
def expression():
    pass


@cm
def managed():
    yield


def outer(local_deco, registry):
    @local_deco
    def by_local():
        pass

    @registry.hook()
    def by_local_factory():
        pass

    return by_local, by_local_factory


class Unknown(functools.partial, make_base()):
    pass


class Known(Unknown, object):
    pass


class Plain:
    pass
"""


def _summary() -> ModuleSummary:
    return summarize(SOURCE, "m.py", "m", False)


def _function(summary: ModuleSummary, name: str) -> FunctionSummary:
    (found,) = [f for f in summary.functions if f.name == name]
    return found


def _class(summary: ModuleSummary, name: str) -> ClassSummary:
    (found,) = [c for c in summary.classes if c.name == name]
    return found


@pytest.mark.parametrize(
    "name, decorator",
    [
        ("factory", Decorator("m.retry", called=True)),  # @retry(3): a decorator factory
        ("plain", Decorator("functools.lru_cache")),
        ("expression", Decorator(None)),  # @(lambda f: f): not a name
        ("managed", Decorator("contextlib.contextmanager")),  # through `as cm`
        ("by_local", Decorator("local_deco", local=True)),
        ("by_local_factory", Decorator("registry.hook", local=True, called=True)),
    ],
)
def test_decorators_summarize_to_records(name, decorator):
    assert _function(_summary(), name).decorators == (decorator,)


def test_only_a_plain_global_decorator_is_applied_by_name():
    assert Decorator("functools.lru_cache").applied() == "functools.lru_cache"
    assert Decorator("m.retry", called=True).applied() is None
    assert Decorator("local_deco", local=True).applied() is None
    assert Decorator(None).applied() is None
    # where it is defined (what lintlock.demand loads): any global name, called or not
    assert Decorator("m.retry", called=True).global_name() == "m.retry"
    assert Decorator("local_deco", local=True).global_name() is None
    assert Decorator(None).global_name() is None


def test_index_sees_the_context_manager_and_not_the_factory():
    summary = _summary()
    index = Index([summary])
    assert index.is_context_manager(_function(summary, "managed"))
    assert not index.is_context_manager(_function(summary, "factory"))
    assert index.wrappers(_function(summary, "factory")) == []  # retry(3) returns a lambda, not a named wrapper


def test_unnamed_base_is_a_flag_and_leaves_the_class_open():
    summary = _summary()
    unknown, known, plain = (_class(summary, n) for n in ("Unknown", "Known", "Plain"))
    assert (unknown.bases, unknown.unnamed_base) == (("functools.partial",), True)
    assert (known.bases, known.unnamed_base) == (("m.Unknown", "builtins.object"), False)
    assert (plain.bases, plain.unnamed_base) == ((), False)
    index = Index([summary])
    assert index.mro("m.Known") == ("m.Known", "m.Unknown")
    # an unnamed base anywhere up the MRO: a class outside the tree may define what it lacks
    assert not index.closed("m.Unknown")
    assert not index.closed("m.Known")
    assert index.closed("m.Plain")


def test_codec_round_trips_decorators_and_unnamed_bases():
    summary = _summary()
    assert CODEC.loads(CODEC.dumps(summary), ModuleSummary) == summary
    function = FunctionSummary("m.f", "f", (), (), decorators=(Decorator("a.b", local=True, called=True), Decorator(None)))
    document = CODEC.dumps(function)
    assert b'{"!":"Decorator","name":"a.b","local":true,"called":true}' in document
    assert CODEC.loads(document, FunctionSummary) == function


@pytest.mark.parametrize(
    "bad",
    [
        b'"functools.wraps()"',  # the old string encoding
        b'{"!":"Decorator","name":3}',
        b'{"!":"Decorator","name":"a","called":"yes"}',
        b'{"!":"Decorator","name":"a","local":1}',
        b'{"!":"Decorator","name":"a","text":"@a"}',  # no such field
        b'{"!":"LockPath","base":"a"}',  # another class
    ],
)
def test_codec_rejects_a_bad_decorator(bad):
    good = CODEC.dumps(FunctionSummary("m.f", "f", (), (), decorators=(Decorator("a"),)))
    document = good.replace(b'{"!":"Decorator","name":"a"}', bad)
    assert document != good
    with pytest.raises(Malformed):
        CODEC.loads(document, FunctionSummary)


def test_codec_rejects_a_bad_unnamed_base_flag():
    good = CODEC.dumps(ClassSummary("m.C", "C", (), (), (), (), unnamed_base=True))
    with pytest.raises(Malformed):
        CODEC.loads(good.replace(b'"unnamed_base":true', b'"unnamed_base":"yes"'), ClassSummary)
    with pytest.raises(Malformed):
        CODEC.loads(good.replace(b'"bases":[]', b'"bases":[null]'), ClassSummary)
