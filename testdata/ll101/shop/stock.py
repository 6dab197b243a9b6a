from .locks import inventory_lock

_counts = {}


def reserve(item):
    with inventory_lock:
        _counts[item] = _counts.get(item, 0) - 1


def restock(item):
    _counts[item] = _counts.get(item, 0) + 1
