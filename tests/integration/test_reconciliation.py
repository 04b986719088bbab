"""60 inbound messages over every channel — some redelivered, some meeting transient AWS faults, a few malformed —
reconcile exactly: in = stored + quarantined + rejected with a 4xx, and the cases are the ones the inputs imply."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from typing import Any

from omnicase.aws.mail_store import S3MailStore
from omnicase_local.streams import drain
from tests.integration import inbound_traffic as traffic
from tests.integration.faults import faults  # noqa: F401 - fixture
from tests.integration.inbound_traffic import Inbound
from tests.integration.test_wechat_webhook import BOMB, push
from tests.integration.webhook_client import chat_post, twilio_fields, twilio_post, wechat_safe

# channel → (threads, messages per thread); every thread is its own customer, so its own case
PLAN = {"email": (8, 2), "twilio": (4, 2), "sns_lambda": (4, 2), "chat": (4, 3), "wechat": (3, 2), "wechat_aes": (2, 2)}


def valid_messages() -> list[Inbound]:
    messages, sent = [], 0
    for channel, (threads, per_thread) in PLAN.items():
        for t in range(threads):
            sender = {"email": f"c{t}@example.com", "chat": f"visitor-{t}"}.get(channel)
            if channel in ("twilio", "sns_lambda"):
                sender = f"+1425555{len(channel) % 10}{t:03d}"  # valid numbers (E.164, NANP), one per thread
            elif channel.startswith("wechat"):
                sender = f"oUpF8uMuAJO_M2pxb1Q9zNjW{channel[-3:]}{t}"
            previous: Inbound | None = None
            for n in range(per_thread):
                ref = f"{previous.key}@example.com" if channel == "email" and previous else None
                previous = Inbound(channel, f"{channel[:2]}{t}", f"{channel} {t} says {n}", sent, sender, ref)
                messages.append(previous)
                sent += 1
    return messages


def malformed(stack: Any, sent: int) -> list[tuple[str, Callable[[], Any]]]:
    """What must not become a message: (the expected fate, one delivery)."""
    stray = Inbound("email", "stray", "to nobody here", sent, "x@example.com")
    infected = Inbound("email", "virus", "open the attachment", sent + 1, "y@example.com")
    forged = twilio_fields("forged", "SM" + "f" * 32)
    document = {"conversation_id": "c-x", "message_id": "x-1", "user_id": "u", "text": "hi"}
    return [
        ("quarantined", traffic.email(stack, stray, to="nobody@elsewhere.example")),
        ("quarantined", traffic.email(stack, infected, virus=True)),
        ("403", lambda: twilio_post(stack, forged, signature="bm90IHRoZSBzaWduYXR1cmU=")),
        ("400", lambda: twilio_post(stack, {"From": "+8613800138000", "To": "+15005550006", "Body": "no sid"})),
        ("401", lambda: chat_post(stack, document, secret="not-the-secret")),
        ("400", lambda: push(stack, *wechat_safe(BOMB))),
    ]


def test_sixty_inbound_messages_reconcile_exactly(stack, faults):  # noqa: F811
    valid = valid_messages()
    bad = malformed(stack, len(valid))
    assert len(valid) + len(bad) == 60
    deliveries: list[tuple[str, Callable[[], Any]]] = [("stored", traffic.prepare(stack, m)) for m in valid]
    deliveries += bad
    rng = random.Random(11)
    attempts = deliveries + rng.sample(deliveries, 20)  # 20 redeliveries
    rng.shuffle(attempts)
    for service, operation, code, skip in [
        ("dynamodb", "TransactWriteItems", "ThrottlingException", 5),
        ("dynamodb", "TransactWriteItems", "TransactionCanceledException", 30),
        ("dynamodb", "BatchGetItem", "ProvisionedThroughputExceededException", 12),
        ("s3", "GetObject", "ServiceUnavailable", 3),
    ]:
        faults.add(service, operation, code, times=2, skip=skip, reasons=("None", "TransactionConflict"))

    fates = {}
    for fate, deliver in attempts:
        answer = deliver()
        status = getattr(answer, "status_code", 200)
        outcome = "quarantined" if _quarantined(answer) else str(status) if status >= 400 else "stored"
        assert outcome == fate, (fate, status)
        fates[id(deliver)] = outcome
    drain()

    quarantine = S3MailStore(stack.bucket).list_quarantine()
    cases = traffic.stored(stack)
    stored_messages = sum(len(traffic.inbound_bodies(m)) for m in cases.values())
    rejected = [f for f in fates.values() if f.isdigit()]
    assert len(deliveries) == stored_messages + len(quarantine) + len(rejected) == 60
    assert all(f.startswith("4") for f in rejected)
    expected = Counter(
        frozenset(m.body for m in valid if (m.channel, m.thread) == thread)
        for thread in {(m.channel, m.thread) for m in valid}
    )
    assert Counter(frozenset(traffic.inbound_bodies(m)) for m in cases.values()) == expected
    assert all(f.injected == 2 for f in faults._faults)  # the faults really happened


def _quarantined(answer: Any) -> bool:
    results = answer.get("results") if isinstance(answer, dict) else None
    return bool(results and results[0].get("quarantined"))
