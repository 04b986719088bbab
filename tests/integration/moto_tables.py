"""A pk/sk table on moto, as the moto-patch tests make them (the stack's own tables come from template.yaml)."""

from __future__ import annotations

from typing import Any

STREAM = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}


def create_pk_sk_table(client: Any, name: str, *, stream: bool = False) -> None:
    """An on-demand table keyed by string `pk` and `sk`; with a stream of new and old images if asked."""
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
        **({"StreamSpecification": STREAM} if stream else {}),
    )
