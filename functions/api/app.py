"""The agent/ops REST API: cases and customers (a Chalice app; routes only, logic in the omnicase layer)."""

from __future__ import annotations

from typing import Any

from chalice import Response

from omnicase.api.auth import actor_of, principal_of_request, principal_with_role, require_role, tenant_of_request
from omnicase.api.edge import edge_app
from omnicase.api.errors import http_errors
from omnicase.api.kb_routes import kb_routes
from omnicase.api.query import merge_source
from omnicase.api.views import case_view, customer_view, event_view, message_view
from omnicase.console_api.audit_trail import audit_trail
from omnicase.console_api.case_list import case_list, queue_cases
from omnicase.console_api.customer_profile import customer_profile

app = edge_app("omnicase-api")  # every request passes the edge's guards (omnicase.api.edge)
app.register_blueprint(kb_routes)  # /kb/…: knowledge-base articles and search (omnicase.api.kb_routes)


@app.route("/cases", methods=["GET"])
@http_errors
def read_cases() -> dict[str, Any]:
    """Cases newest first; filters status, channel, customer_id, queue, assignee, priority, breached."""
    request = app.current_request
    return case_list(tenant_of_request(request.headers).tenant_id, request.query_params or {})


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
    """A 5-minute download link of an attachment (410 naming why when it is infected, quarantined or removed)."""
    from omnicase.console_api.attachment_link import AttachmentLinks
    from omnicase.wiring import attachment_files

    tenant = tenant_of_request(app.current_request.headers)
    return AttachmentLinks(attachment_files()).link(tenant.tenant_id, case_id.upper(), attachment_id.upper())


@app.route("/me", methods=["GET"])
@http_errors
def read_me() -> dict[str, Any]:
    """Who the token speaks for, with the tenant's queues, agents and time zone."""
    from omnicase.console_api.me import me

    return me(principal_of_request(app.current_request.headers))


@app.route("/agents/{agent_id}/availability", methods=["PUT"])
@http_errors
def put_availability(agent_id: str) -> dict[str, Any]:
    """{"available": true|false, "until"?}: "me" for oneself, anyone for a supervisor; away hands waiting cases back."""
    from datetime import UTC, datetime

    from omnicase.agents.set_availability import set_availability

    request = app.current_request
    principal = principal_of_request(request.headers)
    return set_availability(principal, agent_id, request.json_body, actor_of(request.headers), datetime.now(UTC))


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
    from omnicase.cases.case_actions import case_update_from, patch_case  # only writes pay for the domain rules

    request = app.current_request
    tenant = tenant_of_request(request.headers)
    update, version = case_update_from(request.json_body)
    return {"case": case_view(patch_case(tenant, case_id.upper(), update, version, actor_of(request.headers)))}


@app.route("/cases/{case_id}/replies", methods=["POST"])
@http_errors
def reply(case_id: str) -> Response:
    """A public reply {"body": …, "attachments"?: [upload ids]} through the case's channel; queued, sent from the
    table's stream."""
    from omnicase.api.metrics import record_reply
    from omnicase.cases.case_actions import post_reply

    request = app.current_request
    tenant = tenant_of_request(request.headers)
    case, message = post_reply(tenant, case_id.upper(), request.json_body, actor_of(request.headers))
    record_reply(case, message)
    return Response(status_code=201, body={"case": case_view(case), "message": message_view(message)})


@app.route("/cases/{case_id}/uploads", methods=["POST"])
@http_errors
def offer_upload(case_id: str) -> Response:
    """A presigned S3 POST for one file a reply will carry {"filename", "content_type", "size"} (422: not on this
    case's channel)."""
    from omnicase.attachments.offer_upload import offer_upload as offer

    request = app.current_request
    tenant = tenant_of_request(request.headers)
    return Response(status_code=201, body=offer(tenant, case_id.upper(), request.json_body))


@app.route("/cases/{case_id}/notes", methods=["POST"])
@http_errors
def note(case_id: str) -> Response:
    """An internal note {"body": …}: for agents only, never sent to the customer."""
    from omnicase.cases.case_actions import post_note

    request = app.current_request
    tenant = tenant_of_request(request.headers)
    case, message = post_note(tenant, case_id.upper(), request.json_body, actor_of(request.headers))
    return Response(status_code=201, body={"case": case_view(case), "message": message_view(message)})


