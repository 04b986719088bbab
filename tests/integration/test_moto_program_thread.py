"""A Step Functions program with TimeoutSeconds keeps moto's own program thread and still times out (one without
runs on its execution's thread and parks its Wait states: tests/integration/test_parked_waits.py)."""

from __future__ import annotations

import json
import threading
import time

import boto3
import pytest
from moto import mock_aws

from omnicase_local import moto_patches

WAIT_THEN_PASS = {
    "StartAt": "Sleep",
    "States": {
        "Sleep": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
        "Done": {"Type": "Pass", "Parameters": {"woke.$": "$.case"}, "End": True},
    },
}


@pytest.fixture(params=["stock", "patched"])
def sfn(request, monkeypatch):
    from moto.stepfunctions.parser.asl.component.program.program import Program

    moto_patches.apply_moto_patches()
    if request.param == "stock":
        monkeypatch.setattr(Program, "eval", moto_patches.STOCK["program_eval"])
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        yield request.param, boto3.client("stepfunctions", region_name="us-east-1")


def _run(client, definition: dict) -> tuple[str, dict, int]:
    arn = client.create_state_machine(
        name=f"m{time.monotonic_ns()}", definition=json.dumps(definition), roleArn="arn:aws:iam::123456789012:role/x"
    )["stateMachineArn"]
    threads_before = set(threading.enumerate())
    execution = client.start_execution(stateMachineArn=arn, input=json.dumps({"case": "C1"}))["executionArn"]
    # Counted once the program is in its Wait state (a fixed sleep raced the threads' start on a loaded machine).
    for _ in range(100):
        events = client.get_execution_history(executionArn=execution)["events"]
        if any(e["type"] == "WaitStateEntered" for e in events):
            break
        time.sleep(0.05)
    time.sleep(0.1)
    # Threads this execution started (others' threads ending meanwhile must not lower the count).
    threads_while_asleep = len(set(threading.enumerate()) - threads_before)
    for _ in range(100):
        described = client.describe_execution(executionArn=execution)
        if described["status"] != "RUNNING":
            break
        time.sleep(0.1)
    return described["status"], json.loads(described.get("output") or "null"), threads_while_asleep


def test_a_program_with_a_timeout_still_times_out(sfn):
    _, client = sfn
    status, _, _ = _run(
        client,
        {
            **WAIT_THEN_PASS,
            "TimeoutSeconds": 1,
            "States": {
                "Sleep": {"Type": "Wait", "Seconds": 5, "Next": "Done"},
                "Done": {"Type": "Pass", "End": True},
            },
        },
    )
    assert status == "TIMED_OUT"
