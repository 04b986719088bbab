"""Integration fixtures: moto as the AWS, resources created from template.yaml, a seeded tenant."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.integration.recording_provider import RecordingProvider

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "integration-token"
SECRETS = {
    "TWILIO_AUTH_TOKEN": "twilio-test-token",
    "CHAT_WEBHOOK_SECRET": "chat-test-secret",
    "WECHAT_TOKEN": "wechat-test-token",
    "WECHAT_APP_ID": "wxb11529c136998cb6",
    "WECHAT_APP_SECRET": "wechat-test-app-secret",
    "WECHAT_ENCODING_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
}


@dataclass
class Stack:
    table: str
    bucket: str
    handlers: dict[str, Any]
    deployed: Any = None  # the DeployedStack: what the local gateway serves

    def handler(self, function_dir: str) -> Any:
        return self.handlers[function_dir]


@pytest.fixture(autouse=True)
def aws_credentials(monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def provider(monkeypatch) -> Iterator[RecordingProvider]:
    """A real HTTP server on loopback standing in for chat callback URLs and the WeChat API."""
    server = RecordingProvider.start()
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("OMNICASE_LOCAL", "1")  # as `omnicase local`: the env vars above stand in for tenant secrets
    monkeypatch.setenv("WECHAT_API_BASE", server.url + "/wechat")
    yield server
    server.stop()


@pytest.fixture
def stack(monkeypatch, provider) -> Iterator[Stack]:
    from moto import mock_aws

    from omnicase.admin import seed_tenant
    from omnicase.wiring import rebind
    from omnicase_local.dispatch import install_dispatcher
    from omnicase_local.handlers import load_handler
    from omnicase_local.moto_patches import apply_moto_patches
    from omnicase_local.runtime import MOTO_CONFIG
    from omnicase_local.stack import deploy_stack
    from omnicase_local.streams import drain

    # What the local runtime runs: moto's stock transaction deep-copies the whole table, which races with the
    # stream consumers' threads ("dictionary changed size during iteration").
    apply_moto_patches()
    with mock_aws(config=MOTO_CONFIG):  # Step Functions executions run, Wait states included
        deployed = deploy_stack(ROOT / "template.yaml")
        install_dispatcher(deployed)  # streams, SNS and SQS run the real handlers in-process
        for name, value in deployed.environment.items():
            monkeypatch.setenv(name, value)
        rebind()
        seed_tenant(
            "acme",
            "Acme Support",
            ["support@acme.example"],
            TOKEN,
            "support@acme.example",
            endpoints=["sms:+15005550006", "wechat:gh_acme0000001", "chat:web"],
            chat_callback_url=provider.url + "/chat-callback",
        )
        seed_tenant("globex", "Globex Help", ["help@globex.example"], "globex-token", "help@globex.example")
        import boto3

        boto3.client("ses").verify_domain_identity(Domain="acme.example")
        handlers = {f.code_dir.name: load_handler(f.code_dir, f.handler) for f in deployed.functions.values()}
        bucket = os.environ["MAIL_BUCKET"]
        yield Stack(table=os.environ["TABLE_NAME"], bucket=bucket, handlers=handlers, deployed=deployed)
        drain()  # stream work of this test finishes on this test's moto, not on the next one's
    rebind()
