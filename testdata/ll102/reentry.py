"""Taking a lock this thread already holds orders nothing: no inversion."""
import threading

outer = threading.RLock()
inner = threading.Lock()


def reenter_rlock():
    with outer:
        with inner:
            with outer:  # re-entry of the RLock held since line 9: no edge inner -> outer
                pass


config = threading.Lock()
stats = threading.Lock()


def relock_plain():
    with config:
        with stats:
            take_config()  # error: LL101


def take_config():
    with config:  # the same non-reentrant lock again: LL101 above, not also an inversion
        pass


first = threading.RLock()
second = threading.Lock()


def forward():
    with first:
        with second:  # error: LL102
            pass


def backward():
    with second:
        with first:  # not held yet on this path: a real edge, and an inversion with forward()
            pass
