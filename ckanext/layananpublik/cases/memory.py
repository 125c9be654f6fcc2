"""What a web process keeps for itself between requests (the feeds' listings, built
entries, rendered descriptions, heads and addresses; search's planner answers): a dict
emptied when full. Every key names an exact version (an index generation, a digest), so
nothing kept is ever stale, and anything dropped is simply read or built again: no
eviction order is worth keeping."""

from __future__ import annotations

from typing import Any


class ProcessMemory(dict):
    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def keep(self, key: Any, value: Any) -> Any:
        if key not in self and len(self) >= self.size:
            self.clear()
        self[key] = value
        return value

    def keep_all(self, values: dict) -> None:
        if len(self) + len(values) > self.size:
            self.clear()
        self.update(values)
