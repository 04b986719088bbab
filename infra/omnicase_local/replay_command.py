"""`omnicase replay`: re-drive a dead-letter queue into its function, against AWS or the local runtime.

Three kinds of queue. A consumer's failure queue in the change feed (the dead-letter queue of the SQS queue its
function polls: docs/change-feed.md) holds the change events it gave up on, each replayed as the one-message SQS
batch the function would have polled. A Lambda async-invocation DLQ holds the original event. A stream's on-failure
destination (or the change-feed pipe's DLQ) holds where the failed records are (DDBStreamBatchInfo), read back from
the stream and handed to the function that failed them (or put on the pipe's bus again). A message is deleted only
after its function succeeded; handlers are idempotent, so replaying twice is safe.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from omnicase_local.streams import lambda_record  # the shape Lambda delivers, shared with the runtime

EXIT_SOME_KEPT = 1


@dataclass(frozen=True)
class Outcome:
    message_id: str
    result: str  # replayed | failed (kept) | skipped | would replay
    detail: str

    def line(self) -> str:
        return f"{self.message_id}: {self.result} — {self.detail}"


class RecordsExpired(LookupError):
    """The stream no longer holds the failed records (DynamoDB streams keep them 24 hours)."""


def add_replay_command(commands: Any) -> None:
    """Register `omnicase replay` on the CLI's subparsers."""
    replay = commands.add_parser("replay", help="re-drive a dead-letter queue (async DLQ or stream on-failure)")
    replay.add_argument("--queue", required=True, help="the queue's name or URL, e.g. the stack's IngestSmsDeadLetter…")
    replay.add_argument("--function", help="invoke this function (default: found from the queue / the record)")
    replay.add_argument("--dry-run", action="store_true", help="show what would be replayed; change nothing")
    replay.add_argument("--max", type=int, default=100, help="at most this many messages (default 100)")
    replay.set_defaults(run=_replay)


def _replay(args: argparse.Namespace) -> int:
    import boto3
    from botocore.config import Config

    # The regional endpoint: moto (local runtime) does not serve the account-based one for streams.
    streams = boto3.client("dynamodbstreams", config=Config(account_id_endpoint_mode="disabled"))
    outcomes = replay_queue(
        boto3.client("sqs"),
        boto3.client("lambda"),
        boto3.client("cloudformation"),
        streams,
        args.queue,
        args.function,
        args.dry_run,
        args.max,
        events=boto3.client("events"),
        pipes=boto3.client("pipes"),
    )
    for outcome in outcomes:
        print(outcome.line())
    counts = {r: sum(o.result == r for o in outcomes) for r in dict.fromkeys(o.result for o in outcomes)}
    print(", ".join(f"{n} {r}" for r, n in counts.items()) or "the queue is empty: nothing to replay")
    return EXIT_SOME_KEPT if counts.get("failed (kept)") else 0


def replay_queue(
    sqs: Any,
    lam: Any,
    cfn: Any,
    streams: Any,
    queue: str,
    function: str | None,
    dry_run: bool,
    limit: int,
    *,
    events: Any = None,
    pipes: Any = None,
) -> list[Outcome]:
    """Replay up to `limit` messages of the queue; each one replayed (deleted), failed (kept) or skipped."""
    url = queue if queue.startswith(("https://", "http://")) else sqs.get_queue_url(QueueName=queue)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    owner = _function_finder(sqs, lam, cfn, url, queue_arn)
    outcomes: list[Outcome] = []
    kept: list[str] = []  # invisible while this run goes on, so it never sees one twice; released at the end
    while len(outcomes) < limit:
        batch = sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=min(10, limit - len(outcomes)),
            VisibilityTimeout=300,
            WaitTimeSeconds=0,
            AttributeNames=["All"],
        ).get("Messages", [])
        if not batch:
            break
        for message in batch:
            info = _batch_info(message)
            if info and "pipeArn" in info[0]:
                outcome = _replay_to_bus(events, pipes, streams, message["MessageId"], *info, dry_run)
            else:
                outcome = _replay_one(lam, streams, message, function, owner, dry_run)
            if outcome.result == "replayed":
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            else:
                kept.append(message["ReceiptHandle"])
            outcomes.append(outcome)
    for handle in kept:  # visible again at once: for the next replay, or for a person to look at
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=0)
    return outcomes


