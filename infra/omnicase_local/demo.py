"""`omnicase local --demo`: play the sample traffic of events/<channel>/ and tell what became of each message.

The story, one block per sample: who wrote on which channel and what (as omnicase stored it), the case it opened
or joined (queue, priority, next SLA deadline) and the acknowledgement the customer got. Everything is read back
through the public API and the runtime's outbox, as a newcomer would check it by hand.
"""

from __future__ import annotations

import json
import smtplib
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes
from email.policy import default as default_policy
from email.utils import getaddresses, parseaddr
from pathlib import Path
from typing import Any

EXCERPT = 70  # characters of a message or acknowledgement shown in the story


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
class Sent:
    """One sample as it was sent: its channel and who it is from."""

    channel: str
    sender: str


@dataclass(frozen=True)
class ChannelPlayer:
    """Sends one channel's sample files (matching `pattern`) to the stack."""

    pattern: str
    play: Callable[[DemoTarget, Path], Sent]


@dataclass(frozen=True)
class DemoSummary:
    """What the demo played and what came of it."""

    messages: int
    cases: int
    acknowledgements: int


def play_email(target: DemoTarget, path: Path) -> Sent:
    """Send one .eml over SMTP, envelope recipients from its To/Cc."""
    raw = path.read_bytes()
    headers = message_from_bytes(raw, policy=default_policy)
    recipients = [addr for _, addr in getaddresses(headers.get_all("To", []) + headers.get_all("Cc", [])) if addr]
    name, address = parseaddr(str(headers.get("From", "")))
    sender = address.strip('"') or "demo@example.com"
    with smtplib.SMTP(target.smtp_host, target.smtp_port, timeout=30) as smtp:
        smtp.sendmail(sender, recipients, raw)
    return Sent("email", f"{name} <{sender}>" if name else sender)


def _webhook(play: Callable[[str, Path], str]) -> Callable[[DemoTarget, Path], Sent]:
    def send(target: DemoTarget, path: Path) -> Sent:
        return Sent(path.parent.name, play(target.http_url, path))

    return send


def _players() -> dict[str, ChannelPlayer]:
    from omnicase_local.demo_webhooks import play_chat, play_twilio_sms, play_wechat

    return {
        "email": ChannelPlayer("*.eml", play_email),
        "sms": ChannelPlayer("*.form", _webhook(play_twilio_sms)),
        "chat": ChannelPlayer("*.json", _webhook(play_chat)),
        "wechat": ChannelPlayer("*.xml", _webhook(play_wechat)),
    }


def _message_counts(target: DemoTarget) -> dict[str, int]:
    return {c["case_id"]: int(c.get("message_count") or 0) for c in target.get("/cases?limit=100")["cases"]}


def _changed_case(target: DemoTarget, before: dict[str, int], timeout: float = 5.0) -> str | None:
    """The case the message just sent opened or joined: new, or with more messages than before."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for case_id, count in _message_counts(target).items():
            if count > before.get(case_id, 0):
                return case_id
        time.sleep(0.1)
    return None


def _excerpt(text: str | None) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1] + "…"


def _deadline(iso: str | None) -> str:
    if not iso:
        return "no SLA deadline"
    return "next SLA deadline " + datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M %Z").strip()


def _tell_case(target: DemoTarget, case_id: str, is_new: bool, out: Callable[[str], None]) -> dict[str, Any]:
    detail = target.get(f"/cases/{case_id}")
    case = detail["case"]
    inbound = [m for m in detail["messages"] if m["direction"] == "inbound"]
    if inbound:
        out(f'     "{_excerpt(inbound[-1].get("body_text") or inbound[-1].get("preview"))}"')
    if is_new:
        where = f"queue {case['queue']}, priority {case['priority']}, {_deadline(case['service']['next_deadline'])}"
        out(f"     -> new case {case_id}: {where}")
    else:
        out(f"     -> joined case {case_id} (now {case['message_count']} messages)")
    return case


def _answers(case: dict[str, Any], entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The outbox entries that went to this case's customer (a WeChat send names no case: its recipient does)."""
    case_id, address = case["case_id"], case.get("contact_address")
    return [e for e in entries if e.get("case_id") == case_id or (not e.get("case_id") and address in e["to"])]


def _tell_acknowledgements(entries: list[dict[str, Any]], out: Callable[[str], None]) -> None:
    if not entries:
        out("     -> no acknowledgement sent")
    for entry in entries:
        what = entry["subject"] if entry.get("subject") else entry["body_text"]
        out(f'     -> acknowledgement by {entry["channel"]} to {", ".join(entry["to"])}: "{_excerpt(what)}"')


def run_demo(target: DemoTarget, events_dir: Path, out: Callable[[str], None] = print) -> DemoSummary:
    """Play every channel's samples in name order and tell, for each, the case it made and the acknowledgement."""
    players = _players()
    samples = [
        (player, path)
        for channel, player in players.items()
        for path in sorted((events_dir / channel).glob(player.pattern))
    ]
    out(f"demo: {len(samples)} sample messages from {events_dir} ({', '.join(players)})")
    cases, acknowledged = set(), 0
    for number, (player, path) in enumerate(samples, start=1):
        # Reading the outbox waits for the stream consumers: the last message's acknowledgement is in by now.
        seen = len(target.get("/_local/outbox"))
        before = _message_counts(target)
        sent = player.play(target, path)
        out(f"{number:2d}. {sent.channel} from {sent.sender} ({path.name})")
        case_id = _changed_case(target, before)
        if case_id is None:
            out("     -> no case: quarantined or dropped (see the runtime log)")
            continue
        case = _tell_case(target, case_id, case_id not in before, out)
        cases.add(case_id)
        answers = _answers(case, target.get("/_local/outbox")[seen:])
        _tell_acknowledgements(answers, out)
        acknowledged += len(answers)
    summary = DemoSummary(len(samples), len(cases), acknowledged)
    out(
        f"demo done: {summary.messages} messages -> {summary.cases} cases, "
        f"{summary.acknowledgements} acknowledgements sent"
    )
    return summary
