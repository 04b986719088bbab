"""AWS cost per 1,000 cases from the load bench's measured counts and public us-east-1 unit prices.

`python -m bench --only cost` reads bench/results/load.json (written by `--only load`) and prints the table that
docs/cost.md shows. Prices are list prices of us-east-1 without free tiers; see docs/cost.md for where each comes
from and its date. Handler durations on moto are an explicit proxy for durations in AWS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MEMORY_GB = 0.5  # template.yaml Globals: MemorySize 512, arm64
LAMBDA_PLATFORM_LOG_BYTES = 350  # START / END / REPORT lines Lambda writes per invocation (not in our JSON logs)
ESCALATION_TRANSITIONS = 5  # FirstWake, SleepUntilDeadline, CheckTimers, MoreTimers, Done (starts asleep)
XRAY_SAMPLED = 0.05  # Tracing: Active with the default sampling rule (1/s reservoir, then 5 %)
PRICES = {  # USD, us-east-1
    "lambda_gb_s": 0.0000133334,  # arm64
    "lambda_request": 0.20 / 1e6,
    "ddb_wru": 0.625 / 1e6,  # on-demand, Standard table class
    "ddb_rru": 0.125 / 1e6,
    "ddb_gb_month": 0.25,
    "apigw_rest_request": 3.50 / 1e6,
    "ses_inbound_mail": 0.10 / 1000,
    "ses_inbound_chunk": 0.09 / 1000,  # per 256 KB of a received mail
    "ses_outbound_mail": 0.10 / 1000,
    "sns_publish": 0.50 / 1e6,  # deliveries to Lambda are free
    "sfn_transition": 0.025 / 1000,
    "s3_put": 0.005 / 1000,
    "s3_get": 0.0004 / 1000,
    "s3_gb_month": 0.023,
    "logs_gb_ingested": 0.50,
    "xray_trace": 5.00 / 1e6,
    "pipes_request": 0.40 / 1e6,  # per request after the pipe's filter (64 KB chunks)
    "events_custom": 1.00 / 1e6,  # custom events put on a bus; delivery to same-account targets is free
    "sqs_request": 0.40 / 1e6,  # standard queue, per request (64 KB chunks)
}
# SMS is priced per message part and destination country (base price + carrier fee): parameters, not facts.
SMS_PART_EXAMPLES = {"US (10DLC, incl. carrier fee)": 0.00883, "China": 0.0400}


@dataclass(frozen=True)
class Line:
    service: str
    quantity: float  # per 1,000 cases
    unit: str
    price: float

    @property
    def cost(self) -> float:
        return self.quantity * self.price


def _per_delivery(requests: dict[str, dict[str, float]], operation: str, functions: tuple[str, ...] = ()) -> float:
    return sum(
        n for f, ops in requests.items() if not functions or f in functions for op, n in ops.items() if op == operation
    )


def estimate(load: dict[str, Any]) -> tuple[list[Line], float, float]:
    """Cost lines per 1,000 cases, the deliveries per case they assume, and SMS parts per 1,000 cases."""
    per_case = load["messages"] / load["cases_opened"]
    k = 1000 * per_case  # deliveries in 1,000 cases
    calls = {name: h["calls"] / load["messages"] for name, h in load["handlers"].items()}
    gb_s = sum(calls[name] * h["mean_ms"] / 1000 * MEMORY_GB for name, h in load["handlers"].items())
    units = load["request_units_per_message"]
    requests = load["requests_per_message"]
    channels = {c: n / load["messages"] for c, n in load["channels"].items()}
    mails = channels.get("email", 0.0)
    invocations = sum(calls.values())
    log_gb = (load["log_bytes_per_message"] + invocations * LAMBDA_PLATFORM_LOG_BYTES) / 1e9
    # DynamoDB bills each item's bytes plus 100 bytes of overhead, once in the table and once per index holding it.
    stored_bytes = sum(c["items"] * (c["mean_bytes"] + 100) * (1 + c["index_copies"]) for c in load["census"].values())
    executions = _per_delivery(requests, "stepfunctions.StartExecution")
    feed = load["change_feed_per_message"]  # from the load bench since the feed became a pipe, a bus and queues
    # Every message a rule sends to a queue is a SendMessage; Lambda's poller receives a batch and deletes it with
    # one DeleteMessageBatch (its empty long polls are a monthly cost, not per case: docs/cost.md)
    sqs_requests = feed["queue_messages"] + 2 * feed["queue_batches"]
    lines = [
        Line("Lambda requests", k * invocations, "invocations", PRICES["lambda_request"]),
        Line("Lambda duration (moto times as proxy)", k * gb_s, "GB-s", PRICES["lambda_gb_s"]),
        Line("DynamoDB writes (table)", k * sum(u.get("wru", 0) for u in units.values()), "WRU", PRICES["ddb_wru"]),
        Line("DynamoDB writes (GSIs)", k * sum(u.get("gsi_wru", 0) for u in units.values()), "WRU", PRICES["ddb_wru"]),
        Line("DynamoDB reads", k * sum(u.get("rru", 0) for u in units.values()), "RRU", PRICES["ddb_rru"]),
        Line(
            "DynamoDB storage, 1 month (+GSI copies)",
            1000 * stored_bytes / load["cases_opened"] / 1e9,
            "GB-mo",
            PRICES["ddb_gb_month"],
        ),
        Line("EventBridge Pipes (changes past filter)", k * feed["bus_events"], "requests", PRICES["pipes_request"]),
        Line("EventBridge custom events (change bus)", k * feed["bus_events"], "events", PRICES["events_custom"]),
        Line("SQS requests (consumer queues)", k * sqs_requests, "requests", PRICES["sqs_request"]),
        Line(
            "API Gateway REST (webhooks)",
            k * sum(channels.get(c, 0) for c in ("twilio", "chat", "wechat")),
            "requests",
            PRICES["apigw_rest_request"],
        ),
        Line("SES inbound mails", k * mails, "mails", PRICES["ses_inbound_mail"]),
        Line("SES inbound 256 KB chunks", k * mails, "chunks", PRICES["ses_inbound_chunk"]),
        Line(
            "SES outbound mails", k * _per_delivery(requests, "sesv2.SendEmail"), "mails", PRICES["ses_outbound_mail"]
        ),
        Line(
            "SNS publishes (SES + SMS topics)",
            k * _per_delivery(requests, "sns.Publish", ("(outside handlers)",)),
            "publishes",
            PRICES["sns_publish"],
        ),
        Line(
            "Step Functions Standard", k * executions * ESCALATION_TRANSITIONS, "transitions", PRICES["sfn_transition"]
        ),
        Line(
            "S3 PUT (raw mail, attachments)", k * _per_delivery(requests, "s3.PutObject"), "requests", PRICES["s3_put"]
        ),
        Line("S3 GET", k * _per_delivery(requests, "s3.GetObject"), "requests", PRICES["s3_get"]),
        Line("S3 storage, 1 month", k * mails * load["email_bytes_mean"] / 1e9, "GB-mo", PRICES["s3_gb_month"]),
        Line("CloudWatch Logs ingestion", k * log_gb, "GB", PRICES["logs_gb_ingested"]),
        Line("X-Ray traces (5 % sampled)", k * XRAY_SAMPLED, "traces", PRICES["xray_trace"]),
    ]
    sms_parts = 1000 * per_case * _per_delivery(requests, "sns.Publish", ("SendOutboundFunction",))
    return lines, per_case, sms_parts


def print_estimate(load: dict[str, Any]) -> dict[str, Any]:
    """Print the cost table; returns its figures."""
    lines, per_case, sms_parts = estimate(load)
    print(f"AWS cost per 1,000 cases, us-east-1 list prices ({per_case:.2f} deliveries per case, measured mix)")
    print(f"  {'service':<42} {'per 1,000 cases':>16} {'unit':<12} {'USD':>9}")
    for line in lines:
        quantity = f"{line.quantity:16,.1f}" if line.quantity >= 10 else f"{line.quantity:16.4f}"
        print(f"  {line.service:<42} {quantity} {line.unit:<12} {line.cost:9.4f}")
    total = sum(line.cost for line in lines)
    print(f"  {'total without SMS':<42} {'':>16} {'':<12} {total:9.4f}")
    for country, price in SMS_PART_EXAMPLES.items():
        print(f"  + outbound SMS, {sms_parts:,.0f} parts at {country} ${price}/part: {sms_parts * price:.2f} USD")
    return {
        "deliveries_per_case": per_case,
        "total_usd": total,
        "sms_parts": sms_parts,
        "lines": {line.service: {"quantity": line.quantity, "usd": line.cost} for line in lines},
    }
