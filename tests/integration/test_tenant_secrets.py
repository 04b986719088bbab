"""Per-tenant secrets from Secrets Manager (Powertools' SecretsProvider, cached); env vars only in the local runtime;
chat callbacks refused at send time when they point at a private address."""

from __future__ import annotations

import json
from dataclasses import replace

import boto3
import pytest

from omnicase.admin import seed_tenant
from omnicase.aws.clients import client
from omnicase.persistence.tenant_store import DynamoTenantDirectory, save_tenant
from omnicase.secrets import MissingSecret, TenantSecrets
from omnicase.wiring import rebind, tenant_secrets
from omnicase_local.streams import drain
from tests.integration.conftest import SECRETS
from tests.integration.webhook_client import case, chat_post

ACME_CHAT_SECRET = "acme-chat-secret-from-secrets-manager"
GLOBEX_CHAT_SECRET = "globex-chat-secret-from-secrets-manager"


@pytest.fixture
def in_aws(stack, monkeypatch):
    """As in a deployed stack: each tenant's secret in Secrets Manager, and the env var of `omnicase local` still
    set (as a stray or malicious function setting would be) but not honoured."""
    secrets_manager = boto3.client("secretsmanager")
    for tenant, chat_secret in (("acme", ACME_CHAT_SECRET), ("globex", GLOBEX_CHAT_SECRET)):
        value = {"chat_webhook_secret": chat_secret, "twilio_auth_token": f"{tenant}-twilio"}
        secrets_manager.create_secret(Name=f"omnicase/{tenant}", SecretString=json.dumps(value))
    monkeypatch.delenv("OMNICASE_LOCAL")
    rebind()
    yield stack
    rebind()


def get_secret_value_calls() -> list[str]:
    """Every GetSecretValue the shared client makes from now on (the secret ids asked for)."""
    calls: list[str] = []
    client("secretsmanager").meta.events.register(
        "provide-client-params.secrets-manager.GetSecretValue", lambda params, **_: calls.append(params["SecretId"])
    )
    return calls


def test_in_aws_an_env_var_never_stands_in_for_the_tenants_secret(in_aws):
    assert SECRETS["CHAT_WEBHOOK_SECRET"] != ACME_CHAT_SECRET
    signed_with_env = chat_post(in_aws, {"conversation_id": "c-1", "message_id": "m-1", "user_id": "u", "text": "hi"})
    assert signed_with_env.status_code == 401
    signed_with_tenants = chat_post(
        in_aws, {"conversation_id": "c-1", "message_id": "m-1", "user_id": "u", "text": "你好"}, secret=ACME_CHAT_SECRET
    )
    assert signed_with_tenants.status_code == 201


def test_two_tenants_get_their_own_secrets_and_each_is_fetched_once_while_cached(in_aws):
    calls = get_secret_value_calls()
    secrets = tenant_secrets()
    for _ in range(3):
        assert secrets.get("acme", "chat_webhook_secret") == ACME_CHAT_SECRET
        assert secrets.get("globex", "chat_webhook_secret") == GLOBEX_CHAT_SECRET
        assert secrets.get("globex", "twilio_auth_token") == "globex-twilio"
    assert sorted(calls) == ["omnicase/acme", "omnicase/globex"]


def test_an_expired_cache_reads_the_secret_again(in_aws):
    calls = get_secret_value_calls()
    uncached = TenantSecrets(max_age=0)
    uncached.get("acme", "chat_webhook_secret")
    uncached.get("acme", "twilio_auth_token")
    assert calls == ["omnicase/acme", "omnicase/acme"]


def test_a_tenant_without_a_secret_or_without_the_name_is_a_missing_secret(in_aws):
    with pytest.raises(MissingSecret, match="does not exist"):
        tenant_secrets().get("initech", "chat_webhook_secret")
    with pytest.raises(MissingSecret, match="wechat_token is not set for tenant acme"):
        tenant_secrets().get("acme", "wechat_token")


def test_the_local_flag_is_ignored_inside_a_lambda(in_aws, monkeypatch):
    monkeypatch.setenv("OMNICASE_LOCAL", "1")
    rebind()
    assert tenant_secrets().get("acme", "chat_webhook_secret") == SECRETS["CHAT_WEBHOOK_SECRET"]
    monkeypatch.setenv("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001")
    rebind()
    assert tenant_secrets().get("acme", "chat_webhook_secret") == ACME_CHAT_SECRET


def test_a_private_chat_callback_url_is_refused_when_configured(stack):
    for url in ("https://169.254.169.254/latest/meta-data/", "https://10.0.0.7/chat", "http://chat.acme.example/"):
        with pytest.raises(ValueError, match=r"chat callback URL .* refused"):
            seed_tenant(
                "acme",
                "Acme",
                ["support@acme.example"],
                "integration-token",
                "support@acme.example",
                chat_callback_url=url,
            )
    assert DynamoTenantDirectory().tenant("acme").chat_callback_url.endswith("/chat-callback")  # unchanged


def test_a_chat_callback_stored_before_the_check_is_refused_at_send_time(stack, provider):
    tenant = DynamoTenantDirectory().tenant("acme")
    save_tenant(replace(tenant, chat_callback_url="https://169.254.169.254/latest/meta-data/"), [])
    rebind()
    created = chat_post(stack, {"conversation_id": "c-1", "message_id": "m-1", "user_id": "u", "text": "退款进度？"})
    drain()
    assert provider.sent("/chat-callback") == []
    (acknowledgement,) = [
        m for m in case(stack, created.json_body["case_id"])["messages"] if m["direction"] == "outbound"
    ]
    assert acknowledgement["delivery_status"] == "failed"
    assert acknowledgement["delivery_detail"] == "chat callback URL refused: not a public address"
