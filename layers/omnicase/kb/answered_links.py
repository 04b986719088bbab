"""The customer's "this answered my question" link: check the signed token, then solve the case as self-served once.

Opening the link (GET) only shows a confirmation — mail scanners prefetch links — and the button (POST) solves.
A forged, changed or expired token, or a case solved already (by this link, another one, a "solved" reply or an
agent), changes nothing and answers a page that says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from omnicase.domain.case_events import CaseEvent, CaseEventLog
from omnicase.domain.case_timers import FINISHED
from omnicase.domain.errors import ConcurrentUpdate
from omnicase.domain.model import Case
from omnicase.domain.ports import TenantConfigs
from omnicase.domain.self_service import solve_self_served
from omnicase.domain.survey_answer import SurveyRefused
from omnicase.domain.survey_token import InvalidSurveyToken, token_tenant
from omnicase.kb.links import AnsweredClaim, read_answered_token

MAX_ATTEMPTS = 3


class CaseStore(Protocol):
    def get(self, tenant_id: str, case_id: str) -> Case | None: ...
    def save(self, case: Case, events: list[CaseEvent]) -> None: ...


@dataclass(frozen=True)
class AnsweredLink:
    claim: AnsweredClaim
    case: Case

    @property
    def language(self) -> str:
        return self.case.service.language or "en"


@dataclass
class AnsweredLinks:
    cases: CaseStore
    configs: TenantConfigs
    secret: Callable[[str], bytes]  # tenant id → its token secret (MissingSecret when it has none)

    def open(self, token: str, now: datetime) -> AnsweredLink:
        """The case the link solves, if it still can; SurveyRefused ("invalid" / "expired" / "used") otherwise."""
        claim = self._claim(token, now)
        case = self.cases.get(claim.tenant_id, claim.case_id)
        if case is None:
            raise SurveyRefused("invalid", "no case for this link")
        if case.service.self_served or case.status in FINISHED:
            raise SurveyRefused("used", f"case {case.case_id} is {case.status.value} already", case.service.language)
        return AnsweredLink(claim, case)

    def confirm(self, token: str, now: datetime) -> AnsweredLink:
        """Solve the case as self-served by the link's article, once; a lost race is read again."""
        for _ in range(MAX_ATTEMPTS):
            link = self.open(token, now)
            case = link.case
            log = CaseEventLog(case.tenant_id, case.case_id, now)
            config = self.configs.config_for(case.tenant_id)
            solve_self_served(case, config, f"article:{link.claim.article_id}", now, log)
            try:
                self.cases.save(case, log.events)
                return link
            except ConcurrentUpdate:
                continue
        raise ConcurrentUpdate("the case kept changing while the link was answered")

    def _claim(self, token: str, now: datetime) -> AnsweredClaim:
        from omnicase.secrets import MissingSecret

        try:
            tenant_id = token_tenant(token)
            return read_answered_token(token, self.secret(tenant_id), now)
        except MissingSecret as missing:
            raise SurveyRefused("invalid", "the tenant has no token secret") from missing
        except InvalidSurveyToken as error:
            raise SurveyRefused("expired" if error.reason == "expired" else "invalid", str(error)) from error
