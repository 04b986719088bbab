"""Deploy artifact size: the layer as `sam build` makes it (python3.12, arm64) and each function's code, zipped.

The layer's dependencies come from layers/Makefile's own build (what `sam build` runs: the hash-locked wheels of
layers/requirements.lock for python3.12 arm64, compiled to bytecode), cached under the temp dir by the hash of the
lock and the build's files; omnicase is compiled fresh from its source folder the same way.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "layers" / "requirements.lock"
COMPILE_BYTECODE = ROOT / "layers" / "compile_bytecode.py"
BUILD_INPUTS = (REQUIREMENTS, ROOT / "layers" / "Makefile", COMPILE_BYTECODE)
MB = 1024 * 1024
ZIPPED_LIMIT_MB = 50  # Lambda: a .zip uploaded directly (function or layer)
UNZIPPED_LIMIT_MB = 250  # Lambda: function code plus all its layers, unzipped
SKIP = ("__pycache__", ".pyc", ".DS_Store")  # a function's code: source only, as `sam build` zips it
LAYER_SKIP = (".DS_Store",)  # the layer: its build-time bytecode is part of it


def _files(folder: Path, prefix: str, skip: tuple[str, ...] = SKIP) -> list[tuple[Path, str]]:
    return [
        (path, f"{prefix}{path.relative_to(folder).as_posix()}")
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not any(part in str(path) for part in skip)
    ]


def _zip(entries: list[tuple[Path, str]]) -> tuple[int, int]:
    """(zipped, unzipped) bytes of a deflated zip of the entries (built in memory)."""
    buffer = io.BytesIO()
    unzipped = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path, name in entries:
            archive.write(path, name)
            unzipped += path.stat().st_size
    return len(buffer.getvalue()), unzipped


def copy_omnicase(into: Path) -> Path:
    """The omnicase package copied into `into` as the layer build copies it, without any local bytecode."""
    target = into / "omnicase"
    shutil.copytree(ROOT / "layers" / "omnicase", target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def compile_bytecode(folder: Path) -> None:
    """The layer build's own bytecode step (layers/compile_bytecode.py) on `folder`."""
    subprocess.run([sys.executable, str(COMPILE_BYTECODE), str(folder)], check=True)


def layer_dependencies() -> tuple[Path | None, str]:
    """The dependencies installed for python3.12 arm64 (cached), or None and why not."""
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in BUILD_INPUTS)).hexdigest()[:12]
    target = Path(tempfile.gettempdir()) / f"omnicase-bench-layer-{digest}"
    dependencies = target / "python"
    if (target / ".complete").is_file():
        return dependencies, "cached"
    command = ["make", "-C", str(ROOT / "layers"), "build-OmnicaseLayer", f"ARTIFACTS_DIR={target}"]
    done = subprocess.run([*command, f"PYTHON={sys.executable}"], capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        return None, (done.stderr.strip().splitlines() or ["make failed"])[-1]
    shutil.rmtree(dependencies / "omnicase")  # measure() counts the package from its source folder
    (target / ".complete").write_text("ok")
    return dependencies, "installed"


def _biggest(target: Path, count: int = 5) -> list[tuple[str, float]]:
    sizes: dict[str, int] = {}
    for path in target.rglob("*"):
        if path.is_file() and not any(part in str(path) for part in LAYER_SKIP):
            top = path.relative_to(target).parts[0]
            sizes[top] = sizes.get(top, 0) + path.stat().st_size
    ordered = sorted(sizes.items(), key=lambda kv: -kv[1])[:count]
    return [(name, size / MB) for name, size in ordered]


def measure() -> dict[str, Any]:
    """Zipped and unzipped MB of the layer and of every function, with ratios to Lambda's limits."""
    compiled = copy_omnicase(Path(tempfile.mkdtemp(prefix="omnicase-bench-own-")))
    compile_bytecode(compiled)
    own = _files(compiled, "python/omnicase/", LAYER_SKIP)
    dependencies, how = layer_dependencies()
    entries = own + (_files(dependencies, "python/", LAYER_SKIP) if dependencies else [])
    layer_zipped, layer_unzipped = _zip(entries)
    functions = {}
    for folder in sorted((ROOT / "functions").iterdir()):
        if folder.is_dir():
            zipped, unzipped = _zip(_files(folder, ""))
            functions[folder.name] = {"zipped_mb": zipped / MB, "unzipped_mb": unzipped / MB}
    biggest_function = max(f["unzipped_mb"] for f in functions.values())
    return {
        "dependencies": how if dependencies else f"NOT INSTALLED (pip: {how}); the layer below is omnicase only",
        "layer_own_unzipped_mb": _zip(own)[1] / MB,
        "layer_zipped_mb": layer_zipped / MB,
        "layer_unzipped_mb": layer_unzipped / MB,
        "zipped_ratio": layer_zipped / MB / ZIPPED_LIMIT_MB,
        "unzipped_ratio": (layer_unzipped / MB + biggest_function) / UNZIPPED_LIMIT_MB,
        "biggest_packages": _biggest(dependencies) if dependencies else [],
        "functions": functions,
    }


def print_report(figures: dict[str, Any]) -> None:
    """The artifact figures in the benchmarks' style."""
    print(f"deploy artifact (layer for python3.12 arm64: dependencies {figures['dependencies']})")
    print(
        f"  layer              {figures['layer_zipped_mb']:7.2f} MB zipped    x{figures['zipped_ratio']:.2f} "
        f"of Lambda's {ZIPPED_LIMIT_MB} MB direct-upload limit"
    )
    print(
        f"  layer + function   {figures['layer_unzipped_mb']:7.2f} MB unzipped  x{figures['unzipped_ratio']:.2f} "
        f"of Lambda's {UNZIPPED_LIMIT_MB} MB unzipped limit (omnicase itself {figures['layer_own_unzipped_mb']:.2f} MB)"
    )
    for name, size in figures["biggest_packages"]:
        print(f"    {name:<28} {size:6.2f} MB unzipped")
    sizes = [f["zipped_mb"] * 1024 for f in figures["functions"].values()]
    print(f"  function code      {min(sizes):.1f}-{max(sizes):.1f} KB zipped each ({len(sizes)} functions)")
