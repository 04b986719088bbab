"""EventBridge schedules of the template, ticked locally (moto does not fire them)."""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from omnicase_local.sam_template import Schedule
from omnicase_local.stack import DeployedStack

logger = logging.getLogger("omnicase_local.schedules")
OVERRIDE_ENV = "OMNICASE_LOCAL_SCHEDULE_SECONDS"
_RATE = re.compile(r"^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


def interval_seconds(expression: str) -> float | None:
    """Seconds between ticks of a rate() expression (or the env override); None for what is not ticked (cron)."""
    override = os.environ.get(OVERRIDE_ENV)
    match = _RATE.match(expression.strip())
    if match is None:
        return None
    if override:
        return float(override)
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2).rstrip("s")]


def scheduled_event(schedule: Schedule, *, rule_arn: str, account_id: str, region: str) -> Any:
    """The event the target receives: the schedule's Input when set, else EventBridge's 'Scheduled Event'."""
    if schedule.input is not None:
        return json.loads(schedule.input)
    if schedule.kind == "ScheduleV2":
        return {}
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": account_id,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [rule_arn],
        "detail": {},
    }


class ScheduleTicker:
    """One daemon thread per ticked schedule, each calling `fire(schedule)` at its rate until stop()."""

    def __init__(self, schedules: list[Schedule], fire: Callable[[Schedule], None]) -> None:
        self._schedules = [s for s in schedules if s.enabled]
        self._fire = fire
        self._stop = threading.Event()

    def start(self) -> None:
        """Start ticking; cron() schedules are reported and skipped."""
        for schedule in self._schedules:
            seconds = interval_seconds(schedule.expression)
            if seconds is None:
                logger.warning(
                    "%s.%s: only rate() schedules are ticked locally (%s)",
                    schedule.target,
                    schedule.event_name,
                    schedule.expression,
                )
                continue
            threading.Thread(
                target=self._loop, args=(schedule, seconds), name=f"schedule-{schedule.event_name}", daemon=True
            ).start()

    def _loop(self, schedule: Schedule, seconds: float) -> None:
        while not self._stop.wait(seconds):
            try:
                self._fire(schedule)
            except Exception:
                logger.exception("schedule %s.%s failed", schedule.target, schedule.event_name)

    def stop(self) -> None:
        """Stop every schedule thread."""
        self._stop.set()


def fire_schedule(stack: DeployedStack, schedule: Schedule) -> None:
    """One tick: the target function is invoked asynchronously (as EventBridge does), a state machine started."""
    import boto3

    from omnicase_local.dispatch import invoke_async

    rule_id = stack.physical_ids.get(f"{schedule.target}{schedule.event_name}", schedule.event_name)
    rule_arn = f"arn:aws:events:{stack.region}:{stack.account_id}:rule/{rule_id}"
    event = scheduled_event(schedule, rule_arn=rule_arn, account_id=stack.account_id, region=stack.region)
    if schedule.target in stack.functions:
        invoke_async(stack.functions[schedule.target], event, source=f"schedule {schedule.event_name}")
    elif schedule.target in stack.state_machines:
        boto3.client("stepfunctions", region_name=stack.region).start_execution(
            stateMachineArn=stack.state_machines[schedule.target], input=json.dumps(event)
        )
