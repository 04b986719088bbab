"""Every HTTP function's Chalice app is made here, so every route of every app passes the same request guards.

The guards run before routing, before any route reads its body: a body over MAX_BODY_BYTES is refused (413
`too-large`), and a JSON body nested deeper than MAX_JSON_DEPTH is refused (400 `too-deep`) — a route never sees
a document whose parsing or walking could recurse (100,000 nested arrays raised RecursionError, a 500).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from chalice import Chalice
from chalice.app import Request, Response

from omnicase.api.errors import rejection
from omnicase.domain.errors import RejectedInput
from omnicase.observability import traced

# The largest body a route takes is a chat message or an SNS delivery (256 KB each); a 20,000-character reply is
# at most 120 KB of JSON. API Gateway would pass 10 MB.
MAX_BODY_BYTES = 256 * 1024
MAX_JSON_DEPTH = 32  # the API's own request bodies nest 2 levels


class TracedChalice(Chalice):
    """Lambda calls the app itself (`Handler: app.app`): each call is traced like every other handler."""

    def __init__(self, app_name: str) -> None:
        super().__init__(app_name=app_name)

        def handler(event: dict[str, Any], context: Any) -> Any:
            return Chalice.__call__(self, event, context)

        self._traced_call = traced(handler)

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        return self._traced_call(event, context)


def edge_app(app_name: str) -> Chalice:
    """A traced Chalice app whose every request passes `guard_request` before its route runs."""
    app = TracedChalice(app_name=app_name)
    app.register_middleware(guard_request, "http")
    return app


def guard_request(request: Request, get_response: Callable[[Request], Response]) -> Response:
    """Chalice HTTP middleware: the body's size and JSON nesting checked before the route runs."""
    try:
        check_body(request.raw_body or b"")
    except RejectedInput as rejected:
        return rejection(rejected, request.path)
    return get_response(request)


def check_body(body: bytes | str) -> None:
    """RejectedInput (`too-large`, `too-deep`) unless the body is within MAX_BODY_BYTES and MAX_JSON_DEPTH."""
    if len(body) > MAX_BODY_BYTES:
        raise RejectedInput("too-large", f"request body over {MAX_BODY_BYTES} bytes")
    depth = json_depth(body)
    if depth > MAX_JSON_DEPTH:
        raise RejectedInput("too-deep", f"JSON body nested deeper than {MAX_JSON_DEPTH} levels")


def json_depth(body: bytes | str) -> int:
    """How deep the body's JSON nests (`[]` is 1, a scalar 0); 0 for a body that is not JSON (its route says why)."""
    try:
        document = json.loads(body)
    except RecursionError:  # the C decoder gives up near the interpreter's recursion limit (~1,000 levels)
        return MAX_JSON_DEPTH + 1
    except ValueError:  # not JSON, or not UTF-8/16/32: the route answers what it makes of it
        return 0
    deepest, pending = 0, [(document, 1)]
    while pending:  # iterative: walking the document must not recurse either
        value, depth = pending.pop()
        children: Any = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            break
        pending.extend((child, depth + 1) for child in children)
    return deepest
