"""The agent/ops REST API: cases and customers (a Chalice app; routes only, logic in the omnicase layer)."""

from __future__ import annotations

from typing import Any

from chalice import Response

from omnicase.api.auth import actor_of, principal_of_request, principal_with_role, require_role, tenant_of_request
from omnicase.api.edge import edge_app
from omnicase.api.errors import http_errors
from omnicase.api.kb_routes import kb_routes
from omnicase.api.query import case_filters, merge_source, page_limit
from omnicase.api.views import case_view, customer_view, event_view, message_view
from omnicase.persistence.case_reader import get_case, list_cases, list_queue
from omnicase.persistence.customer_store import merge_customers, read_customer
from omnicase.wiring import case_store

app = edge_app("omnicase-api")  # every request passes the edge's guards (omnicase.api.edge)
app.register_blueprint(kb_routes)  # /kb/…: knowledge-base articles and search (omnicase.api.kb_routes)


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
    """One case (with its survey score and reply window), its messages in order, and its customer's history."""
    from omnicase.console_api.case_detail import case_detail

    tenant = tenant_of_request(app.current_request.headers)
    return case_detail(tenant.tenant_id, case_id.upper())


@app.route("/cases/{case_id}/attachments/{attachment_id}", methods=["GET"])
@http_errors
def read_attachment_link(case_id: str, attachment_id: str) -> dict[str, Any]:
    """A 5-minute download link of an attachment (410 when it was quarantined)."""
    from omnicase.console_api.attachment_link import AttachmentLinks
    from omnicase.wiring import mail_store

    tenant = tenant_of_request(app.current_request.headers)
    return AttachmentLinks(mail_store()).link(tenant.tenant_id, case_id.upper(), attachment_id.upper())


@app.route("/me", methods=["GET"])
@http_errors
def read_me() -> dict[str, Any]:
    """Who the token speaks for, with the tenant's queues, agents and time zone."""
    from omnicase.console_api.me import me

    return me(principal_of_request(app.current_request.headers))


@app.route("/inbox", methods=["GET"])
@http_errors
def read_inbox() -> dict[str, Any]:
    """A work list: mine, unassigned, a queue, breached, at risk, pending (soonest deadline first) or solved."""
    from omnicase.console_api.inbox import read_inbox as inbox

    request = app.current_request
    tenant = tenant_of_request(request.headers)
    return inbox(tenant.tenant_id, actor_of(request.headers), request.query_params or {})


@app.route("/changes", methods=["GET"])
@http_errors
def read_changes() -> dict[str, Any]:
    """The cases changed after ?since= (the console polls it); without it, a cursor for now."""
    from omnicase.console_api.changes import read_changes as changes

    request = app.current_request
    return changes(tenant_of_request(request.headers).tenant_id, request.query_params or {})


@app.route("/search", methods=["GET"])
@http_errors
def search() -> dict[str, Any]:
    """?q=: a case id, a customer's email / phone / chat id / openid, or text of the latest cases' subjects."""
    from omnicase.console_api.search import search as find

    request = app.current_request
    return find(tenant_of_request(request.headers), request.query_params or {})


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


@app.route("/cases/{case_id}/notes", methods=["POST"])
@http_errors
def note(case_id: str) -> Response:
    """An internal note {"body": …}: for agents only, never sent to the customer."""
    from omnicase.api.case_actions import post_note

    request = app.current_request
    tenant = tenant_of_request(request.headers)
    case, message = post_note(tenant, case_id.upper(), request.json_body, actor_of(request.headers))
    return Response(status_code=201, body={"case": case_view(case), "message": message_view(message)})


@app.route("/cases/{case_id}/claim", methods=["POST"])
@http_errors
def claim_case(case_id: str) -> dict[str, Any]:
    """The calling agent takes the case (409 when someone else has it)."""
    from omnicase.api.case_actions import claim

    request = app.current_request
    tenant = tenant_of_request(request.headers)
    return {"case": case_view(claim(tenant, case_id.upper(), actor_of(request.headers)))}


@app.route("/cases/{case_id}/links", methods=["POST"])
@http_errors
def link_case(case_id: str) -> dict[str, Any]:
    """{"case_id": other, "kind": "related" | "merge"}: merge closes the other case, pointing here."""
    from omnicase.api.case_actions import post_link

    request = app.current_request
    principal = principal_of_request(request.headers)
    if isinstance(request.json_body, dict) and request.json_body.get("kind") == "merge":
        require_role(principal, "supervisor")  # a merge closes another case
    tenant = principal.tenant
    return {"case": case_view(post_link(tenant, case_id.upper(), request.json_body, actor_of(request.headers)))}


@app.route("/cases/{case_id}/events", methods=["GET"])
@http_errors
def read_case_events(case_id: str) -> dict[str, Any]:
    """The case's audit trail, oldest first: routing, deadlines, pauses, breaches, escalations, assignments."""
    tenant = tenant_of_request(app.current_request.headers)
    get_case(tenant.tenant_id, case_id.upper())  # 404 for unknown (and other tenants') cases
    return {"events": [event_view(e) for e in case_store().events(tenant.tenant_id, case_id.upper())]}


