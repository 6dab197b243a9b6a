"""pytest plugin entry point for lintlock.runtime (work in progress)."""
