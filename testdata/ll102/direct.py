"""Two module locks taken in opposite orders by two functions."""
import threading

accounts_lock = threading.Lock()
audit_lock = threading.Lock()


def transfer():
    with accounts_lock:
        with audit_lock:  # error: LL102
            pass


def report():
    with audit_lock:
        with accounts_lock:
            pass


def same_order_a():
    with accounts_lock:
        with audit_lock:
            pass
