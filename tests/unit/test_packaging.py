"""One Python and one dependency set: pyproject, the hash lock, the layer's Makefile, the template and the dev venv
must not drift apart (`./dev lock` rewrites the lock after a pyproject change)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from omnicase_local.sam_template import load_yaml

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "layers" / "requirements.lock"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
TEMPLATE = load_yaml(ROOT / "template.yaml")
WITHOUT_DEPENDENCIES = {"chalice"}  # infra/deploy/lock_layer.py: only chalice.app is imported in Lambda
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def _locked() -> dict[str, str]:
    return {canonicalize_name(name): version for name, version in _PIN.findall(LOCK.read_text(encoding="utf-8"))}


def _direct() -> list[Requirement]:
    return [Requirement(line) for line in PYPROJECT["project"]["dependencies"]]


def _lambda_runtime() -> str:
    return TEMPLATE["Globals"]["Function"]["Runtime"]


def test_the_lock_pins_every_direct_dependency_at_pyprojects_version():
    locked = _locked()
    for requirement in _direct():
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"{requirement}: pin it exactly"
        assert locked.get(canonicalize_name(requirement.name)) == specifier.version, f"run ./dev lock ({requirement})"


def test_every_locked_line_has_hashes():
    entries = re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text(encoding="utf-8").split("\n", 4)[-1])
    pins = [entry for entry in entries if _PIN.match(entry)]
    assert len(pins) == len(_locked())
    assert all("--hash=sha256:" in entry for entry in pins)


def test_the_lock_holds_everything_the_locked_packages_need_on_lambda_but_chalices_cli():
    """The layer installs with --no-deps: a requirement missing here would be missing in Lambda."""
    locked = _locked()
    lambda_env = {**default_environment(), "sys_platform": "linux", "platform_system": "Linux"}
    lambda_env |= {"platform_machine": "aarch64", "python_version": _lambda_runtime().removeprefix("python")}
    extras = {canonicalize_name(r.name): r.extras for r in _direct()}
    missing = []
    for name in set(locked) - WITHOUT_DEPENDENCIES:
        for line in metadata.requires(name) or []:
            needed = Requirement(line)
            wanted = [{**lambda_env, "extra": extra} for extra in {"", *extras.get(name, set())}]
            if needed.marker and not any(needed.marker.evaluate(env) for env in wanted):
                continue
            if canonicalize_name(needed.name) not in locked:
                missing.append(f"{name} needs {needed}")
    assert missing == []


def test_the_dev_venv_runs_the_locked_versions():
    """What tests run is what Lambda runs (./dev installs the lock first)."""
    drift = {name: metadata.version(name) for name, version in _locked().items() if metadata.version(name) != version}
    assert drift == {}


def test_chalices_package_imports_with_the_standard_library_alone():
    """Why chalice ships without its dependencies: importing it (chalice.app) needs nothing else."""
    guard = (
        "import sys\n"
        "class OnlyStdlib:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        top = name.partition('.')[0]\n"
        "        if top not in sys.stdlib_module_names and top != 'chalice':\n"
        "            raise ImportError(f'chalice imported {name}')\n"
        "sys.meta_path.insert(0, OnlyStdlib())\n"
        "import chalice, chalice.app\n"
    )
    subprocess.run([sys.executable, "-c", guard], check=True)


def test_one_python_version_for_development_ci_and_lambda():
    runtime = _lambda_runtime()  # "python3.12"
    version = runtime.removeprefix("python")
    layer = TEMPLATE["Resources"]["OmnicaseLayer"]
    assert layer["Properties"]["CompatibleRuntimes"] == [runtime]
    assert PYPROJECT["project"]["requires-python"] == f">={version},<3.{int(version.split('.')[1]) + 1}"
    assert PYPROJECT["tool"]["ruff"]["target-version"] == f"py{version.replace('.', '')}"
    assert f"PYTHON_VERSION := {version}\n" in (ROOT / "layers" / "Makefile").read_text(encoding="utf-8")
    assert f"for {runtime}," in LOCK.read_text(encoding="utf-8").splitlines()[0]
    assert f'LAMBDA_PYTHON="{version}"' in (ROOT / "dev").read_text(encoding="utf-8")
    assert sys.version_info[:2] == tuple(int(part) for part in version.split(".")), "recreate .venv: ./dev"


def test_the_layer_is_built_for_the_functions_architecture():
    architectures = TEMPLATE["Globals"]["Function"]["Architectures"]
    layer = TEMPLATE["Resources"]["OmnicaseLayer"]
    assert layer["Properties"]["CompatibleArchitectures"] == architectures == ["arm64"]
    assert layer["Metadata"] == {"BuildMethod": "makefile", "BuildArchitecture": "arm64"}
    platforms = re.findall(r"--platform (\S+)", (ROOT / "layers" / "Makefile").read_text(encoding="utf-8"))
    assert platforms and all(platform.endswith("_aarch64") for platform in platforms)


def test_the_license_is_an_spdx_expression_with_its_file():
    assert PYPROJECT["project"]["license"] == "Apache-2.0"
    assert [path for pattern in PYPROJECT["project"]["license-files"] for path in ROOT.glob(pattern)]
    assert "Apache License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
