"""A decorator that holds the lock around the whole method: the variant goes undecorated."""
import functools
import threading


def synchronized(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


class Account:
    def __init__(self):
        self._lock = threading.Lock()
        self.balance = 0
        self.history = []

    @synchronized
    def deposit(self, amount):
        """Add to the balance."""
        self.balance += amount
        return self.balance

    @synchronized
    def transfer_in(self, amounts):
        for amount in amounts:
            self.history.append(self.deposit(amount))  # error: LL101
        return self.balance


def scenario():
    account = Account()
    return account.transfer_in([5, 7]), account.history, account.deposit(1)
