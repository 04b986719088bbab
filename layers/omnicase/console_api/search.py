"""GET /search?q=: a case id, a customer identity, or text in the subjects / first lines of the latest cases.

Exact matches come first and cost one BatchGet (the case, and every identity the text could be, normalized the way
intake stores them); only when there is none is text looked for, in the tenant's RECENT newest cases (bounded).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from omnicase.api.views import customer_view
from omnicase.channels.sms.phone_numbers import normalize_phone, region_of
from omnicase.console_api.rows import inbox_rows
from omnicase.domain.channel_traits import AddressKind, known_channels, traits_of
from omnicase.domain.errors import NotFound
from omnicase.domain.first_line import case_first_line
from omnicase.domain.model import Case, Tenant
from omnicase.email.parse_addresses import parse_addresses
from omnicase.ids import normalize_case_id
from omnicase.persistence.batch_lookups import exact_hits
from omnicase.persistence.case_reader import CaseFilters, list_cases
from omnicase.persistence.customer_store import read_customer

MAX_QUERY = 200
RECENT = 500  # how far back text is looked for: a search must cost the same however old the tenant is
CUSTOMER_CASES = 25
MAX_CASES = 50


def search(tenant: Tenant, params: Mapping[str, str]) -> dict[str, Any]:
    """{"cases": [InboxRow], "customers": [Customer]}; a missing or over-long q is a ValueError (400)."""
    text = (params.get("q") or "").strip()
    if not 1 <= len(text) <= MAX_QUERY:
        raise ValueError(f"q must be 1 to {MAX_QUERY} characters")
    hits = exact_hits(tenant.tenant_id, normalize_case_id(text), identity_candidates(text, _home_region(tenant)))
    customers = [c for c in (_customer(tenant.tenant_id, cid) for cid in hits.customer_ids) if c is not None]
    cases = [hits.case] if hits.case else []
    for customer in customers:
        cases += list_cases(
            tenant.tenant_id, CaseFilters(customer_id=customer["customer_id"]), CUSTOMER_CASES, None
        ).cases
    if not cases and not customers:
        cases = text_matches(text, list_cases(tenant.tenant_id, CaseFilters(), RECENT, None).cases)
    unique = list({case.case_id: case for case in cases}.values())[:MAX_CASES]
    return {"cases": inbox_rows(tenant.tenant_id, unique), "customers": customers}


def identity_candidates(text: str, region: str | None) -> list[tuple[str, str]]:
    """Every (channel, address) the text could be, as intake stores it: an email address lower-cased, a phone
    number in E.164 (written with or without its country code), a chat user id or WeChat openid as typed."""
    by_kind: dict[AddressKind, str] = {}
    if "@" in text:
        by_kind.update((AddressKind.EMAIL, address) for _, address in parse_addresses(text, [])[:1])
    phone = normalize_phone(text, region)
    if phone and not phone.startswith("short:"):
        by_kind[AddressKind.PHONE] = phone
    if " " not in text:
        by_kind[AddressKind.OPAQUE] = text
    kinds = {name: traits_of(name).address_kind for name in known_channels()}
    return [(name, by_kind[kind]) for name, kind in kinds.items() if kind in by_kind]


def text_matches(text: str, cases: Iterable[Case]) -> list[Case]:
    """Cases whose subject or first line contains the text: case, width and compatibility forms ignored."""
    needle = _folded(text)
    return [c for c in cases if needle in _folded(c.subject) or needle in _folded(case_first_line(c))]


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _home_region(tenant: Tenant) -> str | None:
    """Where the tenant's SMS number is: numbers typed without a country code are read as that country's."""
    number = next((e.rsplit(":", 1)[1] for e in tenant.endpoints if e.startswith("sms:")), None)  # sms:[twilio:]+1…
    return region_of(number) if number else None


def _customer(tenant_id: str, customer_id: str) -> dict[str, Any] | None:
    try:
        return customer_view(read_customer(tenant_id, customer_id))
    except NotFound:
        return None
