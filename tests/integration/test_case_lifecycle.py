"""A solved case's end on moto, through the handlers: the tenant's `auto_close_after` closes it by its own Step
Functions execution (the check_case_timers task), a reply within `reopen_window` reopens it, a reply after either
opens a linked follow-up case; and a callback case shows the survey comment it calls back about.

Seconds-scale settings keep the waits short (the execution sleeps for real on moto).
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import timedelta

import pytest

from omnicase.domain.tenant_config import Queue, TenantConfig
from tests.integration.test_escalation_flow import api, events, open_chat_case, wait_for
from tests.integration.test_survey_answers import page, post_page, sent_survey, texted_case  # noqa: F401
from tests.integration.webhook_client import case, cases, chat_post

QUICK = TenantConfig(tenant_id="acme", queues={"general": Queue("general")}, auto_close_after=timedelta(seconds=2))


def use(config: TenantConfig) -> TenantConfig:
    from omnicase.wiring import config_store

    config_store().save(config, expected_version=None)
    return config


def write_again(stack, n: int, text: str = "还是不行") -> None:
    """The customer writes again in the conversation of open_chat_case(stack, n)."""
    message = {"conversation_id": f"conv-{n}", "message_id": f"m-{n}-{text}", "user_id": f"visitor-{n}", "text": text}
    assert chat_post(stack, message).status_code == 201


def solve(stack, case_id: str) -> dict:
    response = api(stack, "PATCH", f"/cases/{case_id}", {"status": "solved"})
    assert response.status_code == 200
    return response.json_body["case"]


def kinds(stack, case_id: str) -> list[str]:
    return [e["kind"] for e in events(stack, case_id)]


def closed(seen: list[dict]) -> bool:
    return any(e["kind"] == "status_changed" and e["detail"].get("after") == "closed" for e in seen)


def test_a_silent_solved_case_closes_by_its_timer_and_a_later_reply_opens_a_linked_follow_up(stack):
    # Given a tenant whose solved cases close after 2 s without a reply, and a solved chat case
    use(QUICK)
    case_id = open_chat_case(stack, 41)
    solved = solve(stack, case_id)
    assert solved["service"]["closes_at"] is not None and solved["service"]["next_deadline"] is None

    # When the customer stays silent, the case's own execution closes it
    seen = wait_for(stack, case_id, closed)
    close = next(e for e in seen if e["kind"] == "status_changed" and e["detail"].get("after") == "closed")
    assert close["actor"] == "system" and close["detail"]["auto_close"] is True
    stored = case(stack, case_id)["case"]
    assert stored["status"] == "closed" and stored["service"]["closes_at"] is None

    # And a reply after that opens a new case linked to it, with follow_up_opened on both
    write_again(stack, 41)
    (follow_up,) = [c for c in cases(stack) if c["follow_up_of"] == case_id]
    assert follow_up["status"] in ("new", "open") and case(stack, case_id)["case"]["status"] == "closed"
    assert "follow_up_opened" in kinds(stack, follow_up["case_id"])
    old = next(e for e in events(stack, case_id) if e["kind"] == "follow_up_opened")
    assert old["detail"] == {"follow_up_case_id": follow_up["case_id"]}


def test_a_reply_within_the_window_reopens_the_case_and_the_auto_close_does_not_fire(stack):
    use(replace(QUICK, auto_close_after=timedelta(seconds=3)))
    case_id = open_chat_case(stack, 42)
    solve(stack, case_id)

    write_again(stack, 42)  # at once: well within the 7-day default window
    reopened = case(stack, case_id)["case"]
    assert reopened["status"] == "open" and reopened["service"]["closes_at"] is None

    time.sleep(4)  # past the auto-close the solve had set: the reopen moved the case's timers on
    assert case(stack, case_id)["case"]["status"] == "open"
    assert "reopened" in kinds(stack, case_id) and "follow_up_opened" not in kinds(stack, case_id)
    assert [c["case_id"] for c in cases(stack) if c["follow_up_of"] == case_id] == []


def test_a_reply_after_the_tenants_reopen_window_opens_a_follow_up_though_the_case_is_only_solved(stack):
    use(replace(QUICK, reopen_window=timedelta(seconds=1), auto_close_after=None))
    case_id = open_chat_case(stack, 43)
    solved = solve(stack, case_id)
    assert solved["service"]["closes_at"] is None  # auto-close off: nothing to wake for

    time.sleep(1.5)  # past the 1 s window
    write_again(stack, 43)

    assert case(stack, case_id)["case"]["status"] == "solved"
    (follow_up,) = [c for c in cases(stack) if c["follow_up_of"] == case_id]
    assert "follow_up_opened" in kinds(stack, case_id) and "follow_up_opened" in kinds(stack, follow_up["case_id"])


@pytest.mark.usefixtures("stack")
def test_the_callback_case_shows_the_survey_score_and_comment_and_the_log_does_not(stack, page, caplog):  # noqa: F811
    # Given a texted case whose survey the customer answers with a low score and a comment
    case_id = texted_case(stack, sid="SM" + "4" * 32)
    token = sent_survey(case_id)
    comment = "等了三天没人回复 <b>差评</b>"
    with caplog.at_level(logging.INFO):  # what the Lambdas log (botocore's DEBUG wire dumps are off there)
        assert post_page(page, token, score="1", comment=comment).status_code == 200

    # When the agent opens the callback case
    (callback,) = [c for c in cases(stack) if "callback" in c["tags"]]
    shown = case(stack, callback["case_id"])["case"]

    # Then it shows what the customer said, as written, and the case it is about; the logs never held the comment
    survey = shown["callback_survey"]
    assert (survey["case_id"], survey["score"], survey["comment"]) == (case_id, 1, comment)
    assert survey["answered_at"]
    assert case(stack, case_id)["case"]["callback_survey"] is None  # the original is no callback case
    assert not [r for r in caplog.records if "等了三天" in r.getMessage()]
