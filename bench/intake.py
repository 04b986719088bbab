"""Warm email intake on moto: omnicase's ingest_email against the naive baseline and raw put_item, same run."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
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


def _timed(handler: Callable[[dict, Any], Any], events: list[dict]) -> list[float]:
    durations = []
    for event in events:
        start = time.perf_counter()
        handler(event, _Ctx())
        durations.append(time.perf_counter() - start)
    return durations


def _summary(durations: list[float]) -> dict[str, float]:
    """Messages handled back to back: their rate and latency percentiles."""
    return {"messages": len(durations), "per_second": len(durations) / sum(durations), **percentiles(durations)}


def measure(count: int = 400) -> dict[str, Any]:
    """Three runs over the same mails: omnicase intake, the naive baseline handler, and raw put_item."""
    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1")
    import boto3
    from moto import mock_aws

    from bench.mail_corpus import bench_mails
    from bench.naive_handler import make_naive_handler
    from bench.probes import count_calls
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
                out.append(
                    sns_event(
                        received_notification(
                            raw,
                            recipients=["support@acme.example"],
                            ses_message_id=f"{tag}-{n}",
                            bucket=bucket,
                            key=key,
                        )
                    )
                )
            return out

        ingest = next(
            load_handler(f.code_dir, f.handler)
            for f in deployed.functions.values()
            if f.code_dir.name == "ingest_email"
        )
        naive = make_naive_handler(s3, dynamodb, sns, table, topic)
        omnicase_events, naive_events = events("omnicase"), events("naive")
        _timed(ingest, omnicase_events[:20])  # warm: tenant cache, clients, first-import work
        _timed(naive, naive_events[:20])

        calls = count_calls()
        omnicase_times = _timed(ingest, omnicase_events[20:])
        omnicase_calls = dict(calls)
        calls.clear()
        naive_times = _timed(naive, naive_events[20:])
        items = [
            {"pk": {"S": f"T#acme#RAW#{n}"}, "sk": {"S": "MSG"}, "body_text": {"S": json.dumps(n) * 40}}
            for n in range(count)
        ]
        put_times = []
        for item in items:
            start = time.perf_counter()
            dynamodb.put_item(TableName=table, Item=item)
            put_times.append(time.perf_counter() - start)

    ours, baseline, raw_put = _summary(omnicase_times), _summary(naive_times), _summary(put_times)
    ddb_per_message = sum(v for k, v in omnicase_calls.items() if k.startswith("dynamodb.")) / count
    return {
        "omnicase_ingest": ours,
        "naive_baseline": baseline,
        "raw_put_item": raw_put,
        "speed_vs_naive": ours["per_second"] / baseline["per_second"],
        "speed_vs_raw_put_item": ours["per_second"] / raw_put["per_second"],
        "dynamodb_requests_per_message": ddb_per_message,
        "requests_by_operation": {k: round(v / count, 3) for k, v in sorted(omnicase_calls.items())},
    }
