"""Where `omnicase local` writes: a readable terminal, and the logs in files.

In AWS each function's stdout goes to CloudWatch Logs: Powertools' JSON log records and EMF metric documents. Locally
all functions share one process and one stdout, where those lines buried what a person wants to read (the runtime's
own lines, the outbox, the demo). Here they go to a file per run instead, `<dir>/<start time>-functions.jsonl`, one
JSON document a line as CloudWatch would hold them; the runtime's own log records go to `…-runtime.log`, and only
its warnings and errors to the terminal. `--verbose` shows everything on the terminal as well.
"""

from __future__ import annotations

import io
import logging
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

DEFAULT_DIR = Path(".omnicase-local") / "logs"
RUNTIME_FORMAT = "%(asctime)s %(levelname)s [%(function)s] %(name)s: %(message)s"


class FunctionLines(io.TextIOBase):
    """A stdout that sends each complete line a thread writes to `log` when it is a JSON document, else to
    `terminal` (both, with `echo`). Lines are assembled per thread: `print` writes the text and its newline apart,
    and another thread's write may come between them."""

    def __init__(self, terminal: TextIO, log: TextIO, *, echo: bool = False) -> None:
        self._terminal, self._log, self._echo = terminal, log, echo
        self._pending = threading.local()
        self._lock = threading.Lock()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        *lines, rest = (getattr(self._pending, "text", "") + text).split("\n")
        self._pending.text = rest
        if lines:
            with self._lock:
                for line in lines:
                    self._route(line)
        return len(text)

    def _route(self, line: str) -> None:
        is_json = line.startswith("{")
        if is_json:
            self._log.write(line + "\n")
        if self._echo or not is_json:
            self._terminal.write(line + "\n")

    def flush(self) -> None:
        with self._lock:
            self._log.flush()
            self._terminal.flush()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"


@dataclass(frozen=True)
class LogFiles:
    """This run's two log files."""

    functions: Path
    runtime: Path


def route_logs(directory: Path, *, verbose: bool, log_filter: logging.Filter) -> LogFiles:
    """Send the functions' JSON lines and the runtime's log records to files in `directory` (created), keep the
    terminal for the rest; `log_filter` is added to each runtime log handler (it names the function)."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    files = LogFiles(directory / f"{stamp}-functions.jsonl", directory / f"{stamp}-runtime.log")
    functions_log = files.functions.open("a", encoding="utf-8")
    terminal = sys.stdout
    sys.stdout = FunctionLines(terminal, functions_log, echo=verbose)  # type: ignore[assignment]

    to_file = logging.FileHandler(files.runtime, encoding="utf-8")
    to_terminal = logging.StreamHandler(sys.stderr)
    to_terminal.setLevel(logging.INFO if verbose else logging.WARNING)
    for handler in (to_file, to_terminal):
        handler.setFormatter(logging.Formatter(RUNTIME_FORMAT))
        handler.addFilter(log_filter)
    logging.basicConfig(level=logging.INFO, handlers=[to_file, to_terminal], force=True)
    return files
