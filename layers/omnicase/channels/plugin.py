"""A channel as the composition root sees it: its traits, and how its sender and intake are built.

Each channel package exports one ChannelPlugin (`channels/<name>/plugin.py`); `omnicase.channels` lists the built-in
ones and `omnicase.wiring` builds from them. Building imports the channel's heavy modules, so a plug-in module itself
stays cheap to import (its builders import lazily).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from omnicase.domain.channel_traits import ChannelTraits

if TYPE_CHECKING:
    from omnicase.channels.receive_message import MessageIntake
    from omnicase.channels.replay_guard import ReplayGuard
    from omnicase.domain.ports import OutboundSender, TenantConfigs
    from omnicase.domain.self_service import ArticleSuggester
    from omnicase.persistence.tenant_store import DynamoTenantDirectory
    from omnicase.secrets import TenantSecrets
    from omnicase.settings import Settings


@dataclass(frozen=True)
class ChannelDeps:
    """The composition root's shared pieces a channel builds from (each cached there, refreshed by rebind)."""

    settings: Callable[[], Settings]
    tenant_directory: Callable[[], DynamoTenantDirectory]
    tenant_configs: Callable[[], TenantConfigs]
    tenant_secrets: Callable[[], TenantSecrets]
    message_intake: Callable[[], MessageIntake]
    replay_guard: Callable[[], ReplayGuard]
    article_suggester: Callable[[], ArticleSuggester | None] = lambda: None  # articles for acknowledgements


@dataclass(frozen=True)
class ChannelPlugin:
    """A channel: its traits (for the domain), its sender and its intake (the object its edge function calls)."""

    traits: ChannelTraits
    build_sender: Callable[[ChannelDeps], OutboundSender]
    build_intake: Callable[[ChannelDeps], Any]
