"""Work handed to another thread and waited for while holding the lock that work needs."""
import functools
import threading
from concurrent.futures import ThreadPoolExecutor


class Pool:
    def __init__(self):
        self._lock = threading.Lock()
        self._other = threading.Lock()
        self._pool = ThreadPoolExecutor(2)
        self._jobs = {}
        self._others = {}

    def _work(self, n=0):
        with self._lock:
            return n

    def _elsewhere(self, n=0):
        with self._other:
            return n

    def register(self, name):
        self._jobs[name] = self._work
        self._others[name] = self._elsewhere

    def partial_result(self):
        with self._lock:
            future = self._pool.submit(functools.partial(self._work, 1))
            return future.result()  # error: LL103

    def lambda_result(self):
        with self._lock:
            future = self._pool.submit(lambda: self._work(2))
            return future.result()  # error: LL103

    def thread_from_container(self, name):
        worker = threading.Thread(target=self._jobs[name])
        with self._lock:
            worker.start()
            worker.join()  # error: LL103

    def thread_lambda(self):
        worker = threading.Thread(target=lambda: self._work(3))
        with self._lock:
            worker.start()
            worker.join()  # error: LL103

    def result_after_release(self):
        with self._lock:
            future = self._pool.submit(functools.partial(self._work, 1))
        return future.result()

    def fire_and_forget(self):
        with self._lock:
            self._pool.submit(functools.partial(self._work, 1))

    def other_lock(self):
        with self._lock:
            future = self._pool.submit(functools.partial(self._elsewhere, 1))
            return future.result()

    def join_timed(self):
        worker = threading.Thread(target=lambda: self._work(3))
        with self._lock:
            worker.start()
            worker.join(1.0)

    def thread_from_other_container(self, name):
        worker = threading.Thread(target=self._others[name])
        with self._lock:
            worker.start()
            worker.join()

    def map_results(self, items):
        with self._lock:
            return list(self._pool.map(self._work, items))  # error: LL103

    def map_partial(self, items):
        with self._lock:
            for result in self._pool.map(functools.partial(self._work), items):  # error: LL103
                print(result)

    def map_lazily(self, items):
        """map() only submits; the results are waited for after the release."""
        with self._lock:
            results = self._pool.map(self._work, items)
        return list(results)

    def map_elsewhere(self, items):
        with self._lock:
            return list(self._pool.map(self._elsewhere, items))

    def chained_result(self):
        with self._lock:
            return self._pool.submit(functools.partial(self._work, 4)).result()  # error: LL103

    def chained_named(self):
        with self._lock:
            return self._pool.submit(self._work).result()  # error: LL103

    def chained_elsewhere(self):
        with self._lock:
            return self._pool.submit(self._elsewhere).result()

    def chained_callback(self):
        with self._lock:
            self._pool.submit(self._work).add_done_callback(print)


class Inline:
    """A submit() of the tree's own that runs the job and returns a done future: not a pool."""

    def __init__(self):
        self._lock = threading.Lock()
        self._runner = Runner()

    def _work(self):
        with self._lock:
            return 1

    def run(self):
        with self._lock:
            return self._runner.submit(self._work).result()


class Runner:
    def submit(self, job):
        return Done(job)


class Done:
    def __init__(self, job):
        self._job = job

    def result(self):
        return None


class Fresh:
    """Waits on objects made on the spot: no other code can name them, nothing is claimed (and nothing crashes)."""

    def __init__(self):
        self._lock = threading.Lock()

    def _work(self):
        with self._lock:
            return 1

    def run(self):
        with self._lock:
            threading.Event().wait()
            return Done(None).result()

    def join_unstarted(self):
        """A thread never started: join() raises RuntimeError, it does not wait."""
        with self._lock:
            threading.Thread(target=self._work).join()
