"""Taking the lock of an existing object under another lock is an order; of one built there, not.

Connection.channel() builds a Channel while holding Connection._lock and takes the new
channel's lock: no other thread can hold the lock of an object that did not exist when
Connection._lock was taken, so this never closes a cycle with Channel.publish(), which
holds an existing channel's lock and takes Connection._lock (the amqpstorm shape).
Reopening a channel that already exists (`reopen`) is an inversion.
"""

import threading


class Channel:
    def __init__(self, connection):
        self._connection = connection
        self._lock = threading.Lock()

    def open(self):
        with self._lock:
            pass

    def publish(self):
        with self._lock:
            self._connection.forget(self)  # error: LL102


class Connection:
    def __init__(self):
        self._lock = threading.Lock()
        self._channels = {}

    def channel(self, cid):
        with self._lock:
            channel = Channel(self)  # built here: quiet (fresh_object.py)
            self._channels[cid] = channel
            channel.open()
        return channel

    def reopen(self, channel: Channel):
        with self._lock:
            channel.open()  # an existing channel: another thread may be publishing on it

    def forget(self, channel):
        with self._lock:
            self._channels.pop(id(channel), None)
