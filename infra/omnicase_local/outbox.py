"""The outbox: every message the handlers sent (SES email, SNS SMS), normalized, in the order moto recorded them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

CASE_HEADER = "X-Omnicase-Case"
Entry = dict[str, Any]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _entry(channel: str, to: list[str], subject: str | None, body: str, headers: dict[str, str]) -> Entry:
    case_id = next((v for k, v in headers.items() if k.lower() == CASE_HEADER.lower()), None)
    return {
        "channel": channel,
        "to": to,
        "subject": subject,
        "body_text": body,
        "headers": headers,
        "case_id": case_id,
        "sent_at": _now(),
    }


def _text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        return str(part.get_content())
    except (LookupError, KeyError, ValueError):
        return part.get_payload(decode=True).decode("utf-8", "replace")  # type: ignore[union-attr]


def normalize_ses(message: Any) -> Entry:
    """One of moto's recorded SES messages (simple, raw or templated) as an outbox entry."""
    raw = getattr(message, "raw_data", None)
    if raw is not None:
        # moto keeps the raw mail as text decoded from UTF-8; parsed as text, an 8bit body comes back as
        # "\u0417…" (the email package's fallback for non-ASCII payload text). Parsed as the bytes sent, it reads right.
        parsed = message_from_bytes(raw.encode("utf-8", "surrogateescape"), policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        headers = {name: str(value) for name, value in parsed.items()}
        # moto appends the header recipients to the API's destinations; keep each address once.
        to = list(dict.fromkeys(message.destinations or [])) or [a.strip() for a in headers.get("To", "").split(",")]
        return _entry("email", to, str(parsed.get("Subject", "")), _text_of(parsed), headers)
    destinations = getattr(message, "destinations", {}) or {}
    to = [a for key in ("ToAddresses", "CcAddresses", "BccAddresses") for a in destinations.get(key, [])]
    subject = getattr(message, "subject", None) or getattr(message, "template", None)
    body = getattr(message, "body", None) or getattr(message, "template_data", "") or ""
    return _entry("email", to, subject, str(body), {"From": getattr(message, "source", "")})


def sms_cases(table_name: str) -> Callable[[list[str]], dict[str, str]]:
    """SNS MessageId -> case id, read from the outbound message items the sender stamped with it (a scan: the local
    table is small, and a MessageId is looked up only until it is found)."""

    def find(message_ids: list[str]) -> dict[str, str]:
        import boto3
        from boto3.dynamodb.conditions import Attr

        table, found = boto3.resource("dynamodb").Table(table_name), {}
        for start in range(0, len(message_ids), 100):  # IN takes at most 100 values
            scan: dict[str, Any] = {
                "FilterExpression": Attr("provider_message_id").is_in(message_ids[start : start + 100]),
                "ProjectionExpression": "provider_message_id, case_id",
            }
            while True:
                page = table.scan(**scan)
                found.update({item["provider_message_id"]: item["case_id"] for item in page["Items"]})
                if "LastEvaluatedKey" not in page:
                    break
                scan["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return found

    return find


class Outbox:
    """Collects new outbound messages from moto's SES and SNS backends; `entries()` is the whole list so far.

    An email names its case in a header; an SMS carries nothing but text, so its case is found by its SNS MessageId
    through `find_sms_cases` (see sms_cases) when the entries are read.
    """

    def __init__(
        self,
        account_id: str,
        region: str,
        on_entry: Callable[[Entry], None] | None = None,
        find_sms_cases: Callable[[list[str]], dict[str, str]] | None = None,
    ) -> None:
        self._account_id, self._region = account_id, region
        self._on_entry = on_entry
        self._find_sms_cases = find_sms_cases
        self._entries: list[Entry] = []
        self._seen_ses = 0
        self._seen_sms: set[str] = set()
        self._sms_without_case: dict[str, Entry] = {}  # SNS MessageId -> its entry, until its case is known
        self._lock = threading.Lock()
        self._stop = threading.Event()
        # One collector per channel; later channels (chat, WeChat) add theirs here.
        self._collectors: list[Callable[[], list[Entry]]] = [self._collect_ses, self._collect_sms]

    def _collect_ses(self) -> list[Entry]:
        from moto.ses.models import ses_backends

        sent = ses_backends[self._account_id][self._region].sent_messages
        new, self._seen_ses = sent[self._seen_ses :], len(sent)
        return [normalize_ses(m) for m in new]

    def _collect_sms(self) -> list[Entry]:
        from moto.sns.models import sns_backends

        sms = sns_backends[self._account_id][self._region].sms_messages
        fresh = [(mid, value) for mid, value in list(sms.items()) if mid not in self._seen_sms]
        self._seen_sms.update(mid for mid, _ in fresh)
        entries = {mid: _entry("sms", [phone], None, text, {}) for mid, (phone, text) in fresh}
        self._sms_without_case.update(entries)
        return list(entries.values())

    def collect(self) -> list[Entry]:
        """Pick up what was sent since the last call; announces each new entry."""
        with self._lock:
            fresh = [entry for collector in self._collectors for entry in collector()]
            self._entries.extend(fresh)
        for entry in fresh:
            if self._on_entry:
                self._on_entry(entry)
        return fresh

    def record(self, channel: str, to: list[str], body: str, headers: dict[str, str], case_id: str | None) -> None:
        """An outbound message a fake provider of the local runtime received (chat callback, WeChat API)."""
        entry = {**_entry(channel, to, None, body, headers), "case_id": case_id}
        with self._lock:
            self._entries.append(entry)
        if self._on_entry:
            self._on_entry(entry)

    def entries(self) -> list[Entry]:
        """Every outbound message so far, oldest first, each SMS with its case once the sender recorded it."""
        self.collect()
        with self._lock:
            if self._sms_without_case and self._find_sms_cases is not None:
                for message_id, case_id in self._find_sms_cases(list(self._sms_without_case)).items():
                    self._sms_without_case.pop(message_id)["case_id"] = case_id
            return list(self._entries)

    def watch(self, interval: float = 0.2) -> threading.Thread:
        """Collect in a background thread until stop()."""

        def loop() -> None:
            while not self._stop.wait(interval):
                self.collect()

        thread = threading.Thread(target=loop, name="omnicase-outbox", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        """Stop the background collection."""
        self._stop.set()


def describe(entry: Entry) -> str:
    """One console line for an outbox entry."""
    to = ", ".join(entry["to"])
    what = entry["subject"] if entry["subject"] is not None else entry["body_text"][:60]
    return f"outbox {entry['channel']} -> {to}: {what}"
