"""A program that deadlocks on purpose: two threads take two locks in opposite orders.

`python -m lintlock.runtime testdata/runtime/hang.py` prints the LL102 it saw
and, at exit, a dump of the stuck threads with the wait-for cycle.
`python -m lintlock.runtime testdata/runtime/hang.py --forever` stays stuck
(non-daemon threads): send it SIGQUIT or SIGUSR1 for the dump, or pass
--hang-timeout.
"""
import sys
import threading

orders_lock = threading.Lock()
stock_lock = threading.Lock()
both_hold_one = threading.Barrier(2)


def place_order():
    with orders_lock:
        both_hold_one.wait()
        with stock_lock:  # error: LL102  # runtime: LL102
            pass


def restock():
    with stock_lock:
        both_hold_one.wait()
        with orders_lock:
            pass


if __name__ == "__main__":
    daemon = "--forever" not in sys.argv
    workers = [threading.Thread(target=place_order, name="orders", daemon=daemon), threading.Thread(target=restock, name="stock", daemon=daemon)]
    for worker in workers:
        worker.start()
    print("started", flush=True)
    for worker in workers:
        worker.join(timeout=0.5)
