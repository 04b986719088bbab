"""Roles rank agent < supervisor < admin; auth turns tokens into principals and refusals into 401/403/429."""

from __future__ import annotations

import time

import pytest
from pynamodb.exceptions import UpdateError

from omnicase.api import auth, rate_limit
from omnicase.api.errors import http_errors
from omnicase.domain.errors import Forbidden, RateLimited, Unauthorized
from omnicase.domain.model import Tenant
from omnicase.domain.principal import ROLES, Principal, role_rank

ACME = Tenant("acme", "Acme", ("support@acme.example",), "support@acme.example")


def principal(role: str, agent: str | None = "zhang.wei") -> Principal:
    return Principal(tenant=ACME, agent_id=agent, role=role)


def test_roles_rank_agent_below_supervisor_below_admin():
    assert [role_rank(r) for r in ("agent", "supervisor", "admin")] == [0, 1, 2]
    assert ROLES == ("agent", "supervisor", "admin")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("agent", {"agent"}), ("supervisor", {"agent", "supervisor"}), ("admin", {"agent", "supervisor", "admin"})],
)
def test_require_role_allows_the_role_and_those_below_it(role, allowed):
    for needed in ROLES:
        if needed in allowed:
            auth.require_role(principal(role), needed)
        else:
            with pytest.raises(Forbidden, match=f"needs the {needed} role"):
                auth.require_role(principal(role), needed)


def test_an_unknown_role_is_refused_not_ranked():
    with pytest.raises(ValueError, match="role must be one of"):
        principal("owner")
    with pytest.raises(ValueError):
        auth.require_role(principal("admin"), "owner")


class _Directory:
    def __init__(self, principals: dict[str, Principal]) -> None:
        self.by_hash = {auth.hash_token(token): p for token, p in principals.items()}

    def principal_for_token_hash(self, token_hash: str) -> Principal | None:
        return self.by_hash.get(token_hash)


@pytest.fixture
def tokens(monkeypatch):
    directory = _Directory({"agent-token": principal("agent"), "tenant-token": principal("admin", agent=None)})
    counted: list[tuple[str, str]] = []
    monkeypatch.setattr(auth, "tenant_directory", lambda: directory)
    monkeypatch.setattr(auth, "check_rate", lambda tenant_id, token_hash: counted.append((tenant_id, token_hash)))
    return counted


def bearer(token: str, **more: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}", **more}


def test_a_token_resolves_to_its_principal_and_each_request_is_counted_once(tokens):
    found = auth.principal_of_request(bearer("agent-token"))
    assert found == principal("agent")
    assert auth.tenant_of_request(bearer("tenant-token")) == ACME
    assert tokens == [("acme", auth.hash_token("agent-token")), ("acme", auth.hash_token("tenant-token"))]


@pytest.mark.parametrize("headers", [{}, {"authorization": "Basic abc"}, bearer(" "), bearer("nobody-has-this")])
def test_missing_or_unknown_tokens_are_unauthorized_and_not_counted(tokens, headers):
    with pytest.raises(Unauthorized):
        auth.principal_of_request(headers)
    assert tokens == []


def test_an_agent_token_acts_as_its_agent_whatever_the_header_says(tokens):
    assert auth.actor_of(bearer("agent-token", **{"x-omnicase-agent": "wang.fang"})) == "zhang.wei"
    assert auth.actor_of(bearer("tenant-token", **{"x-omnicase-agent": "wang.fang"})) == "wang.fang"
    assert auth.actor_of(bearer("tenant-token")) == "api"
    assert tokens == []  # the actor costs no rate-limit slot: the route was counted when it authenticated


class _People:
    def __init__(self, principals: dict[str, Principal]) -> None:
        self.principals = principals

    def principal_for_sub(self, sub: str) -> Principal | None:
        return self.principals.get(sub)


@pytest.fixture
def people(tokens, monkeypatch):
    """A person's access tokens checked for real (keys made in test_access_token); their records in a fake."""
    from omnicase import wiring
    from tests.unit.test_access_token import POOL_KEY, Jwks, public_jwk, verifier

    check = verifier(Jwks(public_jwk(POOL_KEY, "k1")), now=[time.time()])
    monkeypatch.setattr(wiring, "access_token_verifier", lambda: check)
    monkeypatch.setattr(wiring, "people_directory", lambda: _People({"5f0c-person": principal("agent", "li.na")}))
    return tokens


def test_a_persons_access_token_resolves_to_their_record_and_is_counted_by_sub(people):
    from tests.unit.test_access_token import token

    now = int(time.time())
    access = token(iat=now, exp=now + 600, **{"custom:tenant": "globex"})
    assert auth.principal_of_request(bearer(access)) == principal("agent", "li.na")
    assert auth.actor_of(bearer(access, **{"x-omnicase-agent": "wang.fang"})) == "li.na"
    assert people == [("acme", "USER#5f0c-person")]

    stranger = token(iat=now, exp=now + 600, sub="not-added")
    with pytest.raises(Unauthorized, match="no access"):
        auth.principal_of_request(bearer(stranger))
    with pytest.raises(Unauthorized, match="session expired"):
        auth.principal_of_request(bearer(token(iat=now - 7200, exp=now - 3600)))
    assert people == [("acme", "USER#5f0c-person")]  # refused credentials make no counters


def test_only_jwt_shaped_bearers_take_the_session_path():
    assert auth.looks_like_jwt("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")
    assert not auth.looks_like_jwt("local-dev-token")
    assert not auth.looks_like_jwt("eyJ-but.only-two")


def test_forbidden_is_a_403_and_rate_limited_a_429_with_retry_after():
    @http_errors
    def forbidden() -> None:
        auth.require_role(principal("agent"), "supervisor")

    @http_errors
    def flooded() -> None:
        raise RateLimited(17)

    with pytest.raises(Exception) as refused:
        forbidden()
    assert refused.value.STATUS_CODE == 403 and "supervisor" in str(refused.value)
    answer = flooded()
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "17"
    assert answer.body["Code"] == "TooManyRequests" and "17s" in answer.body["Message"]


@pytest.mark.parametrize(("value", "limit"), [(None, 600), ("3", 3), ("0", 600), ("-5", 600), ("lots", 600)])
def test_the_limit_comes_from_the_environment_and_bad_values_fall_back(monkeypatch, value, limit):
    if value is None:
        monkeypatch.delenv(rate_limit.LIMIT_ENV, raising=False)
    else:
        monkeypatch.setenv(rate_limit.LIMIT_ENV, value)
    assert rate_limit.limit_per_minute() == limit


@pytest.mark.parametrize("failure", [UpdateError("boom", cause=None), ConnectionError("no route to DynamoDB")])
def test_a_failing_limiter_lets_the_request_through(monkeypatch, caplog, failure):
    def broken(self, actions, condition=None):
        raise failure

    monkeypatch.setattr(rate_limit.RateWindowItem, "update", broken)
    rate_limit.check_rate("acme", "f" * 64)  # no exception: allowed
    assert "rate limiter unavailable" in caplog.text
