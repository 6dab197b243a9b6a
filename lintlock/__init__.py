"""lintlock: find lock-reentrancy deadlocks in Python code before they hang a process."""

__version__ = "0.1.0"
