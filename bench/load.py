"""Load: mixed inbound traffic over every edge of `omnicase local`, measured inside the runtime's own process.

In-process (not a subprocess) so one process holds the runtime and the probes: handler times through the runtime's
invocation observer, DynamoDB requests charged to the function that made them, request units sized from the
embedded table, and the accounting read straight from it. The clients share that process, so every payload is
built before the clock starts and the clients only sign and send; their CPU still counts against throughput.
"""

from __future__ import annotations

import queue
import socket
import statistics
import sys
import threading
import time
from collections import Counter
from dataclasses import asdict
from typing import Any

from bench.accounting import account, table_census
from bench.capacity import CapacityMeter, moto_size_of
from bench.load_traffic import Send, mixed_traffic
from bench.log_capture import captured_stdout
from bench.probes import OUTSIDE, InvocationProbe, count_requests, memory_mb, percentiles

INTAKE = ("IngestEmailFunction", "IngestSmsFunction", "SmsWebhookFunction", "ChatWebhookFunction")
INTAKE += ("WechatWebhookFunction",)
TARGETS = {"ready_s": 5.0, "messages_per_s": 100.0, "peak_rss_mb": 500.0, "intake_dynamodb_requests": 3.0}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _drive(edges: Any, sends: list[Send], clients: int) -> tuple[list[str], int, dict[str, list[float]]]:
    """Send everything over `clients` threads (taken out of `sends`, left empty); the keys sent, how many were
    refused, client latency by channel."""
    from bench.load_clients import EdgeClient

    pending: queue.Queue[Send] = queue.Queue()
    for send in sends:
        pending.put(send)
    sends.clear()  # each payload is freed once sent: the bench's own data is not what the peak RSS reports
    sent: list[str] = []
    refused: list[str] = []
    latency: dict[str, list[float]] = {}

    def client() -> None:
        edge = EdgeClient(edges)
        try:
            while True:
                try:
                    send = pending.get_nowait()
                except queue.Empty:
                    return
                started = time.perf_counter()
                try:
                    ok = edge.send(send)
                    if not ok:
                        print(f"{send.channel} {send.key} not accepted", file=sys.stderr)
                except Exception as error:  # an edge that errors is a refusal the accounting must show
                    print(f"{send.channel} {send.key} refused: {error!r}", file=sys.stderr)
                    ok = False
                latency.setdefault(send.channel, []).append(time.perf_counter() - started)
                (sent if ok else refused).append(send.key)
        finally:
            edge.close()

    threads = [threading.Thread(target=client, name=f"bench-client-{n}") for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sent + refused, len(refused), latency


def _feed_counts() -> tuple[int, int, int]:
    """(changes put on the bus, messages and batches handed to consumers) since the runtime started."""
    from omnicase_local import pipes, sqs_event_sources

    return (pipes.events_put(), *sqs_event_sources.handed_counts())


def measure(messages: int = 10_000, clients: int = 4) -> dict[str, Any]:
    """Start the runtime, warm each edge, drive `messages` deliveries, drain the streams, account for all."""
    from bench.load_clients import edges_of
    from omnicase_local.observe import observe_invocations
    from omnicase_local.runtime import LocalRuntime
    from omnicase_local.streams import drain

    runtime = LocalRuntime(http_port=_free_port(), smtp_port=_free_port(), moto_port=_free_port())
    with captured_stdout():  # the runtime's and the handlers' lines stay off the report
        ready_s = runtime.start()
    at_ready = memory_mb()
    try:
        edges = edges_of(runtime)
        with captured_stdout():
            _drive(edges, mixed_traffic(25, seed=99), clients=1)  # warm: handlers imported, tenant cached
            drain(timeout=120)
        stack = runtime.stack
        table = stack.physical_ids["CasesTable"]
        cases_before = table_census(stack.account_id, stack.region, table)[1]["case"]["items"]
        probe, meter = InvocationProbe(), CapacityMeter()

        def on_request(service: str, operation: str, params: dict[str, Any], response: dict[str, Any]) -> None:
            function = probe.current()
            probe.requests[function][f"{service}.{operation}"] += 1
            if service == "dynamodb":
                meter.record(function, operation, params, response)

        observe_invocations(probe)
        undo = count_requests(on_request)
        feed_before = _feed_counts()
        sends = mixed_traffic(messages)
        sent_count, channels = len(sends), Counter(s.channel for s in sends)
        email_bytes_mean = statistics.fmean(len(s.fields) for s in sends if s.channel == "email")
        try:
            with captured_stdout() as logs:
                started = time.perf_counter()
                keys, refused, latency = _drive(edges, sends, clients)
                driven_s = time.perf_counter() - started
                drain(timeout=1800)
                drained_s = time.perf_counter() - started
        finally:
            undo()
            observe_invocations(None)
        feed = [n - before for n, before in zip(_feed_counts(), feed_before, strict=True)]
        units = meter.settle(moto_size_of(stack.account_id, stack.region))
        stored, census = table_census(stack.account_id, stack.region, table)
        after = memory_mb()
    finally:
        runtime.stop()
    return _report(
        messages=sent_count,
        ready_s=ready_s,
        driven_s=driven_s,
        drained_s=drained_s,
        accounting=account(keys, refused, stored),
        probe=probe,
        units=units,
        census=census,
        latency=latency,
        memory={"at_ready": at_ready, "after": after},
        cases_opened=census["case"]["items"] - cases_before,
        log_bytes_per_message=logs.json_bytes / sent_count,
        channels=channels,
        email_bytes_mean=email_bytes_mean,
        # The change feed as AWS bills it: changes the pipe put on the bus, messages and batches the queues handed on
        change_feed_per_message=dict(
            zip(("bus_events", "queue_messages", "queue_batches"), (n / sent_count for n in feed), strict=True)
        ),
    )


def _report(*, messages: int, probe: InvocationProbe, units: dict, latency: dict, **figures: Any) -> dict[str, Any]:
    per = {name: {op: n / messages for op, n in sorted(ops.items())} for name, ops in probe.requests.items()}
    dynamodb = {f: sum(n for op, n in ops.items() if op.startswith("dynamodb.")) for f, ops in per.items()}
    intake_dynamodb = sum(n for f, n in dynamodb.items() if f in INTAKE)
    intake_calls = sum(len(probe.durations[f]) for f in INTAKE if f in probe.durations)
    consumers_dynamodb = sum(n for f, n in dynamodb.items() if f not in INTAKE and f != OUTSIDE)
    return {
        "messages": messages,
        **{k: v for k, v in figures.items() if k not in ("accounting", "channels")},
        "channels": dict(figures["channels"]),
        "messages_per_s": messages / figures["driven_s"],
        "messages_per_s_drained": messages / figures["drained_s"],
        "accounting": asdict(figures["accounting"]) | {"complete": figures["accounting"].complete},
        "handlers": {name: percentiles(d) for name, d in sorted(probe.durations.items())},
        "client_latency": {channel: percentiles(d) for channel, d in sorted(latency.items())},
        "requests_per_message": per,
        "intake_dynamodb_per_message": intake_dynamodb,
        "intake_dynamodb_per_call": intake_dynamodb * messages / max(1, intake_calls),
        "consumers_dynamodb_per_message": consumers_dynamodb,
        "request_units_per_message": {
            name: {kind: n / messages for kind, n in u.items()} for name, u in sorted(units.items())
        },
    }