def _batch_info(message: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(requestContext, DDBStreamBatchInfo) of a stream on-failure record, else None."""
    try:
        body = json.loads(message["Body"])
    except json.JSONDecodeError:
        return None
    if isinstance(body, dict) and isinstance(body.get("DDBStreamBatchInfo"), dict):
        return body.get("requestContext") or {}, body["DDBStreamBatchInfo"]
    return None


def _replay_one(
    lam: Any,
    streams: Any,
    message: dict[str, Any],
    override: str | None,
    owner: Callable[[], Owner],
    dry_run: bool,
) -> Outcome:
    message_id = message["MessageId"]
    try:
        body = json.loads(message["Body"])
    except json.JSONDecodeError:
        body = None
    info = body.get("DDBStreamBatchInfo") if isinstance(body, dict) else None
    try:
        if info:
            function = override or body.get("requestContext", {}).get("functionArn")  # the record names it
            event: Any = {"Records": read_stream_records(streams, info)}
            what = f"{len(event['Records'])} stream record(s)"
        elif owner().source_queue_arn:  # a consumer's failure queue: the message as its poller would hand it over
            function = override or owner().function
            event = {"Records": [sqs_record(message, owner().source_queue_arn or "")]}
            what = "1 change-feed message"
        elif body is None:
            return Outcome(message_id, "skipped", "the body is not JSON: not an event this command can replay")
        else:
            function, event, what = override or owner().function, body, "the original event"
    except RecordsExpired as expired:
        return Outcome(message_id, "failed (kept)", str(expired))
    if not function:
        return Outcome(message_id, "skipped", "no function has this queue as its DLQ: name one with --function")
    if dry_run:
        return Outcome(message_id, "would replay", f"{what} → {function}")
    error = _invoke(lam, function, event)
    if error:
        return Outcome(message_id, "failed (kept)", f"{function}: {error}")
    return Outcome(message_id, "replayed", f"{what} → {function}")


def _invoke(lam: Any, function: str, event: Any) -> str | None:
    """Invoke synchronously; the error, or None when the function succeeded for every record."""
    response = lam.invoke(FunctionName=function, InvocationType="RequestResponse", Payload=json.dumps(event).encode())
    payload = response["Payload"].read()
    if response.get("FunctionError"):
        return json.loads(payload or b"{}").get("errorMessage") or response["FunctionError"]
    result = json.loads(payload) if payload else None
    if isinstance(result, dict) and result.get("batchItemFailures"):
        return f"{len(result['batchItemFailures'])} record(s) failed again"
    return None


@dataclass(frozen=True)
class Owner:
    """The function a dead-letter queue's messages go back to, and the queue it polls when it is an SQS consumer's."""

    function: str | None
    source_queue_arn: str | None = None


def _function_finder(sqs: Any, lam: Any, cfn: Any, queue_url: str, queue_arn: str) -> Callable[[], Owner]:
    """Whose dead-letter queue this is (looked up once, when first needed): the function polling a queue that
    redrives here; else Lambda's DeadLetterConfig, else the stack that created the queue (moto's Lambda does not
    keep DeadLetterConfig)."""
    found: list[Owner] = []

    def owner() -> Owner:
        if not found:
            found.append(
                _owner_by_redrive(sqs, lam, queue_url)
                or Owner(_owner_by_lambda(lam, queue_arn) or _owner_by_stack(cfn, {queue_url, queue_arn}))
            )
        return found[0]

    return owner


def _owner_by_redrive(sqs: Any, lam: Any, queue_url: str) -> Owner | None:
    """The function whose SQS event source is a queue with this one as its dead-letter queue."""
    for source_url in sqs.list_dead_letter_source_queues(QueueUrl=queue_url).get("queueUrls", []):
        attributes = sqs.get_queue_attributes(QueueUrl=source_url, AttributeNames=["QueueArn"])["Attributes"]
        mappings = lam.list_event_source_mappings(EventSourceArn=attributes["QueueArn"])["EventSourceMappings"]
        if mappings:
            return Owner(mappings[0]["FunctionArn"], attributes["QueueArn"])
    return None


def sqs_record(message: dict[str, Any], source_queue_arn: str) -> dict[str, Any]:
    """A message received from a dead-letter queue, as Lambda's SQS event carries it from the source queue."""
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes") or {},
        "messageAttributes": {},
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": source_queue_arn,
        "awsRegion": source_queue_arn.split(":")[3],
    }


