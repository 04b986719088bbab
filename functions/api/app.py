"""The agent/ops REST API: cases and customers (a Chalice app; routes only, logic in the omnicase layer)."""

from __future__ import annotations

from typing import Any

from chalice import Chalice, Response

from omnicase.api.auth import actor_of, tenant_of_request
from omnicase.api.errors import http_errors
from omnicase.api.query import case_filters, merge_source, page_limit
from omnicase.api.views import case_view, customer_view, event_view, message_view
from omnicase.persistence.case_reader import get_case, list_cases, list_queue
from omnicase.persistence.customer_store import merge_customers, read_customer
from omnicase.wiring import case_store

app = Chalice(app_name="omnicase-api")


@app.route("/cases", methods=["GET"])
@http_errors
def read_cases() -> dict[str, Any]:
    """Cases newest first; filters status, channel, customer_id, queue, assignee, priority, breached."""
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


@app.route("/cases/{case_id}", methods=["PATCH"])
@http_errors
def change_case(case_id: str) -> dict[str, Any]:
    """Change status / priority / queue / assignee (null unassigns); "version" makes it conditional (409)."""
    from omnicase.api.case_actions import case_update_from, patch_case  # only writes pay for the domain rules

    request = app.current_request
    tenant = tenant_of_request(request.headers)
    update, version = case_update_from(request.json_body)
    return {"case": case_view(patch_case(tenant, case_id.upper(), update, version, actor_of(request.headers)))}


@app.route("/cases/{case_id}/replies", methods=["POST"])
@http_errors
def reply(case_id: str) -> Response:
    """A public reply {"body": …} through the case's channel; queued, sent from the table's stream."""
    from omnicase.api.case_actions import post_reply
    from omnicase.api.metrics import record_first_response

    request = app.current_request
    tenant = tenant_of_request(request.headers)
    case, message = post_reply(tenant, case_id.upper(), request.json_body, actor_of(request.headers))
    if case.created_at and case.service.first_response_at == message.created_at:
        record_first_response(case, (message.created_at - case.created_at).total_seconds())
    return Response(status_code=201, body={"case": case_view(case), "message": message_view(message)})


@app.route("/cases/{case_id}/events", methods=["GET"])
@http_errors
def read_case_events(case_id: str) -> dict[str, Any]:
    """The case's audit trail, oldest first: routing, deadlines, pauses, breaches, escalations, assignments."""
    tenant = tenant_of_request(app.current_request.headers)
    get_case(tenant.tenant_id, case_id.upper())  # 404 for unknown (and other tenants') cases
    return {"events": [event_view(e) for e in case_store().events(tenant.tenant_id, case_id.upper())]}


@app.route("/queues/{queue}", methods=["GET"])
@http_errors
def read_queue(queue: str) -> dict[str, Any]:
    """A queue's open cases, soonest deadline first."""
    request = app.current_request
    tenant = tenant_of_request(request.headers)
    params = request.query_params or {}
    page = list_queue(tenant.tenant_id, queue, page_limit(params), params.get("next"))
    return {"queue": queue, "cases": [case_view(c) for c in page.cases], "next": page.next_cursor}


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
