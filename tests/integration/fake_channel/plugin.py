"""The fake channel's plug-in: what `register_channel` takes."""

from __future__ import annotations

from omnicase.channels.plugin import ChannelDeps, ChannelPlugin
from tests.integration.fake_channel.intake import FakeIntake
from tests.integration.fake_channel.sender import FakeSender
from tests.integration.fake_channel.traits import FAKE


def build_intake(deps: ChannelDeps) -> FakeIntake:
    return FakeIntake(deps.message_intake(), deps.tenant_secrets())


def build_sender(deps: ChannelDeps) -> FakeSender:
    return FakeSender()


PLUGIN = ChannelPlugin(FAKE, build_sender, build_intake)
