"""Warm email intake on moto: omnicase's ingest_email against two baselines and raw put_item, same run."""

from __future__ import annotations

import gc
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.probes import percentiles

ROOT = Path(__file__).resolve().parents[1]


class _Ctx:
    function_name = "bench"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
    aws_request_id = "bench"


def _detach_stream_consumers() -> None:
    """In AWS the outbox sender reads the stream asynchronously, outside intake latency: keep it out of the timing."""
    from moto.awslambda.models import LambdaBackend

    LambdaBackend.send_dynamodb_items = lambda self, function_arn, items, source: "detached"


def _timed(handler: Callable[[dict, Any], Any], events: list[dict], cpu: list[float] | None = None) -> list[float]:
    """Wall seconds per event; this thread's CPU seconds per event appended to `cpu` when given."""
    durations = []
    for event in events:
        start, start_cpu = time.perf_counter(), time.thread_time()
        handler(event, _Ctx())
        durations.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.thread_time() - start_cpu)
    return durations


def _freeze_setup_heap() -> None:
    """moto's whole deployed stack lives in this process (in AWS it does not): without this, a full collection that
    scans it lands as a 0.4 s pause on whichever handler happens to cross the threshold. Frozen, every collection
    scans only what the handlers made since, as a function's collections do in Lambda."""
    gc.collect()
    gc.freeze()


def _summary(durations: list[float], cpu: list[float] | None = None) -> dict[str, float]:
    """Messages handled back to back: their rate and latency percentiles; with `cpu` (the thread's CPU seconds per
    message), the rate that CPU time allows — what other work on a shared machine does not change."""
    figures = {"messages": len(durations), "per_second": len(durations) / sum(durations), **percentiles(durations)}
    if cpu:
        figures["per_cpu_second"] = len(cpu) / sum(cpu)
    return figures


@contextmanager
def bench_intake(count: int) -> Iterator[tuple[dict[str, Callable[[dict, Any], Any]], dict[str, list[dict]], Any]]:
    """On moto with the stack deployed: the three handlers by name, `count` + 20 SES events for each (the first 20
    warm them), and a DynamoDB client."""
    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1")
    import boto3
    from moto import mock_aws

    from bench.mail_corpus import bench_mails
    from bench.naive_handler import make_naive_handler
    from bench.usual_handler import make_usual_handler
    from omnicase.admin import seed_tenant
    from omnicase.wiring import rebind
    from omnicase_local.handlers import load_handler
    from omnicase_local.moto_patches import apply_moto_patches
    from omnicase_local.stack import deploy_stack
    from tests.integration.ses_events import received_notification, sns_event

    apply_moto_patches()
    _detach_stream_consumers()
    with mock_aws():
        deployed = deploy_stack(ROOT / "template.yaml")
        os.environ.update(deployed.environment)
        rebind()
        seed_tenant("acme", "Acme Support", ["support@acme.example"], "bench", "support@acme.example")
        boto3.client("ses").verify_domain_identity(Domain="acme.example")
        bucket, table = os.environ["MAIL_BUCKET"], os.environ["TABLE_NAME"]
        s3, dynamodb, sns = boto3.client("s3"), boto3.client("dynamodb"), boto3.client("sns")
        topic = sns.create_topic(Name="bench-case-events")["TopicArn"]
        mails = bench_mails(count + 20)

        def events(tag: str) -> list[dict]:
            out = []
            for n, raw in enumerate(mails):
                key = f"inbound/{tag}-{n}"
                s3.put_object(Bucket=bucket, Key=key, Body=raw)
                notification = received_notification(
                    raw, recipients=["support@acme.example"], ses_message_id=f"{tag}-{n}", bucket=bucket, key=key
                )
                out.append(sns_event(notification))
            return out

        ingest = next(
            load_handler(f.code_dir, f.handler)
            for f in deployed.functions.values()
            if f.code_dir.name == "ingest_email"
        )
        handlers = {
            "omnicase_ingest": ingest,
            "naive_baseline": make_naive_handler(s3, dynamodb, sns, table, topic),
            "usual_baseline": make_usual_handler(s3, dynamodb, sns, table, topic, bucket),
        }
        yield handlers, {name: events(name) for name in handlers}, dynamodb


def measure(count: int = 400) -> dict[str, Any]:
    """Over the same mails, interleaved: omnicase intake, the naive and the usual baseline; then raw put_item."""
    with bench_intake(count) as (handlers, prepared, dynamodb):
        table = os.environ["TABLE_NAME"]
        for name, handler in handlers.items():  # warm: tenant cache, clients, first-import work
            _timed(handler, prepared[name][:20])
        _freeze_setup_heap()
        times, cpu, calls = _interleaved(handlers, {name: e[20:] for name, e in prepared.items()})
        items = [
            {"pk": {"S": f"T#acme#RAW#{n}"}, "sk": {"S": "MSG"}, "body_text": {"S": json.dumps(n) * 40}}
            for n in range(count)
        ]
        put_times = []
        for item in items:
            start = time.perf_counter()
            dynamodb.put_item(TableName=table, Item=item)
            put_times.append(time.perf_counter() - start)

    figures: dict[str, Any] = {name: _summary(t, cpu[name]) for name, t in times.items()}
    figures["raw_put_item"] = _summary(put_times)
    ours = figures["omnicase_ingest"]
    for name in ("naive_baseline", "usual_baseline", "raw_put_item"):
        figures[f"speed_vs_{name.removesuffix('_baseline')}"] = ours["per_second"] / figures[name]["per_second"]
    for name in ("naive_baseline", "usual_baseline"):
        figures[f"cpu_speed_vs_{name.removesuffix('_baseline')}"] = (
            ours["per_cpu_second"] / figures[name]["per_cpu_second"]
        )
    for name, ops in calls.items():
        dynamodb_requests = sum(v for k, v in ops.items() if k.startswith("dynamodb."))
        figures[name]["dynamodb_requests_per_message"] = dynamodb_requests / count
        figures[name]["requests_by_operation"] = {k: round(v / count, 3) for k, v in sorted(ops.items())}
    figures["dynamodb_requests_per_message"] = figures["omnicase_ingest"]["dynamodb_requests_per_message"]
    return figures


def _interleaved(
    handlers: dict[str, Callable[[dict, Any], Any]], events: dict[str, list[dict]], block: int = 20
) -> tuple[dict[str, list[float]], dict[str, list[float]], dict[str, Counter[str]]]:
    """Each handler in turn, `block` mails at a time: a busy spell on a shared machine falls on all of them alike.
    Wall and CPU seconds per mail (moto answers in this thread, so its work is in the CPU time too)."""
    from bench.probes import count_requests

    times: dict[str, list[float]] = {name: [] for name in handlers}
    cpu: dict[str, list[float]] = {name: [] for name in handlers}
    calls: dict[str, Counter[str]] = {name: Counter() for name in handlers}
    current = [""]
    undo = count_requests(lambda service, operation, *_: calls[current[0]].update([f"{service}.{operation}"]))
    try:
        for start in range(0, max(len(e) for e in events.values()), block):
            for name, handler in handlers.items():
                current[0] = name
                times[name] += _timed(handler, events[name][start : start + block], cpu[name])
    finally:
        undo()
    return times, cpu, calls
