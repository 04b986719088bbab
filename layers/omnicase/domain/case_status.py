"""The case status life cycle: which status a case takes when something happens."""

from __future__ import annotations

from omnicase.domain.model import CaseStatus

# Explicit transitions an agent may make (the agent workflow applies these).
ALLOWED_TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.NEW: frozenset({CaseStatus.OPEN, CaseStatus.PENDING, CaseStatus.ON_HOLD, CaseStatus.SOLVED}),
    CaseStatus.OPEN: frozenset({CaseStatus.PENDING, CaseStatus.ON_HOLD, CaseStatus.SOLVED}),
    CaseStatus.PENDING: frozenset({CaseStatus.OPEN, CaseStatus.ON_HOLD, CaseStatus.SOLVED}),
    CaseStatus.ON_HOLD: frozenset({CaseStatus.OPEN, CaseStatus.PENDING, CaseStatus.SOLVED}),
    CaseStatus.SOLVED: frozenset({CaseStatus.OPEN, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
}


def can_transition(current: CaseStatus, target: CaseStatus) -> bool:
    """Whether an agent may move a case from current to target."""
    return target in ALLOWED_TRANSITIONS[current]


def status_after_customer_message(current: CaseStatus) -> CaseStatus:
    """A customer writing again wakes a case that waited on them or was solved (reopen)."""
    if current in (CaseStatus.PENDING, CaseStatus.SOLVED):
        return CaseStatus.OPEN
    return current
