"""Tenant-configured URLs we POST to: where a host name points is checked at send time (case webhooks and chat)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from omnicase.channels.case_webhook_sender import CaseWebhookSender
from omnicase.channels.chat.sender import ChatCallbackSender
from omnicase.channels.outbound_url import resolved_url_problem
from omnicase.domain.case_webhooks import CaseWebhook
from omnicase.domain.errors import PermanentDeliveryFailure
from tests.unit.channels.test_outbound_senders import chat_reply
from tests.unit.domain.builders import TENANT


class Secrets:
    def get(self, tenant_id: str, name: str) -> str:
        return "s3cret"


def resolves_to(*addresses: str):
    return lambda host: list(addresses)


def no_dns(host: str) -> list[str]:
    raise OSError("Name or service not known")


def never_sent(url, body, headers):
    raise AssertionError(f"nothing may be posted to {url}")


@pytest.mark.parametrize(
    ("addresses", "problem"),
    [
        (["93.184.215.14"], None),
        (["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"], None),
        (["10.0.0.7"], "hooks.acme.example resolves to a non-public address"),
        (["93.184.215.14", "169.254.169.254"], "hooks.acme.example resolves to a non-public address"),  # metadata
        (["127.0.0.1"], "hooks.acme.example resolves to a non-public address"),
        (["fe80::1%eth0"], "hooks.acme.example resolves to a non-public address"),  # link-local with a zone id
        (["::ffff:192.168.1.1"], "hooks.acme.example resolves to a non-public address"),
    ],
)
def test_a_host_name_is_refused_when_any_of_its_addresses_is_not_public(addresses, problem):
    url = "https://hooks.acme.example/chat"
    assert resolved_url_problem(url, allow_loopback=False, resolve=resolves_to(*addresses)) == problem


def test_the_written_url_is_checked_before_any_lookup_and_a_failed_lookup_is_left_to_the_post():
    assert resolved_url_problem("http://hooks.acme.example/chat", allow_loopback=False, resolve=never_sent) == (
        "not https"
    )
    assert resolved_url_problem("https://10.1.2.3/chat", allow_loopback=False, resolve=never_sent) == (
        "not a public address"
    )
    assert resolved_url_problem("https://hooks.acme.example/chat", allow_loopback=False, resolve=no_dns) is None


def test_locally_a_name_resolving_to_this_machine_is_allowed_but_never_a_private_network():
    url = "http://localhost:3000/_local/chat-callback"
    assert resolved_url_problem(url, allow_loopback=True, resolve=never_sent) is None
    named = "https://dev.acme.example/chat"
    assert resolved_url_problem(named, allow_loopback=True, resolve=resolves_to("127.0.0.1")) is None
    assert resolved_url_problem(named, allow_loopback=True, resolve=resolves_to("10.0.0.7")) is not None


@pytest.mark.parametrize(
    ("url", "resolve"),
    [
        ("https://169.254.169.254/latest/meta-data", no_dns),
        ("http://127.0.0.1:3000/_local/chat-callback", no_dns),  # loopback only where allowed (outside Lambda)
        ("https://chat.acme.example/hook", resolves_to("10.0.0.7")),
    ],
)
def test_chat_replies_are_never_posted_to_a_private_callback(url, resolve):
    sender = ChatCallbackSender(Secrets(), never_sent, allow_loopback=False, resolve=resolve)
    with pytest.raises(PermanentDeliveryFailure, match="chat callback URL refused"):
        sender.send(chat_reply(), replace(TENANT, chat_callback_url=url))


@pytest.mark.parametrize("status", [301, 302, 307])
def test_a_chat_callback_redirect_is_final_not_followed(status):
    sender = ChatCallbackSender(Secrets(), lambda *_: status, resolve=resolves_to("93.184.215.14"))
    with pytest.raises(PermanentDeliveryFailure, match=str(status)):
        sender.send(chat_reply(), replace(TENANT, chat_callback_url="https://chat.acme.example/hook"))


def test_case_webhooks_refuse_a_name_that_resolves_to_the_metadata_address():
    webhook = CaseWebhook("created", "acme-K3M9QX2A7B-001", b"{}")
    sender = CaseWebhookSender(Secrets(), never_sent, resolve=resolves_to("169.254.169.254"))
    outcome = sender.post("acme", "https://hooks.acme.example/case", webhook)
    assert (
        not outcome.delivered and outcome.detail == "URL refused: hooks.acme.example resolves to a non-public address"
    )
