"""A small, thread-safe map of the most recently used answers (listeners run on several threads).

``get_or_compute`` computes an answer once however many ask for it at the same moment: the others wait
for it rather than all computing it side by side (a morning's `/kpi 30d` from the whole team at 09:01).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from threading import Event, Lock
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._computing: dict[K, Event] = {}
        self._lock = Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def get_or_compute(self, key: K, compute: Callable[[], V]) -> V:
        while True:
            with self._lock:
                if key in self._items:
                    self._items.move_to_end(key)
                    return self._items[key]
                underway = self._computing.get(key)
                if underway is None:
                    self._computing[key] = Event()
            if underway is None:
                break
            # Someone else is computing it: wait, then take their answer (or, had they failed, try ourselves).
            underway.wait()
        try:
            value = compute()
            self.put(key, value)
            return value
        finally:
            with self._lock:
                self._computing.pop(key).set()
