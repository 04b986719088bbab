"""Web chat: signed messages in, and the conversation's replies for widgets that poll (a Chalice app)."""

from __future__ import annotations

from typing import Any

from chalice import Response

from omnicase.api.edge import edge_app
from omnicase.api.errors import http_errors
from omnicase.api.views import message_view
from omnicase.wiring import chat_intake

app = edge_app("omnicase-chat-webhook")  # every request passes the edge's guards (omnicase.api.edge)


@app.route("/webhooks/chat", methods=["POST"], content_types=["application/json"])
@http_errors(signature_status=401)
def chat_message() -> Response:
    """One chat message; X-Omnicase-Timestamp + X-Omnicase-Signature (HMAC-SHA256 of "<ts>.<body>")."""
    request = app.current_request
    outcome = chat_intake().receive(request.headers, request.raw_body)
    body = {"case_id": outcome.case_id, "message_id": outcome.message_id, "duplicate": outcome.duplicate}
    return Response(body=body, status_code=200 if outcome.duplicate else 201)


@app.route("/chat/conversations/{conversation_id}/messages", methods=["GET"])
@http_errors(signature_status=401)
def chat_replies(conversation_id: str) -> dict[str, Any]:
    """Replies after ?after=<cursor>; the signature covers "<ts>.<path>?<query>" (there is no body)."""
    request = app.current_request
    after = (request.query_params or {}).get("after")
    target = f"/chat/conversations/{conversation_id}/messages" + (f"?after={after}" if after else "")
    messages, cursor = chat_intake().replies(request.headers, target, conversation_id, after)
    return {"messages": [message_view(m) for m in messages], "next": cursor}
