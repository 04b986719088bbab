"""The load figures in the benchmarks' style: each beside its target as a ratio."""

from __future__ import annotations

from typing import Any

from bench.load import TARGETS


def _ratio(value: float, target_key: str) -> str:
    return f"x{value / TARGETS[target_key]:.2f}"


def print_load(f: dict[str, Any], clients: int) -> None:
    """Print what bench.load.measure returned."""
    mix = ", ".join(f"{channel} {n}" for channel, n in sorted(f["channels"].items()))
    print(f"load through omnicase local ({f['messages']} deliveries, {clients} client threads: {mix})")
    peak = f["memory"]["after"]["peak_rss_mb"]
    print(f"  ready             {f['ready_s']:8.2f} s       {_ratio(f['ready_s'], 'ready_s')} of the 5 s target")
    print(
        f"  throughput        {f['messages_per_s']:8.1f} msg/s   {_ratio(f['messages_per_s'], 'messages_per_s')} "
        f"of the 100 msg/s target (accepted at the edges in {f['driven_s']:.1f} s; "
        f"{f['messages_per_s_drained']:.1f} msg/s until every stream consumer was done, {f['drained_s']:.1f} s)"
    )
    print(
        f"  peak RSS          {peak:8.1f} MB      {_ratio(peak, 'peak_rss_mb')} of the 500 MB target "
        f"({f['memory']['at_ready']['rss_mb']:.0f} MB when ready; {f['memory']['after']['threads']} threads at the end)"
    )
    a = f["accounting"]
    print(
        f"  accounted         {'all' if a['complete'] else 'NOT ALL'}: sent {a['sent']} = {a['unique']} messages + "
        f"{a['redeliveries']} redeliveries; stored {a['stored']}, duplicates {a['duplicates']}, "
        f"missing {a['missing']}, refused {a['rejected']}"
    )
    intake = f["intake_dynamodb_per_call"]
    print(
        f"  DynamoDB          {intake:8.2f} requests per intake call  "
        f"{_ratio(intake, 'intake_dynamodb_requests')} of the 3-request target "
        f"(+{f['consumers_dynamodb_per_message']:.2f} per delivery in stream consumers and timers)"
    )
    feed = f["change_feed_per_message"]
    print(
        f"  change feed       {feed['bus_events']:8.2f} changes put on the bus per delivery; consumer queues handed on "
        f"{feed['queue_messages']:.2f} messages in {feed['queue_batches']:.2f} batches"
    )
    per_case = f["messages"] / max(1, f["cases_opened"])
    print(f"  cases opened      {f['cases_opened']:8d}        ({per_case:.2f} deliveries per case)")
    print(f"  logs              {f['log_bytes_per_message']:8.0f} bytes of JSON log / EMF per delivery")
    print("  handler time           calls   p50 ms   p95 ms   p99 ms")
    for name, p in f["handlers"].items():
        print(f"    {name:<28} {p['calls']:6d} {p['p50_ms']:8.1f} {p['p95_ms']:8.1f} {p['p99_ms']:8.1f}")
    print("  requests per delivery, by function")
    for name, ops in sorted(f["requests_per_message"].items()):
        shown = ", ".join(f"{op} {n:.2f}" if n >= 0.01 else f"{op} {n:.4f}" for op, n in ops.items())
        print(f"    {name:<28} {shown}")
