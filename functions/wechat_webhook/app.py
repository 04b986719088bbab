"""WeChat Official Account webhook: URL verification (GET) and message pushes (POST) (a Chalice app)."""

from __future__ import annotations

from chalice import Response

from omnicase.api.edge import edge_app
from omnicase.api.errors import http_errors
from omnicase.wiring import wechat_intake

app = edge_app("omnicase-wechat-webhook")  # every request passes the edge's guards (omnicase.api.edge)
PLAIN = {"Content-Type": "text/plain; charset=utf-8"}


@app.route("/webhooks/wechat", methods=["GET"])
@http_errors
def verify_url() -> Response:
    """WeChat checks the URL by asking us to echo `echostr` under a valid signature."""
    return Response(body=wechat_intake().echo(app.current_request.query_params or {}), headers=PLAIN)


@app.route("/webhooks/wechat", methods=["POST"], content_types=["text/xml", "application/xml"])
@http_errors
def push() -> Response:
    """A push; answered `success` (WeChat retries three times within 15 s otherwise; redeliveries dedupe)."""
    request = app.current_request
    wechat_intake().receive(request.query_params or {}, request.raw_body)
    return Response(body="success", headers=PLAIN)
