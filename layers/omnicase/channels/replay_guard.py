"""Signed requests are used once: a captured signature cannot be replayed inside its freshness window.

A freshness window alone (300 s) leaves a captured request usable for five minutes. Two cases:

* WeChat plaintext mode signs only token, timestamp and nonce — not the body. Whoever sees one push can post any
  body under its signature while the timestamp is fresh. The (timestamp, nonce) is claimed per account together
  with the body's digest: WeChat's own retry of the same push passes (and is stored once by its MsgId), any other
  body under that credential is refused (`replayed`).
* Chat signs timestamp and body, so a replay is the identical request: the (timestamp, signature) is claimed per
  widget and a second use is refused (`replayed`). A sender signs each attempt anew; if taking the message in
  fails, the claim is released so the identical retry is not refused for our failure.

The claim is a conditional put keyed by tenant, channel, endpoint and credential, with a TTL after the window.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from omnicase.domain.errors import RejectedInput

REPLAY_WINDOW_SECONDS = 300  # a signed timestamp further than this from now is stale (both channels)


@dataclass(frozen=True)
class SignedUse:
    """One use of a signed request's credential at one of a tenant's endpoints."""

    tenant_id: str
    channel: str
    endpoint: str  # the WeChat account or chat widget the request addressed
    credential: str  # "<timestamp>:<nonce>" or "<timestamp>:<signature>"
    expires_at: int  # epoch seconds after which the timestamp is stale anyway
    body_digest: str | None = None  # set: the same credential may come again with this very body


class ReplayGuard(Protocol):
    def claim(self, use: SignedUse) -> bool:
        """True on the first use (or the same body again when `body_digest` is set); False for a replay."""
        ...

    def release(self, use: SignedUse) -> None:
        """Forget a claim whose request could not be taken in."""
        ...


def signed_use(
    tenant_id: str, channel: str, endpoint: str, timestamp: str, secret_part: str, body: bytes | None = None
) -> SignedUse:
    """The use of a verified request: its timestamp (Unix seconds, already checked fresh) and nonce or signature."""
    return SignedUse(
        tenant_id=tenant_id,
        channel=channel,
        endpoint=endpoint,
        credential=f"{timestamp}:{secret_part}",
        expires_at=int(timestamp) + REPLAY_WINDOW_SECONDS + 60,
        body_digest=hashlib.sha256(body).hexdigest() if body is not None else None,
    )


@contextmanager
def used_once(guard: ReplayGuard, use: SignedUse) -> Iterator[None]:
    """Claim the credential (`replayed` if it was used); a strict claim is released if the block fails."""
    if not guard.claim(use):
        what = "with another body" if use.body_digest is not None else "already"
        raise RejectedInput("replayed", f"this signed request was used {what}; sign each request anew")
    try:
        yield
    except BaseException:
        if use.body_digest is None:
            guard.release(use)
        raise
