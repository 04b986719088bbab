"""Every EMF metric lands in the stack's namespace (POWERTOOLS_METRICS_NAMESPACE, the stack name in AWS): two stacks
in one account never add up each other's SLA breaches, and the template's alarms read that same namespace."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime

import pytest

from omnicase.api.metrics import record_first_response
from omnicase.domain.model import Case, Channel, Priority
from omnicase.escalation.timer_metrics import record_case_opened
from omnicase.observability import handler_metrics
from omnicase.reports.report_metrics import emit_report_metrics
from omnicase.reports.sla_report import build_sla_report

CASE = Case(
    tenant_id="acme",
    case_id="0000AB12CD",
    channel=Channel.CHAT,
    subject="还在吗？",
    created_at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
    queue="general",
    priority=Priority.NORMAL,
)


def metrics_by_namespace(output: str) -> dict[str, set[str]]:
    """Metric names per namespace, from the EMF documents printed."""
    found: dict[str, set[str]] = defaultdict(set)
    for line in output.splitlines():
        for directive in json.loads(line)["_aws"]["CloudWatchMetrics"]:
            found[directive["Namespace"]] |= {m["Name"] for m in directive["Metrics"]}
    return dict(found)


def emit_everything(service: str) -> None:
    """One of each kind of metric omnicase writes: a handler's, the SLA clock's, the API's and the report's."""
    metrics = handler_metrics(service)

    @metrics.log_metrics
    def handler(event: dict, context: object) -> None:
        metrics.add_metric(name="SmsStored", unit="Count", value=1)

    handler({}, None)
    record_case_opened()
    record_first_response(CASE, 12.5)
    day = CASE.created_at
    emit_report_metrics("acme", build_sla_report([CASE], [], {}, day, day.replace(hour=23)))


def test_two_stacks_write_to_two_namespaces_and_never_mix(monkeypatch, capsys):
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "omnicase-prod")
    emit_everything("ingest_sms")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "omnicase-staging")
    emit_everything("ingest_sms")

    by_namespace = metrics_by_namespace(capsys.readouterr().out)

    assert set(by_namespace) == {"omnicase-prod", "omnicase-staging"}
    expected = {"SmsStored", "CasesOpened", "FirstResponseSeconds", "ReportCases"}
    assert expected <= by_namespace["omnicase-prod"] == by_namespace["omnicase-staging"]


def test_without_a_stack_the_namespace_is_omnicase(monkeypatch, capsys):
    monkeypatch.delenv("POWERTOOLS_METRICS_NAMESPACE", raising=False)
    record_case_opened()
    assert set(metrics_by_namespace(capsys.readouterr().out)) == {"omnicase"}


@pytest.fixture(autouse=True)
def _no_service_name(monkeypatch):
    monkeypatch.delenv("POWERTOOLS_SERVICE_NAME", raising=False)
