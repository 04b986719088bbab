"""Items read by key in one BatchGet (PynamoDB splits it at 100 keys): the customers of a page of cases, the survey
scores of a customer's past cases, and the exact hits of a search."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from omnicase.domain.model import Case, CustomerProfile
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import CaseItem, CustomerItem, IdentityItem, OmnicaseItem, SurveyItem
from omnicase.persistence.mapping import case_from_item


def customers_by_id(tenant_id: str, customer_ids: Iterable[str]) -> dict[str, CustomerProfile]:
    """The customers' profiles without their identities (those take a query each: read_customer has them)."""
    wanted = [(keys.customer_pk(tenant_id, c), keys.SINGLETON_SK) for c in dict.fromkeys(customer_ids)]
    if not wanted:
        return {}
    return {
        item.customer_id: CustomerProfile(
            item.customer_id,
            item.display_name,
            [],
            item.merged_into,
            tier=item.tier,
            tags=tuple(item.tags or ()),
            key_account=item.key_account,
            dedicated_agent=item.dedicated_agent,
        )
        for item in OmnicaseItem.batch_get(wanted)
        if isinstance(item, CustomerItem) and item.tenant_id == tenant_id
    }


def survey_scores(tenant_id: str, case_ids: Iterable[str]) -> dict[str, int]:
    """The answered surveys' scores of the cases (cases without an answer are left out)."""
    wanted = [(keys.case_pk(tenant_id, c), keys.SURVEY_SK) for c in dict.fromkeys(case_ids)]
    if not wanted:
        return {}
    return {
        item.case_id: int(item.score)
        for item in OmnicaseItem.batch_get(wanted)
        if isinstance(item, SurveyItem) and item.tenant_id == tenant_id and item.score is not None
    }


@dataclass
class ExactHits:
    case: Case | None = None
    customer_ids: list[str] = field(default_factory=list)  # owners of the identities found, in the order asked


def exact_hits(tenant_id: str, case_id: str | None, identities: Iterable[tuple[str, str]]) -> ExactHits:
    """The case with this id and the customers owning these (channel, address) identities: one BatchGet."""
    identity_keys = [
        (keys.identity_pk(tenant_id, channel, address), keys.SINGLETON_SK) for channel, address in identities
    ]
    wanted = identity_keys + ([(keys.case_pk(tenant_id, case_id), keys.CASE_SK)] if case_id else [])
    hits = ExactHits()
    owners: dict[str, str] = {}
    for item in OmnicaseItem.batch_get(list(dict.fromkeys(wanted))) if wanted else ():
        if item.tenant_id != tenant_id:
            continue
        if isinstance(item, CaseItem):
            hits.case = case_from_item(item)
        elif isinstance(item, IdentityItem) and item.customer_id:
            owners[item.pk] = item.customer_id
    hits.customer_ids = list(dict.fromkeys(owners[pk] for pk, _ in identity_keys if pk in owners))
    return hits
