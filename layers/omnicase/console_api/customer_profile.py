"""GET /customers/{customer_id}: a customer and every identity that is theirs."""

from __future__ import annotations

from typing import Any

from omnicase.api.views import customer_view
from omnicase.persistence.customer_store import read_customer


def customer_profile(tenant_id: str, customer_id: str) -> dict[str, Any]:
    """The customer's JSON; NotFound for unknown ids and other tenants' customers."""
    return customer_view(read_customer(tenant_id, customer_id))
