"""Per-tenant provider secrets: secret `<prefix><tenant_id>` of Secrets Manager, a JSON object of named values.

Read through Powertools' parameters utility (SecretsProvider), which keeps each tenant's secret `max_age` seconds.
Environment variables (NAME in upper case) stand in for every tenant's secret only when the caller says so: the local
runtime and tests, which have no Secrets Manager of their own. In AWS an environment variable never applies: one
variable would otherwise sign and verify every tenant's webhooks with the same key.
"""

from __future__ import annotations

import os
from typing import Any

CACHE_SECONDS = 300
NOT_FOUND = "ResourceNotFoundException"


class MissingSecret(LookupError):
    """The secret is configured nowhere."""


class TenantSecrets:
    """`get(tenant_id, name)`: key `name` of the tenant's secret; env var NAME first when `env_overrides` is on."""

    def __init__(
        self,
        prefix: str = "omnicase/",
        *,
        env_overrides: bool = False,
        provider: Any = None,
        max_age: int = CACHE_SECONDS,
    ) -> None:
        self._prefix, self._env_overrides, self._max_age = prefix, env_overrides, max_age
        self._provider = provider  # a SecretsProvider; built on first use (it imports boto3)

    def get(self, tenant_id: str, name: str) -> str:
        if self._env_overrides:
            local = os.environ.get(name.upper())
            if local:
                return local
        values = self._secret(tenant_id)
        if name not in values:
            raise MissingSecret(f"{name} is not set for tenant {tenant_id} (secret {self._prefix}{tenant_id})")
        return str(values[name])

    def _secret(self, tenant_id: str) -> dict[str, Any]:
        from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError

        secret_id = f"{self._prefix}{tenant_id}"
        try:
            values = self._secrets_provider().get(secret_id, max_age=self._max_age, transform="json")
        except GetParameterError as error:
            if NOT_FOUND in str(error):  # Powertools wraps the ClientError, keeping its message
                raise MissingSecret(f"secret {secret_id} does not exist") from error
            raise
        if not isinstance(values, dict):
            raise MissingSecret(f"secret {secret_id} is not a JSON object of named values")
        return values

    def _secrets_provider(self) -> Any:
        if self._provider is None:
            from aws_lambda_powertools.utilities.parameters import SecretsProvider

            from omnicase.aws.clients import client

            self._provider = SecretsProvider(boto3_client=client("secretsmanager"))
        return self._provider
