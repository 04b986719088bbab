"""The agent/ops REST API: read cases (a Chalice app; routes only, logic in the omnicase layer)."""

from __future__ import annotations

from typing import Any

from chalice import Chalice

from omnicase.api.auth import tenant_of_request
from omnicase.api.errors import http_errors
from omnicase.api.query import case_filters, page_limit
from omnicase.api.views import case_view, message_view
from omnicase.persistence.case_reader import get_case, list_cases

app = Chalice(app_name="omnicase-api")


@app.route("/cases", methods=["GET"])
@http_errors
def read_cases() -> dict[str, Any]:
    """Cases newest first; filters status, channel, customer_id, queue; `next` pages on."""
    request = app.current_request
    tenant = tenant_of_request(request.headers)
    params = request.query_params or {}
    page = list_cases(tenant.tenant_id, case_filters(params), page_limit(params), params.get("next"))
    return {"cases": [case_view(c) for c in page.cases], "next": page.next_cursor}


@app.route("/cases/{case_id}", methods=["GET"])
@http_errors
def read_case(case_id: str) -> dict[str, Any]:
    """One case with its messages in order."""
    tenant = tenant_of_request(app.current_request.headers)
    case, messages = get_case(tenant.tenant_id, case_id.upper())
    return {"case": case_view(case), "messages": [message_view(m) for m in messages]}
