"""Every delivery accounted for: stored inbound messages, found by provider id or Message-ID, against those sent."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bench.capacity import INDEX_KEYS


@dataclass(frozen=True)
class Accounting:
    """sent = deliveries made; unique = distinct messages among them; stored should equal unique."""

    sent: int
    unique: int
    redeliveries: int
    stored: int
    duplicates: int  # stored more than once (a redelivery that became a message)
    missing: int
    rejected: int  # deliveries an edge did not accept

    @property
    def complete(self) -> bool:
        return self.missing == 0 and self.duplicates == 0 and self.rejected == 0


def stored_key(attrs: dict[str, Any]) -> str | None:
    """The key a stored inbound message answers to: its Message-ID for mail, else the provider's id."""
    if attrs.get("item_type") != "message" or attrs.get("direction") != "inbound":
        return None
    channel = attrs.get("channel")
    if channel == "email":
        return f"email:{attrs['email_message_id']}" if attrs.get("email_message_id") else None
    return f"{channel}:{attrs.get('provider_message_id')}"


def account(sent_keys: Iterable[str], rejected: int, stored_keys: Iterable[str]) -> Accounting:
    """Compare the keys sent (redeliveries repeat a key) with the keys found stored."""
    sent = Counter(sent_keys)
    stored = Counter(k for k in stored_keys if k in sent)
    return Accounting(
        sent=sum(sent.values()),
        unique=len(sent),
        redeliveries=sum(sent.values()) - len(sent),
        stored=sum(stored.values()),
        duplicates=sum(n - 1 for n in stored.values() if n > 1),
        missing=sum(1 for key in sent if key not in stored),
        rejected=rejected,
    )


def table_census(account_id: str, region: str, table: str) -> tuple[list[str], dict[str, dict[str, float]]]:
    """Straight from the in-process moto table (no request made): inbound message keys, and items by type."""
    from moto.dynamodb.models import dynamodb_backends

    keys: list[str] = []
    sizes: dict[str, list[int]] = {}
    copies: Counter[str] = Counter()
    for item in _snapshot(dynamodb_backends[account_id][region].get_table(table)):
        attrs = {name: value.value for name, value in item.attrs.items() if value.type in ("S", "N", "BOOL")}
        kind = str(attrs.get("item_type", "?"))
        sizes.setdefault(kind, []).append(item.size())
        copies[kind] += sum(1 for name in INDEX_KEYS if name in attrs)
        key = stored_key(attrs)
        if key is not None:
            keys.append(key)
    census = {
        kind: {
            "items": len(s),
            "mean_bytes": sum(s) / len(s),
            "max_bytes": max(s),
            "index_copies": copies[kind] / len(s),
        }
        for kind, s in sizes.items()
    }
    return keys, census


def _snapshot(table: Any) -> list[Any]:
    """The table's items, copied under moto's request lock when the runtime installed one (timers keep writing)."""
    for _ in range(10):
        try:
            return list(table.all_items())
        except RuntimeError:  # changed size during iteration: a background write landed; read again
            continue
    return list(table.all_items())
