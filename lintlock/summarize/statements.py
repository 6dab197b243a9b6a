"""Statements, walked in order inside a function: how each one changes the
held-lock set. One small handler per statement type, chosen by `type(stmt)`;
compound statements (if, loops, try, with, match) join their branches."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Dict, List, Literal, Optional, Sequence, Tuple, Union

import libcst as cst

from ..model import Acquire, Args, Await, Held, LockPath, Target
from .assignments import Assignments
from .expressions import Expressions
from .freedom import frees_the_rest, try_acquired
from .held import HeldSet, after_finally, intersect, is_acquire_call, join, minus, without
from .names import Names
from .scope import Frame, bind
from .sites import Sites
from .spawned import EXECUTORS, bounds_awaits, finished_in
from .syntax import statements_of
from .values import value_of

if TYPE_CHECKING:
    from .module import ModuleWalker

# (statement, frame, held) -> held after it (None: it does not continue); each handler takes one type
StatementHandler = Callable[..., Optional[HeldSet]]
WithHow = Literal["with", "async with"]


class Statements:
    def __init__(self, expressions: Expressions, names: Names, definitions: ModuleWalker) -> None:
        self.expressions = expressions
        self.names = names
        self.definitions = definitions
        self.assignments = Assignments(expressions, names, definitions, definitions.globals)
        self._compound: Dict[type, StatementHandler] = {
            cst.SimpleStatementLine: self._simple_line,
            cst.SimpleStatementSuite: self._simple_line,
            cst.FunctionDef: self._function_def,
            cst.ClassDef: self._class_def,
            cst.If: self._if,
            cst.While: self._while,
            cst.For: self._for,
            cst.Try: self._try,
            cst.TryStar: self._try,
            cst.With: self._with,
            cst.Match: self._match,
        }
        self._small: Dict[type, StatementHandler] = {
            cst.Expr: self._expression,
            cst.Assign: self._assign,
            cst.AnnAssign: self._annotated_assign,
            cst.AugAssign: self._augmented_assign,
            cst.Return: self._return,
            cst.Raise: self._raise,
            cst.Break: self._stop,
            cst.Continue: self._stop,
            cst.Del: self._del,
            cst.Import: self._import,
            cst.ImportFrom: self._import,
            cst.Assert: self._assert,
        }

    def block(self, body: Sequence[cst.CSTNode], frame: Frame, held: Optional[HeldSet], released_by: Sequence[cst.CSTNode] = ()) -> Optional[HeldSet]:
        """Walk statements in order. `released_by`: the finally block of the try this is the body of."""
        statements = frame.statements
        compound = self._compound
        freed = len(frame.free)
        for index, stmt in enumerate(body):
            if held is None:
                break  # unreachable: nothing after return/raise runs
            handler = compound.get(type(stmt))
            if handler is not None:
                statements.append((body, index, released_by))
                held = handler(stmt, frame, held)
                statements.pop()
                tried = frees_the_rest(stmt, frame, self.names) if type(stmt) is cst.If else None
                if tried is not None:  # `if not lock.acquire(False): return`: the rest runs where it succeeded
                    frame.free.append(tried)
        del frame.free[freed:]
        return held

    def suite(self, suite: cst.BaseSuite, frame: Frame, held: HeldSet) -> Optional[HeldSet]:
        return self.block(statements_of(suite), frame, held)

    # -- compound statements -----------------------------------------------

    def _simple_line(self, stmt: cst.SimpleStatementLine, frame: Frame, held: HeldSet) -> Optional[HeldSet]:
        result: Optional[HeldSet] = held
        for small in stmt.body:
            if result is None:
                break
            handler = self._small.get(type(small))
            if handler is not None:
                result = handler(small, frame, result)
        return result

    def _function_def(self, stmt: cst.FunctionDef, frame: Frame, held: HeldSet) -> HeldSet:
        qualname = self.definitions.function(stmt, frame, None)
        if not frame.is_module:
            frame.local_defs[stmt.name.value] = qualname
            frame.locals.add(stmt.name.value)
        return held

    def _class_def(self, stmt: cst.ClassDef, frame: Frame, held: HeldSet) -> HeldSet:
        if frame.is_module:
            self.definitions.class_(stmt, frame, self.names.module)
        return held

    def _if(self, stmt: cst.If, frame: Frame, held: HeldSet) -> Optional[HeldSet]:
        before = held
        held = self.expressions.walk(stmt.test, frame, held, top=True)
        if_true, if_false = self._branch_starts(stmt.test, before, held, frame)
        tried, negated = try_acquired(stmt.test, frame, self.names)
        done = finished_in(stmt.test, frame, self.names)  # `if task.done():` awaiting it there returns at once
        frame.finished.extend(done)
        end = self._suite_free(stmt.body, frame, if_true, tried if not negated else None)
        del frame.finished[len(frame.finished) - len(done) :]
        other: Optional[HeldSet]
        if stmt.orelse is None:
            other = if_false
        elif isinstance(stmt.orelse, cst.If):
            other = self._if(stmt.orelse, frame, if_false)
        else:
            other = self._suite_free(stmt.orelse.body, frame, if_false, tried if negated else None)
        return join(end, other)

    def _suite_free(self, suite: cst.BaseSuite, frame: Frame, held: HeldSet, tried: Optional[Held]) -> Optional[HeldSet]:
        """A branch that runs only where the try-acquire `tried` succeeded (lintlock.summarize.freedom)."""
        if tried is None:
            return self.suite(suite, frame, held)
        frame.free.append(tried)
        end = self.suite(suite, frame, held)
        frame.free.pop()
        return end

    @staticmethod
    def _branch_starts(test: cst.BaseExpression, before: HeldSet, held: HeldSet, frame: Frame) -> Tuple[HeldSet, HeldSet]:
        """Held at the start of the true and the false branch: `if lock.acquire(False):`
        (or `if ok:` after `ok = lock.acquire(False)`) holds the lock only where the test was true."""
        negated = isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not)
        inner = test.expression if isinstance(test, cst.UnaryOperation) and negated else test
        if minus(held, before) and is_acquire_call(inner):
            return (before, held) if negated else (held, before)
        if isinstance(inner, cst.Name) and frame.is_local(inner.value):
            flag = frame.local_values.get(inner.value)
            if flag is not None and flag.acquired is not None and flag.arg0 is not None:
                released = without(held, flag.arg0)
                return (released, held) if negated else (held, released)
        return held, held

    def _while(self, stmt: cst.While, frame: Frame, held: HeldSet) -> Optional[HeldSet]:
        held = self.expressions.walk(stmt.test, frame, held)
        frame.loops.append(self.expressions.read_paths(stmt.test, frame))
        end = self.suite(stmt.body, frame, held)
        frame.loops.pop()
        after = join(held, end)
        if stmt.orelse is not None:
            after = self.suite(stmt.orelse.body, frame, after) if after is not None else None
        return after

    def _for(self, stmt: cst.For, frame: Frame, held: HeldSet) -> Optional[HeldSet]:
        if stmt.asynchronous is None:
            self.expressions.consumed.add(id(stmt.iter))  # `for row in self.rows()` runs a generator's body here
        held = self.expressions.walk(stmt.iter, frame, held)
        if stmt.asynchronous is not None:
            frame.events.append(Await(site=self.expressions.sites.number(stmt.iter), held=held, how="async for"))
        self.expressions.syntax_call(stmt.iter, stmt.iter, "dunder", "__iter__", frame, held)
        bind(stmt.target, frame)
        self.expressions.spawned.iterating(frame, stmt.target, stmt.iter)
        self.expressions.facts.iterate(stmt, frame)
        end = self.suite(stmt.body, frame, held)
        after = join(held, end)
        if stmt.orelse is not None and after is not None:
            after = self.suite(stmt.orelse.body, frame, after)
        return after

    def _try(self, stmt, frame: Frame, held: HeldSet) -> Optional[HeldSet]:
        final = stmt.finalbody.body.body if stmt.finalbody is not None else ()
        frame.finals.append(final)  # guards acquires in the body, handlers and else (not in itself)
        end = self.block(statements_of(stmt.body), frame, held, released_by=final)
        # an exception can come from anywhere in the body
        handler_start = intersect(held, end) if end is not None else held
        if stmt.orelse is not None and end is not None:
            end = self.suite(stmt.orelse.body, frame, end)
        after = end
        for handler_end in self._handlers(stmt.handlers, frame, handler_start):
            after = join(after, handler_end)
        frame.finals.pop()
        if stmt.finalbody is None:
            return after
        start = intersect(after, handler_start) if after is not None else handler_start
        finished = self.suite(stmt.finalbody.body, frame, start)
        if after is None or finished is None:
            return None
        return after_finally(after, start, finished)

    def _handlers(self, handlers: Sequence[Union[cst.ExceptHandler, cst.ExceptStarHandler]], frame: Frame, start: HeldSet) -> List[Optional[HeldSet]]:
        """Walk the except clauses; what each leaves held."""
        ends = []
        for handler in handlers:
            held = start
            if handler.type is not None:
                held = self.expressions.walk(handler.type, frame, held)
            if handler.name is not None:
                bind(handler.name.name, frame)
            ends.append(self.suite(handler.body, frame, held))
        return ends

    def _with(self, stmt: cst.With, frame: Frame, held: HeldSet) -> Optional[HeldSet]:
        how: WithHow = "async with" if stmt.asynchronous is not None else "with"
        added: List[Held] = []
        before, start = held, len(frame.events)
        for item in stmt.items:
            held, entry = self._enter(item.item, how, frame, held)
            if entry is None:
                _bind_executor(item, frame, self.names, self.expressions.sites)
                continue
            held = held + (entry,)
            added.append(entry)
            frame.scoped.append(entry)
            if item.asname is not None:
                bind(item.asname.name, frame)
                _bind_executor(item, frame, self.names, self.expressions.sites)
        timed = sum(1 for item in stmt.items if bounds_awaits(item.item, frame, self.names))
        frame.timed += timed
        end = self.suite(stmt.body, frame, held)
        frame.timed -= timed
        del frame.scoped[len(frame.scoped) - len(added) :]
        after = minus(end, added) if end is not None else None
        self.expressions.spawned.exits(stmt, frame, start, after if after is not None else before)
        return after

    def _enter(self, expr: cst.BaseExpression, how: WithHow, frame: Frame, held: HeldSet) -> Tuple[HeldSet, Optional[Held]]:
        """One `with` item: the held set after evaluating it, and its entry (None: holds nothing we know)."""
        path = self.names.path(expr, frame)
        if path is not None:
            return held, self._enter_lock(expr, path, how, frame, held)
        element = self.names.element(expr, frame) if isinstance(expr, cst.Subscript) else None
        if element is not None:  # `with self._locks[name]:` (lintlock.program.elements)
            held = self.expressions.walk(expr, frame, held)
            return held, self._enter_lock(expr, element, how, frame, held, entered=False)
        if isinstance(expr, cst.Call):
            held = self.expressions.children(expr, frame, held)
            if how == "async with":
                frame.events.append(Await(site=self.expressions.sites.number(expr), held=held, how="async with"))
            site = self.expressions.emit_target_call(expr, frame, held, awaited=how == "async with")
            return held, (None if site is None else Held(site=site, via_call=site))
        return self.expressions.walk(expr, frame, held), None

    def _enter_lock(self, expr: cst.BaseExpression, path: LockPath, how: WithHow, frame: Frame, held: HeldSet, entered: bool = True) -> Held:
        """`with lock:` acquires what `lock` names, through its __enter__ when it is local (`entered`)."""
        site = self.expressions.sites.number(expr)
        if how == "async with":
            frame.events.append(Await(site=site, held=held, how="async with"))
        frame.events.append(Acquire(site=site, lock=path, held=held, blocking=True, how=how, free=tuple(frame.free)))
        if path.scope == "local" and entered:
            enter = "__aenter__" if how == "async with" else "__enter__"
            self.expressions.emit_call(expr, Target("dunder", enter, path), Args(), frame, held, site=site)
        return Held(site=site, lock=path)

    def _match(self, stmt: cst.Match, frame: Frame, held: HeldSet) -> Optional[HeldSet]:
        held = self.expressions.walk(stmt.subject, frame, held)
        after: Optional[HeldSet] = held  # no case may match
        for case in stmt.cases:
            start = held
            if case.guard is not None:
                start = self.expressions.walk(case.guard, frame, start)
            after = join(after, self.suite(case.body, frame, start))
        return after

    # -- simple statements -------------------------------------------------

    def _expression(self, small: cst.Expr, frame: Frame, held: HeldSet) -> HeldSet:
        return self.expressions.walk(small.value, frame, held, top=True)

    def _assign(self, small: cst.Assign, frame: Frame, held: HeldSet) -> HeldSet:
        held = self.expressions.walk(small.value, frame, held, top=True)
        for target in small.targets:
            held = self.assignments.assign(target.target, small.value, None, frame, held)
        return held

    def _annotated_assign(self, small: cst.AnnAssign, frame: Frame, held: HeldSet) -> HeldSet:
        if small.value is not None:
            held = self.expressions.walk(small.value, frame, held)
        return self.assignments.assign(small.target, small.value, small.annotation, frame, held)

    def _augmented_assign(self, small: cst.AugAssign, frame: Frame, held: HeldSet) -> HeldSet:
        target = small.target
        if isinstance(target, cst.Attribute):  # `obj.prop += x` reads the property, then sets it
            self.expressions.syntax_call(target, target.value, "attr", target.attr.value, frame, held)
        held = self.expressions.walk(small.value, frame, held)
        return self.assignments.assign(target, None, None, frame, held)

    def _return(self, small: cst.Return, frame: Frame, held: HeldSet) -> None:
        if small.value is not None:
            held = self.expressions.walk(small.value, frame, held)
            frame.returns_count += 1
            self.expressions.facts.returns(small.value, frame)
            if isinstance(small.value, cst.Name):
                frame.returns_local = frame.local_def(small.value.value)
            elif isinstance(small.value, cst.Call):
                frame.returns_value = value_of(small.value, frame, self.names, self.expressions.sites)
        frame.exit_held = join(frame.exit_held, minus(held, frame.scoped))
        return None

    def _raise(self, small: cst.Raise, frame: Frame, held: HeldSet) -> None:
        if small.exc is not None:
            self.expressions.walk(small.exc, frame, held)
        return None

    def _stop(self, small: cst.CSTNode, frame: Frame, held: HeldSet) -> None:
        return None  # break, continue: nothing after it in the block runs

    def _del(self, small: cst.Del, frame: Frame, held: HeldSet) -> HeldSet:
        return self.assignments.delete(small.target, frame, held)

    def _import(self, small: cst.CSTNode, frame: Frame, held: HeldSet) -> HeldSet:
        if not frame.is_module:  # module-level imports were collected before the walk
            self.names.import_in_function(small)
        return held

    def _assert(self, small: cst.Assert, frame: Frame, held: HeldSet) -> HeldSet:
        return self.expressions.walk(small.test, frame, held)


def _bind_executor(item: cst.WithItem, frame: Frame, names: Names, sites: Sites) -> None:
    """`with ProcessPoolExecutor() as pool:`: an executor's __enter__ returns the pool itself, so
    `pool` holds what the call made (its type)."""
    name = item.asname.name if item.asname is not None else None
    expr = item.item
    if isinstance(name, cst.Name) and isinstance(expr, cst.Call) and names.qualify(expr.func, frame) in EXECUTORS:
        bind(name, frame)
        frame.local_values[name.value] = value_of(expr, frame, names, sites, None)
