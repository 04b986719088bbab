"""Tenant configurations in the single table: one item per tenant, replaced whole by each apply, read cached."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from pynamodb.exceptions import PutError

from omnicase.config import config_to_document, parse_config
from omnicase.domain.errors import ConcurrentUpdate
from omnicase.domain.tenant_config import TenantConfig
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import TenantConfigItem

CACHE_SECONDS = 30.0  # short: an apply should reach warm Lambdas within a minute, without a read per message


class ConfigVersionConflict(ConcurrentUpdate):
    """The stored configuration is not the version the apply started from: someone else applied in between."""

    def __init__(self, tenant_id: str, expected: int | None, actual: int | None) -> None:
        stored = f"version {actual}" if actual else "no configuration"
        wanted = f"version {expected}" if expected else "no configuration yet"
        super().__init__(
            f"tenant {tenant_id}: expected {wanted} but {stored} is stored (applied concurrently?); "
            "nothing was changed, apply again"
        )
        self.tenant_id = tenant_id
        self.expected = expected
        self.actual = actual


class ConfigStore:
    """Load and save TenantConfig; loads are cached in this process for `cache_seconds`."""

    def __init__(self, cache_seconds: float = CACHE_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._cache: dict[str, tuple[float, TenantConfig | None]] = {}

    def load(self, tenant_id: str, *, cached: bool = True) -> TenantConfig | None:
        """The tenant's configuration (version and applied_at set), or None if none was ever applied."""
        hit = self._cache.get(tenant_id)
        if cached and hit and hit[0] > self._clock():
            return hit[1]
        config = self._read(tenant_id)
        self._remember(tenant_id, config)
        return config

    def save(self, config: TenantConfig, *, expected_version: int | None) -> TenantConfig:
        """Store `config` as the next version, only if the stored version is still `expected_version`
        (None or 0: nothing stored yet); otherwise raise ConfigVersionConflict and change nothing."""
        document = config_to_document(config)
        parse_config(config.tenant_id, document)  # never store what the Lambdas could not load back
        version = (expected_version or 0) + 1
        applied_at = datetime.now(UTC)
        pk, sk = keys.tenant_config_key(config.tenant_id)
        item = TenantConfigItem(
            pk,
            sk,
            tenant_id=config.tenant_id,
            document=json.dumps(document, ensure_ascii=False, separators=(",", ":")),
            version=version,
            applied_at=applied_at,
        )
        condition = (
            TenantConfigItem.pk.does_not_exist()
            if not expected_version
            else TenantConfigItem.version == expected_version
        )
        try:
            item.save(condition=condition)
        except PutError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":
                raise
            current = self._read(config.tenant_id)
            self._remember(config.tenant_id, current)
            raise ConfigVersionConflict(
                config.tenant_id, expected_version, current.version if current else None
            ) from error
        saved = replace(config, version=version, applied_at=applied_at)
        self._remember(config.tenant_id, saved)
        return saved

    def _remember(self, tenant_id: str, config: TenantConfig | None) -> None:
        self._cache[tenant_id] = (self._clock() + self._cache_seconds, config)

    @staticmethod
    def _read(tenant_id: str) -> TenantConfig | None:
        try:
            item = TenantConfigItem.get(*keys.tenant_config_key(tenant_id), consistent_read=True)
        except TenantConfigItem.DoesNotExist:
            return None
        config = parse_config(tenant_id, json.loads(item.document))
        return replace(config, version=int(item.version), applied_at=item.applied_at)
