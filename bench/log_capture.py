"""Count what the handlers log (the bytes CloudWatch Logs would ingest) while keeping it off the terminal."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class LogBytes:
    """Bytes and lines of structured (JSON) log records and EMF documents written to stdout."""

    def __init__(self) -> None:
        self.json_bytes = 0
        self.json_lines = 0
        self.other_lines = 0  # the local runtime's own console lines (outbox), not Lambda logs

    def feed(self, line: bytes) -> None:
        if line.startswith(b"{"):
            self.json_bytes += len(line)
            self.json_lines += 1
            if b'"level":"ERROR"' in line or b'"level":"CRITICAL"' in line:
                sys.stderr.buffer.write(line)  # errors stay visible: they explain a refused delivery
        elif line.strip():
            self.other_lines += 1


@contextmanager
def captured_stdout() -> Iterator[LogBytes]:
    """Point file descriptor 1 at a pipe whose reader counts lines; restored (and drained) on exit."""
    counts = LogBytes()
    sys.stdout.flush()
    read_end, write_end = os.pipe()
    saved = os.dup(1)
    os.dup2(write_end, 1)
    os.close(write_end)

    def reader() -> None:
        pending = b""
        with os.fdopen(read_end, "rb", buffering=0) as pipe:
            while chunk := pipe.read(1 << 16):
                *lines, pending = (pending + chunk).split(b"\n")
                for line in lines:
                    counts.feed(line + b"\n")
        if pending:
            counts.feed(pending)

    thread = threading.Thread(target=reader, name="bench-log-counter", daemon=True)
    thread.start()
    try:
        yield counts
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)  # the pipe's last writer closes here: the reader sees end of file
        os.close(saved)
        thread.join(timeout=10)


@contextmanager
def discarded_stdout() -> Iterator[None]:
    """Point file descriptor 1 at /dev/null: the handlers still format and write every line, as into Lambda's
    pipe, but no reader thread of this process competes with them for the interpreter while they are timed."""
    sys.stdout.flush()
    saved = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.close(null)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
