"""The in-tree class of the object a path names: what its declarations say, else what
value flow finds flowing there (when that is one class)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..model import FunctionSummary, LockPath
from .index import Index

if TYPE_CHECKING:
    from .valueflow import ValueFlow


class ObjectTypes:
    def __init__(self, index: Index, flow: ValueFlow) -> None:
        self.index = index
        self.flow = flow

    def class_of_path(self, fn: FunctionSummary, path: Optional[LockPath]) -> Optional[str]:
        """The in-tree class of the object a path names: its declarations say, else value flow
        when every object that flows there is an instance of that one class."""
        found = self.index.static_class_of_path(fn, path)
        if found is None and path is not None and path.scope == "local":
            classes = self.flow.classes_of(fn, path)
            found = classes.pop() if len(classes) == 1 else None
        return found
