"""The documented limit of every free-text field, in characters (README, "Hostile input and security").

Customers' text is cut to CUSTOMER_LIMITS with a problem on the message (channels/inbound_text.py): a customer is
never refused for writing too much. Agents' text over AGENT_LIMITS is refused with a 400 naming the field (they
can shorten it). A DynamoDB item holds 400 KB; these keep a case, a message and its events well inside that.
"""

from __future__ import annotations

from omnicase.domain.errors import TooLong

PREVIEW_CHARS = 500

CUSTOMER_LIMITS = {
    "body": 60_000,  # chat refuses more than 20,000 at its edge; a mail's full text stays in S3
    "subject": 998,  # RFC 5322's line length
    "display_name": 200,
    "filename": 255,
    "content_type": 255,
}

AGENT_LIMITS = {
    "body": 20_000,  # a reply or a note
    "reason": 500,  # why a status changed, as the case's events show it
    "tag": 50,
    "tags": 20,  # how many tags a case or customer carries
    "display_name": 200,
    "tier": 200,
    "key_account": 200,
    "assignee": 64,  # agent ids as `omnicase config apply` and `omnicase agents add` accept them
    "dedicated_agent": 64,
    "note": 2_000,  # what a problem's fix announcement adds
}


def check_agent_text(field: str, value: str, limit_name: str | None = None) -> str:
    """`value` when it is within the agent limit of `field` (or of `limit_name`); TooLong (400) otherwise."""
    limit = AGENT_LIMITS[limit_name or field]
    if len(value) > limit:
        raise TooLong(field, len(value), limit)
    return value


def check_agent_tags(tags: list[str] | tuple[str, ...], field: str = "tags") -> None:
    """At most AGENT_LIMITS["tags"] tags of at most AGENT_LIMITS["tag"] characters each; TooLong otherwise."""
    if len(tags) > AGENT_LIMITS["tags"]:
        raise TooLong(field, len(tags), AGENT_LIMITS["tags"], "tags")
    for tag in tags:
        check_agent_text(field, tag, "tag")
