"""Lines on the local runtime's stdout that never interleave.

Several threads print at once (the outbox watcher, the demo, log records). `print(x)` is two writes, text then
newline, so another thread's line can land between them; one write per line under the buffer's lock keeps each line
whole, which is what people and the end-to-end tests read.
"""

from __future__ import annotations

import sys
import threading

_LOCK = threading.Lock()


def say(line: str) -> None:
    """Write `line` and its newline to stdout in one write, then flush."""
    with _LOCK:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
