"""The agent API's case actions on moto: PATCH, replies, the audit trail, filters — and their refusals."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from tests.integration.conftest import TOKEN
from tests.integration.test_ingest_email import deliver, mail, sent_mail
from tests.integration.test_routing_at_intake import acme_config  # noqa: F401 - fixture
from tests.integration.webhook_client import call, chat_post


def request(stack, method: str, path: str, body: object = None, token: str = TOKEN, agent: str = "zhang.wei"):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "X-Omnicase-Agent": agent}
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
    response = call(stack.handler("api"), method, path, headers=headers, body=data)
    return response.status_code, response.json_body


@pytest.fixture
def case_id(stack, acme_config):  # noqa: F811
    ((result,), _) = deliver(stack, mail("Refund for order 42", message_id="cust-1@example.com"), "ses-1")
    return result["case_id"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"status": "shelved"}, "status must be one of"),
        ({"priority": "critical"}, "priority must be one of"),
        ({"colour": "red"}, "unknown fields: colour"),
        ({}, "send a JSON object"),
        ({"queue": "nowhere"}, "unknown queue 'nowhere'"),
        ({"assignee": "nobody.here"}, "unknown agent 'nobody.here'"),
        ({"assignee": " "}, "assignee must be a non-empty string"),
        ({"version": "3", "status": "open"}, "version must be"),
    ],
)
def test_a_bad_change_is_a_400_with_the_reason_and_changes_nothing(stack, case_id, body, reason):
    status, answer = request(stack, "PATCH", f"/cases/{case_id}", body)
    assert status == 400 and reason in answer["Message"]
    _, events = request(stack, "GET", f"/cases/{case_id}/events")
    assert [e["kind"] for e in events["events"]] == ["routed", "deadline_set"]


def test_a_change_against_an_old_version_is_a_409_and_the_current_one_applies(stack, case_id):
    _, read = request(stack, "GET", f"/cases/{case_id}")
    version = read["case"]["version"]
    status, changed = request(stack, "PATCH", f"/cases/{case_id}", {"assignee": "zhang.wei", "version": version})
    assert status == 200 and changed["case"]["assignee"] == "zhang.wei"

    status, conflict = request(stack, "PATCH", f"/cases/{case_id}", {"priority": "high", "version": version})

    assert status == 409 and f"version {version + 1}" in conflict["Message"]
    _, now = request(stack, "GET", f"/cases/{case_id}")
    assert now["case"]["priority"] == "normal"


def test_assignment_status_and_priority_changes_are_in_the_audit_trail_with_their_actor(stack, case_id):
    request(stack, "PATCH", f"/cases/{case_id}", {"assignee": "zhang.wei", "queue": "general"}, agent="wang.fang")
    request(stack, "PATCH", f"/cases/{case_id}", {"status": "on_hold", "reason": "waiting for the warehouse"})
    request(stack, "PATCH", f"/cases/{case_id}", {"priority": "urgent"})

    _, trail = request(stack, "GET", f"/cases/{case_id}/events")

    by_kind = {e["kind"]: e for e in trail["events"]}
    assert by_kind["assigned"]["actor"] == "wang.fang" and by_kind["queue_changed"]["reason"] == "billing → general"
    assert by_kind["status_changed"]["reason"] == "waiting for the warehouse"
    assert by_kind["paused"]["actor"] == "zhang.wei" and by_kind["priority_changed"]["reason"] == "normal → urgent"
    _, listed = request(stack, "GET", "/cases?assignee=zhang.wei&priority=urgent")
    assert [c["case_id"] for c in listed["cases"]] == [case_id]
    assert request(stack, "GET", "/cases?breached=maybe")[0] == 400
    status, refused = request(stack, "PATCH", f"/cases/{case_id}", {"status": "new"})
    assert status == 409 and refused["Code"] == "invalid-transition" and "on_hold → new" in refused["Message"]


def test_a_reply_goes_out_by_email_threaded_and_meets_the_first_response(stack, case_id):
    status, answer = request(stack, "POST", f"/cases/{case_id}/replies", {"body": "退款已处理 / refund done"})

    assert status == 201
    case, message = answer["case"], answer["message"]
    assert case["status"] == "open" and case["service"]["first_response_at"] == message["created_at"]
    (clock,) = [d for d in case["service"]["deadlines"] if d["clock"] == "first_response"]
    assert clock["stopped_at"] is not None and not clock["breached"]
    reply = next(m for m in sent_mail() if "退款已处理" in m.get_content())
    assert reply["In-Reply-To"] == "<cust-1@example.com>" and f"[#{case_id}]" in reply["Subject"]
    assert request(stack, "POST", f"/cases/{case_id}/replies", {"body": "   "})[0] == 400


def test_another_tenants_case_and_its_events_are_not_found(stack, case_id):
    assert request(stack, "GET", f"/cases/{case_id}/events", token="globex-token")[0] == 404
    assert request(stack, "PATCH", f"/cases/{case_id}", {"status": "open"}, token="globex-token")[0] == 404
    assert request(stack, "POST", f"/cases/{case_id}/replies", {"body": "hi"}, token="globex-token")[0] == 404


def test_notes_claims_and_tags_work_a_case(stack, case_id):
    status, noted = request(stack, "POST", f"/cases/{case_id}/notes", {"body": "客户是老用户，优先处理"})
    assert status == 201 and noted["message"]["direction"] == "note" and noted["message"]["delivery_status"] is None
    assert request(stack, "POST", f"/cases/{case_id}/claim", agent="zhang.wei")[1]["case"]["assignee"] == "zhang.wei"
    status, refused = request(stack, "POST", f"/cases/{case_id}/claim", agent="liu.yang")
    assert status == 409 and refused["Code"] == "already-assigned"
    tagged = request(stack, "PATCH", f"/cases/{case_id}", {"tags": ["Refund", "key-complaint"]})[1]["case"]
    assert tagged["tags"] == ["refund", "key-complaint"]
    assert not [m for m in sent_mail() if "老用户" in m.get_content()]  # a note never leaves


def test_a_merged_case_is_closed_and_points_to_the_one_it_joined(stack, case_id):
    ((second,), _) = deliver(stack, mail("Refund again", message_id="cust-2@example.com"), "ses-2")
    status, merged = request(stack, "POST", f"/cases/{case_id}/links", {"case_id": second["case_id"], "kind": "merge"})
    assert status == 200 and merged["case"]["service"]["links"] == [f"merged-from:{second['case_id']}"]
    _, other = request(stack, "GET", f"/cases/{second['case_id']}")
    assert other["case"]["status"] == "closed" and other["case"]["service"]["merged_into"] == case_id
    status, _ = request(stack, "POST", f"/cases/{case_id}/links", {"case_id": second["case_id"], "kind": "merge"})
    assert status == 409
    assert request(stack, "POST", f"/cases/{case_id}/links", {"case_id": case_id})[0] == 400


def test_a_case_shows_the_customers_other_open_cases(stack, case_id):
    ((second,), _) = deliver(stack, mail("Printer too", message_id="cust-3@example.com"), "ses-3")
    _, read = request(stack, "GET", f"/cases/{second['case_id']}")
    customer = read["customer"]
    assert customer["identities"] == ["email:ann@example.com"]
    assert [c["case_id"] for c in customer["other_open_cases"]] == [case_id]


def test_a_tier_set_on_the_profile_routes_the_customers_next_case(stack, case_id):
    _, read = request(stack, "GET", f"/cases/{case_id}")
    customer_id = read["case"]["customer_id"]
    status, profile = request(stack, "PATCH", f"/customers/{customer_id}", {"tier": "vip", "tags": ["Reseller"]})
    assert status == 200 and (profile["tier"], profile["tags"]) == ("vip", ["reseller"])
    assert request(stack, "PATCH", f"/customers/{customer_id}", {"key_account": "nobody"})[0] == 400

    ((next_case,), _) = deliver(stack, mail("Hello again", message_id="cust-4@example.com"), "ses-4")

    _, routed = request(stack, "GET", f"/cases/{next_case['case_id']}")
    assert (routed["case"]["queue"], routed["case"]["priority"]) == ("vip", "high")
    assert routed["case"]["service"]["routed_by"] == "green-channel"


def test_a_vip_writing_from_a_new_chat_address_is_a_vip_then_and_afterwards(stack, case_id):
    customer_id = request(stack, "GET", f"/cases/{case_id}")[1]["case"]["customer_id"]
    assert request(stack, "PATCH", f"/customers/{customer_id}", {"tier": "vip"})[0] == 200
    first = {"conversation_id": "conv-ann-9", "message_id": "c1", "user_id": "visitor-ann-9", "text": "还是打不开"}

    # The chat widget knows her address: the message joins her, and routes by her profile's tier
    named = chat_post(stack, {**first, "email": "ann@example.com"}).json_body
    # A later chat from the same visitor names nothing: the chat identity made above carries the tier itself
    again = {**first, "conversation_id": "conv-ann-10", "message_id": "c2", "text": "又坏了"}
    later = chat_post(stack, again).json_body

    for opened in (named, later):
        case = request(stack, "GET", f"/cases/{opened['case_id']}")[1]["case"]
        assert (case["customer_id"], case["queue"], case["priority"]) == (customer_id, "vip", "high")
        assert case["service"]["routed_by"] == "green-channel"


def test_identities_merged_into_a_vip_route_as_the_vip(stack, case_id):
    vip = request(stack, "GET", f"/cases/{case_id}")[1]["case"]["customer_id"]
    assert request(stack, "PATCH", f"/customers/{vip}", {"tier": "vip"})[0] == 200
    ((other,), _) = deliver(stack, mail("Hi", sender="ann.home@example.net", message_id="h1@x"), "ses-h1")
    source = request(stack, "GET", f"/cases/{other['case_id']}")[1]["case"]["customer_id"]
    assert request(stack, "POST", f"/customers/{vip}/merge", {"source_customer_id": source})[0] == 200

    ((again,), _) = deliver(stack, mail("Hi again", sender="ann.home@example.net", message_id="h2@x"), "ses-h2")

    case = request(stack, "GET", f"/cases/{again['case_id']}")[1]["case"]
    assert (case["customer_id"], case["queue"], case["priority"]) == (vip, "vip", "high")


def test_a_fixed_problem_is_announced_once_to_every_linked_customer(stack, case_id):
    ((second,), _) = deliver(
        stack, mail("登录失败", sender="li@example.cn", message_id="cn@x", body="APP 登录报错"), "ses-cn"
    )
    for linked in (case_id, second["case_id"]):
        status, patched = request(stack, "PATCH", f"/cases/{linked}", {"problem_key": "bug-1234"})
        assert status == 200 and patched["case"]["service"]["problem_key"] == "BUG-1234"

    status, answer = request(stack, "POST", "/problems/BUG-1234/fixed", {"note": "Version 2.3.1 fixes it."})
    again = request(stack, "POST", "/problems/BUG-1234/fixed", {"note": "Version 2.3.1 fixes it."})[1]

    assert status == 200 and (answer["cases"], answer["notified"]) == (2, 2) and again["notified"] == 0
    told = [m for m in sent_mail() if "2.3.1" in m.get_content()]
    assert sorted(m["To"] for m in told) == ["ann@example.com", "li@example.cn"]
    chinese = next(m for m in told if m["To"] == "li@example.cn")
    assert "已修复" in chinese.get_content() and f"[#{second['case_id']}]" in chinese["Subject"]
    kinds = [e["kind"] for e in request(stack, "GET", f"/cases/{case_id}/events")[1]["events"]]
    assert kinds.count("problem_fixed") == 1 and "problem_linked" in kinds
    assert request(stack, "POST", "/problems/BUG-9999/fixed", {})[0] == 404


def test_an_agent_putting_a_case_on_pending_tells_the_customer(stack, case_id):
    request(stack, "PATCH", f"/cases/{case_id}", {"status": "pending"})
    notices = [m for m in sent_mail() if "please reply" in m.get_content()]
    assert len(notices) == 1 and notices[0]["In-Reply-To"] == "<cust-1@example.com>"


@pytest.mark.parametrize("insult", ["You are an ＩＤＩＯＴ", "你这个傻 逼", "s.t.u.p.i.d question"])
def test_an_abusive_reply_is_blocked_recorded_and_counted_per_agent(stack, case_id, insult):
    from datetime import UTC, datetime, timedelta

    from omnicase.persistence.interception_store import DynamoInterceptionStore

    status, refused = request(stack, "POST", f"/cases/{case_id}/replies", {"body": insult}, agent="zhang.wei")

    assert status == 422 and refused["Code"] == "blocked-phrase"
    assert not [m for m in sent_mail() if insult in m.get_content()]
    kinds = [e["kind"] for e in request(stack, "GET", f"/cases/{case_id}/events")[1]["events"]]
    assert "responded" not in kinds
    now = datetime.now(UTC)
    counts = DynamoInterceptionStore().count_by_agent("acme", now - timedelta(minutes=5), now + timedelta(minutes=1))
    assert counts == {"zhang.wei": 1}
    assert request(stack, "POST", f"/cases/{case_id}/replies", {"body": "Our class schedule is attached."})[0] == 201


@pytest.mark.parametrize(
    ("body", "phrase", "marked"),
    [
        ("您好，您这个问题太腦殘了，请重启。", "脑残", ["腦殘"]),
        ("Dear Ann, you іdiot, the refund is done.", "idiot", ["іdiot"]),  # Cyrillic і
        ("Please don't be st*pid: press the 𝐑𝐞𝐬𝐞𝐭 button, f4ck.", "stupid", ["st*pid", "f4ck"]),
        ("退款已处理 tmd 别再问了", "他妈的", ["tmd"]),
        ("你真是个傻x逼，还有你，煞筆", "傻逼", ["傻x逼", "煞筆"]),
        ("您 好 他 媽 的 退 款", "他妈的", ["他 媽 的"]),
    ],
)
def test_a_disguised_insult_is_a_422_marking_it_in_the_text_as_written_and_is_on_the_audit_trail(
    stack, case_id, body, phrase, marked
):
    status, refused = request(stack, "POST", f"/cases/{case_id}/replies", {"body": body}, agent="zhang.wei")

    assert status == 422 and refused["Code"] == "blocked-phrase" and refused["phrase"] == phrase
    assert [body[start:end] for start, end in refused["spans"]] == marked  # code points into the body as sent
    (blocked,) = [
        e for e in request(stack, "GET", f"/cases/{case_id}/events")[1]["events"] if e["kind"] == "reply_blocked"
    ]
    assert blocked["actor"] == "zhang.wei" and blocked["detail"]["phrase"] == phrase and phrase in blocked["reason"]
    assert not [m for m in sent_mail() if body in m.get_content()]


def test_an_agent_token_cannot_do_what_takes_a_supervisor(stack, case_id):
    from omnicase.admin import add_agent_token

    agent, _ = add_agent_token("acme", "zhang.wei", "agent")
    supervisor, _ = add_agent_token("acme", "wang.fang", "supervisor")
    customer_id = request(stack, "GET", f"/cases/{case_id}")[1]["case"]["customer_id"]

    status, refused = request(stack, "PATCH", f"/customers/{customer_id}", {"tier": "vip"}, token=agent)
    assert status == 403 and refused["Code"] == "ForbiddenError"
    assert request(stack, "PATCH", f"/customers/{customer_id}", {"tier": "vip"}, token=supervisor)[0] == 200
    assert request(stack, "POST", f"/cases/{case_id}/claim", token=agent)[1]["case"]["assignee"] == "zhang.wei"


def test_a_key_complaint_gets_its_callback_case_when_solved_once(stack, case_id):
    request(stack, "PATCH", f"/cases/{case_id}", {"tags": ["key-complaint"], "assignee": "zhang.wei"})

    status, solved = request(stack, "PATCH", f"/cases/{case_id}", {"status": "solved"})

    assert status == 200
    (link,) = [x for x in solved["case"]["service"]["links"] if x.startswith("callback:")]
    callback = request(stack, "GET", f"/cases/{link.split(':', 1)[1]}")[1]["case"]
    assert (callback["priority"], callback["queue"], callback["assignee"]) == ("high", "callbacks", "zhang.wei")
    assert callback["tags"] == ["callback"] and callback["follow_up_of"] == case_id
    (first,) = [d for d in callback["service"]["deadlines"] if d["clock"] == "first_response"]
    created, due = (datetime.fromisoformat(t) for t in (callback["created_at"], first["due_at"]))
    assert abs((due - created).total_seconds() - 3 * 86400) <= 1  # clocks keep whole seconds
    request(stack, "PATCH", f"/cases/{case_id}", {"status": "open"})
    request(stack, "PATCH", f"/cases/{case_id}", {"status": "solved"})
    _, listed = request(stack, "GET", "/cases?queue=callbacks")
    assert len(listed["cases"]) == 1  # solved again: no second callback
