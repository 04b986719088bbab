"""`omnicase tenant add`, `omnicase quarantine list`: against AWS, or the local runtime via AWS_ENDPOINT_URL."""

from __future__ import annotations

import argparse
import json
import os
from typing import Any


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
