"""Fault injection at the botocore boundary: chosen calls to moto answer with a real AWS error response.

The fault is an HTTP response (status + the service's error body), produced where moto's stub answers botocore's
`before-send`; botocore then parses it and applies its own retry policy, so retries are the client's real ones.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

# Services whose errors are JSON (`__type`); the others here answer XML.
_JSON = {"dynamodb", "sfn", "lambda", "sqs"}
_STATUS = {"InternalServerError": 500, "InternalFailure": 500, "InternalError": 500, "ServiceUnavailable": 503}


@dataclass
class Fault:
    """Fail the matching calls `times` times (None: always), after letting `skip` through."""

    service: str
    operation: str
    code: str
    times: int | None = 1
    skip: int = 0
    reasons: tuple[str, ...] = ()  # TransactionCanceledException's CancellationReasons codes
    seen: int = 0
    injected: int = 0

    def due(self) -> bool:
        """Count this matching call; True when the fault is to answer it (the calls after the first `skip`)."""
        self.seen += 1
        return self.seen > self.skip and (self.times is None or self.injected < self.times)


class Faults:
    """The active faults; `add` one, `clear` them, read `injected` to prove a fault really happened."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, service: str, operation: str, code: str, **options: Any) -> Fault:
        fault = Fault(service, operation, code, **options)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def response(self, event_name: str, url: str) -> Any | None:
        """The error response for this call, or None to let moto answer."""
        _, service, operation = event_name.split(".", 2)
        with self._lock:  # every matching fault counts the call; the first one due answers it
            due = [f for f in self._faults if (f.service, f.operation) == (service, operation) and f.due()]
            if not due:
                return None
            due[0].injected += 1
        return error_response(url, service, due[0])


def error_response(url: str, service: str, fault: Fault) -> Any:
    """The HTTP response AWS sends for this error code, in the service's protocol."""
    from botocore.awsrequest import AWSResponse
    from moto.core.botocore_stubber import MockRawResponse

    status = _STATUS.get(fault.code, 400)
    if service in _JSON:
        document: dict[str, Any] = {"__type": f"com.amazonaws.{service}#{fault.code}", "message": "injected fault"}
        if fault.reasons:
            document["CancellationReasons"] = [{"Code": code, "Message": code} for code in fault.reasons]
        headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-ErrorType": fault.code}
        return AWSResponse(url, status, headers, MockRawResponse(json.dumps(document)))
    error = f"<Error><Type>Sender</Type><Code>{fault.code}</Code><Message>injected fault</Message></Error>"
    body = error if service == "s3" else f"<ErrorResponse>{error}<RequestId>injected</RequestId></ErrorResponse>"
    return AWSResponse(url, status, {"Content-Type": "text/xml"}, MockRawResponse(body))


@pytest.fixture
def faults(monkeypatch) -> Iterator[Faults]:
    """Faults for this test only, in front of moto's answers (every client: boto3's and pynamodb's)."""
    from moto.core.botocore_stubber import BotocoreStubber

    active = Faults()
    stock = BotocoreStubber.__call__

    def answer(self: Any, event_name: str, request: Any, **kwargs: Any) -> Any:
        if self.enabled and (injected := active.response(event_name, request.url)) is not None:
            return injected
        return stock(self, event_name, request, **kwargs)

    monkeypatch.setattr(BotocoreStubber, "__call__", answer)
    # botocore's own retries, only without their back-off sleeps (seconds per injected throttle otherwise)
    monkeypatch.setattr("botocore.retries.standard.ExponentialBackoff.delay_amount", lambda self, context: 0.001)
    yield active
    active.clear()
