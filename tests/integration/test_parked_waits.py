"""A sleeping Step Functions execution on moto holds no thread: its Wait state parks in one scheduler and resumes
when due, with the history, output and stop behaviour moto's own sleeping thread gives."""

from __future__ import annotations

import json
import threading
import time

import boto3
import pytest
from moto import mock_aws

from omnicase_local import moto_patches, parked_waits

ROLE = "arn:aws:iam::123456789012:role/x"
# The escalation flow's shape: the wait comes from the input, the result of the next state goes beside it.
WAIT_FROM_INPUT = {
    "StartAt": "Sleep",
    "States": {
        "Sleep": {"Type": "Wait", "SecondsPath": "$.seconds", "Next": "Woke"},
        "Woke": {"Type": "Pass", "Parameters": {"case.$": "$.case"}, "ResultPath": "$.woke", "End": True},
    },
}


@pytest.fixture(params=["moto", "parked"])
def sfn(request, monkeypatch):
    """moto's own sleeping threads, or the patched runtime's parked waits, on the same definitions."""
    from moto.stepfunctions.parser.asl.component.program.program import Program
    from moto.stepfunctions.parser.asl.component.state.wait.state_wait import StateWait
    from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import WaitFunction
    from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

    moto_patches.apply_moto_patches()
    if request.param == "moto":
        stock = moto_patches.STOCK
        monkeypatch.setattr(Program, "eval", stock["program_eval"])
        monkeypatch.setattr(ExecutionWorker, "start", stock["worker_start"])
        monkeypatch.setattr(ExecutionWorker, "stop", stock["worker_stop"])
        monkeypatch.setattr(WaitFunction, "_wait_interval", stock["wait_interval"])
        monkeypatch.setattr(StateWait, "_eval_body", stock["wait_state"])
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        yield request.param, boto3.client("stepfunctions", region_name="us-east-1")


def _machine(client, definition: dict) -> str:
    name = f"m{time.monotonic_ns()}"
    return client.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"]


def _history(client, execution: str) -> list[dict]:
    return client.get_execution_history(executionArn=execution, maxResults=1000)["events"]


