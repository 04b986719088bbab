"""Write layers/requirements.lock: the layer's whole dependency set for Lambda's Python, pinned with hashes.

Run by `./dev lock` with the tools venv's Python (it has uv). The input is pyproject's [project.dependencies];
chalice comes without its own dependencies, because the functions import only `chalice.app` (standard library
alone) and chalice's CLI dependencies (pip, setuptools, inquirer, click …) would add ~18 MB to every cold start's
layer. Existing pins are kept unless `--upgrade` is given (uv prefers the output file's versions).

Usage: python infra/deploy/lock_layer.py [--upgrade] [--tools]   (--tools: also relock the deploy tools)
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "layers" / "requirements.lock"
DEPLOY = ROOT / "infra" / "deploy"
# Installed into the layer with --no-deps: only `chalice.app` is imported in Lambda (tests/unit/test_packaging.py).
WITHOUT_DEPENDENCIES = ("chalice",)
PYTHON = "3.12"  # Lambda's runtime: template.yaml's Runtime (tests/unit/test_packaging.py keeps them equal)
HEADER = """\
# The Lambda layer's whole dependency set for python{python}, pinned with hashes. Written by `./dev lock` from
# pyproject.toml's [project.dependencies] (infra/deploy/lock_layer.py); do not edit by hand.
# Installed with `pip install --no-deps --require-hashes`: by `sam build` (layers/Makefile), ./dev and CI.
# {no_deps} without its own dependencies: the functions import only chalice.app (standard library alone).
"""


def _name(requirement: str) -> str:
    return re.split(r"[\s\[=<>!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def runtime_requirements() -> list[str]:
    """pyproject's [project.dependencies], as written there."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]


def _compile(requirements: list[str], output: Path, *extra: str) -> str:
    source = output.with_name("pyproject-dependencies.in")  # named in the lock's `# via` lines
    source.write_text("\n".join(requirements) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "uv", "pip", "compile", source.name, "--quiet", "--generate-hashes"]
    command += ["--python-version", PYTHON, "--no-header", "-o", output.name, *extra]
    subprocess.run(command, check=True, cwd=output.parent)
    return output.read_text(encoding="utf-8")


def lock_layer(upgrade: bool) -> None:
    """Resolve everything but chalice's own dependencies; append the chalice pins, hashed, alone."""
    requirements = runtime_requirements()
    resolved = [r for r in requirements if _name(r) not in WITHOUT_DEPENDENCIES]
    alone = [r for r in requirements if _name(r) in WITHOUT_DEPENDENCIES]
    upgrade_flag = ["--upgrade"] if upgrade else []
    with tempfile.TemporaryDirectory() as scratch:
        seeded = Path(scratch) / "resolved.txt"
        if LOCK.is_file() and not upgrade:
            seeded.write_text(LOCK.read_text(encoding="utf-8"), encoding="utf-8")  # keep today's pins
        body = _compile(resolved, seeded, "--universal", *upgrade_flag)
        body += _compile(alone, Path(scratch) / "alone.txt", "--no-deps")
    header = HEADER.format(python=PYTHON, no_deps=", ".join(WITHOUT_DEPENDENCIES).capitalize())
    LOCK.write_text(header + body, encoding="utf-8")
    print(f"wrote {LOCK.relative_to(ROOT)}")


def lock_tools(upgrade: bool) -> None:
    """The deploy tools (SAM CLI, checkov), each in its own venv: their pins conflict (boto3)."""
    for name in ("sam", "checkov"):
        source, lock = DEPLOY / f"{name}-tools.in", DEPLOY / f"{name}-tools.lock"
        command = [sys.executable, "-m", "uv", "pip", "compile", str(source), "--quiet", "--generate-hashes"]
        command += ["--python-version", PYTHON, "-o", str(lock), *(["--upgrade"] if upgrade else [])]
        subprocess.run(command, check=True)
        print(f"wrote {lock.relative_to(ROOT)}")


if __name__ == "__main__":
    lock_layer(upgrade="--upgrade" in sys.argv)
    if "--tools" in sys.argv:
        lock_tools(upgrade="--upgrade" in sys.argv)
