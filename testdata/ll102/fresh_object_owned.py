"""The objects a fresh object builds for itself are fresh too (amqpstorm 3.1.4's Connection.channel).

Channel() builds its own Rpc; Connection.channel() opens the new channel, which takes that
Rpc's lock, while holding Connection._lock. Nobody else can hold the new Rpc's lock yet, so
this does not close a cycle with Channel.publish(), which holds an existing channel's Rpc
lock and takes Connection._lock.
"""

import threading


class Rpc:
    def __init__(self):
        self._lock = threading.Lock()

    def request(self, send):
        with self._lock:
            send()


class Channel:
    def __init__(self, connection):
        self._connection = connection
        self.rpc = Rpc()

    def open(self):
        self.rpc.request(lambda: None)

    def publish(self):
        self.rpc.request(lambda: self._connection.forget(self))


class Connection:
    def __init__(self):
        self._lock = threading.Lock()
        self._channels = {}

    def channel(self, cid):
        with self._lock:
            channel = Channel(self)
            self._channels[cid] = channel
            channel.open()
        return channel

    def forget(self, channel):
        with self._lock:
            self._channels.pop(id(channel), None)
