"""Fixtures for e2e tests: `omnicase local` in a subprocess on free ports, driven over HTTP and SMTP."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
READY_MARK = "omnicase local ready"
READY_TIMEOUT = 30.0
API_TOKEN = "local-dev-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LocalStack:
    """A running `omnicase local`: its ports and everything it printed so far."""

    http_port: int
    smtp_port: int
    moto_port: int
    output: list[str] = field(default_factory=list)

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def get(self, path: str, token: str | None = API_TOKEN) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        request = urllib.request.Request(self.http_url + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def wait_for(self, probe: Any, timeout: float = 10.0, interval: float = 0.1) -> Any:
        """Poll probe() until it returns something truthy."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = probe()
            if result:
                return result
            time.sleep(interval)
        raise AssertionError(f"timed out after {timeout}s; runtime output:\n" + "\n".join(self.output[-40:]))


@contextmanager
def run_local(*extra_args: str, ready_mark: str = READY_MARK) -> Iterator[LocalStack]:
    """`omnicase local` in a subprocess on free ports until `ready_mark` is printed; SIGTERM and a clean exit after."""
    stack = LocalStack(http_port=free_port(), smtp_port=free_port(), moto_port=free_port())
    env = {**os.environ, "OMNICASE_API_TOKEN": API_TOKEN, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "omnicase_local.cli", "local", "--template", str(REPO / "template.yaml")]
    ports = ["--http-port", str(stack.http_port), "--smtp-port", str(stack.smtp_port)]
    process = subprocess.Popen(
        [*command, *ports, "--moto-port", str(stack.moto_port), *extra_args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    ready = threading.Event()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            stack.output.append(line.rstrip("\n"))
            if line.startswith(ready_mark):
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    if not ready.wait(READY_TIMEOUT) or process.poll() is not None:
        process.kill()
        pytest.fail(f"omnicase local never printed {ready_mark!r}:\n" + "\n".join(stack.output[-60:]))
    try:
        yield stack
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        assert code == 0, "omnicase local did not shut down cleanly:\n" + "\n".join(stack.output[-40:])


@pytest.fixture(scope="session")
def local_stack() -> Iterator[LocalStack]:
    with run_local() as stack:
        yield stack
