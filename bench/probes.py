"""What the benchmarks count inside one process: AWS requests by operation, handler time by function, memory."""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

OUTSIDE = "(outside handlers)"


class InvocationProbe:
    """Per function: how long each handler call took and which AWS requests it made (nested calls included)."""

    def __init__(self) -> None:
        self.durations: defaultdict[str, list[float]] = defaultdict(list)
        self.requests: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self._local = threading.local()

    @contextmanager
    def __call__(self, function: str) -> Iterator[None]:
        stack = self._stack()
        stack.append(function)
        started = time.perf_counter()
        try:
            yield
        finally:
            self.durations[function].append(time.perf_counter() - started)
            stack.pop()

    def _stack(self) -> list[str]:
        if not hasattr(self._local, "stack"):
            self._local.stack = []
        return self._local.stack

    def current(self) -> str:
        """The function whose handler runs on this thread (innermost), else OUTSIDE."""
        stack = self._stack()
        return stack[-1] if stack else OUTSIDE

    def reset(self) -> None:
        self.durations.clear()
        self.requests.clear()


def count_requests(on_request: Any) -> Any:
    """Call `on_request(service, operation, params, response)` after every botocore API call; returns the undo."""
    import botocore.client

    original = botocore.client.BaseClient._make_api_call

    def counting(self: Any, operation: str, params: dict[str, Any]) -> Any:
        response: dict[str, Any] = {}
        try:
            response = original(self, operation, params)
            return response
        finally:  # a request that failed (a cancelled transaction) was still made and billed
            on_request(self.meta.service_model.service_name, operation, params, response)

    botocore.client.BaseClient._make_api_call = counting

    def undo() -> None:
        botocore.client.BaseClient._make_api_call = original

    return undo


def count_calls() -> Counter[str]:
    """A counter of `service.Operation` for every botocore call from now on."""
    counter: Counter[str] = Counter()
    count_requests(lambda service, operation, *_: counter.update([f"{service}.{operation}"]))
    return counter


def percentiles(durations: list[float]) -> dict[str, float]:
    """Count, p50, p95, p99 and mean in milliseconds."""
    ordered = sorted(durations)
    if not ordered:
        return {"calls": 0, "p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0, "mean_ms": 0.0}

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000

    return {
        "calls": len(ordered),
        "p50_ms": statistics.median(ordered) * 1000,
        "p95_ms": at(0.95),
        "p99_ms": at(0.99),
        "mean_ms": statistics.fmean(ordered) * 1000,
    }


def memory_mb() -> dict[str, float]:
    """Resident now and peak (VmRSS, VmHWM) of this process, and its thread count."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM", "Threads"):
            fields[name] = int(value.split()[0])
    return {
        "rss_mb": fields.get("VmRSS", 0) / 1024,
        "peak_rss_mb": fields.get("VmHWM", 0) / 1024,
        "threads": fields.get("Threads", 0),
    }
