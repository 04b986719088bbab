"""The SMS fixtures in tests/fixtures/sms (sources listed in its INDEX.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sms"


def load_json(name: str) -> Any:
    """A fixture file parsed as JSON."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def read_bytes(name: str) -> bytes:
    """A fixture file's raw bytes."""
    return (FIXTURES / name).read_bytes()
