"""GET /cases/{case_id}: the case with its survey score and reply window, its messages, and its customer's history;
a callback case also shows the survey answer it calls back about."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from omnicase.api.views import case_view, customer_view, message_view
from omnicase.domain.callback_case import callback_of
from omnicase.domain.errors import NotFound
from omnicase.domain.model import Case, CaseStatus
from omnicase.domain.reply_window import reply_window
from omnicase.persistence.batch_lookups import survey_scores
from omnicase.persistence.case_reader import read_case_thread
from omnicase.persistence.customer_store import read_customer_with_cases
from omnicase.persistence.survey_store import DynamoSurveyStore

CUSTOMER_CASES = 25  # the customer's newest cases the summary looks at
LISTED = 10  # open and past cases shown, each
SUMMARY = ("case_id", "status", "subject", "channel", "priority", "queue", "assignee", "updated_at")
DONE = (CaseStatus.SOLVED, CaseStatus.CLOSED)


def case_detail(tenant_id: str, case_id: str, now: datetime | None = None) -> dict[str, Any]:
    """{"case", "messages", "customer"}: NotFound for unknown ids and other tenants' cases."""
    thread = read_case_thread(tenant_id, case_id)
    window = reply_window(thread.case, now or datetime.now(UTC))
    return {
        "case": {
            **case_view(thread.case),
            "csat": thread.csat,
            "reply_window": None
            if window is None
            else {"open": window.open, "closes_at": window.closes_at.isoformat() if window.closes_at else None},
            "callback_survey": callback_survey(tenant_id, thread.case),
        },
        "messages": [message_view(m) for m in thread.messages],
        "customer": customer_summary(tenant_id, thread.case),
    }


def callback_survey(tenant_id: str, case: Case) -> dict[str, Any] | None:
    """The score and comment of the survey a callback case calls back about, read when shown (one GetItem, callback
    cases only): a comment erased since, or an answer given after a key complaint's callback opened, shows as it is."""
    original = callback_of(case)
    survey = DynamoSurveyStore().get(tenant_id, original) if original else None
    if survey is None or survey.score is None or survey.answered_at is None:
        return None
    return {
        "case_id": survey.case_id,
        "score": survey.score,
        "comment": survey.comment,
        "answered_at": survey.answered_at.isoformat(),
    }


def customer_summary(tenant_id: str, case: Case) -> dict[str, Any] | None:
    """The customer's profile, their other open cases and their past cases with the score they gave: a returning
    customer's history in front of the agent, read in one Query of their newest cases and one BatchGet of scores."""
    if not case.customer_id:
        return None
    try:
        customer, recent = read_customer_with_cases(tenant_id, case.customer_id, CUSTOMER_CASES)
    except NotFound:
        return None
    profile = customer_view(customer)
    others = [c for c in recent if c.case_id != case.case_id]
    still_open = [c for c in others if c.status not in DONE][:LISTED]
    past = [c for c in others if c.status in DONE][:LISTED]
    scores = survey_scores(tenant_id, [c.case_id for c in past])
    return {
        **profile,
        "other_open_cases": [{k: case_view(c)[k] for k in SUMMARY} for c in still_open],
        "past_cases": [
            {
                "case_id": c.case_id,
                "subject": c.subject,
                "channel": c.channel.value,
                "status": c.status.value,
                "solved_at": c.solved_at.isoformat() if c.solved_at else None,
                "csat": scores.get(c.case_id),
            }
            for c in past
        ],
    }
