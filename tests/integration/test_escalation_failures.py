"""A check task that keeps failing, through Step Functions on moto: the flow's Catch records it on the case
(timer_check_failed), frees the case's timer and fails the execution (ops' alarm counts it); the case's next change
starts a new execution, so the SLA clock is not lost."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import boto3

from omnicase.observability import metrics_namespace
from omnicase.persistence.timer_store import DynamoTimerStore
from omnicase_local.stack import DEFAULT_STACK_NAME
from tests.integration.faults import faults  # noqa: F401 - fixture
from tests.integration.test_escalation_flow import api, events, fast_sla, open_chat_case  # noqa: F401 - fixture


def eventually(what: Callable[[], object], seconds: float = 25.0) -> object:
    """The first truthy value of `what`, polled until the deadline."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = what()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError("timed out")


def executions(case_id: str) -> list[dict]:
    sfn = boto3.client("stepfunctions")
    runs = sfn.list_executions(stateMachineArn=os.environ["ESCALATION_STATE_MACHINE_ARN"])["executions"]
    return [r for r in runs if r["name"].startswith(f"acme-{case_id}-")]


def test_a_check_that_keeps_failing_is_recorded_on_the_case_and_the_next_change_restarts_the_clock(
    stack,
    fast_sla,  # noqa: F811
    faults,  # noqa: F811
):
    # (The local stack, like a deployed one, counts the alarms' metrics in its own namespace: its name.)
    assert metrics_namespace() == DEFAULT_STACK_NAME
    # Given a chat case whose escalation execution sleeps until its first deadline (2 s away)
    case_id = open_chat_case(stack, 21)
    timers = DynamoTimerStore()
    eventually(lambda: timers.read("acme", case_id)[1].wake_at)
    (first,) = executions(case_id)

    # When every read of the case's timers fails from now on (DynamoDB answering 500 past botocore's retries)
    outage = faults.add("dynamodb", "BatchGetItem", "InternalServerError", times=None)
    sfn = boto3.client("stepfunctions")
    eventually(lambda: sfn.describe_execution(executionArn=first["executionArn"])["status"] == "FAILED")
    faults.clear()

    # Then the execution failed on purpose, after recording the failure on the case through the Catch
    assert outage.injected > 0
    history = sfn.get_execution_history(executionArn=first["executionArn"])["events"]
    entered = [e["stateEnteredEventDetails"]["name"] for e in history if e["type"].endswith("StateEntered")]
    assert entered[-2:] == ["RecordFailedCheck", "CheckFailed"]
    (failed,) = [e for e in history if e["type"] == "ExecutionFailed"]
    assert failed["executionFailedEventDetails"]["error"] == "TimerCheckFailed"
    (recorded,) = [e for e in events(stack, case_id) if e["kind"] == "timer_check_failed"]
    assert recorded["detail"] == {"execution": first["name"], "error": recorded["detail"]["error"]}
    assert recorded["detail"]["error"] and "Traceback" not in recorded["detail"]["error"]
    assert timers.read("acme", case_id)[1].wake_at is None  # nothing waits for the deadline any more

    # When an agent changes the case, the clock starts again: a new execution warns and breaches it
    assert api(stack, "PATCH", f"/cases/{case_id}", {"priority": "urgent"}).status_code == 200
    seen = eventually(lambda: [e for e in events(stack, case_id) if e["kind"] == "sla_breached"])
    assert seen and len(executions(case_id)) == 2
    assert [e["kind"] for e in events(stack, case_id)].count("timer_check_failed") == 1
