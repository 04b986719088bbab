"""Logging, metrics and traces for handlers: structured JSON logs with PII masked, EMF metrics.

Masking happens in two places that together cover every path: each log record of the process, at creation
(message and arguments formatted, exception text), and each JSON line the handlers' Powertools logger writes
(extra keys, appended keys, exceptions). A function that never builds a handler logger (the Chalice apps log
through Lambda's root handler) is covered by the first: `omnicase` installs it on import.

The `omnicase` package logs through the logger of the function whose invocation is running (a context variable
its `inject_lambda_context` sets), never through whichever function built its logger last: functions sharing a
process (the local runtime, tests) would otherwise write each other's service and correlation id. Each
invocation starts with a clean context (`clear_state`), so a correlation id never outlives its invocation.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

if TYPE_CHECKING:  # Powertools is imported by the functions that log JSON, not by every cold start
    from aws_lambda_powertools import Logger, Metrics, Tracer

_EMAIL = re.compile(r"([A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]*@([A-Za-z0-9.\-]+\.[A-Za-z]{2,})")
# An ARN's (or a queue URL's) 12-digit account id is no phone number: matched first, so it is kept as it is.
_AWS_ACCOUNT = r"arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:\d{12}(?=:)|\.amazonaws\.com(?:\.cn)?/\d{12}(?=/)"
_PHONE = re.compile(rf"({_AWS_ACCOUNT})|\+?\d[\d \-]{{6,}}(\d{{2}})")
# A bearer JWT (a person's access token; Cognito's refresh tokens are 5-part JWEs): a credential, never logged.
_JWT = re.compile(r"eyJ[\w-]*(?:\.[\w-]*){2,4}")
# Keys Powertools fills itself: a timestamp or a request id looks like a phone number to _PHONE.
_SYSTEM_KEYS = frozenset(
    {"timestamp", "level", "location", "service", "sampling_rate", "xray_trace_id", "cold_start", "correlation_id"}
    | {"function_name", "function_memory_size", "function_arn", "function_request_id"}
)


def mask_pii(text: str) -> str:
    """Email addresses and phone numbers reduced to a hint: a***@example.com, +***34; JWTs removed: eyJ***."""
    return _PHONE.sub(_phone_hint, _EMAIL.sub(r"\1***@\2", _JWT.sub("eyJ***", text)))


def _phone_hint(match: re.Match[str]) -> str:
    return match.group(1) or f"+***{match.group(2)}"


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


_UNSET: Any = object()
# The logger of the function whose invocation runs in this context; None: one without (the root logger's records).
_invoked: ContextVar[Any] = ContextVar("omnicase_function_logger", default=_UNSET)
_built: list[Logger] = []  # every function logger of the process, latest last (a Lambda container builds one)


@contextmanager
def function_logs(logger: Logger | None) -> Iterator[None]:
    """Within: the package's records go out through `logger` (None: through the root logger, as in a function that
    has no Powertools logger). Each function's handler is wrapped in it; the local runtime wraps each invocation."""
    token = _invoked.set(logger)
    try:
        yield
    finally:
        _invoked.reset(token)


class _InvokedFunctionHandler(logging.Handler):
    """The `omnicase` package's one handler: each record goes out through the logger of the running function."""

    def handle(self, record: logging.LogRecord) -> bool:  # type: ignore[override]
        logger = _invoked.get()
        if logger is _UNSET:  # outside any invocation (imports, or a container's only function): the latest built
            logger = _built[-1] if _built else None
        if logger is None:
            logging.getLogger().handle(record)
        else:
            logger.registered_handler.handle(record)
        return True


_PACKAGE_HANDLER = _InvokedFunctionHandler()


