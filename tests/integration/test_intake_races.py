"""Races on real conditional writes (moto DynamoDB): versioned cases and first-contact identities."""

from __future__ import annotations

import threading

from chalice.test import Client

from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import CaseItem
from omnicase.persistence.intake_store import DynamoIntakeStore
from tests.integration.conftest import TOKEN
from tests.integration.test_ingest_email import deliver, mail


def case_of(stack, case_id):
    with Client(stack.handler("api")) as client:
        return client.http.get(f"/cases/{case_id}", headers={"Authorization": f"Bearer {TOKEN}"}).json_body


def test_an_agent_edit_between_read_and_commit_is_kept_and_intake_retries(stack, monkeypatch):
    (first,), _ = deliver(stack, mail(message_id="a@x"), "ses-1")
    original = DynamoIntakeStore.commit_intake
    edits = []

    def agent_edits_first(self, plan):
        if not edits:  # once: the agent saves between intake's read and its commit
            item = CaseItem.get(keys.case_pk("acme", first["case_id"]), keys.CASE_SK)
            item.update(actions=[CaseItem.priority.set("urgent")])  # versioned: bumps the version
            edits.append(item.version)
        return original(self, plan)

    monkeypatch.setattr(DynamoIntakeStore, "commit_intake", agent_edits_first)
    (reply,), _ = deliver(stack, mail("Re: x", message_id="b@x", extra="In-Reply-To: <a@x>\r\n"), "ses-2")

    case = case_of(stack, first["case_id"])["case"]
    assert reply["case_id"] == first["case_id"]
    assert case["priority"] == "urgent"  # the agent's change survived
    assert case["message_count"] == 3 and case["version"] == edits[0] + 1


def test_two_first_mails_from_one_sender_at_once_make_one_customer(stack, monkeypatch):
    both_have_read = threading.Barrier(2, timeout=10)
    original = DynamoIntakeStore.read_snapshot
    first_reads = []

    def read_then_wait(self, inbound, email_ids, case_ids):
        snapshot = original(self, inbound, email_ids, case_ids)
        if len(first_reads) < 2:  # both deliveries see "unknown sender" before either commits
            first_reads.append(snapshot.customer_id)
            both_have_read.wait()
        return snapshot

    monkeypatch.setattr(DynamoIntakeStore, "read_snapshot", read_then_wait)
    results = []

    def send(n):
        results.append(deliver(stack, mail(f"topic {n}", sender="new@example.com", message_id=f"r{n}@x"), f"race-{n}"))

    threads = [threading.Thread(target=send, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    customers = {case_of(stack, r[0][0]["case_id"])["case"]["customer_id"] for r in results}
    assert first_reads == [None, None]  # the race really happened
    assert len(results) == 2 and len(customers) == 1
