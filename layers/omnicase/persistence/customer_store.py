"""Customers: read one with its identities, and merge two (identities and cases move, history stays)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pynamodb.transactions import TransactWrite

from omnicase.domain.errors import NotFound, RejectedInput
from omnicase.domain.model import Case, CustomerProfile
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import (
    CaseItem,
    CustomerItem,
    IdentityItem,
    OmnicaseItem,
    transaction_connection,
)
from omnicase.persistence.errors import transaction_errors
from omnicase.persistence.mapping import case_from_item, case_touched

CHUNK = 25  # writes per transaction: a big merge is several transactions, each safe to run again
IDENTITIES_PER_PAGE = 8  # read beside a customer's newest cases: most customers have one to three


def read_customer(tenant_id: str, customer_id: str) -> CustomerProfile:
    """A customer with every identity that points at it."""
    identities, _ = _belongings(tenant_id, customer_id)
    return _profile(_customer(tenant_id, customer_id), identities)


def read_customer_with_cases(tenant_id: str, customer_id: str, newest: int) -> tuple[CustomerProfile, list[Case]]:
    """A customer with every identity, and their `newest` cases newest first (the case view's customer summary).

    The customer's gsi2 partition read backwards holds the cases newest first, then the identities (their sort keys,
    "!IDENT#…", sort before every case): one Query for a customer with up to `newest` cases, and one more, of the
    identities only, for a customer with more; never a read of every case they ever opened."""
    item = _customer(tenant_id, customer_id)
    index_pk = keys.customer_cases_pk(tenant_id, customer_id)
    cases: list[Case] = []
    identities: list[IdentityItem] = []
    for found in OmnicaseItem.gsi2.query(index_pk, scan_index_forward=False, page_size=newest + IDENTITIES_PER_PAGE):
        if found.tenant_id != tenant_id:
            continue
        if isinstance(found, CaseItem):
            if len(cases) == newest:  # more cases behind: the identities are read on their own
                query = OmnicaseItem.gsi2.query(index_pk, range_key_condition=OmnicaseItem.gsi2sk < "0")
                identities = [i for i in query if isinstance(i, IdentityItem) and i.tenant_id == tenant_id]
                break
            cases.append(case_from_item(found))
        elif isinstance(found, IdentityItem):
            identities.append(found)
    return _profile(item, identities), cases


def _profile(item: CustomerItem, identities: list[IdentityItem]) -> CustomerProfile:
    names = sorted(i.pk.split("#IDENT#", 1)[1].replace("#", ":", 1) for i in identities)
    return CustomerProfile(
        item.customer_id,
        item.display_name,
        names,
        item.merged_into,
        tier=item.tier,
        tags=tuple(item.tags or ()),
        key_account=item.key_account,
        dedicated_agent=item.dedicated_agent,
    )


TRAITS = ("tier", "key_account", "dedicated_agent")  # copied onto every identity: intake routes by them


def update_customer(tenant_id: str, customer_id: str, changes: dict[str, object]) -> CustomerProfile:
    """Change display name, tags and routing traits; the traits reach every identity of the customer too."""
    item = _customer(tenant_id, customer_id)
    if item.merged_into:
        raise RejectedInput("malformed", f"{customer_id} was merged into {item.merged_into}; change that one")
    customer_actions = [_set(getattr(CustomerItem, name), value) for name, value in changes.items()]
    trait_actions = [_set(getattr(IdentityItem, n), v) for n, v in changes.items() if n in TRAITS]
    identities, _ = _belongings(tenant_id, customer_id)
    connection = transaction_connection()
    writes = [(i, trait_actions, IdentityItem.customer_id == customer_id) for i in identities if trait_actions]
    for start in range(0, len(writes), CHUNK):  # each chunk is safe to run again
        with transaction_errors(set()), TransactWrite(connection=connection) as tx:
            for identity, actions, condition in writes[start : start + CHUNK]:
                tx.update(identity, actions=actions, condition=condition)
    item.update(actions=customer_actions)
    return read_customer(tenant_id, customer_id)


def _set(attribute: Any, value: object) -> Any:
    return attribute.remove() if value is None or value == [] else attribute.set(value)


def merge_customers(tenant_id: str, target_id: str, source_id: str) -> CustomerProfile:
    """Move every identity and case of `source` to `target`; `source` remains, marked merged."""
    if target_id == source_id:
        raise RejectedInput("malformed", "a customer cannot be merged into itself")
    target, source = _customer(tenant_id, target_id), _customer(tenant_id, source_id)
    if target.merged_into:
        raise RejectedInput("malformed", f"{target_id} was merged into {target.merged_into}; merge into that one")
    identities, cases = _belongings(tenant_id, source_id)
    new_home = keys.customer_cases_pk(tenant_id, target_id)
    now = datetime.now(UTC)
    # Moved identities take the target's routing traits: intake routes by what the sender's identity carries.
    traits = [_set(getattr(IdentityItem, name), getattr(target, name)) for name in TRAITS]
    moves = [
        (
            i,
            [IdentityItem.customer_id.set(target_id), IdentityItem.gsi2pk.set(new_home), *traits],
            IdentityItem.customer_id == source_id,
        )
        for i in identities
    ] + [
        # A moved case changed (its customer): the console's changes feed must carry it.
        (
            c,
            [
                CaseItem.customer_id.set(target_id),
                CaseItem.gsi2pk.set(new_home),
                *case_touched(tenant_id, c.case_id, now),
            ],
            None,
        )
        for c in cases
    ]
    connection = transaction_connection()
    for start in range(0, len(moves), CHUNK):
        with transaction_errors(set()), TransactWrite(connection=connection) as tx:
            for item, actions, condition in moves[start : start + CHUNK]:
                tx.update(item, actions=actions, condition=condition)  # cases: their version is the condition
    if source.display_name and not target.display_name:
        target.update(actions=[CustomerItem.display_name.set(source.display_name)])
    # The source keeps no personal data of its own: what it knew moved to the target, so erasing the target
    # (the right to be forgotten) leaves nothing of the person behind on the source.
    source.update(
        actions=[
            CustomerItem.merged_into.set(target_id),
            CustomerItem.identities.set([]),
            CustomerItem.display_name.remove(),
        ]
    )
    return read_customer(tenant_id, target_id)


def _customer(tenant_id: str, customer_id: str) -> CustomerItem:
    try:
        return CustomerItem.get(keys.customer_pk(tenant_id, customer_id), keys.SINGLETON_SK)
    except CustomerItem.DoesNotExist as error:
        raise NotFound(f"customer {customer_id}") from error


def _belongings(tenant_id: str, customer_id: str) -> tuple[list[IdentityItem], list[CaseItem]]:
    items = list(OmnicaseItem.gsi2.query(keys.customer_cases_pk(tenant_id, customer_id)))
    identities = [i for i in items if isinstance(i, IdentityItem) and i.tenant_id == tenant_id]
    return identities, [c for c in items if isinstance(c, CaseItem) and c.tenant_id == tenant_id]
