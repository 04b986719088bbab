"""The local API Gateway: the template's `Api` routes, served through Chalice's own local gateway."""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from omnicase_local.gateway_authorizer import GatewayAuthorizers, Refused
from omnicase_local.handlers import LambdaContext, lambda_invocation, load_handler
from omnicase_local.observe import invocation
from omnicase_local.sam_template import Route
from omnicase_local.stack import DeployedFunction, DeployedStack

# API Gateway's UNAUTHORIZED / ACCESS_DENIED answers, in the shape template.yaml's GatewayResponses give them
_GATEWAY_CODES = {401: "Unauthorized", 403: "Forbidden"}

logger = logging.getLogger("omnicase_local.gateway")
Response = tuple[int, dict[str, Any], bytes]
LocalRoute = Callable[[], Any]
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024  # API Gateway's limit for a REST API request
READ_TIMEOUT_SECONDS = 30
_DIGITS = re.compile(r"[0-9]{1,20}")


@dataclass(frozen=True)
class _CompiledRoute:
    route: Route
    pattern: re.Pattern[str]
    literal_segments: int


def _compile(route: Route) -> _CompiledRoute:
    parts, literals = [], 0
    for segment in route.path.strip("/").split("/"):
        if segment.startswith("{") and segment.endswith("+}"):
            parts.append(f"(?P<{segment[1:-2]}>.+)")
        elif segment.startswith("{") and segment.endswith("}"):
            parts.append(f"(?P<{segment[1:-1]}>[^/]+)")
        else:
            parts.append(re.escape(segment))
            literals += 1
    return _CompiledRoute(route, re.compile("^/" + "/".join(parts) + "$"), literals)


def _json(status: int, document: Any) -> Response:
    # Real characters, not \u escapes: the outbox shows a Chinese or Russian mail as it was sent. A lone surrogate
    # (undecodable mail bytes) becomes its \uXXXX escape, which inside a JSON string is still valid JSON.
    body = json.dumps(document, default=str, ensure_ascii=False).encode("utf-8", "backslashreplace")
    return status, {"Content-Type": "application/json; charset=utf-8"}, body


class HttpGateway:
    """Matches method + path against the template's routes and calls the function like API Gateway's proxy."""

    def __init__(
        self,
        stack: DeployedStack,
        local_routes: dict[str, LocalRoute] | None = None,
        fake_providers: Callable[[str, str, dict[str, str], bytes | None], Response | None] | None = None,
        static_site: Callable[[str, str], Response | None] | None = None,
    ) -> None:
        self._stack = stack
        self._fake_providers = fake_providers
        self._routes = sorted((_compile(r) for r in stack.routes), key=lambda c: -c.literal_segments)
        self._local_routes = local_routes or {}
        self._static_site = static_site
        self._gateways: dict[tuple[str, str], Any] = {}
        self._authorizers = GatewayAuthorizers(stack)
        self._lock = threading.Lock()

    def handle(self, method: str, raw_path: str, headers: dict[str, str], body: bytes | None) -> Response:
        """One HTTP request to (status, headers, body)."""
        path = urlsplit(raw_path).path
        path = path.rstrip("/") or "/"
        if method == "GET" and path in self._local_routes:
            return _json(200, self._local_routes[path]())
        if self._static_site is not None:
            page = self._static_site(method, urlsplit(raw_path).path)
            if page is not None:
                return page
        if path.startswith("/_local/") and self._fake_providers:
            answer = self._fake_providers(method, raw_path, headers, body)
            if answer is not None:
                return answer
        matches = [c for c in self._routes if c.pattern.match(path)]
        if not matches:
            return _json(404, {"message": "Not Found", "path": path})
        route = next((c.route for c in matches if c.route.method in (method, "ANY")), None)
        if route is None:
            return _json(405, {"message": "Method Not Allowed", "allowed": sorted({c.route.method for c in matches})})
        if route.authorizer is not None:  # API Gateway asks the route's authorizer first
            try:
                self._authorizers.authorize(route.authorizer, method, path, headers)
            except Refused as refused:
                return _json(
                    refused.status,
                    {"Code": _GATEWAY_CODES.get(refused.status, "InternalServerError"), "Message": str(refused)},
                )
        function = self._stack.functions[route.function]
        try:
            return self._call(function, route, method, raw_path, headers, body)
        except Exception as error:
            logger.exception("%s %s failed in %s", method, path, function.logical_id)
            return _json(502, {"message": "Internal server error", "error": str(error)})

    def _call(
        self,
        function: DeployedFunction,
        route: Route,
        method: str,
        raw_path: str,
        headers: dict[str, str],
        body: bytes | None,
    ) -> Response:
        from chalice.local import LocalGatewayException

        gateway = self._gateway(function, route)
        # API Gateway tells the function how it was reached; webhook signatures are checked against that URL.
        forwarded = {"X-Forwarded-Proto": "http", **headers}
        try:
            with lambda_invocation(function.logical_id), invocation(function.logical_id):
                response = gateway.handle_request(method=method, path=raw_path, headers=forwarded, body=body)
        except LocalGatewayException as error:
            return error.CODE, dict(error.headers), error.body or b""
        out_headers = dict(response.get("headers") or {})
        out_headers.update(response.get("multiValueHeaders") or {})
        payload = response.get("body")
        if response.get("isBase64Encoded") and payload is not None:
            payload = base64.b64decode(payload)
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        return int(response["statusCode"]), out_headers, payload or b""

    def _gateway(self, function: DeployedFunction, route: Route) -> Any:
        """Chalice's LocalGateway for this function, its event built from the template's path template."""
        from chalice.app import Chalice
        from chalice.config import Config
        from chalice.local import LambdaEventConverter, LocalChalice, RouteMatcher
        from chalice.local import LocalGateway as ChaliceLocalGateway

        key = (function.logical_id, route.path)
        with self._lock:
            if key not in self._gateways:
                handler = load_handler(function.code_dir, function.handler)
                if not isinstance(handler, Chalice):
                    self._gateways[key] = _ProxyHandler(function, handler, route)
                else:
                    if not isinstance(handler, LocalChalice):
                        # current_request must be per thread under a threaded server, as `chalice local` does.
                        handler.__class__ = type(f"Local{type(handler).__name__}", (LocalChalice, type(handler)), {})
                    config = Config.create(
                        function_name=function.name,
                        lambda_timeout=function.timeout,
                        lambda_memory_size=function.memory_size,
                    )
                    gateway = ChaliceLocalGateway(handler, config)
                    gateway.event_converter = LambdaEventConverter(RouteMatcher([route.path]), handler.api.binary_types)
                    self._gateways[key] = gateway
            return self._gateways[key]


