"""Threading: which existing case an inbound message belongs to, if any, by the channel's threading mode.

Mail threads by headers, then case tokens (email); conversations by their id (chat); the others by the sender's
current case (SMS, WeChat).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from omnicase.domain.channel_traits import Threading, traits_of
from omnicase.domain.inbound import InboundMessage
from omnicase.domain.intake_plan import IntakeSnapshot
from omnicase.domain.model import Case, CaseStatus

MAX_REFERENCES = 20  # the newest References are enough to find the thread; bounds the batch read
MAX_AWAITED = 5  # forward references kept per reply: In-Reply-To and the newest References


@dataclass(frozen=True)
class ThreadDecision:
    case: Case | None  # the case to add to; None → open a new case
    follow_up_of: str | None = None  # a closed (or long-solved) case the new one continues


def referenced_email_ids(message: InboundMessage) -> tuple[str, ...]:
    """Message-IDs to look up, most telling first: In-Reply-To, then References newest first."""
    hints = message.hints
    ordered = (*hints.in_reply_to, *reversed(hints.references[-MAX_REFERENCES:]))
    return tuple(dict.fromkeys(i for i in ordered if i))


def candidate_case_ids(message: InboundMessage, snapshot: IntakeSnapshot) -> tuple[str, ...]:
    """Case ids in threading priority for this channel."""
    threading = traits_of(message.channel).threading
    if threading == Threading.CONVERSATION:
        return (snapshot.conversation_case_id,) if snapshot.conversation_case_id else ()
    if threading == Threading.SENDER:
        thread = snapshot.sender.thread_case_id if snapshot.sender else None
        return (thread,) if thread else ()
    refs, awaited = snapshot.email_refs, snapshot.awaited

    def case_of(email_id: str) -> str | None:  # a stored mail's case, or the case of a reply waiting for it
        return refs[email_id].case_id if email_id in refs else awaited.get(email_id)

    by_headers = [case for case in map(case_of, referenced_email_ids(message)) if case]
    by_bounce = [refs[i].case_id for i in message.bounced_message_ids if i in refs]
    # A reply that arrived first named this mail: it joins the reply's case, as in-order delivery would have had it.
    own = message.hints.email_message_id
    by_reply = [awaited[own]] if own and own in awaited else []
    return tuple(dict.fromkeys([*by_bounce, *by_headers, *by_reply, *message.hints.case_tokens]))


def awaited_references(message: InboundMessage, snapshot: IntakeSnapshot) -> tuple[str, ...]:
    """The Message-IDs this mail answers that are not stored yet (their mail is still on its way)."""
    if traits_of(message.channel).threading != Threading.MAIL or message.is_bounce:
        return ()
    known = snapshot.email_refs.keys() | snapshot.awaited.keys()
    return tuple(i for i in referenced_email_ids(message) if i not in known)[:MAX_AWAITED]


def choose_thread(
    message: InboundMessage, snapshot: IntakeSnapshot, *, now: datetime, reopen_window_days: int
) -> ThreadDecision:
    """The first candidate case that exists; a closed or long-solved one is continued by a new case."""
    for case_id in candidate_case_ids(message, snapshot):
        case = snapshot.cases.get(case_id)
        if case is None:
            continue  # a token for a case this tenant does not have: never guess
        if message.is_bounce or message.kind != "human" or message.keyword:
            return ThreadDecision(case)  # machine mail and keywords are filed, never reopen or spawn a case
        if case.status == CaseStatus.CLOSED or _solved_long_ago(case, now, reopen_window_days):
            return ThreadDecision(None, follow_up_of=case.case_id)
        return ThreadDecision(case)
    return ThreadDecision(None)


def _solved_long_ago(case: Case, now: datetime, reopen_window_days: int) -> bool:
    if case.status != CaseStatus.SOLVED or case.solved_at is None:
        return False
    return now - case.solved_at > timedelta(days=reopen_window_days)
