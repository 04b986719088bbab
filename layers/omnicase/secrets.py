"""Per-tenant provider secrets: environment variables locally, Secrets Manager in AWS (cached)."""

from __future__ import annotations

import json
import os
import time
from typing import Any

CACHE_SECONDS = 300


class MissingSecret(LookupError):
    """The secret is configured nowhere."""


class TenantSecrets:
    """`get(tenant_id, name)`: env var NAME (upper-case) when set, else key `name` of secret `<prefix><tenant_id>`."""

    def __init__(self, prefix: str = "omnicase/", client_factory: Any = None) -> None:
        self._prefix = prefix
        self._client_factory = client_factory
        self._cache: dict[str, tuple[float, dict[str, str]]] = {}

    def get(self, tenant_id: str, name: str) -> str:
        local = os.environ.get(name.upper())
        if local:
            return local
        values = self._secret(tenant_id)
        if name not in values:
            raise MissingSecret(f"{name} is not set for tenant {tenant_id} (secret {self._prefix}{tenant_id})")
        return values[name]

    def _secret(self, tenant_id: str) -> dict[str, str]:
        hit = self._cache.get(tenant_id)
        if hit and hit[0] > time.monotonic():
            return hit[1]
        client = self._client_factory() if self._client_factory else _secrets_manager()
        try:
            raw = client.get_secret_value(SecretId=f"{self._prefix}{tenant_id}")["SecretString"]
        except client.exceptions.ResourceNotFoundException as error:
            raise MissingSecret(f"secret {self._prefix}{tenant_id} does not exist") from error
        values = json.loads(raw)
        self._cache[tenant_id] = (time.monotonic() + CACHE_SECONDS, values)
        return values


def _secrets_manager() -> Any:
    from omnicase.aws.clients import client

    return client("secretsmanager")
