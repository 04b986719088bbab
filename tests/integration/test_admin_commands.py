"""`omnicase tenant add` and `omnicase quarantine list` against the stack on moto."""

from __future__ import annotations

import json

from chalice.test import Client

from omnicase_local.cli import main
from tests.integration.test_ingest_email import deliver


def test_tenant_add_makes_mailbox_and_token_work(stack, capsys):
    assert (
        main(
            [
                "tenant",
                "add",
                "--table",
                stack.table,
                "--tenant",
                "initech",
                "--name",
                "Initech Help",
                "--mailbox",
                "help@initech.example",
                "--api-token",
                "initech-token",
            ]
        )
        == 0
    )
    raw = b"From: p@example.com\r\nTo: help@initech.example\r\nSubject: TPS report\r\nMessage-ID: <t1@x>\r\n\r\nhi\r\n"
    (result,), _ = deliver(stack, raw, "ses-initech", recipients=("help@initech.example",))
    with Client(stack.handler("api")) as client:
        listed = client.http.get("/cases", headers={"Authorization": "Bearer initech-token"}).json_body
    assert [c["case_id"] for c in listed["cases"]] == [result["case_id"]]


def test_quarantine_list_shows_what_was_kept(stack, capsys):
    deliver(stack, b"\x00\x01 binary junk", "ses-junk")
    capsys.readouterr()
    assert main(["quarantine", "list", "--bucket", stack.bucket]) == 0
    (record,) = json.loads(capsys.readouterr().out)
    assert record["reason"] == "not-mime" and record["raw_key"].endswith("ses-junk.eml")
