"""A counting semaphore's permit may be handed on: acquired here, released by whoever finishes."""
import threading


class Sender:
    def __init__(self, transport):
        self._transport = transport
        self._slots = threading.BoundedSemaphore(8)
        self._lock = threading.Lock()

    def send(self, message):
        self._slots.acquire()  # the permit travels with the message; on_sent gives it back
        if not self._transport.connected:
            self._slots.release()
            raise ConnectionError(message)
        self._transport.write(message, callback=self.on_sent)

    def on_sent(self, _result):
        self._slots.release()

    def send_now(self, message):
        self._slots.acquire()  # other methods release _slots too: permits are handed around, not judged here
        self._transport.write(message)
        self._slots.release()

    def timed(self, message):
        if not self._lock.acquire(timeout=5):  # error: LL105
            return False
        self._transport.write(message)
        self._lock.release()  # an exception above leaves the lock held
        return True


pool = threading.Semaphore(4)
connections = threading.BoundedSemaphore(2)


def borrow(work):
    pool.acquire()  # error: LL105
    work()
    pool.release()


def handed_to_request(request):
    if not connections.acquire(timeout=1):  # the permit goes with the request
        return None
    request.on_close(finish)
    return request


def finish():
    connections.release()
