import shop.stock as stock
from shop import locks
from . import stock as stock_module
from .base import Service
from .stock import reserve, restock


class Orders(Service):
    def cancel(self):
        with self._lock:
            self.shutdown()  # error: LL101

    def place(self, item):
        with locks.inventory_lock:
            reserve(item)  # error: LL101

    def place_module_alias(self, item):
        with locks.inventory_lock:
            stock.reserve(item)  # error: LL101

    def place_relative_module(self, item):
        with locks.inventory_lock:
            stock_module.reserve(item)  # error: LL101

    def refill(self, item):
        with locks.inventory_lock:
            restock(item)  # restock takes no lock: fine
