"""The agent/ops REST API: cases and customers (a Chalice app; routes only, logic in the omnicase layer)."""

from __future__ import annotations

from typing import Any

from chalice import Chalice

from omnicase.api.auth import tenant_of_request
from omnicase.api.errors import http_errors
from omnicase.api.query import case_filters, merge_source, page_limit
from omnicase.api.views import case_view, customer_view, message_view
from omnicase.persistence.case_reader import get_case, list_cases
from omnicase.persistence.customer_store import merge_customers, read_customer

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


@app.route("/customers/{customer_id}", methods=["GET"])
@http_errors
def read_one_customer(customer_id: str) -> dict[str, Any]:
    """A customer and every identity (email, phone, chat user, WeChat openid) that is theirs."""
    tenant = tenant_of_request(app.current_request.headers)
    return customer_view(read_customer(tenant.tenant_id, customer_id))


@app.route("/customers/{customer_id}/merge", methods=["POST"])
@http_errors
def merge_customer(customer_id: str) -> dict[str, Any]:
    """Merge {"source_customer_id": …} into this customer: its identities and cases move here."""
    request = app.current_request
    tenant = tenant_of_request(request.headers)
    source = merge_source(request.json_body)
    return customer_view(merge_customers(tenant.tenant_id, customer_id, source))
