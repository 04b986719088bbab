"""Shared pieces of the console API tests: a tenant whose deadlines are easy to reason about, people with tokens,
and cases made through the real intake."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.integration.conftest import TOKEN
from tests.integration.test_ingest_email import deliver, mail
from tests.integration.webhook_client import call

# Always open, so each priority's first deadline is a fixed time after the case came in; the warning lead of an
# hour makes an urgent case (due in 30 min) at risk and the others not.
CONSOLE_CONFIG = """
tenant: acme
time_zone: Asia/Shanghai
calendars:
  always: { always_open: true }
sla:
  calendar: always
  warning_before: 1h
  targets:
    urgent: { first_response: 30m }
    high: { first_response: 2h }
    normal: { first_response: 8h }
    low: { first_response: 1d }
queues:
  general: { description: Everything else, supervisor: wang.fang }
  billing: { description: Invoices and refunds, supervisor: wang.fang }
  escalations: { description: Breached at level 2 }
  callbacks: { description: Calling back unhappy customers }
agents:
  li.na: { name: Li Na, queues: [general] }
  zhang.wei: { name: Zhang Wei, queues: [billing] }
  wang.fang: { name: Wang Fang, role: supervisor, queues: [general, billing] }
banned_phrases: [idiot, 傻逼]
rules:
  - name: outage
    when: { keywords: [outage] }
    then: { priority: urgent }
  - name: soon
    when: { keywords: [soon] }
    then: { priority: high }
  - name: whenever
    when: { keywords: [whenever] }
    then: { priority: low }
  - name: invoices
    when: { keywords: [invoice] }
    then: { queue: billing, tags: [billing] }
"""


@dataclass(frozen=True)
class People:
    li_na: str
    zhang_wei: str
    wang_fang: str  # a supervisor


@pytest.fixture
def console_config(stack, tmp_path):
    from omnicase.wiring import config_store
    from omnicase_local.config_file import load_config_file

    path = tmp_path / "console.yaml"
    path.write_text(CONSOLE_CONFIG, encoding="utf-8")
    return config_store().save(load_config_file(path), expected_version=None)


@pytest.fixture
def people(stack, console_config) -> People:
    from omnicase.admin import add_agent_token

    return People(
        add_agent_token("acme", "li.na", "agent")[0],
        add_agent_token("acme", "zhang.wei", "agent")[0],
        add_agent_token("acme", "wang.fang", "supervisor")[0],
    )


def api_get(stack, path: str, token: str = TOKEN, **params: str) -> tuple[int, Any]:
    query = f"?{urlencode(params)}" if params else ""
    response = call(stack.handler("api"), "GET", path + query, headers={"Authorization": f"Bearer {token}"})
    return response.status_code, response.json_body


def api_send(stack, method: str, path: str, body: object, token: str = TOKEN) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    data = json.dumps(body, ensure_ascii=False).encode()
    response = call(stack.handler("api"), method, path, headers=headers, body=data)
    return response.status_code, response.json_body


def new_case(stack, subject: str, n: int, sender: str | None = None, body: str = "Please help.") -> str:
    """A case from a mail through the real intake; `n` keeps ids apart."""
    raw = mail(subject, sender=sender or f"customer{n}@example.com", message_id=f"console-{n}@x", body=body)
    ((result,), _) = deliver(stack, raw, f"ses-console-{n}")
    return str(result["case_id"])


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return [row["case_id"] for row in rows]
