"""The SLA metrics as CloudWatch reads them (EMF on stdout): per queue and priority for the dashboards, and
stack-wide with the cases opened, the two series the SLA breach-rate alarm divides (see template.yaml)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime

import pytest

from omnicase.domain.case_events import CaseEvent
from omnicase.domain.model import Case, Channel, Priority
from omnicase.escalation.timer_metrics import record_case_opened, record_timer_metrics

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CASE = Case(
    tenant_id="acme",
    case_id="0000AB12CD",
    channel=Channel.EMAIL,
    subject="Printer broken",
    created_at=T0,
    queue="billing",
    priority=Priority.HIGH,
)


def event(kind: str) -> CaseEvent:
    return CaseEvent("acme", CASE.case_id, f"{kind}-1", T0, kind, "system")


def emitted(capsys: pytest.CaptureFixture[str]) -> Counter[tuple[str, tuple[tuple[str, str], ...]]]:
    """(metric, dimensions) → summed value, read from the EMF documents printed."""
    counts: Counter[tuple[str, tuple[tuple[str, str], ...]]] = Counter()
    for line in capsys.readouterr().out.splitlines():
        document = json.loads(line)
        (directive,) = document["_aws"]["CloudWatchMetrics"]
        assert directive["Namespace"] == "omnicase"
        (dimension_names,) = directive["Dimensions"]
        dimensions = tuple(sorted((name, document[name]) for name in dimension_names))
        for metric in directive["Metrics"]:
            assert metric["Unit"] == "Count"
            counts[(metric["Name"], dimensions)] += sum(document[metric["Name"]])
    return counts


STACK = (("service", "omnicase"),)
BY_QUEUE = (("priority", "high"), ("queue", "billing"), ("service", "omnicase"))


@pytest.mark.parametrize("service_env", [None, "ingest_email"])
def test_breaches_are_counted_per_queue_and_once_stack_wide(capsys, monkeypatch, service_env):
    # Given the function's own service name in the environment (or none), the stack-wide series stays the same
    if service_env:
        monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", service_env)
    # When a check fires a warning, two breaches and an escalation, among events that are no metric
    kinds = ["routed", "sla_warning", "sla_breached", "sla_breached", "escalated", "deadline_set"]
    record_timer_metrics(CASE, [event(kind) for kind in kinds])
    # Then each counts once per queue/priority and once stack-wide, nothing else is emitted
    assert emitted(capsys) == {
        ("SlaWarnings", BY_QUEUE): 1,
        ("SlaWarnings", STACK): 1,
        ("SlaBreaches", BY_QUEUE): 2,
        ("SlaBreaches", STACK): 2,
        ("Escalations", BY_QUEUE): 1,
        ("Escalations", STACK): 1,
    }


def test_a_case_opened_is_one_stack_wide_count(capsys):
    record_case_opened()
    record_case_opened()
    assert emitted(capsys) == {("CasesOpened", STACK): 2}
