"""`omnicase tenant add`, `agents add|list|revoke`, `quarantine list`, `config apply|show`: against AWS, or the local
runtime via AWS_ENDPOINT_URL."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

EXIT_INVALID = 2  # the file is wrong: nothing was changed
EXIT_CONFLICT = 1  # someone else applied first, or there is nothing to show


def _bind(table: str | None, bucket: str | None) -> None:
    if table:
        os.environ["TABLE_NAME"] = table
    if bucket:
        os.environ["MAIL_BUCKET"] = bucket
    from omnicase.wiring import rebind

    rebind()


def _tenant_add(args: argparse.Namespace) -> int:
    _bind(args.table, None)
    from omnicase.admin import seed_tenant

    try:
        seed_tenant(
            args.tenant,
            args.name,
            args.mailbox,
            args.api_token,
            args.ack_from or args.mailbox[0],
            endpoints=args.endpoint or [],
            chat_callback_url=args.chat_callback_url,
        )
    except ValueError as error:
        print(str(error), file=sys.stderr)
        return EXIT_INVALID
    print(f"tenant {args.tenant}: mailboxes {', '.join(args.mailbox)}; api token stored (hashed)")
    return 0


def _quarantine_list(args: argparse.Namespace) -> int:
    _bind(None, args.bucket)
    from omnicase.aws.mail_store import S3MailStore
    from omnicase.settings import get_settings

    records = S3MailStore(get_settings().mail_bucket).list_quarantine(args.tenant)
    print(json.dumps(records, indent=2, ensure_ascii=False))
    return 0


def _config_summary(config: Any) -> str:
    counts = {
        "calendars": len(config.calendars),
        "queues": len(config.queues),
        "agents": len(config.agents),
        "rules": len(config.rules),
        "key accounts": len(config.key_accounts),
        "tiers": len(config.tiers),
    }
    return ", ".join(f"{n} {what}" for what, n in counts.items())


def _config_apply(args: argparse.Namespace) -> int:
    from omnicase_local.config_file import ConfigFileError, load_config_file

    try:
        config = load_config_file(args.file, tenant_override=args.tenant)
    except ConfigFileError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{args.file}: {len(error.problems)} problem(s); nothing was applied", file=sys.stderr)
        return EXIT_INVALID
    if args.dry_run:  # no table access: usable as a check in CI
        print(f"tenant {config.tenant_id}: valid ({_config_summary(config)}); dry run, nothing applied")
        return 0
    _bind(args.table, None)
    from dataclasses import replace

    from omnicase.persistence.config_store import ConfigStore, ConfigVersionConflict

    store = ConfigStore(cache_seconds=0)
    current = store.load(config.tenant_id, cached=False)
    expected = args.expected_version if args.expected_version is not None else (current.version if current else None)
    if current is not None and expected == current.version and replace(current, version=0, applied_at=None) == config:
        print(f"tenant {config.tenant_id}: unchanged at version {current.version} ({_config_summary(config)})")
        return 0
    try:
        saved = store.save(config, expected_version=expected)
    except ConfigVersionConflict as error:
        print(str(error), file=sys.stderr)
        return EXIT_CONFLICT
    print(f"tenant {saved.tenant_id}: applied version {saved.version} ({_config_summary(saved)})")
    return 0


def _config_show(args: argparse.Namespace) -> int:
    _bind(args.table, None)
    from omnicase.persistence.config_store import ConfigStore
    from omnicase_local.config_file import dump_config_yaml

    config = ConfigStore(cache_seconds=0).load(args.tenant, cached=False)
    if config is None:
        print(f"tenant {args.tenant}: no configuration applied yet", file=sys.stderr)
        return EXIT_CONFLICT
    applied = config.applied_at.isoformat(timespec="seconds") if config.applied_at else "?"
    print(f"# tenant {config.tenant_id}: version {config.version}, applied {applied}")
    print(dump_config_yaml(config), end="")
    return 0


def _agents_add(args: argparse.Namespace) -> int:
    _bind(args.table, None)
    from omnicase.admin import add_agent_token
    from omnicase.domain.errors import NotFound

    if args.user_pool and args.token:
        print("--token gives an API token; with --user-pool the person signs in with a password", file=sys.stderr)
        return EXIT_INVALID
    if not args.user_pool and (args.password or args.username):
        print("--username and --password need --user-pool (or OMNICASE_USER_POOL_ID)", file=sys.stderr)
        return EXIT_INVALID
    try:
        if args.user_pool:
            return _add_person(args)
        token, record = add_agent_token(args.tenant, args.agent, args.role, args.token)
    except (ValueError, NotFound) as error:
        print(str(error), file=sys.stderr)
        return EXIT_INVALID
    print(f"tenant {args.tenant}: agent {record.agent_id} ({record.role}) token {record.fingerprint} stored (hashed)")
    if args.token is None:  # generated: this is the only time anyone sees it
        print(f"token (shown once, keep it safe): {token}")
    return 0


def _add_person(args: argparse.Namespace) -> int:
    from omnicase.admin import add_person
    from omnicase.aws.cognito_people import CognitoPeople

    password, record = add_person(
        args.tenant,
        args.agent,
        args.role,
        CognitoPeople(args.user_pool),
        username=args.username,
        password=args.password,
    )
    print(
        f"tenant {args.tenant}: agent {record.agent_id} ({record.role}) signs in as user {record.username} "
        f"(user pool {record.user_pool_id})"
    )
    if password is not None:  # generated: this is the only time anyone sees it
        print(f"password (shown once, keep it safe): {password}")
    body = json.dumps({"username": record.username, "password": "…"}, ensure_ascii=False)
    print(f"sign in: the console's sign-in page, or POST /auth/session {body}")
    return 0


def _agents_list(args: argparse.Namespace) -> int:
    _bind(args.table, None)
    from omnicase.admin import list_agent_tokens, list_people

    def when(at: Any) -> str:
        return at.isoformat(timespec="seconds") if at else "-"

    rows = [("AGENT", "ROLE", "CREATED", "REVOKED", "FINGERPRINT", "SIGN-IN")]
    for t in list_agent_tokens(args.tenant):
        # "-": a tenant-wide token (`omnicase tenant add`), not bound to an agent
        rows.append((t.agent_id or "-", t.role, when(t.created_at), when(t.revoked_at), t.fingerprint, "api-token"))
    for p in list_people(args.tenant):
        rows.append((p.agent_id, p.role, when(p.created_at), when(p.revoked_at), "-", f"user:{p.username}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return 0


def _agents_revoke(args: argparse.Namespace) -> int:
    _bind(args.table, None)
    from datetime import timedelta

    from omnicase.admin import revoke_agent_tokens, revoke_people
    from omnicase.persistence.tenant_store import TOKEN_CACHE_SECONDS
    from omnicase.persistence.user_store import USER_CACHE_SECONDS

    def by(at: Any, seconds: int) -> str:
        """When every warm API container has let go of what it cached: the revocation is complete then."""
        return f"within {seconds} s (by {(at + timedelta(seconds=seconds)).strftime('%H:%M:%S')} UTC)"

    try:
        revoked = revoke_agent_tokens(args.tenant, agent_id=args.agent, fingerprint=args.fingerprint)
    except ValueError as error:
        print(str(error), file=sys.stderr)
        return EXIT_INVALID
    people = revoke_people(args.tenant, args.agent) if args.agent else []
    if not revoked and not people:
        print(f"tenant {args.tenant}: no live token or person matches; nothing revoked", file=sys.stderr)
        return EXIT_CONFLICT
    for t in revoked:
        print(
            f"tenant {args.tenant}: revoked token {t.fingerprint} of {t.agent_id or 'the tenant'} ({t.role}); "
            f"the API refuses it {by(t.revoked_at, TOKEN_CACHE_SECONDS)}"
        )
    for p in people:
        print(
            f"tenant {args.tenant}: revoked user {p.username} of {p.agent_id} ({p.role}): disabled in user pool "
            f"{p.user_pool_id}, signed out everywhere (no new sign-in or refresh); the API refuses the access token "
            f"they still hold {by(p.revoked_at, USER_CACHE_SECONDS)}"
        )
    return 0


def _add_agent_commands(commands: Any) -> None:
    from omnicase.domain.principal import ROLES  # dependency-free: the CLI stays quick to start

    agents = commands.add_parser("agents", help="agents: console sign-in (people), API tokens, roles")
    actions = agents.add_subparsers(dest="agents_command", required=True)
    add = actions.add_parser("add", help="let an agent sign in (--user-pool) or give them an API token, with a role")
    add.add_argument("--tenant", required=True, help="tenant id, e.g. acme")
    add.add_argument("--agent", required=True, help="agent id, as in the tenant configuration, e.g. zhang.wei")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--token", help="use this token (stored as SHA-256); default: generate one and print it once")
    add.add_argument(
        "--user-pool",
        default=os.environ.get("OMNICASE_USER_POOL_ID") or None,
        help="the stack's UserPoolId output: create a person who signs in to the console instead of an API token "
        "(default: $OMNICASE_USER_POOL_ID)",
    )
    add.add_argument("--username", help="with --user-pool: the sign-in name (default: the agent id)")
    add.add_argument(
        "--password",
        help="with --user-pool: this permanent password (it stays in shell history: prefer a generated one, "
        "printed once)",
    )
    add.add_argument("--table", help="the CasesTable name (default: $TABLE_NAME)")
    add.set_defaults(run=_agents_add)
    listing = actions.add_parser("list", help="the tenant's tokens and people: agent, role, created, revoked")
    listing.add_argument("--tenant", required=True, help="tenant id, e.g. acme")
    listing.add_argument("--table", help="the CasesTable name (default: $TABLE_NAME)")
    listing.set_defaults(run=_agents_list)
    revoke = actions.add_parser("revoke", help="revoke an agent's tokens and sign-in, or one token by fingerprint")
    revoke.add_argument("--tenant", required=True, help="tenant id, e.g. acme")
    which = revoke.add_mutually_exclusive_group(required=True)
    which.add_argument("--agent", help="revoke every token of this agent and disable their sign-in")
    which.add_argument("--fingerprint", help="revoke the token whose fingerprint (from `agents list`) starts so")
    revoke.add_argument("--table", help="the CasesTable name (default: $TABLE_NAME)")
    revoke.set_defaults(run=_agents_revoke)


def _add_config_commands(commands: Any) -> None:
    config = commands.add_parser("config", help="tenant configuration: routing, SLA, calendars, queues, people")
    actions = config.add_subparsers(dest="config_command", required=True)
    apply = actions.add_parser("apply", help="validate a YAML file and store it as the tenant's configuration")
    apply.add_argument("file", help="the YAML file, e.g. config/acme.yaml")
    apply.add_argument("--tenant", help="apply to this tenant instead of the file's `tenant:`")
    apply.add_argument("--dry-run", action="store_true", help="only validate; touches no table")
    apply.add_argument(
        "--expected-version",
        type=int,
        help="apply only if the stored version is still this one (0: none stored); default: the one read now",
    )
    apply.add_argument("--table", help="the CasesTable name (default: $TABLE_NAME)")
    apply.set_defaults(run=_config_apply)
    show = actions.add_parser("show", help="print the tenant's stored configuration as YAML")
    show.add_argument("--tenant", required=True, help="tenant id, e.g. acme")
    show.add_argument("--table", help="the CasesTable name (default: $TABLE_NAME)")
    show.set_defaults(run=_config_show)


def add_admin_commands(commands: Any) -> None:
    """Register the admin subcommands on the CLI's subparsers."""
    tenant = commands.add_parser("tenant", help="manage tenants").add_subparsers(dest="tenant_command", required=True)
    add = tenant.add_parser("add", help="create or update a tenant, its mailboxes and an API token")
    add.add_argument("--table", help="the CasesTable name (default: $TABLE_NAME)")
    add.add_argument("--tenant", required=True, help="tenant id, e.g. acme")
    add.add_argument("--name", required=True, help="display name used in acknowledgements")
    add.add_argument("--mailbox", action="append", required=True, help="inbound address (repeatable)")
    add.add_argument("--ack-from", help="sender of acknowledgements (default: the first mailbox)")
    add.add_argument(
        "--endpoint",
        action="append",
        help="another channel's address: sms:+15005550006 (AWS), sms:twilio:+15017122661, wechat:gh_…, chat:<widget>",
    )
    add.add_argument("--chat-callback-url", help="where outbound chat messages are POSTed (signed)")
    add.add_argument("--api-token", required=True, help="bearer token for the API (stored as SHA-256)")
    add.set_defaults(run=_tenant_add)

    quarantine = commands.add_parser("quarantine", help="mail that could not be taken in")
    listing = quarantine.add_subparsers(dest="quarantine_command", required=True).add_parser("list")
    listing.add_argument("--bucket", help="the MailBucket name (default: $MAIL_BUCKET)")
    listing.add_argument("--tenant", help="only this tenant's quarantine")
    listing.set_defaults(run=_quarantine_list)

    _add_config_commands(commands)
    _add_agent_commands(commands)
    _add_report_command(commands)


