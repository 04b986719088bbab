"""`omnicase cases start-close-timers` on moto: a case solved before the tenant turned auto-close on gets its timer
(its own Step Functions execution, which then closes it), a dry run changes nothing, and a second run starts
nothing."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import timedelta

import boto3

from omnicase_local.cli import main
from omnicase_local.streams import drain
from tests.integration.test_case_lifecycle import QUICK, closed, solve, use
from tests.integration.test_escalation_flow import events, open_chat_case, wait_for
from tests.integration.webhook_client import case


def executions_of(case_id: str) -> list[str]:
    sfn = boto3.client("stepfunctions")
    listed = sfn.list_executions(stateMachineArn=os.environ["ESCALATION_STATE_MACHINE_ARN"])["executions"]
    return [e["name"] for e in listed if e["name"].startswith(f"acme-{case_id}-")]


def turn_auto_close_on(after: timedelta) -> None:
    from omnicase.wiring import config_store

    current = config_store().load("acme", cached=False)
    assert current is not None
    config_store().save(replace(current, auto_close_after=after), expected_version=current.version)


def run(capsys, *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["cases", "start-close-timers", "--tenant", "acme", *extra])
    drain()  # the case change goes through the stream's starter too: it must find the timer claimed
    return code, capsys.readouterr().out


def solved_without_timer(stack, n: int) -> tuple[str, list[str]]:
    """A case solved while the tenant had no auto-close, and its executions so far."""
    use(replace(QUICK, auto_close_after=None))
    case_id = open_chat_case(stack, n)
    assert solve(stack, case_id)["service"]["closes_at"] is None
    drain()
    return case_id, executions_of(case_id)


def test_a_case_solved_before_auto_close_gets_its_timer_once(stack, capsys):
    # Given a case solved while the tenant had no auto-close, and an open one
    solved_id, before = solved_without_timer(stack, 61)
    open_id = open_chat_case(stack, 62)
    # When the tenant turns auto-close on (solved cases are not touched by that)
    turn_auto_close_on(timedelta(hours=1))

    code, dry = run(capsys, "--dry-run")
    assert code == 0 and f"case {solved_id}: would-start" in dry and "1 would-start" in dry
    assert open_id not in dry and case(stack, solved_id)["case"]["service"]["closes_at"] is None
    assert executions_of(solved_id) == before

    code, started = run(capsys)
    assert code == 0 and f"case {solved_id}: started" in started and "1 started" in started
    # One, or two when the change stream's starter raced the command's (the one that lost its claim ends at once).
    after = executions_of(solved_id)
    assert len(after) > len(before)
    assert case(stack, solved_id)["case"]["service"]["closes_at"] is not None
    (note,) = [e for e in events(stack, solved_id) if "start-close-timers" in e["reason"]]
    assert note["kind"] == "deadline_set"

    code, again = run(capsys)
    assert code == 0 and f"case {solved_id}" not in again and "1 running" in again
    assert executions_of(solved_id) == after


def test_the_started_timer_closes_a_case_whose_auto_close_is_overdue(stack, capsys):
    solved_id, _ = solved_without_timer(stack, 63)
    turn_auto_close_on(timedelta(seconds=1))

    code, started = run(capsys)

    assert code == 0 and "1 started" in started
    wait_for(stack, solved_id, closed)  # its own execution, at its first wake
    assert case(stack, solved_id)["case"]["status"] == "closed"


def test_an_unknown_tenant_or_auto_close_off_starts_nothing(stack, capsys):
    use(replace(QUICK, auto_close_after=None))
    solve(stack, open_chat_case(stack, 64))

    assert main(["cases", "start-close-timers", "--tenant", "nobody"]) == 1
    assert main(["cases", "start-close-timers", "--tenant", "acme"]) == 1
    assert "auto_close_after is off" in capsys.readouterr().err
