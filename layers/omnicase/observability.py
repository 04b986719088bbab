"""Logging and metrics for handlers: structured JSON logs with PII masked, EMF metrics.

Masking happens in two places that together cover every path: each log record of the process, at creation
(message and arguments formatted, exception text), and each JSON line the handlers' Powertools logger writes
(extra keys, appended keys, exceptions). A function that never builds a handler logger (the Chalice apps log
through Lambda's root handler) is covered by the first: `omnicase` installs it on import.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Powertools is imported by the functions that log JSON, not by every cold start
    from aws_lambda_powertools import Logger, Metrics

_EMAIL = re.compile(r"([A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]*@([A-Za-z0-9.\-]+\.[A-Za-z]{2,})")
_PHONE = re.compile(r"\+?\d[\d \-]{6,}(\d{2})")
# A bearer JWT (a person's access token; Cognito's refresh tokens are 5-part JWEs): a credential, never logged.
_JWT = re.compile(r"eyJ[\w-]*(?:\.[\w-]*){2,4}")
# Keys Powertools fills itself: a timestamp or a request id looks like a phone number to _PHONE.
_SYSTEM_KEYS = frozenset(
    {"timestamp", "level", "location", "service", "sampling_rate", "xray_trace_id", "cold_start", "correlation_id"}
    | {"function_name", "function_memory_size", "function_arn", "function_request_id"}
)


def mask_pii(text: str) -> str:
    """Email addresses and phone numbers reduced to a hint: a***@example.com, +***34; JWTs removed: eyJ***."""
    return _PHONE.sub(r"+***\1", _EMAIL.sub(r"\1***@\2", _JWT.sub("eyJ***", text)))


def mask_record(record: logging.LogRecord) -> None:
    """Mask one record in place: its message with the arguments in it, and its exception's text (once: the record
    factory masks it at creation, the handler's filter only what was created before the factory was installed)."""
    if getattr(record, "pii_masked", False):
        return
    record.pii_masked = True
    if isinstance(record.msg, dict) and not record.args:
        record.msg = _masked(record.msg)  # Powertools logs a dict message as a JSON object: keep it one
    else:
        _mask_message(record)
    if record.exc_info and not record.exc_text:
        # Formatters reuse exc_text instead of formatting the exception (whose message may hold an address).
        record.exc_text = mask_pii("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))


def _mask_message(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # arguments that do not fit the format: keep what can be shown
        message = f"{record.msg} {record.args}"
    record.msg, record.args = mask_pii(message), None


class MaskPii(logging.Filter):
    """Masks PII in a record's message, arguments and exception before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


def install_pii_masking() -> None:
    """Mask every log record this process creates, whichever logger and handler (idempotent)."""
    current = logging.getLogRecordFactory()
    if getattr(current, "masks_pii", False):
        return

    def masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(*args, **kwargs)
        mask_record(record)
        return record

    masked_record.masks_pii = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(masked_record)


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_pii(value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(item) for item in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return mask_pii(str(value))  # exceptions and other objects Powertools would str()


def masked_json(log: dict[str, Any]) -> str:
    """One Powertools log line as JSON, every value but Powertools' own keys masked."""
    masked = {key: value if key in _SYSTEM_KEYS else _masked(value) for key, value in log.items()}
    return json.dumps(masked, default=str, separators=(",", ":"), ensure_ascii=False)


def handler_logger(service: str) -> Logger:
    """The Powertools logger of one function; the omnicase package logs through its handler, PII masked."""
    from aws_lambda_powertools import Logger

    install_pii_masking()
    logger = Logger(service=service, json_serializer=masked_json)
    handler = logger.registered_handler
    handler.addFilter(MaskPii())  # records created before masking was installed, too
    package = logging.getLogger("omnicase")  # parent of loggers imported later, lazily, too
    package.handlers = [handler]
    package.setLevel(logger.log_level)
    package.propagate = False
    return logger


def handler_metrics(service: str) -> Metrics:
    """EMF metrics in the omnicase namespace (POWERTOOLS_METRICS_NAMESPACE)."""
    from aws_lambda_powertools import Metrics
    from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider

    # A metric set of its own: Powertools shares one per process by default, so functions sharing a process (the
    # local runtime, tests) flushed each other's metrics, and a flush that found its set emptied failed the handler.
    return Metrics(provider=AmazonCloudWatchEMFProvider(namespace="omnicase", service=service))
