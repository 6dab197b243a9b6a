"""Same-named module locks in two modules are two different locks."""
import threading

import same_names_b

_lock = threading.Lock()


def update():
    with _lock:
        same_names_b.update()  # same_names_b._lock is another lock: fine
