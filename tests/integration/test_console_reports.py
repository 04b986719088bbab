"""The supervisors' reads on moto: the queue board, the daily SLA report (each day equal to GET /reports/sla over
that day), and who may read them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from omnicase.domain.model import Case
from omnicase_local.streams import drain
from tests.integration.console_fixtures import api_get, api_send, console_config, new_case, people  # noqa: F401
from tests.integration.test_console_inbox import four  # noqa: F401 - fixture
from tests.integration.test_sla_report import backdate, change_stored

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_queue_board_counts_open_unassigned_at_risk_breached_and_each_agents_cases(stack, four, people):  # noqa: F811
    api_send(stack, "PATCH", f"/cases/{four['high']}", {"assignee": "li.na"})
    change_stored(four["low"], lambda case: setattr(case.service, "breached", ("first_response",)))

    status, board = api_get(stack, "/queues", people.wang_fang)

    assert status == 200
    queues = {q["name"]: q for q in board["queues"]}
    general, billing = queues["general"], queues["billing"]
    assert (general["description"], general["supervisor"]) == ("Everything else", "wang.fang")
    counts = ("open", "unassigned", "at_risk", "breached")
    assert {k: general[k] for k in counts} == {"open": 3, "unassigned": 2, "at_risk": 1, "breached": 1}
    assert {k: billing[k] for k in counts} == {"open": 1, "unassigned": 1, "at_risk": 0, "breached": 0}
    assert {a["agent_id"]: a["open"] for a in general["agents"]} == {"li.na": 1, "wang.fang": 0}
    assert general["agents"][0] == {"agent_id": "li.na", "name": "Li Na", "open": 1}
    assert queues["escalations"]["open"] == 0


def _answer(case_id: str, score: int, at: datetime) -> None:
    """A survey answer given at `at`, stored as the answering stores it (the CSAT the reports count)."""
    from omnicase.persistence import keys
    from omnicase.persistence.survey_answers import SurveyAnswerItem

    SurveyAnswerItem(
        keys.survey_answers_pk("acme", keys.shard_of(case_id)),
        keys.survey_answer_sk(at, case_id),
        tenant_id="acme",
        case_id=case_id,
        score=score,
        answered_at=at,
        queue="general",
        channel="email",
    ).save()


def test_each_day_of_the_daily_report_equals_the_report_over_that_day(stack, people):  # noqa: F811
    now = datetime.now(UTC)
    made = [new_case(stack, f"Printer broken {n}", n) for n in range(5)]
    change_stored(made[0], backdate(timedelta(days=1)))
    change_stored(made[1], backdate(timedelta(days=2)))

    def breached_and_escalated(case: Case) -> None:
        case.service.breached, case.service.escalation_level = ("first_response",), 1

    change_stored(made[1], breached_and_escalated)
    api_send(stack, "POST", f"/cases/{made[2]}/replies", {"body": "Looking into it."}, people.li_na)
    for n, (score, days_ago) in enumerate([(5, 0), (2, 0), (4, 1), (1, 2)]):
        _answer(made[n], score, now - timedelta(days=days_ago))
    today = now.astimezone(SHANGHAI).date()
    window = {"from": (today - timedelta(days=3)).isoformat(), "to": (today + timedelta(days=1)).isoformat()}

    drain()  # the report counters have counted every change
    status, daily = api_get(stack, "/reports/sla/daily", people.wang_fang, **window)

    assert status == 200 and (daily["from"], daily["to"], daily["time_zone"]) == (*window.values(), "Asia/Shanghai")
    assert [d["date"] for d in daily["days"]] == [(today - timedelta(days=n)).isoformat() for n in (3, 2, 1, 0)]
    assert sum(d["cases"] for d in daily["days"]) == 5 and sum(d["csat"]["answers"] for d in daily["days"]) == 4
    for day in daily["days"]:
        bounds = {"from": day["date"], "to": (date.fromisoformat(day["date"]) + timedelta(days=1)).isoformat()}
        report = api_get(stack, "/reports/sla", people.wang_fang, **bounds)[1]
        assert day["cases"] == report["cases"]
        for daily_name, name in (
            ("chat_answer_rate", "chat_answer_30s"),
            ("ticket_response_rate", "ticket_first_response_30min"),
            ("callback_rate", "callback_3d"),
        ):
            rate = report[name]
            assert day[daily_name] == {"met": rate["numerator"], "total": rate["denominator"], "rate": rate["rate"]}
        share = report["csat"]["share_4_5"]
        assert day["csat"] == {
            "satisfied": share["numerator"],
            "answers": share["denominator"],
            "rate": share["rate"],
            "distribution": report["csat"]["distribution"],
        }
        assert day["breaches_by_queue"] == report["breaches_by_queue"]
        assert day["escalations_by_queue"] == report["escalations_by_queue"]
    assert daily["days"][-1]["csat"]["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1}
    assert daily["days"][1]["escalations_by_queue"] == {"general": 1}


@pytest.mark.parametrize(
    "window",
    [
        {"from": "2026-12-04", "to": "2026-12-04"},
        {"from": "2026-01-01", "to": "2026-04-04"},  # 93 days: 92 is the most
        {"from": "2026-12-04T00:00:00Z"},
        {"to": "yesterday"},
    ],
)
def test_a_bad_day_window_is_a_400(stack, people, window):  # noqa: F811
    assert api_get(stack, "/reports/sla/daily", people.wang_fang, **window)[0] == 400
    assert api_get(stack, "/quality/interceptions", people.wang_fang, **window)[0] == 400


def test_supervisor_reads_are_refused_to_agents_and_show_only_the_own_tenant(stack, four, people):  # noqa: F811
    from omnicase.admin import add_agent_token

    for path in ("/queues", "/quality/interceptions", "/reports/sla/daily"):
        status, refused = api_get(stack, path, people.li_na)
        assert status == 403 and refused["Code"] == "ForbiddenError"
    globex, _ = add_agent_token("globex", "hans.m", "supervisor")
    assert all(q["open"] == 0 for q in api_get(stack, "/queues", globex)[1]["queues"])
    assert all(d["cases"] == 0 for d in api_get(stack, "/reports/sla/daily", globex)[1]["days"])
    assert api_get(stack, "/quality/interceptions", globex)[1]["interceptions"] == []
