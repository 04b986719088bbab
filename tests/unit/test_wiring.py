"""The composition root: every cached builder is declared (so rebind knows it), and rebind rebuilds every one."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from omnicase import wiring
from omnicase.domain.channel_traits import known_channels

ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_REGION": "us-east-1",
    "TABLE_NAME": "omnicase-wiring-test",
    "ESCALATION_STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:escalation",
    "NOTIFY_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:notify",
    "USER_POOL_ID": "us-east-1_wiring",
    "USER_POOL_CLIENT_ID": "wiring-client",
}


@pytest.fixture
def environment(monkeypatch) -> Iterator[None]:
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    wiring.rebind()
    yield
    monkeypatch.undo()
    wiring.rebind()  # the next test sees its own environment, not this one's


def built(builder: Callable[..., Any]) -> dict[str, Any]:
    """What the builder builds: once for a builder without arguments, once per registered channel otherwise."""
    if not inspect.signature(builder).parameters:
        return {builder.__name__: builder()}
    return {f"{builder.__name__}({name})": builder(name) for name in known_channels()}


def test_every_cached_function_of_the_wiring_is_a_declared_builder():
    # A bare functools.cache would survive rebind with pieces built from the old environment.
    cached = {name for name, value in vars(wiring).items() if callable(getattr(value, "cache_clear", None))}
    declared = {b.__name__ for b in wiring.builders()}

    assert cached == declared
    assert {"chat_intake", "wechat_intake"}.isdisjoint(cached)  # built by channel_intake, so cleared with it


def test_rebind_rebuilds_everything_every_builder_built(environment):
    before = {key: obj for builder in wiring.builders() for key, obj in built(builder).items()}

    wiring.rebind()
    after = {key: obj for builder in wiring.builders() for key, obj in built(builder).items()}

    assert after.keys() == before.keys() and len(before) >= len(wiring.builders())
    kept = [key for key in before if after[key] is before[key]]
    assert kept == []


def test_after_rebind_channel_intakes_hold_the_new_shared_pieces(environment):
    stale_secrets = wiring.tenant_secrets()
    wiring.chat_intake(), wiring.wechat_intake(), wiring.sms_intake()

    wiring.rebind()

    for intake in (wiring.chat_intake(), wiring.wechat_intake(), wiring.sms_intake()):
        assert intake.secrets is wiring.tenant_secrets() is not stale_secrets
        assert intake.intake is wiring.message_intake()


def test_outbound_senders_cover_every_registered_channel_and_nothing_else(environment):
    senders = wiring.outbound_senders()

    assert set(senders) == set(known_channels())
    assert all(senders.get(name) is wiring.channel_sender(name) for name in known_channels())
    assert senders.get("fax") is None
