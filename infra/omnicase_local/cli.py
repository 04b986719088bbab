"""The `omnicase` command line: subcommands, each importing its heavy dependencies only when run."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from omnicase_local.admin_commands import add_admin_commands
from omnicase_local.case_commands import add_case_commands
from omnicase_local.console import say
from omnicase_local.console_publish import add_console_command
from omnicase_local.customer_commands import add_customer_commands
from omnicase_local.kb_commands import add_kb_commands
from omnicase_local.log_files import DEFAULT_DIR as DEFAULT_LOG_DIR
from omnicase_local.replay_command import add_replay_command


def _run_local(args: argparse.Namespace) -> int:
    from omnicase_local.handlers import FunctionName
    from omnicase_local.log_files import route_logs
    from omnicase_local.runtime import LocalRuntime, api_token

    logs = route_logs(args.log_dir, verbose=args.verbose, log_filter=FunctionName())  # each line says whose it is
    for noisy in ("botocore", "boto3", "urllib3", "werkzeug", "mail.log", "moto"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    runtime = LocalRuntime(
        args.template, host=args.host, http_port=args.http_port, smtp_port=args.smtp_port, moto_port=args.moto_port
    )
    _build_console_if_needed(runtime.template.parent)
    try:
        seconds = runtime.start()
        stack = runtime.stack
        say(
            f"stack {stack.stack_name}: {len(stack.functions)} functions, {len(stack.routes)} routes, "
            f"{len(stack.schedules)} schedules, {len(stack.state_machines)} state machines"
        )
        for route in stack.routes:
            say(f"  {route.method:<6} {runtime.http_url}{route.path} -> {route.function}")
        say(
            f"omnicase local ready: {runtime.http_url} smtp://{args.host}:{args.smtp_port} "
            f"moto http://{args.host}:{args.moto_port} ({seconds:.1f} s)"
        )
        say(f"console: {runtime.console_url}")
        if runtime.demo_people:
            say(f"console sign-in: {_people(runtime)}")
        say(f"logs: {logs.functions} (the functions' JSON lines), {logs.runtime} (the runtime's own)")
        if args.demo:
            _demo(runtime, api_token())
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        say("omnicase local: shutting down")
        runtime.stop()
    return 0


def _build_console_if_needed(repo: Path) -> None:
    """The console's first build (or a rebuild after its sources changed) before the stack starts."""
    from omnicase_local.console_site import build_console, console_root, needs_build

    console = console_root(repo)
    if (console / "package.json").is_file() and needs_build(console):
        say("building the console (npm ci && npm run build) …")
        say("console built" if build_console(console) else "console not built: see the warning above")


def _people(runtime: Any) -> str:
    return ", ".join(f"{role} {name} / {password}" for name, password, role in runtime.demo_people)


def _demo(runtime: Any, token: str) -> None:
    from omnicase_local.demo import DemoTarget, run_demo

    target = DemoTarget(runtime.http_url, runtime.host, runtime.smtp_port, token)
    try:
        with runtime.outbox_quiet():  # the story tells each acknowledgement with the message it answers
            run_demo(target, runtime.template.parent / "events", out=say)
    except Exception as error:  # the stack keeps serving even when the demo trips
        logging.getLogger("omnicase_local.demo").exception("demo failed: %s", error)
        return
    say(f"open the console at {runtime.console_url} and sign in: {_people(runtime)}")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="omnicase", description="omnicase: omnichannel customer service on AWS")
    commands = parser.add_subparsers(dest="command", required=True)
    local = commands.add_parser("local", help="run the whole stack locally (embedded moto, no AWS, no Docker)")
    local.add_argument("--http-port", type=int, default=3000, help="API gateway port (default 3000)")
    local.add_argument("--smtp-port", type=int, default=2525, help="SES inbound SMTP port (default 2525)")
    local.add_argument("--moto-port", type=int, default=5000, help="moto server port (default 5000)")
    local.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    local.add_argument("--template", type=Path, default=None, help="SAM template (default ./template.yaml)")
    local.add_argument("--demo", action="store_true", help="play events/<channel>/ samples once ready")
    local.add_argument(
        "--log-dir",
        type=Path,
        default=DEFAULT_LOG_DIR,
        help=f"where the functions' JSON log lines and the runtime's log go (default {DEFAULT_LOG_DIR})",
    )
    local.add_argument("--verbose", action="store_true", help="also print every log line on the terminal")
    local.set_defaults(run=_run_local)
    add_admin_commands(commands)
    add_case_commands(commands)
    add_customer_commands(commands)
    add_kb_commands(commands)
    add_replay_command(commands)
    add_console_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `omnicase` console script."""
    args = build_parser().parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
