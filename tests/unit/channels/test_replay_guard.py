"""A signed request's credential is used once: strictly for chat (released when intake fails), bound to its body for
WeChat plaintext pushes."""

from __future__ import annotations

import pytest

from omnicase.channels.replay_guard import REPLAY_WINDOW_SECONDS, SignedUse, signed_use, used_once
from omnicase.domain.errors import RejectedInput


class FakeGuard:
    """ReplayGuard in memory, with the conditional put's semantics."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str, str, str], str | None] = {}

    def claim(self, use: SignedUse) -> bool:
        key = (use.tenant_id, use.channel, use.endpoint, use.credential)
        if key in self.items and (use.body_digest is None or self.items[key] != use.body_digest):
            return False
        self.items[key] = use.body_digest
        return True

    def release(self, use: SignedUse) -> None:
        self.items.pop((use.tenant_id, use.channel, use.endpoint, use.credential), None)


def test_a_strict_use_is_refused_the_second_time_and_released_when_the_work_fails():
    guard, use = FakeGuard(), signed_use("acme", "chat", "web", "1762070400", "sha256=ab")
    with pytest.raises(ConnectionError), used_once(guard, use):
        raise ConnectionError("the table was throttled")
    with used_once(guard, use):
        pass
    with pytest.raises(RejectedInput) as replayed, used_once(guard, use):
        pass
    assert replayed.value.reason == "replayed"
    assert use.expires_at == 1762070400 + REPLAY_WINDOW_SECONDS + 60


def test_a_body_bound_use_takes_its_own_body_again_and_no_other():
    guard = FakeGuard()
    push = signed_use("acme", "wechat", "gh_acme", "1762070400", "42", b"<xml>real</xml>")
    with used_once(guard, push):
        pass
    with used_once(guard, push):  # WeChat's retry of the same push
        pass
    forged = signed_use("acme", "wechat", "gh_acme", "1762070400", "42", b"<xml>forged</xml>")
    with pytest.raises(RejectedInput, match="another body"), used_once(guard, forged):
        pass
    other_account = signed_use("globex", "wechat", "gh_globex", "1762070400", "42", b"<xml>forged</xml>")
    with used_once(guard, other_account):
        pass