def _replay_to_bus(
    events: Any, pipes: Any, streams: Any, message_id: str, context: dict[str, Any], info: dict[str, Any], dry: bool
) -> Outcome:
    """A change the pipe could not put on its bus: read back from the stream and put there as the pipe would."""
    pipe = pipes.describe_pipe(Name=context["pipeArn"].rsplit("/", 1)[1])
    bus = (pipe.get("TargetParameters") or {}).get("EventBridgeEventBusParameters") or {}
    try:
        records = read_stream_records(streams, info)
    except RecordsExpired as expired:
        return Outcome(message_id, "failed (kept)", str(expired))
    what = f"{len(records)} stream record(s) → {pipe['Target']}"
    if dry:
        return Outcome(message_id, "would replay", what)
    for start in range(0, len(records), 10):  # PutEvents takes 10 entries
        entries = [
            {
                "Source": bus.get("Source") or f"Pipe {pipe['Name']}",
                "DetailType": bus.get("DetailType") or "Event from aws:dynamodb",
                "Detail": json.dumps(record, default=str),
                "EventBusName": pipe["Target"],
            }
            for record in records[start : start + 10]
        ]
        if events.put_events(Entries=entries).get("FailedEntryCount"):
            return Outcome(message_id, "failed (kept)", f"the bus refused some of {what}")
    return Outcome(message_id, "replayed", what)


def _owner_by_lambda(lam: Any, queue_arn: str) -> str | None:
    for page in lam.get_paginator("list_functions").paginate():
        for fn in page["Functions"]:
            if (fn.get("DeadLetterConfig") or {}).get("TargetArn") == queue_arn:
                return str(fn["FunctionName"])
    return None


def _owner_by_stack(cfn: Any, queue_ids: set[str]) -> str | None:
    for stack in cfn.describe_stacks()["Stacks"]:
        summaries = cfn.list_stack_resources(StackName=stack["StackName"])["StackResourceSummaries"]
        physical = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in summaries}
        queue = next((logical for logical, pid in physical.items() if pid in queue_ids), None)
        if queue is None:
            continue
        body = cfn.get_template(StackName=stack["StackName"], TemplateStage="Processed")["TemplateBody"]
        template = body if isinstance(body, dict) else json.loads(body)
        for logical, resource in template.get("Resources", {}).items():
            target = resource.get("Properties", {}).get("DeadLetterConfig", {}).get("TargetArn")
            if target in ({"Fn::GetAtt": [queue, "Arn"]}, {"Fn::GetAtt": f"{queue}.Arn"}) and logical in physical:
                return physical[logical]
    return None


def read_stream_records(streams: Any, info: dict[str, Any]) -> list[dict[str, Any]]:
    """The records of a failed batch, from its start to its end sequence number, shaped as Lambda delivers them."""
    stream_arn, start, end = info["streamArn"], info["startSequenceNumber"], int(info["endSequenceNumber"])
    try:
        iterator = streams.get_shard_iterator(
            StreamArn=stream_arn, ShardId=info["shardId"], ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber=start
        )["ShardIterator"]
    except streams.exceptions.TrimmedDataAccessException as error:
        raise RecordsExpired(f"records from {start} are past the stream's 24-hour retention: {error}") from error
    except streams.exceptions.ResourceNotFoundException as error:
        raise RecordsExpired(f"the stream or shard is gone (records expired): {error}") from error
    records: list[dict[str, Any]] = []
    empty_pages = 0
    while iterator and empty_pages < 3:  # an open shard may answer empty pages before it has caught up
        response = streams.get_records(ShardIterator=iterator, Limit=100)
        page = response["Records"]
        wanted = [r for r in page if int(r["dynamodb"]["SequenceNumber"]) <= end]
        records += [lambda_record(r, stream_arn) for r in wanted]
        if len(wanted) < len(page) or (records and int(records[-1]["dynamodb"]["SequenceNumber"]) >= end):
            break
        empty_pages = empty_pages + 1 if not page else 0
        iterator = response.get("NextShardIterator")
    if not records or records[0]["dynamodb"]["SequenceNumber"] != start:
        raise RecordsExpired(f"the stream no longer holds record {start} (kept 24 hours)")
    return records
