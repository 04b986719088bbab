"""`omnicase kb sync DIR --tenant T`: make a tenant's knowledge base exactly the Markdown files of DIR, against AWS
(the table named by --table or $TABLE_NAME) or the local runtime via AWS_ENDPOINT_URL, as the other admin commands.

Every file is checked first; one bad file is printed as `file:line: problem` and nothing changes (exit 2).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from omnicase_local.admin_commands import EXIT_CONFLICT, EXIT_INVALID, _bind


def _sync(args: argparse.Namespace) -> int:
    from omnicase.domain.errors import ConcurrentUpdate
    from omnicase.kb.sync_plan import ArticleDirProblems, read_article_dir

    try:
        articles = read_article_dir(args.directory)
    except ArticleDirProblems as problems:
        print(str(problems), file=sys.stderr)
        print(f"{len(problems.problems)} problem(s); nothing was changed", file=sys.stderr)
        return EXIT_INVALID
    _bind(args.table, None)
    from omnicase.wiring import knowledge_base

    actor = args.by or f"cli:{getpass.getuser()}"
    try:
        plan = knowledge_base().sync(args.tenant, articles, actor, dry_run=args.dry_run)
    except ConcurrentUpdate as error:
        print(f"{error}; run the sync again", file=sys.stderr)
        return EXIT_CONFLICT
    for label, ids in (("added", [a.article_id for a in plan.add]), ("updated", [a.article_id for a in plan.update])):
        for article_id in ids:
            print(f"{label:<8} {article_id}")
    for article_id in plan.remove:
        print(f"removed  {article_id}")
    verb = "would change" if args.dry_run else "changed"
    print(
        f"tenant {args.tenant}: {len(plan.add)} added, {len(plan.update)} updated, {len(plan.remove)} removed, "
        f"{plan.unchanged} unchanged ({verb} by {actor})"
    )
    return 0


def add_kb_commands(commands: Any) -> None:
    """Register `omnicase kb sync` on the CLI's subparsers."""
    kb = commands.add_parser("kb", help="the knowledge base: articles for the help centre, self-service and agents")
    actions = kb.add_subparsers(dest="kb_command", required=True)
    sync = actions.add_parser(
        "sync",
        help="make the tenant's articles exactly DIR's *.md files (adds, updates, removes)",
        description="Each file: front matter (title, language en|zh, tags [a, b], product, visibility "
        "public|internal, optional id; default id: the file name) between '---' lines, then Markdown.",
    )
    sync.add_argument("directory", type=Path, help="a directory of *.md articles")
    sync.add_argument("--tenant", required=True, help="tenant id, e.g. acme")
    sync.add_argument("--dry-run", action="store_true", help="print what would change, change nothing")
    sync.add_argument("--by", help="who made the change, kept in each revision (default: cli:<user>)")
    sync.add_argument("--table", help="the CasesTable name (default: $TABLE_NAME)")
    sync.set_defaults(run=_sync)
