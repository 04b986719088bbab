"""The layer's requirements and the project's dependencies must not drift apart."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_layer_requirements_pin_exactly_the_project_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    layer = [
        line.strip()
        for line in (ROOT / "layers" / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert sorted(layer) == sorted(project)
    assert all("==" in pin for pin in layer)
