"""The moto patches refuse to run on a moto they were not written for, and say what to do."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from omnicase_local import moto_patches
from omnicase_local.moto_patches import WRITTEN_FOR_MOTO, UnsupportedMoto, apply_moto_patches, check_moto_version

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def pinned_moto() -> str:
    project = tomllib.loads(PYPROJECT.read_text())
    requirements = [r for group in project["project"]["optional-dependencies"].values() for r in group]
    (pin,) = [m.group(1) for r in requirements if (m := re.fullmatch(r"moto(?:\[[^\]]*\])?==(\S+)", r))]
    return pin


def test_the_patches_are_written_for_the_pinned_moto_and_accept_it():
    assert pinned_moto() == WRITTEN_FOR_MOTO
    check_moto_version(pinned_moto())  # no exception


def test_another_moto_is_refused_with_both_versions_and_the_way_out():
    with pytest.raises(UnsupportedMoto) as refused:
        check_moto_version("5.3.0")

    message = str(refused.value)
    assert f"written for moto {WRITTEN_FOR_MOTO}" in message and "moto 5.3.0 is installed" in message
    assert f"moto[server]=={WRITTEN_FOR_MOTO}" in message


def test_applying_the_patches_on_another_moto_refuses_even_when_they_were_applied_before(monkeypatch):
    monkeypatch.setattr(moto_patches, "_installed_moto", lambda: "6.0.0")

    with pytest.raises(UnsupportedMoto, match=r"moto 6\.0\.0 is installed"):
        apply_moto_patches()
