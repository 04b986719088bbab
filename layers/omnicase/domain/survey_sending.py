"""Surveys on the move: scheduled when a case is solved, then each due survey sent, reminded, skipped or expired,
one survey one write, so a run stopped anywhere loses nothing and repeats nothing; AWS stays behind the ports."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from omnicase.domain.channel_traits import traits_of
from omnicase.domain.model import Case, CaseStatus, Message
from omnicase.domain.ports import TenantConfigs, TenantDirectory
from omnicase.domain.survey import Survey, SurveyStatus
from omnicase.domain.survey_schedule import SurveyAction, next_step, plan_survey, survey_message_text
from omnicase.domain.survey_token import issue_token
from omnicase.domain.work_case import threaded_outbound

logger = logging.getLogger(__name__)
DUE_BATCH = 200


class SurveyStore(Protocol):
    def schedule(self, survey: Survey) -> bool: ...
    def get(self, tenant_id: str, case_id: str) -> Survey | None: ...
    def due(self, now: datetime, limit: int) -> list[Survey]: ...
    def opted_out(self, survey: Survey) -> bool: ...
    def last_surveyed_at(self, survey: Survey) -> datetime | None: ...
    def mark_sent(self, survey: Survey, message: Message, now: datetime, per_customer_every: timedelta) -> str: ...
    def mark_reminded(self, survey: Survey, message: Message) -> bool: ...
    def mark_skipped(self, survey: Survey) -> bool: ...
    def mark_expired(self, survey: Survey) -> bool: ...
    def postpone(self, survey: Survey) -> bool: ...


CaseThread = Callable[[str, str], "tuple[Case, list[Message]] | None"]  # tenant, case → the case and its messages


def schedule_survey(case: Case, configs: TenantConfigs, store: SurveyStore, solved_at: datetime) -> Survey | None:
    """The survey a just-solved case gets, stored once (a redelivered change finds it there); None when none."""
    survey = plan_survey(case, configs.config_for(case.tenant_id), solved_at)
    if survey is None or not store.schedule(survey):
        return None
    return survey


@dataclass
class SurveySending:
    store: SurveyStore
    cases: CaseThread
    tenants: TenantDirectory
    configs: TenantConfigs
    secret: Callable[[str], bytes]  # tenant id → its survey token secret
    base_url: str  # where /surveys/<token> is served

    def run(
        self, clock: Callable[[], datetime], keep_going: Callable[[], bool], limit: int = DUE_BATCH
    ) -> Counter[str]:
        """Take the next step of every due survey while `keep_going()`; counts of what happened."""
        outcomes: Counter[str] = Counter()
        due = self.store.due(clock(), limit)
        for done, survey in enumerate(due):
            if not keep_going():
                outcomes["left-for-next-run"] = len(due) - done  # still due: the next run takes them
                break
            outcomes[self.step(survey.tenant_id, survey.case_id, clock())] += 1
        return outcomes

    def step(self, tenant_id: str, case_id: str, now: datetime) -> str:
        """One survey's next step, decided on its current state (the index may lag)."""
        survey = self.store.get(tenant_id, case_id)
        if survey is None:
            return "gone"
        config = self.configs.config_for(tenant_id)
        found = self.cases(tenant_id, case_id)
        zone = found[0].service.customer_time_zone if found else None
        opted_out = traits_of(survey.channel).opt_out and self.store.opted_out(survey)
        scheduled = survey.status == SurveyStatus.SCHEDULED
        last = self.store.last_surveyed_at(survey) if scheduled else None
        action, after = next_step(survey, config, now, opted_out, last, time_zone=zone)
        if action == SurveyAction.SEND and found and found[0].status not in (CaseStatus.SOLVED, CaseStatus.CLOSED):
            # The customer came back: no "how did we do?" mid-conversation; look again a delay after now.
            return self._write(self.store.postpone, replace(survey, due_at=now + config.surveys.delay), "postponed")
        if action in (SurveyAction.SEND, SurveyAction.REMIND):
            tenant = self.tenants.tenant(tenant_id)
            if found is None or tenant is None:
                if action == SurveyAction.REMIND:
                    return self._write(self.store.postpone, replace(after, due_at=after.expires_at), "postponed")
                return self._write(self.store.mark_skipped, _skipped(survey, "no-case"), "skipped:no-case")
            kind = "survey" if action == SurveyAction.SEND else "survey_reminder"
            assert after.expires_at is not None
            token = issue_token(tenant_id, case_id, after.nonce, after.expires_at, self.secret(tenant_id))
            text = survey_message_text(kind, after, token, self.base_url, tenant.name, config.texts)
            case, thread = found
            message = threaded_outbound(case, thread, tenant, tenant.name, text, now, kind=kind)
            if action == SurveyAction.REMIND:
                return "reminded" if self.store.mark_reminded(after, message) else "stale"
            outcome = self.store.mark_sent(after, message, now, config.surveys.per_customer_every)
            if outcome == "customer-cap":
                return self._write(self.store.mark_skipped, _skipped(survey, "customer-cap"), "skipped:customer-cap")
            return outcome
        if action == SurveyAction.SKIP:
            return self._write(self.store.mark_skipped, after, f"skipped:{after.skipped_reason}")
        if action == SurveyAction.EXPIRE:
            return self._write(self.store.mark_expired, after, "expired")
        if action == SurveyAction.POSTPONE:
            return self._write(self.store.postpone, after, "postponed")
        return "not-due"

    @staticmethod
    def _write(write: Callable[[Survey], bool], survey: Survey, outcome: str) -> str:
        return outcome if write(survey) else "stale"


def _skipped(survey: Survey, reason: str) -> Survey:
    return replace(survey, status=SurveyStatus.SKIPPED, skipped_reason=reason, due_at=None)
