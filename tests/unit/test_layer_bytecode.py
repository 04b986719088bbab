"""The layer's bytecode: compiled at build time (Lambda's /opt is read-only), taken without a look at the source's
mtime, and never for the phone-number tables omnicase does not load."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("compile_bytecode", ROOT / "layers" / "compile_bytecode.py")
compile_bytecode = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compile_bytecode)
UNCHECKED_HASH = 0b01  # PEP 552: the pyc's flags word (bit 0 hash-based, bit 1 check the source)


def tree(root: Path) -> None:
    for module in ("omnicase/domain/model.py", "phonenumbers/data/region_CN.py", "phonenumbers/geodata/data0.py"):
        path = root / module
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("VALUE = 1\n", encoding="utf-8")


def flags_of(pyc: Path) -> int:
    return int.from_bytes(pyc.read_bytes()[4:8], "little")


def test_every_module_but_the_unloaded_tables_gets_unchecked_hash_bytecode(tmp_path):
    tree(tmp_path)

    assert compile_bytecode.compile_layer(tmp_path)

    compiled = sorted(p.relative_to(tmp_path).parent.parent.as_posix() for p in tmp_path.rglob("*.pyc"))
    assert compiled == ["omnicase/domain", "phonenumbers/data"]
    assert {flags_of(p) for p in tmp_path.rglob("*.pyc")} == {UNCHECKED_HASH}


def test_another_python_than_the_layers_is_refused(tmp_path, monkeypatch):
    tree(tmp_path)
    monkeypatch.setattr(compile_bytecode, "LAYER_PYTHON", (3, 11))

    with pytest.raises(SystemExit, match=r"Python 3\.11"):
        compile_bytecode.compile_layer(tmp_path)
    assert list(tmp_path.rglob("*.pyc")) == []


def test_the_layer_build_compiles_what_it_installed():
    makefile = (ROOT / "layers" / "Makefile").read_text(encoding="utf-8")
    steps = [line.strip() for line in makefile.splitlines() if line.startswith("\t")]

    assert steps[-1] == '$(PYTHON) compile_bytecode.py "$(ARTIFACTS_DIR)/python"'  # after pip's own pycs are gone
    major, minor = compile_bytecode.LAYER_PYTHON
    assert f"PYTHON_VERSION := {major}.{minor}\n" in makefile  # the version the wheels are chosen for
