"""A constructor called under a lock takes the new object's own locks in its __init__ (and what
__init__ calls on self): no other thread can hold the lock of an object still being built, so this
orders nothing (the ldap3 shape: Connection.__init__ builds a Server under its lock, and a Server
refreshing under its own lock builds a Connection). A module lock taken by __init__ is shared by
every object: still an order.
"""

import threading

REGISTRY_LOCK = threading.Lock()


class Connection:
    def __init__(self, host):
        self.connection_lock = threading.RLock()
        with self.connection_lock:
            self.server = Server(host)

    def reconnect(self, host):
        with self.connection_lock:
            self.server = Server(host)


class Server:
    def __init__(self, host):
        self.host = host
        self.info = None
        self.dit_lock = threading.Lock()
        self.load()

    def load(self):
        with self.dit_lock:
            self.info = {}

    def refresh(self):
        with self.dit_lock:
            self.info = {"referral": Connection(self.host)}


class Registered:
    def __init__(self):
        with REGISTRY_LOCK:
            self.name = "r"


class Registry:
    def __init__(self):
        self._lock = threading.Lock()

    def add(self):
        with self._lock:
            return Registered()  # error: LL102

    def names(self):
        with REGISTRY_LOCK:
            with self._lock:
                return []


class ServerPool:
    """Builds its Servers in __init__ through a helper: each Server.__init__ takes its own new lock."""

    def __init__(self, hosts):
        self.servers = []
        self.add(hosts)

    def add(self, hosts):
        for host in hosts:
            self.servers.append(Server(host))


class Client:
    def __init__(self):
        self._lock = threading.Lock()
        self.pool = None

    def connect(self, hosts):
        with self._lock:
            self.pool = ServerPool(hosts)  # the new servers' locks: quiet

    def send(self):
        with self._lock:
            return 1


class Hub:
    def __init__(self, owner: "Owner"):
        self._lock = threading.Lock()
        self.owner = owner

    def register(self, member):
        with self._lock:
            return member

    def broadcast(self):
        with self._lock:
            self.owner.refresh()  # error: LL102


class Member:
    def __init__(self, hub: Hub):
        hub.register(self)  # an existing hub: its lock orders


class Owner:
    def __init__(self):
        self._lock = threading.Lock()
        self.hub = Hub(self)

    def join(self):
        with self._lock:
            return Member(self.hub)  # an existing hub's lock, under Owner._lock: an order

    def refresh(self):
        with self._lock:
            return 2