def _report(args: argparse.Namespace) -> int:
    _bind(args.table, None)
    from omnicase.console_api.sla_report_view import load_sla_report, scanned_sla_report
    from omnicase.reports.sla_report import report_to_dict

    if args.action == "rebuild":
        return _rebuild_report_counters(args.tenant)
    params = {name: value for name, value in (("from", args.date_from), ("to", args.date_to)) if value}
    try:
        report = report_to_dict((scanned_sla_report if args.scan else load_sla_report)(args.tenant, params))
    except ValueError as error:
        print(str(error), file=sys.stderr)
        return EXIT_INVALID
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else _report_table(args.tenant, report))
    return 0


def _rebuild_report_counters(tenant: str) -> int:
    from omnicase.persistence.report_counters import DynamoReportCounters
    from omnicase.reports.count_feed import rebuild_counters
    from omnicase.reports.count_rules import CountRules, count_rules
    from omnicase.wiring import tenant_configs

    def rules_of(tenant_id: str) -> CountRules:
        return count_rules(tenant_configs().config_for(tenant_id))

    moved, read = rebuild_counters(tenant, DynamoReportCounters(), rules_of)
    print(f"report counters of {tenant}: counted {moved} of {read} items again (the others were counted already)")
    return 0


def _report_table(tenant: str, report: dict[str, Any]) -> str:
    def rate(figure: dict[str, Any]) -> str:
        share = "—" if figure["rate"] is None else f"{figure['rate'] * 100:.2f}%"
        return f"{share:>8}  ({figure['numerator']}/{figure['denominator']})"

    def counts(title: str, figures: dict[str, int] | list[tuple[str, int]]) -> list[str]:
        rows = list(figures.items()) if isinstance(figures, dict) else figures
        return [f"{title}:", *(f"  {name:<40} {n:>6}" for name, n in rows)] if rows else [f"{title}: none"]

    csat = report["csat"]
    figures = [
        ("chat answered within 30 s", rate(report["chat_answer_30s"])),
        ("ticket first response within 30 min", rate(report["ticket_first_response_30min"])),
        ("callback within 3 days", rate(report["callback_3d"])),
        ("  of key complaints", rate(report["key_complaint_callback_3d"])),
        ("  of low scores", rate(report["low_score_callback_3d"])),
        ("key complaints", f"{report['key_complaints']:>8}"),
        ("CSAT 4-5", rate(csat["share_4_5"])),
        ("CSAT answers by score", "  ".join(f"{score}:{n}" for score, n in csat["distribution"].items())),
    ]
    lines = [
        f"SLA report, tenant {tenant}: {report['cases']} cases created from {report['from']} to {report['to']} (excl.)",
        *(f"  {label:<36} {value}" for label, value in figures),
        *counts("breaches by queue", report["breaches_by_queue"]),
        *counts("escalations by queue", report["escalations_by_queue"]),
        *counts("escalation levels", report["escalation_levels"]),
        *counts("interceptions by agent", report["interceptions_by_agent"]),
        *counts("top tags", [(t["tag"], t["count"]) for t in report["top_tags"]]),
        *counts("top subjects", [(s["subject"], s["count"]) for s in report["top_subjects"]]),
    ]
    return "\n".join(lines)


def _add_report_command(commands: Any) -> None:
    report = commands.add_parser(
        "report", help="the SLA report over the tenant's local days (show), or its counters recounted (rebuild)"
    )
    report.add_argument(
        "action",
        nargs="?",
        choices=("show", "rebuild"),
        default="show",
        help="show (default); rebuild: recount every case, answer, sent survey and interception into the daily "
        "counters (after deploying them, or after changing the tenant's time zone)",
    )
    report.add_argument("--tenant", required=True, help="tenant id, e.g. acme")
    report.add_argument(
        "--from", dest="date_from", help="first day (tenant's time zone), inclusive; default: 7 days back"
    )
    report.add_argument("--to", dest="date_to", help="end day, exclusive; default: tomorrow")
    report.add_argument("--json", action="store_true", help="print the report as JSON (what GET /reports/sla answers)")
    report.add_argument("--scan", action="store_true", help="compute it from every case of the window (a check)")
    report.add_argument("--table", help="the CasesTable name (default: $TABLE_NAME)")
    report.set_defaults(run=_report)
