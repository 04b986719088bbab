"""A dict or list that is filled at its first use: moto data nobody may ever read is not held until someone does;
and `pack`/`unpack`, the compact form such data waits in (pickled, then compressed).

Every method of the container, reading or writing, fills it first (each is wrapped; see `_PASSED_THROUGH` for the
few that are not), so code that holds one cannot tell it from a plain dict or list. A deep copy or a pickle is a
plain container with the same contents.
"""

from __future__ import annotations

import copy
import pickle
import threading
import zlib
from collections.abc import Callable
from typing import Any

# Methods that do not touch the contents (object machinery), or build a new object by other means.
_PASSED_THROUGH = frozenset(
    (
        "__new__",
        "__init__",
        "__getattribute__",
        "__setattr__",
        "__delattr__",
        "__class_getitem__",
        "__init_subclass__",
        "__subclasshook__",
        "__sizeof__",
        "__hash__",
        "__format__",
        "__dir__",
        "__doc__",
        "__reduce__",
        "__reduce_ex__",
        "__getstate__",
        "fromkeys",
    )
)


class _LoadedOnUse:
    """Filled by `load()` once, at the first call of any of its container's methods, under a lock."""

    _load: Callable[[], Any] | None
    _lock: threading.Lock
    _plain: type

    def __init__(self, load: Callable[[], Any]) -> None:
        self._load, self._lock = load, threading.Lock()

    def _fill(self) -> None:
        if self._load is not None:
            with self._lock:
                if self._load is not None:
                    loaded = self._load()
                    (dict.update if self._plain is dict else list.extend)(self, loaded)  # type: ignore[attr-defined]
                    self._load = None

    def loaded(self) -> bool:
        """Whether it has been filled (without filling it)."""
        return self._load is None

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        self._fill()
        return copy.deepcopy(self._plain(self), memo)

    def __reduce_ex__(self, protocol: Any) -> Any:
        self._fill()
        return self._plain, (self._plain(self),)


class DictLoadedOnUse(_LoadedOnUse, dict):  # type: ignore[type-arg]
    """A dict filled with `load()` (a mapping) at its first use."""

    _plain = dict


class ListLoadedOnUse(_LoadedOnUse, list):  # type: ignore[type-arg]
    """A list filled with `load()` (an iterable) at its first use."""

    _plain = list


def _fills_first(stock: Any) -> Any:
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        self._fill()
        return stock(self, *args, **kwargs)

    method.__name__ = stock.__name__
    return method


for _owner in (DictLoadedOnUse, ListLoadedOnUse):
    for _name, _stock in vars(_owner._plain).items():
        if _name not in _PASSED_THROUGH and callable(_stock):
            setattr(_owner, _name, _fills_first(_stock))


def pack(value: Any) -> bytes:
    """`value` pickled and compressed with zlib's fastest level (~60 µs for a stream record's ~1 KB)."""
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack(packed: bytes) -> Any:
    """What `pack` was given, as a fresh copy."""
    return pickle.loads(zlib.decompress(packed))
