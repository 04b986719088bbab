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
