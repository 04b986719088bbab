"""Late replies to one closed email case on moto, through the ingest_email handler: the second joins the follow-up the
first opened, and two arriving at once (both read the old case before either commits) still make one follow-up."""

from __future__ import annotations

import threading

from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import CaseItem
from omnicase.persistence.intake_store import DynamoIntakeStore
from tests.integration.test_escalation_flow import api
from tests.integration.test_ingest_email import deliver, mail
from tests.integration.webhook_client import cases


def closed_case(stack) -> str:
    """A case opened by mail a@x, solved and closed by an agent."""
    (first,), _ = deliver(stack, mail(message_id="a@x"), "ses-1")
    for status in ("solved", "closed"):
        response = api(stack, "PATCH", f"/cases/{first['case_id']}", {"status": status})
        assert response.status_code == 200 and response.json_body["case"]["status"] == status
    return first["case_id"]


def late_reply(stack, n: int) -> dict:
    raw = mail("Re: Printer broken", message_id=f"late-{n}@x", extra="In-Reply-To: <a@x>\r\n", body=f"still {n}")
    (result,), _ = deliver(stack, raw, f"ses-late-{n}")
    return result


def follow_ups(stack, case_id: str) -> list[str]:
    return [c["case_id"] for c in cases(stack) if c["follow_up_of"] == case_id]


def named_follow_up(case_id: str) -> str | None:
    return CaseItem.get(keys.case_pk("acme", case_id), keys.CASE_SK, consistent_read=True).followed_up_by


def test_a_second_late_reply_joins_the_follow_up_the_first_opened(stack):
    old = closed_case(stack)

    first, second = late_reply(stack, 1), late_reply(stack, 2)

    assert follow_ups(stack, old) == [first["case_id"]] == [second["case_id"]]
    assert named_follow_up(old) == first["case_id"]
    texts = [m["body_text"] for m in api(stack, "GET", f"/cases/{first['case_id']}").json_body["messages"]]
    assert any("still 1" in t for t in texts) and any("still 2" in t for t in texts)


def test_two_late_replies_at_once_end_in_one_follow_up(stack, monkeypatch):
    old = closed_case(stack)
    both_have_read = threading.Barrier(2, timeout=10)
    original = DynamoIntakeStore.read_cases
    saw: list[str | None] = []

    def read_then_wait(self, tenant_id, case_ids):
        found = original(self, tenant_id, case_ids)  # the case the In-Reply-To's stored mail belongs to
        if len(saw) < 2:  # both see the closed case with no follow-up before either commits
            saw.append(found[old].followed_up_by if old in found else "unread")
            both_have_read.wait()
        return found

    monkeypatch.setattr(DynamoIntakeStore, "read_cases", read_then_wait)
    results: list[dict] = []
    threads = [threading.Thread(target=lambda n=n: results.append(late_reply(stack, n))) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert saw == [None, None]  # the race really happened
    (follow_up,) = follow_ups(stack, old)
    assert sorted(r["case_id"] for r in results) == [follow_up, follow_up]
    assert named_follow_up(old) == follow_up
