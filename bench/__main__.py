"""`python -m bench`: cold start and warm intake, each against a baseline measured in the same run."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench import cold_start, intake


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--messages", type=int, default=400, help="mails through each intake run")
    parser.add_argument("--rounds", type=int, default=9, help="fresh interpreters per cold-start sample")
    parser.add_argument("--only", choices=("cold-start", "intake"), help="run one of the two benchmarks")
    args = parser.parse_args()

    if args.only != "intake":
        print("cold start (median import time in a fresh interpreter)")
        cold = cold_start.measure(args.rounds)
        for name, figures in cold.items():
            print(f"  {name:<18} {figures['median_ms']:7.1f} ms   x{figures['ratio_to_boto3']:.2f} of import boto3")
    if args.only == "cold-start":
        return

    print(f"\nwarm email intake on moto ({args.messages} mails, same run)")
    warm = intake.measure(args.messages)
    for name in ("omnicase_ingest", "naive_baseline", "raw_put_item"):
        f = warm[name]
        print(f"  {name:<16} {f['per_second']:8.1f} msg/s   p50 {f['p50_ms']:6.2f} ms   p99 {f['p99_ms']:6.2f} ms")
    print(f"  omnicase / naive baseline:   x{warm['speed_vs_naive']:.2f} throughput")
    print(f"  omnicase / raw put_item:     x{warm['speed_vs_raw_put_item']:.2f} throughput")
    print(
        f"  DynamoDB requests / message: {warm['dynamodb_requests_per_message']:.2f}  {warm['requests_by_operation']}"
    )

    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps({"cold_start": cold, "intake": warm}, indent=2))


if __name__ == "__main__":
    main()
