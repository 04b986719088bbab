"""Threading: which existing case an inbound message belongs to, if any, by the channel's threading mode.

Mail threads by headers, then case tokens (email); conversations by their id (chat); the others by the sender's
current case (SMS, WeChat).

A late reply to a closed (or long-solved) case goes to the follow-up that case names (`followed_up_by`) while that one
takes replies; only else does it open a new follow-up, and every case it came through then names the new one.

While a callback case is open, the customer's identities point at it (its opening moved them, callback_case.py): on
sender channels that pointer is the thread; a chat lands on it, and so does a mail whose headers name the case it
calls back about (a reply to the survey). Read with the candidates: no further read per message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from omnicase.domain.callback_case import callback_of, is_open_callback
from omnicase.domain.case_lifecycle import reopens
from omnicase.domain.channel_traits import Threading, traits_of
from omnicase.domain.inbound import InboundMessage
from omnicase.domain.intake_plan import IntakeSnapshot
from omnicase.domain.model import Case

MAX_REFERENCES = 20  # the newest References are enough to find the thread; bounds the batch read
MAX_AWAITED = 5  # forward references kept per reply: In-Reply-To and the newest References
# Every late reply moves the pointer of each case it came through to the newest follow-up, so chains stay one hop;
# longer ones only arise from replies to a follow-up's own thread. Bounds the reads (and the transaction's writes).
MAX_FOLLOW_UP_HOPS = 3


@dataclass(frozen=True)
class ThreadDecision:
    case: Case | None  # the case to add to; None → open a new case
    follow_up_of: Case | None = None  # a closed (or long-solved) case the new one continues
    # The cases (as read) that will name the new follow-up as theirs: the one threading found, and its old
    # follow-up when the new case continues that one. Written on condition they still name what was read.
    followed_up: tuple[Case, ...] = ()


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
        # A message that names its case goes there first (a call's transcript: the case its call is on).
        return tuple(dict.fromkeys([*message.hints.case_tokens, *([thread] if thread else [])]))
    refs, awaited = snapshot.email_refs, snapshot.awaited

    def case_of(email_id: str) -> str | None:  # a stored mail's case, or the case of a reply waiting for it
        return refs[email_id].case_id if email_id in refs else awaited.get(email_id)

    by_headers = [case for case in map(case_of, referenced_email_ids(message)) if case]
    by_bounce = [refs[i].case_id for i in message.bounced_message_ids if i in refs]
    # A reply that arrived first named this mail: it joins the reply's case, as in-order delivery would have had it.
    own = message.hints.email_message_id
    by_reply = [awaited[own]] if own and own in awaited else []
    return tuple(dict.fromkeys([*by_bounce, *by_headers, *by_reply, *message.hints.case_tokens]))


def follow_up_to_read(message: InboundMessage, snapshot: IntakeSnapshot) -> tuple[str, ...]:
    """The next follow-up to read behind the case threading finds (late replies only: one read per hop)."""
    case = next((snapshot.cases[c] for c in candidate_case_ids(message, snapshot) if c in snapshot.cases), None)
    if case is None:
        return ()
    chain = _follow_up_chain(case, snapshot)
    wanted = chain[-1].followed_up_by
    if not wanted or len(chain) > MAX_FOLLOW_UP_HOPS or any(c.case_id == wanted for c in chain):
        return ()
    return (wanted,)


def sender_callback_id(message: InboundMessage, snapshot: IntakeSnapshot) -> str | None:
    """The case the sender's identity points at, on a channel not threaded by the sender: an open callback's."""
    if traits_of(message.channel).threading == Threading.SENDER or snapshot.sender is None:
        return None  # there the pointer is a candidate already
    return snapshot.sender.thread_case_id


def cases_to_read(message: InboundMessage, snapshot: IntakeSnapshot) -> tuple[str, ...]:
    """The candidates and the sender's callback pointer: every case threading may choose."""
    callback = sender_callback_id(message, snapshot)
    return tuple(dict.fromkeys([*candidate_case_ids(message, snapshot), *([callback] if callback else [])]))


def awaited_references(message: InboundMessage, snapshot: IntakeSnapshot) -> tuple[str, ...]:
    """The Message-IDs this mail answers that are not stored yet (their mail is still on its way)."""
    if traits_of(message.channel).threading != Threading.MAIL or message.is_bounce:
        return ()
    known = snapshot.email_refs.keys() | snapshot.awaited.keys()
    return tuple(i for i in referenced_email_ids(message) if i not in known)[:MAX_AWAITED]


def choose_thread(
    message: InboundMessage, snapshot: IntakeSnapshot, *, now: datetime, reopen_window: timedelta
) -> ThreadDecision:
    """The first candidate case that exists; a closed or long-solved one is continued by a new case."""
    if message.new_case:
        return ThreadDecision(None)  # a case an agent opens on purpose
    callback = snapshot.cases.get(sender_callback_id(message, snapshot) or "")
    callback = callback if callback is not None and is_open_callback(callback) else None
    if callback is not None and traits_of(message.channel).threading == Threading.CONVERSATION:
        return ThreadDecision(callback)  # a chat while we are to call them back
    for case_id in candidate_case_ids(message, snapshot):
        case = snapshot.cases.get(case_id)
        if case is None:
            continue  # a token for a case this tenant does not have: never guess
        if callback is not None and callback_of(callback) == case.case_id:
            case = callback  # a mail answering the case we call back about (its survey, say)
        if message.is_bounce or message.kind != "human" or message.keyword:
            return ThreadDecision(case)  # machine mail and keywords are filed, never reopen or spawn a case
        if not reopens(case, now, reopen_window):
            return _late_reply(case, snapshot, now, reopen_window)
        return ThreadDecision(case)
    return ThreadDecision(None)


def _late_reply(case: Case, snapshot: IntakeSnapshot, now: datetime, reopen_window: timedelta) -> ThreadDecision:
    """Join the latest follow-up while it takes replies; else open a new one continuing it."""
    chain = _follow_up_chain(case, snapshot)
    latest = chain[-1]
    if latest is not case and reopens(latest, now, reopen_window):
        return ThreadDecision(latest)
    return ThreadDecision(None, follow_up_of=latest, followed_up=tuple(chain))


def _follow_up_chain(case: Case, snapshot: IntakeSnapshot) -> list[Case]:
    """The case, its follow-up, that one's follow-up, … as far as they are read (at most MAX_FOLLOW_UP_HOPS)."""
    chain = [case]
    while len(chain) <= MAX_FOLLOW_UP_HOPS and (next_id := chain[-1].followed_up_by) in snapshot.cases:
        if any(c.case_id == next_id for c in chain):
            break  # never loops, even on a hand-edited table
        chain.append(snapshot.cases[next_id])
    return chain
