"""PATCH /customers/{id} and POST /customers/{id}/merge: a customer's profile and routing traits, and merging
another customer into it."""

from __future__ import annotations

from omnicase.api.query import customer_changes
from omnicase.domain.model import CustomerProfile
from omnicase.persistence.customer_store import merge_customers, update_customer
from omnicase.wiring import tenant_configs


def change_customer(tenant_id: str, customer_id: str, body: object) -> CustomerProfile:
    """Apply a PATCH body; key accounts and dedicated agents must be the tenant's (ValueError, a 400, names why)."""
    config = tenant_configs().config_for(tenant_id)
    accounts = {a.account_id for a in config.key_accounts}
    return update_customer(tenant_id, customer_id, customer_changes(body, accounts, set(config.agents)))


def merge_customer(tenant_id: str, target_id: str, source_id: str) -> CustomerProfile:
    """The target, now holding the source's identities and cases."""
    return merge_customers(tenant_id, target_id, source_id)
