"""Console sessions and the people directory, on fakes: who gets a session, and how long a revocation takes."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest

from omnicase.auth.sessions import REFRESH_REFUSED, SIGN_IN_REFUSED, Session, Sessions, token_subject
from omnicase.domain.errors import Unauthorized
from omnicase.domain.model import Tenant
from omnicase.domain.principal import Principal
from omnicase.persistence.user_store import USER_CACHE_SECONDS, DynamoPeopleDirectory, UserRecord

ACME = Tenant(tenant_id="acme", name="Acme", mailboxes=(), ack_from="support@acme.example")


def access_token(sub: str) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256'})}.{part({'sub': sub, 'token_use': 'access'})}.signature"


class FakeCognito:
    """Accepts one password per user; remembers sign-outs."""

    def __init__(self, users: dict[str, tuple[str, str]]) -> None:
        self.users = users  # username -> (password, sub)
        self.signed_out: list[str] = []

    def password_sign_in(self, username: str, password: str) -> Session:
        if self.users.get(username, ("", ""))[0] != password or not password:
            raise Unauthorized(SIGN_IN_REFUSED)
        return Session(access_token(self.users[username][1]), 3600, f"refresh-{username}")

    def refresh(self, refresh_token: str) -> Session:
        username = refresh_token.removeprefix("refresh-")
        if username not in self.users or access_token(self.users[username][1]) in self.signed_out:
            raise Unauthorized(REFRESH_REFUSED)
        return Session(access_token(self.users[username][1]), 3600)

    def sign_out(self, token: str) -> None:
        self.signed_out.append(token)


class FakePeople:
    def __init__(self, principals: dict[str, Principal]) -> None:
        self.principals = principals

    def principal_for_sub(self, sub: str) -> Principal | None:
        return self.principals.get(sub)


def sessions(known: dict[str, Principal]) -> tuple[Sessions, FakeCognito]:
    cognito = FakeCognito({"li.na": ("Right-pass-2026", "sub-li"), "ghost.user": ("Ghost-pass-2026", "sub-ghost")})
    return Sessions(cognito, FakePeople(known)), cognito


def test_a_known_person_gets_a_session_and_can_refresh_it():
    service, _ = sessions({"sub-li": Principal(ACME, "li.na", "agent")})
    session = service.sign_in("li.na", "Right-pass-2026")
    assert token_subject(session.access_token) == "sub-li" and session.refresh_token == "refresh-li.na"
    assert token_subject(service.refresh("refresh-li.na").access_token) == "sub-li"


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer():
    service, _ = sessions({"sub-li": Principal(ACME, "li.na", "agent")})
    answers = []
    for username, password in (("li.na", "Wrong-pass-2026"), ("nobody", "Right-pass-2026")):
        with pytest.raises(Unauthorized) as refusal:
            service.sign_in(username, password)
        answers.append(str(refusal.value))
    assert answers == [SIGN_IN_REFUSED, SIGN_IN_REFUSED]


def test_a_cognito_user_without_a_live_omnicase_record_is_refused_and_signed_out():
    service, cognito = sessions({"sub-li": Principal(ACME, "li.na", "agent")})
    with pytest.raises(Unauthorized, match=SIGN_IN_REFUSED):
        service.sign_in("ghost.user", "Ghost-pass-2026")
    assert cognito.signed_out == [access_token("sub-ghost")]  # the tokens Cognito issued are revoked, not dropped
    with pytest.raises(Unauthorized, match="sign in again"):
        service.refresh("refresh-ghost.user")


def test_sign_out_ends_refreshing():
    service, _ = sessions({"sub-li": Principal(ACME, "li.na", "agent")})
    session = service.sign_in("li.na", "Right-pass-2026")
    service.sign_out(session.access_token)
    with pytest.raises(Unauthorized, match="sign in again"):
        service.refresh("refresh-li.na")


def record(revoked: bool = False, role: str = "supervisor") -> UserRecord:
    at = datetime(2026, 12, 1, tzinfo=UTC)
    return UserRecord("acme", "sub-wang", "wang.fang", "pool", "wang.fang", role, at, at if revoked else None)


class Tenants:
    def tenant(self, tenant_id: str) -> Tenant | None:
        return ACME if tenant_id == "acme" else None


def test_the_people_directory_gives_the_records_tenant_agent_and_role_and_forgets_a_revocation_within_30_s():
    stored = {"sub-wang": record()}
    now = [100.0]
    directory = DynamoPeopleDirectory(Tenants(), clock=lambda: now[0], load=stored.get)
    assert directory.principal_for_sub("sub-wang") == Principal(ACME, "wang.fang", "supervisor")

    stored["sub-wang"] = record(revoked=True)  # revoked by another process
    now[0] += USER_CACHE_SECONDS - 1
    assert directory.principal_for_sub("sub-wang") is not None  # the documented bound, not more
    now[0] += 2
    assert directory.principal_for_sub("sub-wang") is None
    assert USER_CACHE_SECONDS <= 30


def test_an_unknown_sub_a_missing_tenant_or_an_unknown_role_is_no_principal():
    stored = {"sub-wang": record(role="owner")}
    directory = DynamoPeopleDirectory(Tenants(), load=stored.get)
    assert directory.principal_for_sub("sub-wang") is None
    assert directory.principal_for_sub("sub-unknown") is None
