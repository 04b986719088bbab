"""The phone channel's plug-in: Amazon Connect contact events and Contact Lens transcripts in, texts out by SMS."""

from __future__ import annotations

from typing import TYPE_CHECKING

from omnicase.channels.phone.traits import PHONE
from omnicase.channels.plugin import ChannelDeps, ChannelPlugin

if TYPE_CHECKING:
    from omnicase.channels.phone.intake import PhoneIntake
    from omnicase.channels.phone.sender import PhoneTextSender


def build_intake(deps: ChannelDeps) -> PhoneIntake:
    from omnicase.aws.connect_analysis import ConnectAnalysisFiles
    from omnicase.aws.connect_contacts import ConnectContacts
    from omnicase.channels.phone.intake import PhoneIntake
    from omnicase.persistence.stored_calls import DynamoStoredCalls
    from omnicase.settings import get_settings

    transcripts = get_settings().connect_transcripts
    return PhoneIntake(
        deps.message_intake(), ConnectContacts(), ConnectAnalysisFiles(), DynamoStoredCalls(), transcripts
    )


def build_sender(deps: ChannelDeps) -> PhoneTextSender:
    from omnicase.channels.phone.sender import PhoneTextSender
    from omnicase.channels.sms.plugin import PLUGIN as SMS

    sms = SMS.build_sender(deps)  # whichever provider owns the tenant's number (the SMS channel decides)
    return PhoneTextSender(lambda: sms)


PLUGIN = ChannelPlugin(PHONE, build_sender, build_intake)
