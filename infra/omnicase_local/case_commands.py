"""`omnicase cases start-close-timers`: against AWS, or the local runtime via AWS_ENDPOINT_URL."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

EXIT_NOTHING = 1  # an unknown tenant, or its auto-close is off: nothing to start


def _start_close_timers(args: argparse.Namespace) -> int:
    if args.table:
        os.environ["TABLE_NAME"] = args.table
    if args.state_machine:
        os.environ["ESCALATION_STATE_MACHINE_ARN"] = args.state_machine
    from omnicase.wiring import rebind

    rebind()
    from omnicase.admin import start_close_timers
    from omnicase.domain.case_lifecycle import span
    from omnicase.domain.errors import NotFound

    try:
        config, outcomes = start_close_timers(args.tenant, dry_run=args.dry_run)
    except NotFound as error:
        print(str(error), file=sys.stderr)
        return EXIT_NOTHING
    if config.auto_close_after is None:
        print(f"tenant {args.tenant}: auto_close_after is off; no solved case closes by itself", file=sys.stderr)
        return EXIT_NOTHING
    for outcome in outcomes:
        if outcome.result != "running":
            execution = f" (execution {outcome.execution})" if outcome.execution else ""
            closes = outcome.closes_at.isoformat(timespec="seconds")
            print(f"case {outcome.case_id}: {outcome.result}, closes at {closes}{execution}")
    counts = {r: sum(1 for o in outcomes if o.result == r) for r in ("started", "would-start", "running", "changed")}
    summary = ", ".join(f"{n} {what}" for what, n in counts.items() if n) or "no solved cases"
    print(f"tenant {args.tenant}: auto-close after {span(config.auto_close_after)}; {summary}")
    if counts["changed"]:
        print("cases changed while this ran were left alone: run it again", file=sys.stderr)
    return 0


def add_case_commands(commands: Any) -> None:
    """Register `cases start-close-timers` on the CLI's subparsers."""
    cases = commands.add_parser("cases", help="maintenance of a tenant's cases")
    actions = cases.add_subparsers(dest="cases_command", required=True)
    start = actions.add_parser(
        "start-close-timers",
        help="start the auto-close timer of solved cases that have none (solved before auto_close_after was set)",
    )
    start.add_argument("--tenant", required=True, help="tenant id, e.g. acme")
    start.add_argument("--dry-run", action="store_true", help="only list the cases that would get a timer")
    start.add_argument("--table", help="the CasesTable name (default: $TABLE_NAME)")
    start.add_argument(
        "--state-machine",
        help="the escalation state machine's ARN (default: $ESCALATION_STATE_MACHINE_ARN)",
    )
    start.set_defaults(run=_start_close_timers)
