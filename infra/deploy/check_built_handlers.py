"""Import every handler from what `sam build` made, as Lambda would: a missing file, a wrong `Handler` path or a
dependency the lock lacks fails here instead of in the first invocation after a deploy.

Each function is imported in a fresh interpreter with nothing but the standard library, its built code folder
and the built layer on sys.path. The layer's compiled wheels are arm64 (Graviton); on another machine their
twins for this machine's architecture, installed from the same lock (`host_dependencies`), stand in for them,
ahead of the layer, and the layer's own binaries are checked to be arm64 ELF files instead.

Run with Lambda's Python (./dev deploy-check): python check_built_handlers.py BUILD_DIR HOST_DEPENDENCIES
"""

from __future__ import annotations

import json
import platform
import re
import subprocess
import sys
from pathlib import Path

import yaml

LOCK = Path(__file__).resolve().parents[2] / "layers" / "requirements.lock"
ELF_MACHINE_AARCH64 = 0xB7
ENVIRONMENT = {"TABLE_NAME": "deploy-check", "MAIL_BUCKET": "deploy-check", "AWS_DEFAULT_REGION": "eu-west-1"}
IMPORT = """
import importlib, json, pkgutil, sys
sys.path[:0] = {paths!r}
module_name, _, attribute = {handler!r}.rpartition(".")
module = importlib.import_module(module_name)
handler = getattr(module, attribute)
import omnicase
modules = [m.name for m in pkgutil.walk_packages(omnicase.__path__, "omnicase.")] if {every_module!r} else []
for name in modules:
    importlib.import_module(name)
print(json.dumps({{"module": module.__file__, "callable": callable(handler), "omnicase": omnicase.__file__,
                  "modules": len(modules)}}))
"""


class _CfnLoader(yaml.SafeLoader):
    """Reads the built template's short-form intrinsics (!Ref, !GetAtt …) as plain tags."""


_CfnLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def _functions(build_dir: Path) -> dict[str, tuple[Path, str]]:
    template = yaml.load((build_dir / "template.yaml").read_text(encoding="utf-8"), Loader=_CfnLoader)
    functions = {}
    for logical_id, resource in template["Resources"].items():
        if resource.get("Type") == "AWS::Serverless::Function":
            props = resource["Properties"]
            functions[logical_id] = (build_dir / props["CodeUri"], props["Handler"])
    return functions


def check_layer_binaries(layer: Path) -> list[str]:
    """Problems: a compiled module that is not an arm64 ELF file."""
    problems = []
    for library in layer.rglob("*.so*"):
        header = library.read_bytes()[:20]
        if header[:4] == b"\x7fELF" and int.from_bytes(header[18:20], "little") != ELF_MACHINE_AARCH64:
            problems.append(f"{library.relative_to(layer)} is not built for arm64")
    return problems


def check_layer_distributions(layer: Path) -> list[str]:
    """Problems: the layer's installed distributions differ from the lock's."""
    locked = {name.lower().replace("_", "-") for name in re.findall(r"^([A-Za-z0-9][\w.-]*)==", LOCK.read_text(), re.M)}
    installed = {p.name.split("-")[0].lower().replace("_", "-") for p in layer.glob("*.dist-info")}
    return [f"layer and lock differ: {sorted(installed ^ locked)}"] if installed != locked else []


def check_handler(code: Path, handler: str, paths: list[Path], every_module: bool) -> tuple[list[str], int]:
    """Problems importing one handler in a fresh standard-library-only interpreter, and the modules imported."""
    if not code.is_dir():
        return [f"{code} was not built"], 0
    script = IMPORT.format(paths=[str(p) for p in paths], handler=handler, every_module=every_module)
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", script], capture_output=True, text=True, env=ENVIRONMENT, check=False
    )
    if done.returncode != 0:
        return [f"{code.name}: {handler} does not import: {done.stderr.strip().splitlines()[-1:]}"], 0
    found = json.loads(done.stdout.strip().splitlines()[-1])
    problems = [] if found["callable"] else [f"{code.name}: {handler} is not callable"]
    if not found["module"].startswith(str(code)):
        problems.append(f"{code.name}: {handler} came from {found['module']}, not the built folder")
    if not found["omnicase"].startswith(str(paths[-1])):
        problems.append(f"{code.name}: omnicase came from {found['omnicase']}, not the built layer")
    return problems, found["modules"]


def main(build_dir: Path, host_dependencies: Path) -> int:
    layer = build_dir / "OmnicaseLayer" / "python"
    problems = check_layer_binaries(layer) + check_layer_distributions(layer)
    # The layer's binaries run on arm64 only: elsewhere, the same locked versions built for this machine go first.
    twins = [] if platform.machine() in ("aarch64", "arm64") else [host_dependencies]
    functions = _functions(build_dir)
    modules = 0
    for index, (code, handler) in enumerate(sorted(functions.values())):
        found, imported = check_handler(code, handler, [code, *twins, layer], every_module=index == 0)
        problems += found
        modules = max(modules, imported)
    for problem in problems:
        print(f"deploy-check: {problem}", file=sys.stderr)
    if not problems:
        print(f"deploy-check: {len(functions)} handlers and {modules} omnicase modules import from {build_dir}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()))
