"""The local runtime: embedded moto + its server, the stack from template.yaml, HTTP, SMTP, outbox and schedules."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from omnicase_local.sam_template import Schedule

if TYPE_CHECKING:
    from omnicase.domain.tenant_config import TenantConfig

logger = logging.getLogger("omnicase_local")
MOTO_CONFIG = {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}
FAKE_AWS_ENV = {
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


@dataclass(frozen=True)
class DemoTenant:
    """The tenant the runtime seeds so mail to support@acme.example becomes cases."""

    tenant_id: str = "acme"
    name: str = "Acme Support"
    mailbox: str = "support@acme.example"
    ack_from: str = "support@acme.example"
    domain: str = "acme.example"
    sms_number: str = "+15005550006"
    twilio_number: str = "+15017122661"  # a Twilio number (`sms:twilio:`): replies go through the fake Twilio API
    wechat_account: str = "gh_acme0000001"
    chat_widget: str = "web"
    # Its Amazon Connect instance (`phone:`): contact events for it go in at POST /_local/connect/events.
    connect_instance_arn: str = "arn:aws:connect:us-east-1:123456789012:instance/00000000-0000-4000-8000-00000000c0de"


# Local stand-ins for the per-tenant secrets Secrets Manager holds in AWS (override any of them in the environment).
LOCAL_SECRETS = {
    "TWILIO_AUTH_TOKEN": "local-twilio-auth-token",
    "TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000001",
    "CHAT_WEBHOOK_SECRET": "local-chat-secret",
    "CASE_WEBHOOK_SECRET": "local-case-webhook-secret",
    "SURVEY_TOKEN_SECRET": "local-survey-token-secret",
    "WECHAT_TOKEN": "local-wechat-token",
    "WECHAT_APP_ID": "wx0000000000000001",
    "WECHAT_APP_SECRET": "local-wechat-app-secret",
    "WECHAT_ENCODING_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
}


# The demo tenant's people who sign in to the console (agent ids of config/acme.yaml; roles come from there too).
# Fixed, printed at start: a local demo, never a deployed stack.
DEMO_PEOPLE: tuple[tuple[str, str], ...] = (("li.na", "Acme-agent-2026"), ("wang.fang", "Acme-supervisor-2026"))


def default_template() -> Path:
    """template.yaml in the working directory, else the one of the repository this package lives in."""
    here = Path.cwd() / "template.yaml"
    return here if here.is_file() else Path(__file__).resolve().parents[2] / "template.yaml"


def api_token() -> str:
    """The bearer token of the seeded tenant."""
    return os.environ.get("OMNICASE_API_TOKEN", "local-dev-token")


class LocalRuntime:
    """Everything `omnicase local` serves, started and stopped as one."""

    def __init__(
        self,
        template: str | Path | None = None,
        *,
        host: str = "127.0.0.1",
        http_port: int = 3000,
        smtp_port: int = 2525,
        moto_port: int = 5000,
        tenant: DemoTenant | None = None,
    ) -> None:
        self.template = Path(template or default_template()).resolve()
        self.host, self.http_port, self.smtp_port, self.moto_port = host, http_port, smtp_port, moto_port
        self.tenant = tenant or DemoTenant()
        self.stack: Any = None
        self.outbox: Any = None
        self.demo_people: list[tuple[str, str, str]] = []  # (username, password, role) who can sign in
        self._stoppers: list[Any] = []
        self._echo_outbox = threading.Event()  # print each outbound message as the outbox sees it
        self._echo_outbox.set()

    @property
    def http_url(self) -> str:
        return f"http://{self.host}:{self.http_port}"

    @property
    def console_url(self) -> str:
        return f"{self.http_url}/console/"

    def start(self) -> float:
        """Bring everything up; returns the seconds it took."""
        started = time.perf_counter()
        os.environ.update(FAKE_AWS_ENV)
        os.environ["OMNICASE_LOCAL"] = "1"  # LOCAL_SECRETS (env vars) stand in for every tenant's secret
        os.environ.pop("AWS_PROFILE", None)
        os.environ["MOTO_PORT"] = str(self.moto_port)
        # Attachment download links (presigned S3 GETs) must point at the moto server a browser can reach.
        os.environ.setdefault("MAIL_LINK_ENDPOINT", f"http://{self.host}:{self.moto_port}")
        from moto import mock_aws
        from moto.server import ThreadedMotoServer

        from omnicase_local.dispatch import install_dispatcher
        from omnicase_local.moto_patches import apply_moto_patches, share_botocore_data
        from omnicase_local.stack import deploy_stack

        share_botocore_data()  # before moto's first sessions
        mock = mock_aws(config=MOTO_CONFIG)  # type: ignore[arg-type]
        mock.start()
        self._stoppers.append(mock.stop)
        server = ThreadedMotoServer(ip_address=self.host, port=self.moto_port, verbose=False)
        server.start()
        self._stoppers.append(server.stop)
        apply_moto_patches()
        self.stack = deploy_stack(self.template)
        self.stack.export_environment()
        self._use_moto_keys()
        install_dispatcher(self.stack)
        self._seed()
        self._serve()
        return time.perf_counter() - started

    def _seed(self) -> None:
        import boto3

        ses = boto3.client("ses", region_name=self.stack.region)
        ses.verify_domain_identity(Domain=self.tenant.domain)
        for address in {self.tenant.mailbox, self.tenant.ack_from}:
            ses.verify_email_identity(EmailAddress=address)
        from omnicase.admin import seed_tenant
        from omnicase_local.fake_providers import CHAT_CALLBACK, WECHAT_API
        from omnicase_local.fake_twilio import TWILIO_API

        for name, value in LOCAL_SECRETS.items():
            os.environ.setdefault(name, value)
        os.environ.setdefault("WECHAT_API_BASE", f"{self.http_url}{WECHAT_API}")
        os.environ.setdefault("TWILIO_API_BASE", f"{self.http_url}{TWILIO_API}")
        os.environ["API_BASE_URL"] = self.http_url  # survey links point at this runtime's gateway
        tenant = self.tenant
        seed_tenant(
            tenant.tenant_id,
            tenant.name,
            [tenant.mailbox],
            api_token(),
            tenant.ack_from,
            endpoints=[
                f"sms:{tenant.sms_number}",
                f"sms:twilio:{tenant.twilio_number}",
                f"wechat:{tenant.wechat_account}",
                f"chat:{tenant.chat_widget}",
                f"phone:{tenant.connect_instance_arn}",
            ],
            chat_callback_url=f"{self.http_url}{CHAT_CALLBACK}",
        )
        self._seed_people(self._apply_config())

    def _apply_config(self) -> TenantConfig | None:
        """The demo tenant's routing, SLA and people from config/<tenant>.yaml (OMNICASE_LOCAL_CONFIG overrides)."""
        from omnicase.wiring import config_store
        from omnicase_local.config_file import load_config_file

        path = Path(os.environ.get("OMNICASE_LOCAL_CONFIG") or self.template.parent / "config" / "acme.yaml")
        if not path.is_file():
            return None
        config = load_config_file(path, tenant_override=self.tenant.tenant_id)
        store = config_store()
        current = store.load(self.tenant.tenant_id, cached=False)
        store.save(config, expected_version=current.version if current else None)
        return config

    def _use_moto_keys(self) -> None:
        """Tokens name the real Cognito as issuer; their keys are read from moto's own server instead."""
        pool = os.environ.get("USER_POOL_ID")
        if pool:
            os.environ["COGNITO_JWKS_URL"] = f"http://{self.host}:{self.moto_port}/{pool}/.well-known/jwks.json"

    def _seed_people(self, config: TenantConfig | None) -> None:
        """DEMO_PEOPLE in the stack's user pool, with the roles the tenant configuration gives them."""
        from omnicase.admin import add_person
        from omnicase.aws.cognito_people import CognitoPeople
        from omnicase.domain.principal import ROLES

        pool = os.environ.get("USER_POOL_ID")
        if not pool or config is None:
            return
        people = CognitoPeople(pool)
        for agent_id, password in DEMO_PEOPLE:
            agent = config.agents.get(agent_id)
            if agent is None:  # another configuration (OMNICASE_LOCAL_CONFIG) without this person
                continue
            role = agent.role if agent.role in ROLES else "agent"
            add_person(self.tenant.tenant_id, agent_id, role, people, password=password)
            self.demo_people.append((agent_id, password, role))

    @contextmanager
    def outbox_quiet(self) -> Iterator[None]:
        """Within: outbound messages are not printed as they are sent (the demo tells them in its story)."""
        self._echo_outbox.clear()
        try:
            yield
        finally:
            self._echo_outbox.set()

    def _outbox_entries(self) -> Any:
        from omnicase_local.streams import drain

        drain()  # what the outbox sender still has queued belongs in the answer
        return self.outbox.entries()

    def _serve(self) -> None:
        from omnicase_local.console import say
        from omnicase_local.console_site import ConsoleSite, console_root
        from omnicase_local.fake_connect import FakeConnect
        from omnicase_local.fake_providers import FakeProviders
        from omnicase_local.fake_twilio import FakeTwilio, into_outbox
        from omnicase_local.gateway import HttpGateway, serve_gateway
        from omnicase_local.outbox import Outbox, describe, sms_cases
        from omnicase_local.schedules import ScheduleTicker
        from omnicase_local.smtp_server import SesSmtpHandler, start_smtp

        self.outbox = Outbox(
            self.stack.account_id,
            self.stack.region,
            on_entry=lambda entry: say(describe(entry)) if self._echo_outbox.is_set() else None,
            find_sms_cases=sms_cases(os.environ["TABLE_NAME"]),
        )
        self.outbox.watch()
        self._stoppers.append(self.outbox.stop)
        # The tenant's Twilio number on the account of TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN (its local secrets).
        twilio = FakeTwilio(
            os.environ["TWILIO_ACCOUNT_SID"],
            os.environ["TWILIO_AUTH_TOKEN"],
            {self.tenant.twilio_number},
            on_message=into_outbox(self.outbox),
        )
        gateway = HttpGateway(
            self.stack,
            local_routes={"/_local/outbox": self._outbox_entries, "/_local/health": self._health},
            fake_providers=FakeProviders(self.outbox, twilio, FakeConnect(self.stack.region)),
            # connect-src names S3 as browsers reach it: the console posts agents' files there
            static_site=ConsoleSite(
                console_root(self.template.parent) / "dist", _origin(os.environ["MAIL_LINK_ENDPOINT"])
            ).answer,
        )
        http = serve_gateway(gateway, self.host, self.http_port)
        self._stoppers.append(http.server_close)
        self._stoppers.append(http.shutdown)
        smtp_handler = SesSmtpHandler(self.stack.receipt_rules, self.deliver_email)
        controller = start_smtp(smtp_handler, self.host, self.smtp_port)
        self._stoppers.append(smtp_handler.close)
        self._stoppers.append(controller.stop)
        ticker = ScheduleTicker(self.stack.schedules, self.fire_schedule)
        ticker.start()
        self._stoppers.append(ticker.stop)

    def _health(self) -> dict[str, Any]:
        return {
            "status": "ok",
            "stack": self.stack.stack_name,
            "table": os.environ.get("TABLE_NAME"),  # for `omnicase … --table` against this runtime
            "user_pool": os.environ.get("USER_POOL_ID"),  # for `omnicase agents add --user-pool`
            "functions": sorted(self.stack.functions),
            "routes": [f"{r.method} {r.path}" for r in self.stack.routes],
        }

    def deliver_email(
        self, raw: bytes, envelope_from: str, recipients: list[str], *, message_id: str | None = None
    ) -> str:
        """Receive one mail the way SES would (S3 object + SNS notification); returns the SES message id."""
        return self.stack.deliver_email(raw, envelope_from, recipients, message_id=message_id)

    def fire_schedule(self, schedule: Schedule) -> None:
        """Deliver one tick of a schedule now."""
        from omnicase_local.schedules import fire_schedule

        fire_schedule(self.stack, schedule)

    def stop(self) -> None:
        """Stop everything started, newest first."""
        while self._stoppers:
            stopper = self._stoppers.pop()
            try:
                stopper()
            except Exception:
                logger.exception("while stopping %s", stopper)


def _origin(url: str) -> str:
    """scheme://host[:port] of a URL: what a Content-Security-Policy source names."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
