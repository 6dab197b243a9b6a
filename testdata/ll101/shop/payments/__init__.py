from ..locks import inventory_lock as lock  # re-exported under another name
