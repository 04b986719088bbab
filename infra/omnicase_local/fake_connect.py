"""A door for Amazon Connect, which moto does not have: `POST /_local/connect/events` puts a contact event on the
local default bus, where the template's rule takes it to ConnectEventsQueue and ingest_connect — the AWS path.

The body is the event as EventBridge delivers it (events/phone/*.json). Its `detail.customerEndpoint.address` must
name the caller (what DescribeContact answers in AWS): without it the door answers 400 instead of letting the
function fail on moto's missing Connect API.
"""

from __future__ import annotations

import json
from typing import Any

CONNECT_EVENTS = "/_local/connect/events"
Response = tuple[int, dict[str, Any], bytes]


class FakeConnect:
    def __init__(self, region: str) -> None:
        self._region = region

    def __call__(self, method: str, path: str, body: bytes | None) -> Response | None:
        if path != CONNECT_EVENTS:
            return None
        if method != "POST":
            return _json(405, {"message": "POST a contact event"})
        try:
            event = json.loads(body or b"null")
        except ValueError:
            return _json(400, {"message": "the body is not JSON"})
        problem = _problem(event)
        if problem:
            return _json(400, {"message": problem})
        import boto3

        entry = {
            "Source": event["source"],
            "DetailType": event["detail-type"],
            "Detail": json.dumps(event["detail"]),
            "Resources": [str(r) for r in event.get("resources") or []],
        }
        answer = boto3.client("events", region_name=self._region).put_events(Entries=[entry])
        return _json(202, {"event_ids": [e.get("EventId") for e in answer["Entries"]]})


def _problem(event: Any) -> str | None:
    if not isinstance(event, dict) or not isinstance(event.get("detail"), dict):
        return "send an Amazon Connect contact event (events/phone/*.json)"
    if event.get("source") != "aws.connect" or event.get("detail-type") != "Amazon Connect Contact Event":
        return 'source must be "aws.connect" and detail-type "Amazon Connect Contact Event"'
    endpoint = event["detail"].get("customerEndpoint")
    if not isinstance(endpoint, dict) or not endpoint.get("address"):
        return "detail.customerEndpoint.address must name the caller (moto has no DescribeContact)"
    return None


def _json(status: int, document: Any) -> Response:
    return status, {"Content-Type": "application/json"}, json.dumps(document).encode()
