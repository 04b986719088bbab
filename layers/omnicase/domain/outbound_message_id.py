"""Our outbound Message-IDs name the case and message they belong to, so replies and bounces need no lookup."""

from __future__ import annotations

from omnicase.domain.intake_plan import StoredMessageRef
from omnicase.domain.model import Direction, Tenant
from omnicase.ids import normalize_case_id

PREFIX = "omc"


def mail_domain(tenant: Tenant) -> str:
    return tenant.ack_from.rpartition("@")[2].lower() or "omnicase.invalid"


def outbound_message_id(case_id: str, message_id: str, tenant: Tenant) -> str:
    """`omc.<case>.<message>@<tenant mail domain>` (bare, lower-case)."""
    return f"{PREFIX}.{case_id}.{message_id}@{mail_domain(tenant)}".lower()


def parse_outbound_message_id(email_message_id: str, tenant: Tenant) -> StoredMessageRef | None:
    """The case and message one of our own Message-IDs names; None for anybody else's."""
    local, _, domain = email_message_id.lower().partition("@")
    parts = local.split(".")
    if domain != mail_domain(tenant) or len(parts) != 3 or parts[0] != PREFIX:
        return None
    case_id = normalize_case_id(parts[1])
    if case_id is None or not parts[2].isalnum():
        return None
    return StoredMessageRef(case_id, parts[2].upper(), Direction.OUTBOUND.value)
