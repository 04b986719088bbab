"""`omnicase customer erase`: the right to be forgotten, against AWS (the table and mail bucket named by --table /
--bucket or $TABLE_NAME / $MAIL_BUCKET) or the local runtime via AWS_ENDPOINT_URL, as the other admin commands."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from omnicase_local.admin_commands import EXIT_CONFLICT, EXIT_INVALID, _bind


def _erase(args: argparse.Namespace) -> int:
    _bind(args.table, args.bucket)
    from omnicase.domain.errors import ConcurrentUpdate, NotFound
    from omnicase.wiring import customer_erasure

    actor = args.by or f"cli:{getpass.getuser()}"
    try:
        record, erased_now = customer_erasure().erase(args.tenant, args.customer, actor)
    except NotFound as error:
        print(f"tenant {args.tenant}: {error} does not exist; nothing was erased", file=sys.stderr)
        return EXIT_INVALID
    except ConcurrentUpdate as error:
        print(f"{error} (what was erased so far stays erased)", file=sys.stderr)
        return EXIT_CONFLICT
    if not erased_now:
        print(f"customer {args.customer} was already erased by {record.erased_by}; nothing changed", file=sys.stderr)
    print(json.dumps(record.as_document(), indent=2, ensure_ascii=False))
    return 0


def add_customer_commands(commands: Any) -> None:
    """Register `omnicase customer erase` on the CLI's subparsers."""
    customer = commands.add_parser("customer", help="a customer's data")
    actions = customer.add_subparsers(dest="customer_command", required=True)
    erase = actions.add_parser(
        "erase",
        help="erase a customer on request (PIPL / GDPR): identities, message text, raw mail and attachments",
        description="Removes the customer's identities and redacts their cases' messages, files, survey comments "
        "and drafts for good; the cases' numbers stay. Idempotent: a second run prints the first record.",
    )
    erase.add_argument("customer", help="the customer id (CU…), as GET /customers/{id} and the console show it")
    erase.add_argument("--tenant", required=True, help="tenant id, e.g. acme")
    erase.add_argument("--by", help="who asked, for the record and each case's audit trail (default: cli:<user>)")
    erase.add_argument("--table", help="the CasesTable name (default: $TABLE_NAME)")
    erase.add_argument("--bucket", help="the MailBucket name (default: $MAIL_BUCKET)")
    erase.set_defaults(run=_erase)