def handler_logger(service: str) -> Logger:
    """The Powertools logger of one function; the omnicase package logs through it while it runs, PII masked."""
    install_pii_masking()
    logger = _function_logger_class()(service=service, json_serializer=masked_json)
    handler = logger.registered_handler
    handler.addFilter(MaskPii())  # records created before masking was installed, too
    _built.append(logger)
    package = logging.getLogger("omnicase")  # parent of loggers imported later, lazily, too
    package.handlers = [_PACKAGE_HANDLER]
    package.setLevel(logger.log_level)
    package.propagate = False
    return logger


@functools.cache
def _function_logger_class() -> type[Logger]:
    from aws_lambda_powertools import Logger

    class FunctionLogger(Logger):
        """Powertools' Logger whose `inject_lambda_context` also makes it the package's logger for the invocation
        and starts the invocation with a clean context (no key or correlation id of the previous one)."""

        def inject_lambda_context(  # type: ignore[override]
            self, lambda_handler: Any = None, *, clear_state: bool = True, **options: Any
        ) -> Any:
            if lambda_handler is None:  # used as @logger.inject_lambda_context(...)
                return functools.partial(self.inject_lambda_context, clear_state=clear_state, **options)
            injected = super().inject_lambda_context(lambda_handler, clear_state=clear_state, **options)

            @functools.wraps(lambda_handler)
            def handler(event: Any, context: Any, *args: Any, **kwargs: Any) -> Any:
                with function_logs(self):
                    return injected(event, context, *args, **kwargs)

            return handler

    return FunctionLogger


def metrics_namespace() -> str:
    """Where every EMF metric goes: POWERTOOLS_METRICS_NAMESPACE, the stack's name in AWS (so two stacks in one
    account keep apart what their alarms count); "omnicase" when unset. Read at each call, as Powertools reads it."""
    return os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or "omnicase"


def handler_metrics(service: str) -> Metrics:
    """EMF metrics in the stack's namespace (metrics_namespace)."""
    from aws_lambda_powertools import Metrics
    from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider

    class FlushedWhenAny(AmazonCloudWatchEMFProvider):
        """An invocation that recorded no metric (a stream batch with nothing for this function) publishes
        nothing, quietly: Powertools' flush warns "No application metrics to publish" on every such call."""

        def flush_metrics(self, raise_on_empty_metrics: bool = False) -> None:
            if self.metric_set or raise_on_empty_metrics:
                super().flush_metrics(raise_on_empty_metrics=raise_on_empty_metrics)

    # A metric set of its own: Powertools shares one per process by default, so functions sharing a process (the
    # local runtime, tests) flushed each other's metrics, and a flush that found its set emptied failed the handler.
    return Metrics(provider=FlushedWhenAny(namespace=metrics_namespace(), service=service))


# What a traced handler records: a `## handler` subsegment with the cold start and service annotations, and one
# subsegment per AWS call (botocore). Not its response or error: both can hold a customer's text or address, and
# traces are not masked like logs (the logs have the error, masked).
TRACED_MODULES = ("botocore",)
P = ParamSpec("P")
R = TypeVar("R")


@functools.cache
def handler_tracer() -> Tracer:
    """The process's X-Ray tracer (Powertools' Tracer; active only inside Lambda, where `Tracing: Active` sends it).

    Patches botocore alone (every DynamoDB, S3, SES … call a subsegment), once botocore's session module is imported
    rather than by importing it here: handlers that load boto3 lazily keep their cold start (bench/cold_start.py
    measures it with the tracer active)."""
    import wrapt
    from aws_lambda_powertools import Tracer

    tracer = Tracer(auto_patch=False)
    if not tracer.disabled:
        wrapt.when_imported("botocore.session")(lambda _module: tracer.patch(TRACED_MODULES))
    return tracer


def traced(handler: Callable[P, R]) -> Callable[P, R]:
    """The Lambda handler with Powertools' `capture_lambda_handler`, neither response nor error recorded."""
    wrapped = handler_tracer().capture_lambda_handler(handler, capture_response=False, capture_error=False)
    wrapped.omnicase_traced = True  # type: ignore[attr-defined]  # tests/unit/test_tracing.py finds every handler
    return wrapped
