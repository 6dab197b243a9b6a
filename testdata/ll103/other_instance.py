"""Work handed to another thread that runs on ANOTHER object takes that object's lock, not the
one this thread holds: only work on the holder's own object (or a module or class lock, one
object for all) is waited for under the lock it needs."""

import functools
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed, wait

_REGISTRY = threading.Lock()


class Node:
    _shared = threading.Lock()  # a class attribute: one lock for every node

    def __init__(self, parent=None):
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(2)
        self._parent: Node = parent

    def refresh(self):
        with self._lock:
            return 1

    def register(self):
        with _REGISTRY:
            return 2

    def share(self):
        with Node._shared:
            return 3

    # -- another node: quiet --------------------------------------------------

    def refresh_child(self):
        child = Node()
        fs = [self._pool.submit(child.refresh)]
        with self._lock:
            wait(fs)

    def refresh_child_as_completed(self):
        child = Node()
        fs = [self._pool.submit(child.refresh)]
        with self._lock:
            for future in as_completed(fs):
                print(future.result())

    def refresh_child_now(self):
        child = Node()
        with self._lock:
            return self._pool.submit(child.refresh).result()

    def refresh_child_named(self):
        child = Node()
        with self._lock:
            future = self._pool.submit(child.refresh)
            return future.result()

    def refresh_parent(self):
        with self._lock:
            return self._pool.submit(self._parent.refresh).result()

    def refresh_in_thread(self):
        child = Node()
        thread = threading.Thread(target=child.refresh)
        thread.start()
        with self._lock:
            thread.join()

    def refresh_lambda(self):
        child = Node()
        with self._lock:
            return self._pool.submit(lambda: child.refresh()).result()

    def refresh_partial(self):
        child = Node()
        with self._lock:
            return self._pool.submit(functools.partial(child.refresh)).result()

    def refresh_passed(self):
        child = Node()
        with self._lock:
            return self._pool.submit(refresh_node, child).result()

    def refresh_in_local_pool(self):
        child = Node()
        with self._lock:
            with ThreadPoolExecutor() as pool:
                pool.submit(child.refresh)

    def refresh_each(self, children):
        with self._lock:
            return list(self._pool.map(Node.refresh, children))

    # -- this node, or a lock shared by all nodes: reported -------------------

    def refresh_self(self):
        with self._lock:
            return self._pool.submit(self.refresh).result()  # error: LL103

    def refresh_self_waited(self):
        fs = [self._pool.submit(self.refresh)]
        with self._lock:
            wait(fs)  # error: LL103

    def refresh_self_in_thread(self):
        thread = threading.Thread(target=self.refresh)
        thread.start()
        with self._lock:
            thread.join()  # error: LL103

    def refresh_self_lambda(self):
        with self._lock:
            return self._pool.submit(lambda: self.refresh()).result()  # error: LL103

    def refresh_self_passed(self):
        with self._lock:
            return self._pool.submit(refresh_node, self).result()  # error: LL103

    def refresh_self_in_local_pool(self):
        with self._lock:
            with ThreadPoolExecutor() as pool:  # error: LL103
                pool.submit(self.refresh)

    def register_child(self):
        child = Node()
        with _REGISTRY:
            return self._pool.submit(child.register).result()  # error: LL103

    def share_child(self):
        child = Node()
        with Node._shared:
            return self._pool.submit(child.share).result()  # error: LL103


def refresh_node(node: Node):
    return node.refresh()


class Tree:
    """A pool kept in an attribute: shutdown() waits for the work any method submitted to it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(2)

    def refresh(self):
        with self._lock:
            return 1

    def start_child(self):
        child = Tree()
        self._pool.submit(child.refresh)

    def close(self):
        with self._lock:
            self._pool.shutdown()


class Leaf:
    def __init__(self):
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(2)

    def refresh(self):
        with self._lock:
            return 1

    def start(self):
        self._pool.submit(self.refresh)

    def close(self):
        with self._lock:
            self._pool.shutdown()  # error: LL103

    def close_other(self):
        other = Leaf()
        other.start()
        with self._lock:
            other._pool.shutdown()  # other's pool runs other's work, which takes other's lock


class Poller(threading.Thread):
    """A thread subclass: its run() takes the lock of the Poller it runs on."""

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()

    def run(self):
        with self._lock:
            pass

    def stop_peer(self):
        peer = Poller()
        peer.start()
        with self._lock:
            peer.join()  # the peer's run() takes the peer's lock


class Pollers:
    def __init__(self):
        self._poller = Poller()
        self._spare = Poller()

    def stop(self):
        with self._poller._lock:
            self._poller.join()  # error: LL103

    def stop_spare(self):
        with self._poller._lock:
            self._spare.join()  # the spare's run() takes the spare's lock


class Own:
    """The holder's own object, proven other ways: through a chain of calls on self, a closure over
    self, an alias of self, a bound method kept in a local."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(2)

    def _inner(self):
        with self._lock:
            return 1

    def _outer(self):
        return self._inner()

    def chain(self):
        with self._lock:
            return self._pool.submit(self._outer).result()  # error: LL103

    def closure(self):
        def job():
            with self._lock:
                return 1

        with self._lock:
            return self._pool.submit(job).result()  # error: LL103

    def alias(self):
        node = self
        with self._lock:
            return self._pool.submit(node._inner).result()  # error: LL103

    def variable(self):
        fn = self._inner
        with self._lock:
            return self._pool.submit(fn).result()  # error: LL103
