"""The SMS channel's plug-in: Twilio and End User Messaging (SNS) in, SNS out, never to an opted-out number."""

from __future__ import annotations

from typing import TYPE_CHECKING

from omnicase.channels.plugin import ChannelDeps, ChannelPlugin
from omnicase.channels.sms.traits import SMS

if TYPE_CHECKING:
    from omnicase.channels.sms.intake import SmsIntake
    from omnicase.channels.sms.sender import SnsSmsSender


def build_intake(deps: ChannelDeps) -> SmsIntake:
    from omnicase.channels.sms.intake import SmsIntake

    return SmsIntake(deps.message_intake(), deps.tenant_secrets(), deps.settings().public_base_url)


def build_sender(deps: ChannelDeps) -> SnsSmsSender:
    from omnicase.channels.sms.sender import SnsSmsSender
    from omnicase.persistence.consent_store import DynamoConsent

    return SnsSmsSender(DynamoConsent())


PLUGIN = ChannelPlugin(SMS, build_sender, build_intake)
