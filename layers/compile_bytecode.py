"""Compile the layer's Python to bytecode at build time: Lambda's /opt is read-only, so without it every cold start
compiles every module it imports (measured: `python -m bench --only cold-start`, "as deployed").

Run by layers/Makefile with the layer's Python (the bytecode is version-specific: another Python's is ignored, so
the build refuses one). Hash-based and unchecked: the zip `sam build` makes does not keep mtimes to the second, and
nothing edits a deployed file, so the interpreter takes the bytecode without looking at the source's mtime.
phonenumbers' geocoding, carrier and time-zone tables (~20 MB of bytecode) are left as source: omnicase never
loads them.
"""

from __future__ import annotations

import compileall
import py_compile
import re
import sys
from pathlib import Path

LAYER_PYTHON = (3, 12)  # template.yaml's runtime (tests/unit/test_packaging.py keeps them in step)
NEVER_LOADED = re.compile(r"[/\\]phonenumbers[/\\](geodata|carrierdata|tzdata)[/\\]")


def compile_layer(folder: Path) -> bool:
    """Bytecode beside every module under `folder` but the tables omnicase never loads; False if one failed."""
    if sys.version_info[:2] != LAYER_PYTHON:
        raise SystemExit(
            f"compile_bytecode.py runs under Python {LAYER_PYTHON[0]}.{LAYER_PYTHON[1]} (the layer's), "
            f"not {sys.version_info[0]}.{sys.version_info[1]}: its bytecode would be ignored"
        )
    return compileall.compile_dir(
        folder,
        quiet=1,
        rx=NEVER_LOADED,
        workers=0,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
    )


if __name__ == "__main__":
    sys.exit(0 if compile_layer(Path(sys.argv[1])) else 1)
