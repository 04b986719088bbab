"""Load a function's handler from its code folder (as Lambda would) and give it a Lambda-shaped context."""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Handler = Callable[[Any, Any], Any]
_lock = threading.Lock()
_ONE_AT_A_TIME = threading.RLock()
_loaded: dict[tuple[Path, str], Handler] = {}
_function: ContextVar[str] = ContextVar("omnicase_local_function", default="-")


@contextmanager
def lambda_invocation(function: str) -> Iterator[None]:
    """One invocation of `function` (its logical id), one at a time in this process, as a Lambda container runs one
    at a time; its log records carry its name and only its own logging context.

    Handlers keep state in their modules that a container never shares between concurrent invocations (caches,
    Powertools' logger context). One lock for all functions rather than one per function: on one GIL, handlers
    running side by side only fight over it (2,000 mixed deliveries: 50 msg/s accepted with one lock, 36 msg/s with
    a lock per function). Reentrant, for a handler whose AWS call invokes a function in its own thread (SNS).
    """
    from omnicase.observability import function_logs

    # None until the handler's own logger takes over (a Chalice app has none): never the last function's logger.
    with _ONE_AT_A_TIME, function_logs(None):
        token = _function.set(function)
        try:
            yield
        finally:
            _function.reset(token)


class FunctionName(logging.Filter):
    """Adds `function`, the logical id of the function whose invocation logged the record ("-" outside any)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.function = _function.get()
        return True


class HandlerNotFound(ImportError):
    """The handler string does not name a callable in the function's code folder."""


def load_handler(code_dir: str | Path, handler: str) -> Handler:
    """The callable `module.attr` of `handler` in code_dir, loaded once under a module name unique to the folder.

    `app.handler` is a plain function; `app.app` is a Chalice app, itself a Lambda handler callable.
    """
    code_dir = Path(code_dir).resolve()
    key = (code_dir, handler)
    with _lock:
        if key not in _loaded:
            _loaded[key] = _load(code_dir, handler)
        return _loaded[key]


def _load(code_dir: Path, handler: str) -> Handler:
    module_path, _, attribute = handler.rpartition(".")
    if not module_path:
        raise HandlerNotFound(f"handler {handler!r} must be 'module.function'")
    source = code_dir.joinpath(*module_path.split(".")).with_suffix(".py")
    if not source.is_file():
        raise HandlerNotFound(f"no {source} for handler {handler!r}")
    digest = hashlib.sha1(str(code_dir).encode(), usedforsecurity=False).hexdigest()[:8]
    name = f"omnicase_fn_{code_dir.name}_{digest}_{module_path.replace('.', '_')}"
    spec = importlib.util.spec_from_file_location(name, source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    # Lambda puts the code folder first on sys.path; do the same while the module imports its siblings.
    sys.path.insert(0, str(code_dir))
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    finally:
        sys.path.remove(str(code_dir))
    target = getattr(module, attribute, None)
    if not callable(target):
        raise HandlerNotFound(f"{source} has no callable {attribute!r}")
    return target


@dataclass
class LambdaContext:
    """The parts of the Lambda context object handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int = 128
    timeout_seconds: int = 3
    invoked_function_arn: str = ""
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = ""
    log_stream_name: str = "local"
    identity: Any = None
    client_context: Any = None
    _deadline: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.timeout_seconds
        self.log_group_name = self.log_group_name or f"/aws/lambda/{self.function_name}"
        self.invoked_function_arn = (
            self.invoked_function_arn or f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"
        )

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the function's configured timeout."""
        return max(0, int((self._deadline - time.monotonic()) * 1000))
