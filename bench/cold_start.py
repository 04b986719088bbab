"""Cold start: importing each handler in a fresh interpreter, beside a bare `import boto3` in the same run."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMPORT_HANDLER = """
import importlib.util, time
t = time.perf_counter()
spec = importlib.util.spec_from_file_location("app", {path!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(time.perf_counter() - t)
"""
IMPORT_BOTO3 = "import time\nt = time.perf_counter()\nimport boto3\nprint(time.perf_counter() - t)\n"


def _time_in_fresh_process(code: str) -> float:
    env = {**os.environ, "TABLE_NAME": "bench", "MAIL_BUCKET": "bench", "AWS_DEFAULT_REGION": "us-east-1"}
    # As inside Lambda: Powertools' Tracer is active (and patches botocore) only where LAMBDA_TASK_ROOT is set.
    env |= {"LAMBDA_TASK_ROOT": str(ROOT), "AWS_LAMBDA_FUNCTION_NAME": "bench"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def measure(rounds: int = 9) -> dict[str, dict[str, float]]:
    """Median import seconds per handler and for boto3, interleaved so drift hits both alike."""
    handlers = sorted(ROOT.glob("functions/*/app.py"))
    samples: dict[str, list[float]] = {"boto3": [], **{h.parent.name: [] for h in handlers}}
    for _ in range(rounds):
        samples["boto3"].append(_time_in_fresh_process(IMPORT_BOTO3))
        for handler in handlers:
            samples[handler.parent.name].append(_time_in_fresh_process(IMPORT_HANDLER.format(path=str(handler))))
    baseline = statistics.median(samples["boto3"])
    return {
        name: {"median_ms": statistics.median(s) * 1000, "ratio_to_boto3": statistics.median(s) / baseline}
        for name, s in samples.items()
    }


# ---- as deployed: the layer Lambda mounts read-only at /opt, with and without its build-time bytecode -----------

IMPORT_FROM_LAYER = """
import sys, time
sys.path[:0] = [{code!r}, {layer!r}]
t = time.perf_counter()
{statement}
print(time.perf_counter() - t)
"""


def deployed_layers() -> dict[str, Path]:
    """Two copies of the layer for this machine's architecture (the locked wheels, as `sam build` installs them for
    arm64, plus omnicase): as source only, and with what layers/compile_bytecode.py adds. The wheels are cached by
    the lock's hash; omnicase is copied fresh."""
    import hashlib
    import shutil
    import tempfile

    from bench.artifact import REQUIREMENTS, compile_bytecode, copy_omnicase

    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:12]
    home = Path(tempfile.gettempdir()) / f"omnicase-bench-deployed-{digest}"
    wheels = home / "wheels"
    if not (home / ".installed").is_file():
        shutil.rmtree(home, ignore_errors=True)
        pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps"]
        pip += ["--require-hashes", "--only-binary=:all:", "--no-compile", "--target", str(wheels)]
        pip += ["-r", str(REQUIREMENTS)]
        subprocess.run(pip, check=True)
        (home / ".installed").write_text("ok")
    layers = {"source": home / "source" / "python", "bytecode": home / "bytecode" / "python"}
    for name, layer in layers.items():
        shutil.rmtree(layer.parent, ignore_errors=True)
        shutil.copytree(wheels, layer)
        copy_omnicase(layer)
        if name == "bytecode":
            compile_bytecode(layer)
    return layers


def _time_from_layer(layer: Path, code: Path, statement: str) -> float:
    # As in Lambda: nothing on the path but the function and the layer (-S: no site-packages), and no bytecode
    # written (its filesystem is read-only); the interpreter's own standard library is compiled, as Lambda's is.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env |= {"PYTHONDONTWRITEBYTECODE": "1", "TABLE_NAME": "bench", "MAIL_BUCKET": "bench"}
    env |= {"AWS_DEFAULT_REGION": "us-east-1", "LAMBDA_TASK_ROOT": str(code), "AWS_LAMBDA_FUNCTION_NAME": "bench"}
    program = IMPORT_FROM_LAYER.format(code=str(code), layer=str(layer), statement=statement)
    out = subprocess.run([sys.executable, "-S", "-c", program], capture_output=True, text=True, env=env, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def measure_deployed(rounds: int = 3) -> dict[str, dict[str, float]]:
    """Median import seconds per handler and for boto3, each from the layer with and without its bytecode."""
    layers = deployed_layers()
    targets = {"boto3": (ROOT, "import boto3")}
    targets |= {h.parent.name: (h.parent, "import app") for h in sorted(ROOT.glob("functions/*/app.py"))}
    samples: dict[tuple[str, str], list[float]] = {}
    for _ in range(rounds):
        for name, (code, statement) in targets.items():
            for kind, layer in layers.items():
                samples.setdefault((name, kind), []).append(_time_from_layer(layer, code, statement))
    median = {key: statistics.median(values) for key, values in samples.items()}
    return {
        name: {
            "median_ms": median[(name, "bytecode")] * 1000,
            "ratio_to_boto3": median[(name, "bytecode")] / median[("boto3", "bytecode")],
            "without_bytecode_ms": median[(name, "source")] * 1000,
            "speedup": median[(name, "source")] / median[(name, "bytecode")],
        }
        for name in targets
    }
