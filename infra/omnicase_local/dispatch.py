"""Route every moto Lambda invocation (SNS, SQS, streams, Step Functions, lambda.invoke) to in-process handlers."""

from __future__ import annotations

import json
import logging
import threading
import time
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from omnicase_local.handlers import LambdaContext, lambda_invocation, load_handler
from omnicase_local.observe import invocation
from omnicase_local.pipes import install_stream_pipes
from omnicase_local.sqs_event_sources import install_sqs_pollers
from omnicase_local.stack import DeployedFunction, DeployedStack
from omnicase_local.streams import install_stream_delivery

logger = logging.getLogger("omnicase_local.dispatch")
ASYNC_RETRIES = 2  # Lambda's default MaximumRetryAttempts for asynchronous invocations
_functions: dict[str, DeployedFunction] = {}
_originals: dict[str, Any] = {}
_patch_lock = threading.Lock()


@dataclass(frozen=True)
class Invocation:
    """The outcome of one handler call, as Lambda reports it."""

    payload: Any = None
    error: dict[str, Any] | None = None

    def as_bytes(self) -> bytes:
        """The response payload Lambda returns (the error document when the handler raised)."""
        return json.dumps(self.error if self.error is not None else self.payload, default=str).encode()


def install_dispatcher(stack: DeployedStack) -> None:
    """Make moto run this stack's functions in-process (patches moto once; later stacks add their functions)."""
    with _patch_lock:
        _functions.update({fn.name: fn for fn in stack.functions.values()})
        if not _originals:
            _patch_moto()
            install_stream_delivery(_invoke_for_stream)
        # The change feed: the table stream's pipe onto its bus; the bus's rules feed queues that these poll.
        install_stream_pipes(stack.account_id, stack.region)
        install_sqs_pollers(stack.account_id, stack.region, _invoke_for_queue)


def _invoke_for_stream(function_arn: str, event: Any) -> Any:
    function = registered_function(function_arn)
    if function is None:
        return None
    result = invoke(function, event, source="dynamodb stream")
    if result.error is not None:
        raise RuntimeError(result.error.get("errorMessage", "handler failed"))
    return result.payload


def _invoke_for_queue(function_arn: str, event: Any) -> tuple[Any, bool]:
    """A batch from an SQS event source: the function's answer, and whether it raised."""
    function = registered_function(function_arn)
    if function is None:
        logger.error("no in-process function %s for its SQS event source", function_arn)
        return None, True
    result = invoke(function, event, source=_source_of(event))
    return result.payload, result.error is not None


def registered_function(name_or_arn: str) -> DeployedFunction | None:
    """The in-process function behind a physical name or ARN, if the dispatcher knows it."""
    return _functions.get(name_or_arn.split(":function:")[-1].split(":")[0])


def invoke(function: DeployedFunction, event: Any, *, source: str = "invoke") -> Invocation:
    """Call the handler once with a fresh context; an exception becomes Lambda's error document."""
    context = LambdaContext(
        function_name=function.name,
        memory_limit_in_mb=function.memory_size,
        timeout_seconds=function.timeout,
        invoked_function_arn=function.arn,
    )
    started = time.perf_counter()
    try:
        with lambda_invocation(function.logical_id), invocation(function.logical_id):
            payload = load_handler(function.code_dir, function.handler)(event, context)
    except Exception as error:
        logger.error("%s failed (%s): %s\n%s", function.logical_id, source, error, traceback.format_exc())
        return Invocation(
            error={
                "errorMessage": str(error),
                "errorType": type(error).__name__,
                "requestId": context.aws_request_id,
                "stackTrace": traceback.format_tb(error.__traceback__),
            }
        )
    logger.info("%s <- %s (%d ms)", function.logical_id, source, (time.perf_counter() - started) * 1000)
    return Invocation(payload=payload)


def invoke_async(function: DeployedFunction, event: Any, *, source: str) -> Invocation:
    """An asynchronous invocation: retried twice on error, then sent to the function's dead-letter queue."""
    result = Invocation()
    for attempt in range(1 + ASYNC_RETRIES):
        result = invoke(function, event, source=source if attempt == 0 else f"{source}, retry {attempt}")
        if result.error is None:
            return result
    logger.error("%s gave up after %d attempts (%s)", function.logical_id, 1 + ASYNC_RETRIES, source)
    if function.dead_letter_arn:
        _send_to_dead_letter(function, event, result.error or {})
    return result


