"""`python -m bench`: cold start, warm intake, load, artifact size, cost and the agent console, each against a
target or a baseline."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench import cold_start, intake
from bench.log_capture import captured_stdout, discarded_stdout

RESULTS = Path(__file__).parent / "results"
BENCHES = ("cold-start", "intake", "load", "artifact", "cost", "console", "kb", "report")


def _cold_start(args: argparse.Namespace) -> dict[str, Any]:
    print("cold start (median import time in a fresh interpreter)")
    cold = cold_start.measure(args.rounds)
    for name, figures in cold.items():
        print(f"  {name:<18} {figures['median_ms']:7.1f} ms   x{figures['ratio_to_boto3']:.2f} of import boto3")
    print("as deployed: from the layer alone, read-only (no bytecode written), with the layer's build-time bytecode")
    deployed = cold_start.measure_deployed()
    for name, figures in deployed.items():
        ratio, before, speedup = figures["ratio_to_boto3"], figures["without_bytecode_ms"], figures["speedup"]
        print(
            f"  {name:<22} {figures['median_ms']:7.1f} ms   x{ratio:.2f} of import boto3"
            f"   (without bytecode {before:6.1f} ms: x{speedup:.2f} faster with it)"
        )
    return {"dev_venv": cold, "deployed": deployed}


def _intake(args: argparse.Namespace) -> dict[str, Any]:
    count = args.messages or 400
    print(f"\nwarm email intake on moto ({count} mails, same run)")
    with discarded_stdout():  # the handlers' JSON log lines and EMF documents (errors still reach stderr)
        warm = intake.measure(count)
    print(f"  {'':<16} {'msg/s':>8}         {'p50':>10}   {'p99':>10}   DynamoDB requests / message")
    for name in ("omnicase_ingest", "usual_baseline", "naive_baseline", "raw_put_item"):
        f = warm[name]
        ddb = f.get("dynamodb_requests_per_message", 1.0)
        rate, p50, p99 = f["per_second"], f["p50_ms"], f["p99_ms"]
        print(f"  {name:<16} {rate:8.1f} msg/s   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms   {ddb:.2f}")
    for name in ("usual", "naive"):
        by_cpu = warm[f"cpu_speed_vs_{name}"]
        print(f"  omnicase / {name} baseline:   x{warm[f'speed_vs_{name}']:.2f} throughput (x{by_cpu:.2f} by CPU time)")
    print(f"  omnicase / raw put_item:     x{warm['speed_vs_raw_put_item']:.2f} throughput")
    for name in ("omnicase_ingest", "usual_baseline"):
        print(f"  {name} requests / message: {warm[name]['requests_by_operation']}")
    if args.profile:
        from bench import intake_profile

        with discarded_stdout():
            warm["profile"] = intake_profile.measure(count // 2)
        intake_profile.print_report(warm["profile"])
    return warm


def _load(args: argparse.Namespace) -> dict[str, Any]:
    # 10,000 deliveries take ~8-16 min on 2 cores; the full run measures a 2,000-delivery load unless told.
    count = args.messages or (10_000 if args.only == "load" else 2_000)
    if args.profile:
        return _load_profile(args, count)
    if args.only != "load":  # its own interpreter: peak RSS must be the runtime's, not the earlier benches'
        command = [sys.executable, "-m", "bench", "--only", "load", "--messages", str(count)]
        subprocess.run([*command, "--clients", str(args.clients)], check=True)
        return json.loads((RESULTS / "load.json").read_text())
    from bench import load
    from bench.load_report import print_load

    print()
    figures = load.measure(count, clients=args.clients)
    print_load(figures, args.clients)
    _save("load.json", figures)
    return figures


def _load_profile(args: argparse.Namespace, count: int) -> dict[str, Any]:
    """The load run in a fresh interpreter under py-spy, then its GIL time split by owner."""
    from bench import load_profile

    RESULTS.mkdir(exist_ok=True)
    samples = RESULTS / "load-samples.txt"
    load_profile.sample_load(count, args.clients, samples)
    figures = json.loads((RESULTS / "load.json").read_text())
    with samples.open() as raw:
        profile = load_profile.report(load_profile.fold(raw), figures)
    load_profile.print_report(profile)
    _save("load-profile.json", profile)
    return figures


def _artifact(args: argparse.Namespace) -> dict[str, Any]:
    from bench import artifact

    print()
    figures = artifact.measure()
    artifact.print_report(figures)
    return figures


def _cost(args: argparse.Namespace) -> dict[str, Any]:
    from bench import cost

    source = RESULTS / "load.json"
    if not source.is_file():
        print(f"\ncost: no {source} yet; run `python -m bench --only load` first")
        return {}
    print()
    return cost.print_estimate(json.loads(source.read_text()))


def _console(args: argparse.Namespace) -> dict[str, Any]:
    from bench import console

    print()
    figures = console.measure(open_cases=args.messages or 1000)
    console.print_report(figures)
    return figures


def _kb(args: argparse.Namespace) -> dict[str, Any]:
    from bench import kb

    print()
    figures = kb.measure(args.rounds)
    kb.print_report(figures)
    return figures


def _report(args: argparse.Namespace) -> dict[str, Any]:
    from bench import report

    print()
    with captured_stdout():  # the local stack's log lines
        figures = report.measure(args.rounds)
    report.print_report(figures)
    return figures


def _save(name: str, figures: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / name).write_text(json.dumps(figures, indent=2, default=str))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument(
        "--messages",
        type=int,
        help="intake: mails (400); load: deliveries (10,000 with --only load, else 2,000); console: open cases (1,000)",
    )
    parser.add_argument("--rounds", type=int, default=9, help="fresh interpreters per cold-start sample")
    parser.add_argument("--clients", type=int, default=4, help="load: concurrent client threads")
    parser.add_argument("--only", choices=BENCHES, help="run one benchmark")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="intake, load: also split the time by owner (load: under py-spy, in a fresh interpreter)",
    )
    args = parser.parse_args()
    runs = {
        "cold-start": _cold_start,
        "intake": _intake,
        "load": _load,
        "artifact": _artifact,
        "cost": _cost,
        "console": _console,
        "kb": _kb,
        "report": _report,
    }
    results = {name: run(args) for name, run in runs.items() if args.only in (None, name)}
    if args.only != "load":
        _save("latest.json" if args.only is None else f"{args.only}.json", results)


if __name__ == "__main__":
    main()
