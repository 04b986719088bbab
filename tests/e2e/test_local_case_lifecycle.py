"""`omnicase local` with seconds-scale close rules (tests/fixtures/config/quick-close.yaml): a chat case solved over
HTTP is closed by its Step Functions execution when the customer stays silent, and their next message opens a
follow-up case linked to it — all read back over HTTP."""

from __future__ import annotations

from tests.e2e.conftest import REPO, run_local
from tests.e2e.console_driver import post_chat
from tests.e2e.test_local_escalation import kinds, send

QUICK_CLOSE = REPO / "tests" / "fixtures" / "config" / "quick-close.yaml"


def test_a_silent_solved_case_closes_and_the_next_message_opens_a_follow_up(monkeypatch) -> None:
    monkeypatch.setenv("OMNICASE_LOCAL_CONFIG", str(QUICK_CLOSE))
    with run_local() as stack:
        first = {"conversation_id": "c-close", "message_id": "m-1", "user_id": "u-close", "text": "快递丢了"}
        assert post_chat(stack, first) == 201
        (opened,) = stack.wait_for(lambda: stack.get("/cases")[1]["cases"])
        case_id = opened["case_id"]
        solved = send(stack, "PATCH", f"/cases/{case_id}", {"status": "solved"})["case"]
        assert solved["service"]["closes_at"] is not None

        closed = stack.wait_for(lambda: stack.get(f"/cases/{case_id}")[1]["case"]["status"] == "closed", timeout=30)
        assert closed
        assert "status_changed" in kinds(stack, case_id)

        again = {"conversation_id": "c-close", "message_id": "m-2", "user_id": "u-close", "text": "还是没收到"}
        assert post_chat(stack, again) == 201
        follow_ups = stack.wait_for(
            lambda: [c for c in stack.get("/cases")[1]["cases"] if c["follow_up_of"] == case_id], timeout=10
        )
        assert len(follow_ups) == 1
        assert "follow_up_opened" in kinds(stack, follow_ups[0]["case_id"])
        assert "follow_up_opened" in kinds(stack, case_id)