@app.route("/cases", methods=["POST"])
@http_errors
def open_case() -> Response:
    """A case an agent opens (a walk-in, a call): customer by id or address, routed, SLA; Idempotency-Key repeats."""
    from omnicase.cases.open_case import case_request_from, idempotency_key
    from omnicase.cases.open_requested_case import open_requested_case

    request = app.current_request
    tenant = tenant_of_request(request.headers)
    wanted, key = case_request_from(request.json_body), idempotency_key(request.headers)
    opened = open_requested_case(tenant, wanted, key, actor_of(request.headers))
    body = {"case": case_view(opened.case), "messages": [message_view(m) for m in opened.thread]}
    return Response(status_code=200 if opened.duplicate else 201, body=body)


@app.route("/cases/{case_id}/calls", methods=["POST"])
@http_errors
def log_call(case_id: str) -> Response:
    """A call an agent made or took {direction, outcome, started_at, duration_s, note?}: a reached outbound call
    is the first response and a callback done."""
    from omnicase.cases.call_actions import post_call

    request = app.current_request
    tenant = tenant_of_request(request.headers)
    case, events, note = post_call(tenant, case_id.upper(), request.json_body, actor_of(request.headers))
    body = {"case": case_view(case), "events": [event_view(e) for e in events]}
    if note is not None:
        body["note"] = message_view(note)
    return Response(status_code=201, body=body)


@app.route("/cases/{case_id}/claim", methods=["POST"])
@http_errors
def claim_case(case_id: str) -> dict[str, Any]:
    """The calling agent takes the case (409 when someone else has it)."""
    from omnicase.cases.case_actions import claim

    request = app.current_request
    tenant = tenant_of_request(request.headers)
    return {"case": case_view(claim(tenant, case_id.upper(), actor_of(request.headers)))}


@app.route("/cases/{case_id}/links", methods=["POST"])
@http_errors
def link_case(case_id: str) -> dict[str, Any]:
    """{"case_id": other, "kind": "related" | "merge"}: merge closes the other case, pointing here."""
    from omnicase.cases.case_actions import post_link

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
    return audit_trail(tenant.tenant_id, case_id.upper())


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
    return queue_cases(tenant_of_request(request.headers).tenant_id, queue, request.query_params or {})


@app.route("/problems/{problem_key}/fixed", methods=["POST"])
@http_errors
def problem_fixed(problem_key: str) -> dict[str, Any]:
    """Release follow-up: every customer of a case linked to the problem is told through their own channel."""
    from omnicase.cases.announce_fix import announce_fix

    request = app.current_request
    principal = principal_with_role(request.headers, "supervisor")  # it messages every linked customer
    tenant = principal.tenant
    return announce_fix(tenant, problem_key, request.json_body or {}, actor_of(request.headers))


@app.route("/reports/sla", methods=["GET"])
@http_errors
def read_sla_report() -> dict[str, Any]:
    """SLA figures for cases created in [from, to): answer rates, breaches, escalations, CSAT, interceptions."""
    from omnicase.console_api.sla_report_view import sla_report_view  # only reports pay for it

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
    return customer_profile(tenant.tenant_id, customer_id)


@app.route("/customers/{customer_id}", methods=["PATCH"])
@http_errors
def change_customer(customer_id: str) -> dict[str, Any]:
    """Display name, tags and routing traits (tier, key_account, dedicated_agent) of a customer."""
    from omnicase.customers.change_customer import change_customer as change

    request = app.current_request
    # Tiers and dedicated agents change how every case of theirs routes.
    principal = principal_with_role(request.headers, "supervisor")
    return customer_view(change(principal.tenant.tenant_id, customer_id, request.json_body))


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
    from omnicase.customers.change_customer import merge_customer as merge

    request = app.current_request
    principal = principal_with_role(request.headers, "supervisor")
    source = merge_source(request.json_body)
    return customer_view(merge(principal.tenant.tenant_id, customer_id, source))
