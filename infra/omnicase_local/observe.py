"""An optional observer of handler invocations (the load bench installs one); off by default, free when off."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

# Given the function's logical id, a context manager entered around exactly the handler call.
Observer = Callable[[str], AbstractContextManager[object]]
_observer: Observer | None = None
_OFF = nullcontext()


def observe_invocations(observer: Observer | None) -> None:
    """Install `observer` for every handler call the runtime makes (None removes it)."""
    global _observer
    _observer = observer


def invocation(function: str) -> AbstractContextManager[object]:
    """The installed observer's scope for one call of `function`, or a shared no-op."""
    return _OFF if _observer is None else _observer(function)