class _ProxyHandler:
    """A plain (non-Chalice) handler behind a proxy route: same event shape, no Chalice in between."""

    def __init__(self, function: DeployedFunction, handler: Callable[[Any, Any], Any], route: Route) -> None:
        from chalice.local import LambdaEventConverter, RouteMatcher

        self._function, self._handler = function, handler
        self._converter = LambdaEventConverter(RouteMatcher([route.path]))

    def handle_request(self, method: str, path: str, headers: dict[str, str], body: bytes | None) -> dict[str, Any]:
        event = self._converter.create_lambda_event(method=method, path=path, headers=headers, body=body)
        if isinstance(event.get("body"), bytes):
            event["body"] = event["body"].decode("utf-8", "replace")
        context = LambdaContext(function_name=self._function.name, timeout_seconds=self._function.timeout)
        return self._handler(event, context)


def _content_length(values: list[str]) -> tuple[int, Response | None]:
    """The request's body length, or the answer refusing it: API Gateway's 400 for a Content-Length that is not one
    number of digits (-1, abc, 1e20, two that differ), its 413 over its 10 MB payload limit."""
    if not values:
        return 0, None
    if len(set(values)) > 1 or not _DIGITS.fullmatch(values[0].strip()):
        return 0, _json(400, {"message": f"Content-Length must be one whole number of bytes, not {values[:2]!r}"})
    length = int(values[0])
    if length > MAX_PAYLOAD_BYTES:
        return 0, _json(413, {"message": f"Request body over {MAX_PAYLOAD_BYTES} bytes"})
    return length, None


def serve_gateway(gateway: HttpGateway, host: str, port: int) -> ThreadingHTTPServer:
    """Start the gateway on host:port in a daemon thread; shut it down with server.shutdown()."""

    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = READ_TIMEOUT_SECONDS  # a body that never arrives ends the connection instead of holding a thread

        def _serve(self) -> None:
            length, refusal = _content_length(self.headers.get_all("content-length") or [])
            if refusal is not None:
                # The body was not read, so the connection cannot carry another request: answer, then close it.
                self.close_connection = True
                self._answer(*refusal, {"Connection": "close"})
                return
            try:
                body = self.rfile.read(length) if length else None
            except TimeoutError:
                self.close_connection = True
                self._answer(*_json(408, {"message": "Request body not received in time"}), {"Connection": "close"})
                return
            self._answer(*gateway.handle(self.command, self.path, dict(self.headers), body))

        def _answer(
            self, status: int, headers: dict[str, Any], payload: bytes, extra: dict[str, str] | None = None
        ) -> None:
            headers = {**headers, **(extra or {})}
            self.send_response(status)
            headers = {k: v for k, v in headers.items() if k.lower() != "content-length"}
            headers.setdefault("Content-Type", "application/json")
            for name, value in headers.items():
                for item in value if isinstance(value, list) else [value]:
                    self.send_header(name, str(item))
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

        def __getattr__(self, name: str) -> Any:
            # Any other method (TRACE, QUERY …): http.server would answer a 501 HTML page; routing answers 405.
            if name.startswith("do_"):
                return self._serve
            raise AttributeError(name)

        def log_message(self, format: str, *args: Any) -> None:
            logger.debug(format, *args)

    server = ThreadingHTTPServer((host, port), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="omnicase-http", daemon=True).start()
    return server
