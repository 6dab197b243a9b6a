"""paramiko (transport.py _send_user_message): `if ready: break` out of a polling loop, to a
try/finally after the loop that releases the lock; any other exit in between is a leak."""
import threading
import time


class Transport:
    def __init__(self):
        self.clear_to_send = threading.Event()
        self.clear_to_send_lock = threading.Lock()
        self.active = True

    def send_user_message(self, data, timeout):
        start = time.time()
        while True:
            self.clear_to_send.wait(0.1)
            if not self.active:
                return
            self.clear_to_send_lock.acquire()
            if self.clear_to_send.is_set():
                break  # to the try/finally below, which releases
            self.clear_to_send_lock.release()
            if time.time() > start + timeout:
                raise TimeoutError(data)
        try:
            self.send(data)
        finally:
            self.clear_to_send_lock.release()

    def send_unguarded(self, data):
        while True:
            self.clear_to_send_lock.acquire()  # error: LL105
            if self.clear_to_send.is_set():
                break  # to a send that may raise, with the lock held
            self.clear_to_send_lock.release()
        self.send(data)
        self.clear_to_send_lock.release()

    def send(self, data):
        return data
