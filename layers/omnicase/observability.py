"""Logging and metrics for handlers: structured JSON logs with PII masked, EMF metrics."""

from __future__ import annotations

import logging
import re

from aws_lambda_powertools import Logger, Metrics

_EMAIL = re.compile(r"([A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]*@([A-Za-z0-9.\-]+\.[A-Za-z]{2,})")
_PHONE = re.compile(r"\+?\d[\d \-]{6,}(\d{2})")


def mask_pii(text: str) -> str:
    """Email addresses and phone numbers reduced to a hint: a***@example.com, +***34."""
    return _PHONE.sub(r"+***\1", _EMAIL.sub(r"\1***@\2", text))


class MaskPii(logging.Filter):
    """Masks PII in every log record's message and arguments before it is formatted."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_pii(str(record.msg))
        if isinstance(record.args, tuple):
            record.args = tuple(mask_pii(a) if isinstance(a, str) else a for a in record.args)
        return True


def handler_logger(service: str) -> Logger:
    """The Powertools logger of one function; the omnicase package logs through its handler, PII masked."""
    logger = Logger(service=service)
    handler = logger.registered_handler
    handler.addFilter(MaskPii())  # on the handler: it sees the function's and every omnicase.* record
    package = logging.getLogger("omnicase")  # parent of loggers imported later, lazily, too
    package.handlers = [handler]
    package.setLevel(logger.log_level)
    package.propagate = False
    return logger


def handler_metrics(service: str) -> Metrics:
    """EMF metrics in the omnicase namespace (POWERTOOLS_METRICS_NAMESPACE)."""
    return Metrics(namespace="omnicase", service=service)