@app.route("/queues", methods=["GET"])
@http_errors
def read_queue_board() -> dict[str, Any]:
    """The queue board: open, unassigned, at-risk and breached cases per queue, and per agent (supervisors)."""
    from omnicase.console_api.queue_board import queue_board

    principal = principal_with_role(app.current_request.headers, "supervisor")
    return queue_board(principal.tenant.tenant_id)


@app.route("/queues/{queue}", methods=["GET"])
@http_errors
def read_queue(queue: str) -> dict[str, Any]:
    """A queue's open cases, soonest deadline first."""
    request = app.current_request
    tenant = tenant_of_request(request.headers)
    params = request.query_params or {}
    page = list_queue(tenant.tenant_id, queue, page_limit(params), params.get("next"))
    return {"queue": queue, "cases": [case_view(c) for c in page.cases], "next": page.next_cursor}


@app.route("/problems/{problem_key}/fixed", methods=["POST"])
@http_errors
def problem_fixed(problem_key: str) -> dict[str, Any]:
    """Release follow-up: every customer of a case linked to the problem is told through their own channel."""
    from omnicase.api.problem_actions import announce_fix

    request = app.current_request
    principal = principal_with_role(request.headers, "supervisor")  # it messages every linked customer
    tenant = principal.tenant
    return announce_fix(tenant, problem_key, request.json_body or {}, actor_of(request.headers))


@app.route("/reports/sla", methods=["GET"])
@http_errors
def read_sla_report() -> dict[str, Any]:
    """SLA figures for cases created in [from, to): answer rates, breaches, escalations, CSAT, interceptions."""
    from omnicase.api.report_view import sla_report_view  # only reports pay for it

    request = app.current_request
    principal = principal_with_role(request.headers, "supervisor")
    return sla_report_view(principal.tenant.tenant_id, request.query_params or {})


@app.route("/reports/sla/daily", methods=["GET"])
@http_errors
def read_daily_sla_report() -> dict[str, Any]:
    """The SLA figures day by day over ?from=&to= (the tenant's days; at most 92)."""
    from omnicase.console_api.daily_report import daily_sla_report

    request = app.current_request
    principal = principal_with_role(request.headers, "supervisor")
    return daily_sla_report(principal.tenant.tenant_id, request.query_params or {})


@app.route("/quality/interceptions", methods=["GET"])
@http_errors
def read_interceptions() -> dict[str, Any]:
    """Replies the quality check stopped, with their text and phrase spans, counted per agent and day."""
    from omnicase.console_api.interceptions import interceptions_report

    request = app.current_request
    principal = principal_with_role(request.headers, "supervisor")  # agents' blocked drafts are for supervisors to read
    return interceptions_report(principal.tenant.tenant_id, request.query_params or {})


@app.route("/openapi.json", methods=["GET"])
def openapi() -> dict[str, Any]:
    """This API's OpenAPI 3 document (no token needed: it describes, it does not reveal)."""
    from omnicase.api.openapi_document import openapi_document

    return openapi_document()


@app.route("/customers/{customer_id}", methods=["GET"])
@http_errors
def read_one_customer(customer_id: str) -> dict[str, Any]:
    """A customer and every identity (email, phone, chat user, WeChat openid) that is theirs."""
    tenant = tenant_of_request(app.current_request.headers)
    return customer_view(read_customer(tenant.tenant_id, customer_id))


@app.route("/customers/{customer_id}", methods=["PATCH"])
@http_errors
def change_customer(customer_id: str) -> dict[str, Any]:
    """Display name, tags and routing traits (tier, key_account, dedicated_agent) of a customer."""
    from omnicase.api.query import customer_changes
    from omnicase.persistence.customer_store import update_customer
    from omnicase.wiring import tenant_configs

    request = app.current_request
    # Tiers and dedicated agents change how every case of theirs routes.
    principal = principal_with_role(request.headers, "supervisor")
    tenant = principal.tenant
    config = tenant_configs().config_for(tenant.tenant_id)
    accounts = {a.account_id for a in config.key_accounts}
    changes = customer_changes(request.json_body, accounts, set(config.agents))
    return customer_view(update_customer(tenant.tenant_id, customer_id, changes))


@app.route("/customers/{customer_id}/erasure", methods=["POST"])
@http_errors
def erase_customer(customer_id: str) -> Response:
    """Erase a customer on request (PIPL / GDPR): 201 with the erasure record, 200 with the first one on a repeat."""
    from omnicase.wiring import customer_erasure

    request = app.current_request
    principal = principal_with_role(request.headers, "supervisor")
    record, erased_now = customer_erasure().erase(principal.tenant.tenant_id, customer_id, actor_of(request.headers))
    return Response(status_code=201 if erased_now else 200, body=record.as_document())


@app.route("/customers/{customer_id}/merge", methods=["POST"])
@http_errors
def merge_customer(customer_id: str) -> dict[str, Any]:
    """Merge {"source_customer_id": …} into this customer: its identities and cases move here."""
    request = app.current_request
    principal = principal_with_role(request.headers, "supervisor")
    tenant = principal.tenant
    source = merge_source(request.json_body)
    return customer_view(merge_customers(tenant.tenant_id, customer_id, source))
