"""A mail's ids and addresses that no key can hold are left out, with a problem, instead of failing the mail.

A webhook answers an over-long id with a 400 (persistence/key_limits.py); a mail cannot be answered, and one
over-long Message-ID would send it round SNS's retries into the dead-letter queue. So a Message-ID or reference over
its key limit does not thread (the mail is still stored once, by SES's id), and a sender address over it opens no
customer; the problem says so on the message.
"""

from __future__ import annotations

from dataclasses import replace

from omnicase.domain.inbound import InboundMessage
from omnicase.persistence.key_limits import fits_key


def keyable_email(inbound: InboundMessage) -> InboundMessage:
    """The mail without the values a table key could not hold; each kind of drop named once in `problems`."""
    problems = list(inbound.problems)

    def ids(values: tuple[str, ...], problem: str) -> tuple[str, ...]:
        kept = tuple(v for v in values if fits_key("email_message_id", v))
        if len(kept) < len(values):
            problems.append(problem)
        return kept

    hints = inbound.hints
    own = ids((hints.email_message_id,) if hints.email_message_id else (), "message-id-too-long")
    sender = inbound.sender_address
    if sender is not None and not fits_key("address", sender):
        sender = None
        problems.append("sender-too-long")
    return replace(
        inbound,
        sender_address=sender,
        hints=replace(
            hints,
            email_message_id=own[0] if own else None,
            in_reply_to=ids(hints.in_reply_to, "reference-too-long"),
            references=ids(hints.references, "reference-too-long"),
        ),
        bounced_message_ids=ids(inbound.bounced_message_ids, "reference-too-long"),
        problems=tuple(dict.fromkeys(problems)),
    )