def _until(condition, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if answer := condition():
            return answer
        time.sleep(0.05)
    raise AssertionError("not reached in time")


def _asleep(client, execution: str) -> bool:
    return any(e["type"] == "WaitStateEntered" for e in _history(client, execution))


def _ended(client, execution: str) -> dict | None:
    described = client.describe_execution(executionArn=execution)
    return described if described["status"] != "RUNNING" else None


def _own_threads(before: set[threading.Thread]) -> int:
    """Threads started since `before`, the scheduler's one timer thread aside."""
    return len({t for t in threading.enumerate() if t.name != "stepfunctions-wait-timer"} - before)


def test_a_sleeping_execution_holds_no_thread_and_ends_as_moto_ends_it(sfn):
    # Given a machine that waits for as long as its input says, then passes the case on
    flavour, client = sfn
    arn = _machine(client, WAIT_FROM_INPUT)
    before = set(threading.enumerate())

    # When an execution sleeps in its Wait state
    execution = client.start_execution(stateMachineArn=arn, input=json.dumps({"case": "案例-1", "seconds": 1}))
    execution_arn = execution["executionArn"]
    _until(lambda: _asleep(client, execution_arn))
    time.sleep(0.1)  # a thread the execution started would be alive now: moto's sleeps for the whole second

    # Then it holds no thread, where moto holds two
    assert _own_threads(before) == (2 if flavour == "moto" else 0)  # moto: the execution's and its program's
    assert client.describe_execution(executionArn=execution_arn)["status"] == "RUNNING"

    # And it wakes after its Wait with moto's output and moto's history
    described = _until(lambda: _ended(client, execution_arn))
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"case": "案例-1", "seconds": 1, "woke": {"case": "案例-1"}}
    events = _history(client, execution_arn)
    assert [e["type"] for e in events] == [
        "ExecutionStarted",
        "WaitStateEntered",
        "WaitStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
    entered, exited = events[1], events[2]
    assert (exited["timestamp"] - entered["timestamp"]).total_seconds() >= 1
    assert json.loads(exited["stateExitedEventDetails"]["output"]) == {"case": "案例-1", "seconds": 1}


def _parked_environment(execution_arn: str):
    for env in list(parked_waits.SCHEDULER._by_key):
        if env.states.context_object.context_object_data["Execution"]["Id"] == execution_arn:
            return env
    return None


@pytest.mark.parametrize("sfn", ["parked"], indirect=True)
def test_a_sleepers_history_is_held_packed_until_read_and_goes_on_whole(sfn):
    from omnicase_local.loaded_on_use import ListLoadedOnUse

    # Given an execution asleep in its Wait state, its history not read since it parked
    _, client = sfn
    arn = _machine(client, WAIT_FROM_INPUT)
    execution = client.start_execution(stateMachineArn=arn, input=json.dumps({"case": "案例-2", "seconds": 1}))
    execution_arn = execution["executionArn"]
    env = _until(lambda: _parked_environment(execution_arn))
    held = env.event_manager._history_event_list
    assert isinstance(held, ListLoadedOnUse) and not held.loaded()

    # When its history is read while it sleeps
    asleep = _history(client, execution_arn)

    # Then it is all there, Chinese input included, and after the wake the history goes on from it
    assert [e["type"] for e in asleep] == ["ExecutionStarted", "WaitStateEntered"]
    assert json.loads(asleep[0]["executionStartedEventDetails"]["input"]) == {"case": "案例-2", "seconds": 1}
    assert _until(lambda: _ended(client, execution_arn))["status"] == "SUCCEEDED"
    events = _history(client, execution_arn)
    assert [e["id"] for e in events] == [1, 2, 3, 4, 5, 6]
    assert events[:2] == asleep and events[-1]["type"] == "ExecutionSucceeded"


def test_many_executions_due_at_once_all_resume_none_early(sfn):
    # Given 40 executions of the escalation flow's shape asleep at once, half due in 1 s, half in 2 s
    _, client = sfn
    arn = _machine(client, WAIT_FROM_INPUT)
    started = [
        client.start_execution(
            stateMachineArn=arn, input=json.dumps({"case": f"C{n}", "seconds": 1 + n % 2}), name=f"tenant-b-C{n}"
        )["executionArn"]
        for n in range(40)
    ]

    # When they are all due
    ended = [_until(lambda e=e: _ended(client, e)) for e in started]

    # Then every one resumed and succeeded, none before its Wait was over
    assert [d["status"] for d in ended] == ["SUCCEEDED"] * 40
    for n, execution in enumerate(started):
        events = {e["type"]: e["timestamp"] for e in _history(client, execution)}
        assert (events["WaitStateExited"] - events["WaitStateEntered"]).total_seconds() >= 1 + n % 2
        assert json.loads(ended[n]["output"])["woke"] == {"case": f"C{n}"}


def test_a_stopped_sleeper_ends_aborted_without_sleeping_out_its_wait(sfn):
    # Given an execution asleep for an hour
    _, client = sfn
    arn = _machine(client, WAIT_FROM_INPUT)
    execution = client.start_execution(stateMachineArn=arn, input=json.dumps({"case": "C1", "seconds": 3600}))
    execution_arn = execution["executionArn"]
    _until(lambda: _asleep(client, execution_arn))

    # When it is stopped
    client.stop_execution(executionArn=execution_arn, error="Superseded", cause="a newer execution took over")

    # Then it ends aborted long before its hour is out (a loaded CI machine may take seconds to get there), as with
    # moto's own thread, and its history says so
    described = _until(lambda: _ended(client, execution_arn), timeout=60)
    assert described["status"] == "ABORTED"
    events = _history(client, execution_arn)
    assert events[-1]["type"] == "ExecutionAborted"
    assert "WaitStateExited" not in [e["type"] for e in events]


def test_a_wait_inside_a_parallel_branch_still_runs_and_resumes(sfn):
    # Given a Wait in a Parallel branch (moto's frames: kept on their thread) followed by a top-level Wait
    _, client = sfn
    definition = {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "Inner", "States": {"Inner": {"Type": "Wait", "Seconds": 1, "End": True}}},
                    {"StartAt": "Now", "States": {"Now": {"Type": "Pass", "End": True}}},
                ],
                "ResultPath": None,
                "Next": "Outer",
            },
            "Outer": {"Type": "Wait", "Seconds": 1, "End": True},
        },
    }
    execution = client.start_execution(stateMachineArn=_machine(client, definition), input='{"case": "C1"}')

    described = _until(lambda: _ended(client, execution["executionArn"]))

    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"case": "C1"}


def test_the_scheduler_resumes_sleepers_in_due_order_and_a_woken_one_at_once():
    # Given a scheduler that records what it resumes, on its own timer thread, in the order it resumes them
    resumed: list[str] = []
    done = threading.Event()

    def launch(resume) -> None:
        resume()
        if len(resumed) == 5:
            done.set()

    scheduler = parked_waits.WaitScheduler(launch=launch)
    now = time.monotonic()
    # When five sleep with due times out of order, two of them due at the same moment, and one far away is woken
    for name, due in (("d", 0.4), ("b", 0.2), ("c", 0.3), ("b2", 0.2), ("far", 3600.0)):
        scheduler.park(name, now + due, lambda name=name: resumed.append(name), interrupted=lambda: False)
    scheduler.wake("far")

    # Then the woken one comes first, then the others by due time, equal due times in the order they parked
    assert done.wait(10)
    assert resumed == ["far", "b", "b2", "c", "d"]
    assert scheduler.sleeping() == 0


def test_a_stop_that_comes_before_the_park_is_not_missed():
    resumed = threading.Event()
    scheduler = parked_waits.WaitScheduler(launch=lambda resume: resume())

    scheduler.park("stopped", time.monotonic() + 3600, resumed.set, interrupted=lambda: True)

    assert resumed.wait(10)
