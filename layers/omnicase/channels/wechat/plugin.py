"""The WeChat channel's plug-in: Official Account pushes in, customer-service messages out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from omnicase.channels.plugin import ChannelDeps, ChannelPlugin
from omnicase.channels.wechat.traits import WECHAT

if TYPE_CHECKING:
    from omnicase.channels.wechat.intake import WechatIntake
    from omnicase.channels.wechat.sender import WechatSender


def build_intake(deps: ChannelDeps) -> WechatIntake:
    from omnicase.channels.wechat.intake import WechatIntake

    return WechatIntake(deps.message_intake(), deps.tenant_secrets(), guard=deps.replay_guard())


def build_sender(deps: ChannelDeps) -> WechatSender:
    from omnicase.channels.wechat.sender import WechatSender, http_transport

    return WechatSender(deps.tenant_secrets(), http_transport(deps.settings().wechat_api_base))


PLUGIN = ChannelPlugin(WECHAT, build_sender, build_intake)
