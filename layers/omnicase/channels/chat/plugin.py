"""The web chat channel's plug-in: signed widget messages in, signed callbacks (and polling) out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from omnicase.channels.chat.traits import CHAT
from omnicase.channels.plugin import ChannelDeps, ChannelPlugin

if TYPE_CHECKING:
    from omnicase.channels.chat.intake import ChatIntake
    from omnicase.channels.chat.sender import ChatCallbackSender


def build_intake(deps: ChannelDeps) -> ChatIntake:
    from omnicase.channels.chat.intake import ChatIntake
    from omnicase.persistence.case_reader import conversation_replies

    return ChatIntake(
        deps.message_intake(), deps.tenant_secrets(), read_replies=conversation_replies, guard=deps.replay_guard()
    )


def build_sender(deps: ChannelDeps) -> ChatCallbackSender:
    from omnicase.aws.attachment_files import S3AttachmentFiles
    from omnicase.channels.chat.sender import ChatCallbackSender

    settings = deps.settings()
    files = S3AttachmentFiles(settings.mail_bucket, settings.mail_link_endpoint)  # agents' files as links
    # Loopback callbacks (the local runtime, tests) only outside a real Lambda, where 127.0.0.1 is the runtime API.
    return ChatCallbackSender(deps.tenant_secrets(), allow_loopback=not settings.in_lambda, files=files)


PLUGIN = ChannelPlugin(CHAT, build_sender, build_intake)
