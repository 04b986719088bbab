"""Agents' API tokens on moto: tenant + agent + role, revocation, the actor in the audit trail, isolation, the CLI."""

from __future__ import annotations

import re

import pytest

from omnicase.admin import add_agent_token, list_agent_tokens, revoke_agent_tokens
from omnicase_local.cli import main
from tests.integration.conftest import TOKEN
from tests.integration.test_case_actions_api import case_id, request  # noqa: F401 - fixture
from tests.integration.test_routing_at_intake import acme_config  # noqa: F401 - fixture


def cases_seen(stack, token: str) -> tuple[int, list[str]]:
    status, body = request(stack, "GET", "/cases", token=token)
    return status, [c["case_id"] for c in body["cases"]] if status == 200 else []


def test_an_agent_token_reads_its_own_tenants_cases_and_no_one_elses(stack, case_id):  # noqa: F811
    acme_token, record = add_agent_token("acme", "zhang.wei", "agent")
    globex_token, _ = add_agent_token("globex", "hans.m", "supervisor")

    assert cases_seen(stack, acme_token) == (200, [case_id])
    assert (record.agent_id, record.role, record.revoked_at) == ("zhang.wei", "agent", None)
    assert cases_seen(stack, globex_token) == (200, [])
    for path in (f"/cases/{case_id}", f"/cases/{case_id}/events"):  # 404, not 403: the id's existence stays secret
        assert request(stack, "GET", path, token=globex_token)[0] == 404
    assert request(stack, "PATCH", f"/cases/{case_id}", {"priority": "urgent"}, token=globex_token)[0] == 404
    assert request(stack, "GET", f"/cases/{case_id}", token=acme_token)[1]["case"]["priority"] == "normal"


def test_a_revoked_token_is_unknown_and_the_tenant_token_keeps_working(stack, case_id):  # noqa: F811
    token, record = add_agent_token("acme", "zhang.wei", "agent")
    assert cases_seen(stack, token)[0] == 200  # cached as valid in this process, like a warm container

    (revoked,) = revoke_agent_tokens("acme", agent_id="zhang.wei")

    assert revoked.fingerprint == record.fingerprint and revoked.revoked_at is not None
    status, body = request(stack, "GET", "/cases", token=token)
    assert status == 401 and "unknown api token" in body["Message"]
    assert cases_seen(stack, TOKEN) == (200, [case_id])  # the tenant-wide token from `tenant add`: role admin
    assert revoke_agent_tokens("acme", agent_id="zhang.wei") == []  # nothing live is left


def test_another_container_stops_accepting_a_revoked_token_once_its_cache_expires(stack):
    from omnicase.persistence.tenant_store import TOKEN_CACHE_SECONDS, DynamoTenantDirectory, hash_token

    now = [1000.0]
    container = DynamoTenantDirectory(clock=lambda: now[0])
    token, _ = add_agent_token("acme", "li.na", "supervisor")
    assert container.principal_for_token_hash(hash_token(token)).role == "supervisor"

    revoke_agent_tokens("acme", agent_id="li.na")
    assert TOKEN_CACHE_SECONDS <= 5  # what `agents revoke` promises
    now[0] += TOKEN_CACHE_SECONDS - 1
    assert container.principal_for_token_hash(hash_token(token)) is not None  # the documented bound, not more
    now[0] += 2
    assert container.principal_for_token_hash(hash_token(token)) is None


def test_the_legacy_tenant_token_is_a_tenant_wide_admin(stack):
    from omnicase.wiring import tenant_directory

    principal = tenant_directory().tenant_for_token(TOKEN)
    assert principal is not None and principal.tenant_id == "acme"
    (legacy,) = list_agent_tokens("acme")
    assert (legacy.agent_id, legacy.role) == (None, "admin")


def test_an_agent_tokens_changes_are_signed_by_its_agent_not_by_the_header(stack, case_id):  # noqa: F811
    token, _ = add_agent_token("acme", "zhang.wei", "agent")

    status, _ = request(stack, "PATCH", f"/cases/{case_id}", {"assignee": "li.na"}, token=token, agent="wang.fang")
    assert status == 200
    request(stack, "PATCH", f"/cases/{case_id}", {"priority": "high"}, token=TOKEN, agent="wang.fang")

    _, trail = request(stack, "GET", f"/cases/{case_id}/events", token=token)
    by_kind = {e["kind"]: e for e in trail["events"]}
    assert by_kind["assigned"]["actor"] == "zhang.wei"
    assert by_kind["priority_changed"]["actor"] == "wang.fang"  # a tenant-wide token still names its agent


def test_a_token_already_in_use_by_any_tenant_is_refused(stack):
    with pytest.raises(ValueError, match="already in use"):
        add_agent_token("globex", "hans.m", "agent", token=TOKEN)
    with pytest.raises(ValueError, match="at least 16"):
        add_agent_token("acme", "zhang.wei", "agent", token="short")
    with pytest.raises(ValueError, match="agent id"):
        add_agent_token("acme", "zhang wei", "agent")
    with pytest.raises(ValueError, match="role must be one of"):
        add_agent_token("acme", "zhang.wei", "owner")
    assert [t.agent_id for t in list_agent_tokens("globex")] == [None]


def run(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_adds_lists_and_revokes_agent_tokens(stack, case_id, capsys):  # noqa: F811
    table = ("--table", stack.table, "--tenant", "acme")
    code, out, _ = run(capsys, "agents", "add", *table, "--agent", "wang.fang", "--role", "supervisor")
    assert code == 0
    generated = out.split("token (shown once, keep it safe): ")[1].strip()
    code, out, _ = run(capsys, "agents", "add", *table, "--agent", "li.na", "--role", "agent", "--token", "x" * 20)
    assert code == 0 and "x" * 20 not in out  # a chosen token is never echoed
    assert cases_seen(stack, generated) == (200, [case_id])

    code, out, _ = run(capsys, "agents", "list", *table)
    assert code == 0 and generated not in out
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:]}
    assert rows["wang.fang"][1] == "supervisor" and rows["wang.fang"][3] == "-"
    assert rows["li.na"][1] == "agent" and rows["-"][1] == "admin"  # the tenant-wide token
    fingerprint = rows["wang.fang"][4]
    assert len(fingerprint) == 12 and fingerprint not in generated

    code, out, _ = run(capsys, "agents", "revoke", *table, "--fingerprint", fingerprint)
    assert code == 0 and f"revoked token {fingerprint} of wang.fang" in out
    assert re.search(r"the API refuses it within 5 s \(by \d\d:\d\d:\d\d UTC\)", out)  # when it is complete
    assert request(stack, "GET", "/cases", token=generated)[0] == 401
    assert request(stack, "GET", "/cases", token="x" * 20)[0] == 200  # li.na's token is untouched
    code, _, err = run(capsys, "agents", "revoke", *table, "--fingerprint", fingerprint)
    assert code == 1 and "nothing revoked" in err
    code, out, _ = run(capsys, "agents", "list", *table)
    assert [line.split()[3] != "-" for line in out.splitlines()[1:] if line.startswith("wang.fang")] == [True]

    code, _, err = run(
        capsys, "agents", "add", "--table", stack.table, "--tenant", "nobody", "--agent", "a", "--role", "agent"
    )
    assert code == 2 and "tenant nobody does not exist" in err
    code, _, err = run(capsys, "agents", "revoke", *table, "--fingerprint", "abc")
    assert code == 2 and "at least 8" in err
    with pytest.raises(SystemExit):
        main(["agents", "add", *table, "--agent", "a", "--role", "owner"])
