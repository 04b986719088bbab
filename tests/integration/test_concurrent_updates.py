"""50 agents change one case at once through the real API handler: nothing is lost and nothing is overwritten
silently — a note always lands; a change made against the version the agent read lands or is refused with 409."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.integration.test_case_actions_api import case_id, request  # noqa: F401 - fixture
from tests.integration.test_routing_at_intake import acme_config  # noqa: F401 - fixture

NOTES, TAGS, PROBLEMS = 20, 15, 15


@pytest.fixture
def one_request_per_thread(stack, monkeypatch):
    """Lambda runs one request per container; here 50 threads share one Chalice app, so its per-request
    attributes are kept per thread (the app sets them for every request, the routes read them)."""
    app = stack.handler("api")
    local = threading.local()

    def per_thread(name: str) -> property:
        return property(lambda self: getattr(local, name, None), lambda self, value: setattr(local, name, value))

    shared = type(app)
    isolated = type("OneRequestPerThread", (shared,), {n: per_thread(n) for n in ("current_request", "lambda_context")})
    monkeypatch.setattr(app, "__class__", isolated)


def test_fifty_concurrent_agents_lose_no_update(stack, case_id, one_request_per_thread):  # noqa: F811
    start = request(stack, "GET", f"/cases/{case_id}")[1]["case"]
    go = threading.Barrier(NOTES + TAGS + PROBLEMS)

    def note(n: int):
        go.wait()
        return "note", n, *request(stack, "POST", f"/cases/{case_id}/notes", {"body": f"note {n}"}, agent=f"a{n}")

    def add_tag(n: int):
        seen = request(stack, "GET", f"/cases/{case_id}")[1]["case"]  # what the agent has on screen
        go.wait()
        body = {"tags": [*seen["tags"], f"tag-{n}"], "version": seen["version"]}
        return "tag", n, *request(stack, "PATCH", f"/cases/{case_id}", body)

    def link_problem(n: int):
        seen = request(stack, "GET", f"/cases/{case_id}")[1]["case"]
        go.wait()
        body = {"problem_key": f"BUG-{n}", "version": seen["version"]}
        return "problem", n, *request(stack, "PATCH", f"/cases/{case_id}", body)

    jobs = [(note, n) for n in range(NOTES)] + [(add_tag, n) for n in range(TAGS)]
    jobs += [(link_problem, n) for n in range(PROBLEMS)]
    with ThreadPoolExecutor(len(jobs)) as pool:
        results = list(pool.map(lambda job: job[0](job[1]), jobs))

    outcomes = Counter((kind, status) for kind, _, status, _ in results)
    assert outcomes[("note", 201)] == NOTES  # commutative: re-read and re-applied on a lost race, never refused
    refused = [answer for kind, _, status, answer in results if status == 409]
    assert all(status in (200, 201, 409) for _, _, status, _ in results), outcomes
    assert all("reload and retry" in answer["Message"] for answer in refused)
    applied = {(kind, n) for kind, n, status, _ in results if status in (200, 201)}
    # All of them read the same version before any write: at most one versioned change can land on it.
    assert len(refused) >= TAGS + PROBLEMS - 1

    _, after = request(stack, "GET", f"/cases/{case_id}")
    notes = sorted(m["body_text"] for m in after["messages"] if m["direction"] == "note")
    assert notes == sorted(f"note {n}" for n in range(NOTES))
    assert set(after["case"]["tags"]) == {*start["tags"], *(f"tag-{n}" for kind, n in applied if kind == "tag")}
    assert after["case"]["service"]["problem_key"] in {None, *(f"BUG-{n}" for kind, n in applied if kind == "problem")}
    versions = sorted((a.get("case") or {}).get("version") for k, n, s, a in results if s in (200, 201))
    assert after["case"]["version"] == start["version"] + len(applied), (
        versions
    )  # every applied write, and nothing else, counted
