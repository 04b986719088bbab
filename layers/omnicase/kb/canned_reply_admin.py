"""Canned replies by API: they live in the tenant configuration, so a change is a new configuration version.

A PUT or DELETE reads the stored configuration, changes that one entry of its document, checks the whole document
as `omnicase config apply` does (placeholders included) and stores it conditioned on the version it read — a
concurrent apply or edit answers 409 instead of being lost. A later `config apply` of a YAML file without the entry
replaces it, like any other setting: read it back first (`omnicase config show`) when both are used.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from omnicase.config import parse_config
from omnicase.config.to_document import config_to_document
from omnicase.domain.canned_replies import CannedReply, find_canned_reply
from omnicase.domain.errors import ConcurrentUpdate, NotFound
from omnicase.domain.tenant_config import TenantConfig

_FIELDS = ("title", "texts", "keywords", "set")


class ConfigStore(Protocol):
    def load(self, tenant_id: str, *, cached: bool = True) -> TenantConfig | None: ...
    def save(self, config: TenantConfig, *, expected_version: int | None) -> TenantConfig: ...


class CannedReplyAdmin:
    def __init__(self, store: ConfigStore) -> None:
        self._store = store

    def list(self, tenant_id: str) -> tuple[tuple[CannedReply, ...], int]:
        """The tenant's canned replies and the configuration version they belong to."""
        config = self._current(tenant_id)
        return config.canned_replies, config.version

    def get(self, tenant_id: str, reply_id: str) -> tuple[CannedReply, int]:
        config = self._current(tenant_id)
        try:
            return find_canned_reply(config.canned_replies, reply_id), config.version
        except ValueError:
            raise NotFound(f"no canned reply {reply_id!r}") from None

    def put(self, tenant_id: str, reply_id: str, body: Mapping[str, Any]) -> tuple[CannedReply, int]:
        """Create or replace one canned reply {title, texts, keywords?, set?, version?}."""
        unknown = set(body) - {*_FIELDS, "version"}
        if unknown:
            raise ValueError(f"unknown fields: {', '.join(sorted(unknown))} (known: {', '.join(_FIELDS)}, version)")
        entry = {name: body[name] for name in _FIELDS if name in body}
        saved = self._change(tenant_id, body.get("version"), lambda replies: {**replies, reply_id: entry})
        return find_canned_reply(saved.canned_replies, reply_id), saved.version

    def delete(self, tenant_id: str, reply_id: str, version: int | None = None) -> None:
        def without(replies: dict[str, Any]) -> dict[str, Any]:
            if reply_id not in replies:
                raise NotFound(f"no canned reply {reply_id!r}")
            return {name: entry for name, entry in replies.items() if name != reply_id}

        self._change(tenant_id, version, without)

    def _change(self, tenant_id: str, version: object, change: Any) -> TenantConfig:
        if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
            raise ValueError("version: the configuration version you read (a whole number)")
        current = self._current(tenant_id)
        if version is not None and version != current.version:
            raise ConcurrentUpdate(f"the configuration is at version {current.version}, not {version}: reload")
        document = config_to_document(current)
        replies = change(dict(document.get("canned_replies", {})))
        document["canned_replies"] = replies
        if not replies:
            del document["canned_replies"]
        config = parse_config(tenant_id, document)  # ConfigError (a 400) names every problem
        return self._store.save(config, expected_version=current.version or None)

    def _current(self, tenant_id: str) -> TenantConfig:
        return self._store.load(tenant_id, cached=False) or TenantConfig(tenant_id)


def canned_reply_view(reply: CannedReply, language: str | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": reply.reply_id,
        "title": reply.title,
        "texts": dict(reply.texts),
        "keywords": list(reply.keywords),
        "set": {
            "status": reply.status.value if reply.status else None,
            "priority": reply.priority.value if reply.priority else None,
            "tags": list(reply.tags),
        },
    }
    if language is not None:
        view["text"] = reply.text_for(language)
    return view
