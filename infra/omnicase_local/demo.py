"""`omnicase local --demo`: play the sample traffic of events/<channel>/ and show what became of it."""

from __future__ import annotations

import json
import smtplib
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email import message_from_bytes
from email.policy import default as default_policy
from email.utils import getaddresses, parseaddr
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class DemoTarget:
    """Where the running local stack listens and how to read its API."""

    http_url: str
    smtp_host: str
    smtp_port: int
    api_token: str

    def get(self, path: str) -> Any:
        """GET a JSON document from the local gateway with the tenant's bearer token."""
        request = urllib.request.Request(self.http_url + path, headers={"Authorization": f"Bearer {self.api_token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())


@dataclass(frozen=True)
class ChannelPlayer:
    """Sends one channel's sample files (matching `pattern`) to the stack."""

    pattern: str
    play: Callable[[DemoTarget, Path], str]


def play_email(target: DemoTarget, path: Path) -> str:
    """Send one .eml over SMTP, envelope recipients from its To/Cc; returns a short description."""
    raw = path.read_bytes()
    headers = message_from_bytes(raw, policy=default_policy)
    recipients = [addr for _, addr in getaddresses(headers.get_all("To", []) + headers.get_all("Cc", [])) if addr]
    sender = parseaddr(str(headers.get("From", "")))[1].strip('"') or "demo@example.com"
    with smtplib.SMTP(target.smtp_host, target.smtp_port, timeout=30) as smtp:
        smtp.sendmail(sender, recipients, raw)
    return f"email {path.name}: {sender} -> {', '.join(recipients)}"


def _webhook(play: Callable[[str, Path], str]) -> Callable[[DemoTarget, Path], str]:
    return lambda target, path: play(target.http_url, path)


def _players() -> dict[str, ChannelPlayer]:
    from omnicase_local.demo_webhooks import play_chat, play_twilio_sms, play_wechat

    return {
        "email": ChannelPlayer("*.eml", play_email),
        "sms": ChannelPlayer("*.form", _webhook(play_twilio_sms)),
        "chat": ChannelPlayer("*.json", _webhook(play_chat)),
        "wechat": ChannelPlayer("*.xml", _webhook(play_wechat)),
    }


def _fingerprint(target: DemoTarget) -> tuple[int, int]:
    cases = target.get("/cases?limit=100")["cases"]
    return len(cases), sum(int(c.get("message_count") or 0) for c in cases)


def _wait_for_change(target: DemoTarget, before: tuple[int, int], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _fingerprint(target) != before:
            return True
        time.sleep(0.1)
    return False


def run_demo(target: DemoTarget, events_dir: Path, out: Callable[[str], None] = print) -> None:
    """Play every channel's samples in name order, waiting for each to show in the API, then print the result."""
    for channel, player in _players().items():
        for path in sorted((events_dir / channel).glob(player.pattern)):
            before = _fingerprint(target)
            description = player.play(target, path)
            seen = _wait_for_change(target, before)
            out(f"demo sent {description}" + ("" if seen else " (no change in the API: quarantined or dropped)"))
    out("demo cases:")
    for case in target.get("/cases?limit=100")["cases"]:
        out(f"  {case['case_id']}  {case['status']:<8} {case.get('message_count', '?'):>2} msg  {case['subject']}")
    outbox = target.get("/_local/outbox")
    out(f"demo outbox: {len(outbox)} message(s)")
    for entry in outbox:
        out(f"  {entry['channel']} -> {', '.join(entry['to'])}: {entry['subject']}")