def _send_to_dead_letter(function: DeployedFunction, event: Any, error: dict[str, Any]) -> None:
    import boto3

    arn = function.dead_letter_arn or ""
    region, account, name = arn.split(":")[3], arn.split(":")[4], arn.split(":")[5]
    attributes = {
        "RequestID": {"DataType": "String", "StringValue": error.get("requestId", "")},
        "ErrorCode": {"DataType": "Number", "StringValue": "200"},
        "ErrorMessage": {"DataType": "String", "StringValue": str(error.get("errorMessage", ""))[:1000]},
    }
    body = json.dumps(event, default=str)
    if arn.startswith("arn:aws:sqs:"):
        sqs = boto3.client("sqs", region_name=region)
        url = sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageAttributes=attributes)
    elif arn.startswith("arn:aws:sns:"):
        boto3.client("sns", region_name=region).publish(TopicArn=arn, Message=body, MessageAttributes=attributes)
    logger.error("%s: event sent to dead-letter %s", function.logical_id, arn)


def sns_event(subscription: Any, message: str, message_id: str, subject: str | None, attributes: Any) -> dict:
    """The Lambda event SNS delivers, with the real topic, subscription and message id."""
    return {
        "Records": [
            {
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "EventSubscriptionArn": subscription.arn,
                "Sns": {
                    "Type": "Notification",
                    "MessageId": message_id,
                    "TopicArn": subscription.topic.arn,
                    "Subject": subject,
                    "Message": message,
                    "Timestamp": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                    "SignatureVersion": "1",
                    "Signature": "EXAMPLE",
                    "SigningCertUrl": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-local.pem",
                    "UnsubscribeUrl": f"https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={subscription.arn}",
                    "MessageAttributes": {
                        name: {
                            "Type": value.get("DataType", value.get("Type", "String")),
                            "Value": value.get("StringValue", value.get("Value")),
                        }
                        for name, value in (attributes or {}).items()
                    },
                },
            }
        ]
    }


def _patch_moto() -> None:
    from moto.awslambda.models import LambdaFunction
    from moto.awslambda_simple.models import LambdaSimpleBackend
    from moto.sns.models import Subscription

    _originals["function_invoke"] = LambdaFunction.invoke
    _originals["simple_invoke"] = LambdaSimpleBackend.invoke
    _originals["sns_publish"] = Subscription.publish

    def function_invoke(self: Any, body: str, request_headers: Any, response_headers: Any) -> str | bytes:
        function = _functions.get(self.function_name)
        if function is None:
            return _originals["function_invoke"](self, body, request_headers, response_headers)
        event = json.loads(body) if body else {}
        invocation_type = _header(request_headers, "x-amz-invocation-type") or "RequestResponse"
        if invocation_type == "Event":
            threading.Thread(
                target=invoke_async, args=(function, event), kwargs={"source": "lambda:Invoke Event"}, daemon=True
            ).start()
            return b""
        result = invoke(function, event, source=_source_of(event))
        if result.error is not None:
            response_headers["x-amz-function-error"] = "Unhandled"
        return result.as_bytes()

    def simple_invoke(
        self: Any, function_name: str, qualifier: str | None, body: Any, headers: Any, response_headers: Any
    ) -> str | bytes | None:
        fn = self.get_function(function_name, qualifier)
        if fn.function_name not in _functions:
            return _originals["simple_invoke"](self, function_name, qualifier, body, headers, response_headers)
        payload = fn.invoke(body, headers, response_headers)
        response_headers["Content-Length"] = str(len(payload))
        return payload

    def sns_publish(
        self: Any,
        message: str,
        message_id: str,
        subject: str | None = None,
        message_attributes: Any = None,
        **kwargs: Any,
    ) -> None:
        function = (
            _functions.get(self.endpoint.split(":function:")[-1].split(":")[0]) if self.protocol == "lambda" else None
        )
        if function is None:
            return _originals["sns_publish"](self, message, message_id, subject, message_attributes, **kwargs)
        if self._filter_policy_matcher is not None and not self._filter_policy_matcher.matches(
            message_attributes, message
        ):
            return None
        if kwargs.get("message_structure") == "json":
            message = self._parse_message_structure(message, self.protocol)
        event = sns_event(self, message, message_id, subject, message_attributes)
        invoke_async(function, event, source=f"sns {self.topic.name}")
        return None

    LambdaFunction.invoke = function_invoke  # type: ignore[method-assign]
    LambdaSimpleBackend.invoke = simple_invoke  # type: ignore[method-assign]
    Subscription.publish = sns_publish  # type: ignore[method-assign]


def _header(headers: Any, name: str) -> str | None:
    if not headers:
        return None
    for key, value in dict(headers).items():
        if key.lower() == name:
            return value
    return None


def _source_of(event: Any) -> str:
    records = event.get("Records") if isinstance(event, dict) else None
    if records and isinstance(records, list) and isinstance(records[0], dict):
        return str(records[0].get("eventSource") or records[0].get("EventSource") or "event")
    return "invoke"
