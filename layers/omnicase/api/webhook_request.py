"""The parts of a Chalice request a webhook verifies: headers, path, query, stage and the raw body."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from omnicase.channels.sms.intake import SignedRequest


def signed_request(request: Any) -> SignedRequest:
    """What the provider signed. API Gateway hands over the query decoded, so it is re-encoded in its order."""
    context = request.context or {}
    # The event's own multi-value map: Request.to_dict() has no such key (query_params keeps one value per name).
    params = request.to_original_event().get("multiValueQueryStringParameters") or {}
    query = urlencode([(k, v) for k, values in params.items() for v in values]) if params else ""
    path = context.get("resourcePath") or request.path
    if request.uri_params:
        for name, value in request.uri_params.items():
            path = path.replace("{" + name + "}", value)
    return SignedRequest(
        headers=dict(request.headers), path=path, query=query, stage=context.get("stage"), body=request.raw_body
    )
