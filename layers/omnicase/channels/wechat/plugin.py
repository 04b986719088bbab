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
    from omnicase.aws.attachment_files import S3AttachmentFiles
    from omnicase.channels.wechat.sender import WechatSender, http_transport
    from omnicase.persistence.sent_parts_store import DynamoSentParts

    settings = deps.settings()
    files = S3AttachmentFiles(settings.mail_bucket)  # agents' images, uploaded to WeChat as temporary media
    parts = DynamoSentParts()  # a retry after a partial failure sends only what did not get through
    return WechatSender(deps.tenant_secrets(), http_transport(settings.wechat_api_base), files, parts)


PLUGIN = ChannelPlugin(WECHAT, build_sender, build_intake)
