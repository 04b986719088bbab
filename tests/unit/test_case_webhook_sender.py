"""The case webhook sender against a real HTTP server on loopback: outcomes, retries, redirects, URL checks."""

from __future__ import annotations

import socket
import threading
import urllib.error
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from omnicase.channels.case_webhook_sender import CaseWebhookSender, url_problem
from omnicase.channels.chat.chat_signature import chat_signature
from omnicase.domain.case_events import CaseEvent
from omnicase.domain.case_webhooks import RetryableWebhookFailure, case_webhook
from omnicase.secrets import MissingSecret

WEBHOOK = case_webhook(
    CaseEvent("acme", "K3M9QX2A7B", "000a1b2c3d4", datetime(2026, 11, 2, tzinfo=UTC), "responded", "agent-7"),
    "replied",
    None,
)


class Receiver:
    """Answers /status/<code>; /redirect answers 302 to /status/200. Records every request it gets."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.requests.append((self.path, dict(self.headers), body))
                if self.path == "/redirect":
                    self.send_response(302)
                    self.send_header("Location", "/status/200")
                else:
                    self.send_response(int(self.path.rsplit("/", 1)[-1]))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def url(self, path: str) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.server.shutdown()
    server.server.server_close()


class Secrets:
    def __init__(self, **values: str) -> None:
        self.values = values

    def get(self, tenant_id: str, name: str) -> str:
        if name not in self.values:
            raise MissingSecret(name)
        return self.values[name]


def sender(**secrets: str) -> CaseWebhookSender:
    return CaseWebhookSender(
        Secrets(**(secrets or {"case_webhook_secret": "case-secret"})), clock=lambda: 1762070400, allow_loopback=True
    )


def test_2xx_is_delivered_signed_with_the_case_webhook_secret(receiver):
    outcome = sender().post("acme", receiver.url("/status/204"), WEBHOOK)
    assert outcome.delivered and outcome.status == 204
    ((_, headers, body),) = receiver.requests
    assert body == WEBHOOK.body
    assert headers["X-Omnicase-Signature"] == chat_signature("case-secret", "1762070400", body)
    assert headers["X-Omnicase-Delivery"] == "acme-K3M9QX2A7B-000a1b2c3d4"
    assert headers["X-Omnicase-Event"] == "replied" and headers["Content-Type"].startswith("application/json")


def test_without_a_case_webhook_secret_the_chat_secret_signs(receiver):
    sender(chat_webhook_secret="chat-secret").post("acme", receiver.url("/status/200"), WEBHOOK)
    ((_, headers, body),) = receiver.requests
    assert headers["X-Omnicase-Signature"] == chat_signature("chat-secret", "1762070400", body)


def test_no_secret_at_all_fails_the_record_rather_than_sending_unsigned(receiver):
    with pytest.raises(MissingSecret):
        CaseWebhookSender(Secrets(), allow_loopback=True).post("acme", receiver.url("/status/200"), WEBHOOK)
    assert receiver.requests == []


@pytest.mark.parametrize("status", [500, 503, 408, 429])
def test_server_errors_and_throttling_raise_to_be_retried_with_the_same_delivery_id(receiver, status):
    for _ in range(2):
        with pytest.raises(RetryableWebhookFailure):
            sender().post("acme", receiver.url(f"/status/{status}"), WEBHOOK)
    assert [h["X-Omnicase-Delivery"] for _, h, _ in receiver.requests] == [WEBHOOK.delivery_id] * 2


@pytest.mark.parametrize("status", [400, 401, 404, 410])
def test_other_4xx_are_permanent_and_do_not_raise(receiver, status):
    outcome = sender().post("acme", receiver.url(f"/status/{status}"), WEBHOOK)
    assert not outcome.delivered and outcome.status == status


def test_a_redirect_is_not_followed(receiver):
    outcome = sender().post("acme", receiver.url("/redirect"), WEBHOOK)
    assert not outcome.delivered and outcome.status == 302
    assert [path for path, _, _ in receiver.requests] == ["/redirect"]


def test_a_refused_connection_is_retryable():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with pytest.raises(RetryableWebhookFailure):
        sender().post("acme", f"http://127.0.0.1:{port}/hook", WEBHOOK)


@pytest.mark.parametrize("error", [TimeoutError("timed out"), urllib.error.URLError(TimeoutError("timed out"))])
def test_a_timeout_is_retryable(error):
    def transport(url, body, headers):
        raise error

    with pytest.raises(RetryableWebhookFailure):
        CaseWebhookSender(Secrets(case_webhook_secret="s"), transport).post("acme", "https://hooks.example/h", WEBHOOK)


@pytest.mark.parametrize(
    ("url", "allow_loopback", "problem"),
    [
        ("https://hooks.acme.example/case", False, None),
        ("https://203.0.113.9/hook", False, "not a public address"),  # documentation range: reserved
        ("https://8.8.8.8/hook", False, None),
        ("http://hooks.acme.example/case", False, "not https"),
        ("ftp://hooks.acme.example/case", False, "not https"),
        ("file:///etc/passwd", False, "no host"),
        ("https://169.254.169.254/latest/meta-data", False, "not a public address"),
        ("https://10.0.0.5/hook", False, "not a public address"),
        ("https://[fd00::1]/hook", False, "not a public address"),
        ("https://user:pw@hooks.acme.example/case", False, "credentials in the URL"),
        ("http://127.0.0.1:8080/hook", False, "loopback address"),
        ("http://localhost:8080/hook", False, "loopback address"),
        ("http://127.0.0.1:8080/hook", True, None),
        ("http://localhost:8080/hook", True, None),
        ("https://hooks.acme.example:99999/case", False, "not a valid URL"),
    ],
)
def test_only_https_to_public_hosts_or_loopback_when_local(url, allow_loopback, problem):
    assert url_problem(url, allow_loopback=allow_loopback) == problem


def test_a_refused_url_is_a_permanent_outcome_and_nothing_is_sent(receiver):
    strict = CaseWebhookSender(Secrets(case_webhook_secret="s"), allow_loopback=False)
    outcome = strict.post("acme", receiver.url("/status/200"), WEBHOOK)
    assert not outcome.delivered and outcome.status is None and "loopback" in outcome.detail
    assert receiver.requests == []
