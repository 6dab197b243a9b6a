"""All files' facts as one program: the parts of linking that need the whole tree.
lintlock.link.Program composes them; each has one job.

index       definitions: modules, classes, functions, names, MRO, member lookup
valueflow   the points-to fixpoint over the summaries' value-flow facts
types       the in-tree class of the object a path names
assigned    what the object a lock key names was assigned (declarations, factories' methods)
locks       lock identity: keys, kinds, class-level ids, LockRef, where a lock is made
elements    locks kept in a container (`self._locks[name]`): which element, of which kind
handed      locks handed over and stored (`self._lock = lock`): the lock every builder passes
calls       call resolution, with the reason (direct, override, value flow, ...)
reach       which locks a function may acquire, and which are held at an event
passed      locks passed as arguments: what a call takes, and in which order, through them
"""
