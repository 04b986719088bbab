"""The SMS channel's plug-in: Twilio and End User Messaging (SNS) in; out through the number's provider (SNS or
Twilio's Messages API), never to an opted-out number."""

from __future__ import annotations

from typing import TYPE_CHECKING

from omnicase.channels.plugin import ChannelDeps, ChannelPlugin
from omnicase.channels.sms.traits import SMS

if TYPE_CHECKING:
    from omnicase.channels.sms.intake import SmsIntake
    from omnicase.channels.sms.provider_sender import SmsSenderByProvider
    from omnicase.domain.ports import OutboundSender


def build_intake(deps: ChannelDeps) -> SmsIntake:
    from omnicase.channels.sms.intake import SmsIntake

    return SmsIntake(deps.message_intake(), deps.tenant_secrets(), deps.settings().public_base_url)


def build_sender(deps: ChannelDeps) -> SmsSenderByProvider:
    from omnicase.channels.sms.provider_sender import SmsSenderByProvider

    return SmsSenderByProvider({"aws": _sns_sender, "twilio": lambda: _twilio_sender(deps)})


def _sns_sender() -> OutboundSender:
    from omnicase.channels.sms.sender import SnsSmsSender
    from omnicase.persistence.consent_store import DynamoConsent

    return SnsSmsSender(DynamoConsent())


def _twilio_sender(deps: ChannelDeps) -> OutboundSender:
    from omnicase.aws.attachment_files import S3AttachmentFiles
    from omnicase.channels.sms.twilio_api import TwilioMessages
    from omnicase.channels.sms.twilio_sender import TwilioSmsSender
    from omnicase.persistence.consent_store import DynamoConsent

    settings = deps.settings()
    # Status callbacks come back to the API's public URL (a custom domain), else its own execute-api URL.
    base = settings.public_base_url or settings.api_base_url
    files = S3AttachmentFiles(settings.mail_bucket, settings.mail_link_endpoint)  # agents' files as MediaUrl links
    messages = TwilioMessages(settings.twilio_api_base)
    return TwilioSmsSender(DynamoConsent(), deps.tenant_secrets(), messages, base, files)


PLUGIN = ChannelPlugin(SMS, build_sender, build_intake)
