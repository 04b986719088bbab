"""`omnicase tenant add`, `quarantine list`, `config apply|show`: against AWS, or the local runtime via
AWS_ENDPOINT_URL."""

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

    seed_tenant(
        args.tenant,
        args.name,
        args.mailbox,
        args.api_token,
        args.ack_from or args.mailbox[0],
        endpoints=args.endpoint or [],
        chat_callback_url=args.chat_callback_url,
    )
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
        "--endpoint", action="append", help="another channel's address: sms:+15005550006, wechat:gh_…, chat:<widget>"
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
