"""People sign in on moto's Cognito (the session function) and call the API with the pool's access tokens.

The pool's keys are served by moto's own server, as in `omnicase local`. Tokens for the refusals are signed with the
key moto signs with (or a foreign one), so each one differs from a good token in exactly one way.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from moto.utilities.utils import load_resource

from omnicase.admin import add_agent_token, add_person, list_people, revoke_people
from omnicase.aws.cognito_people import CognitoPeople
from omnicase_local.cli import main
from tests.integration.test_case_actions_api import case_id, request  # noqa: F401 - fixture
from tests.integration.test_routing_at_intake import acme_config  # noqa: F401 - fixture
from tests.integration.webhook_client import call

LI_NA_PASSWORD = "Li-Na-password-2026"
WANG_FANG_PASSWORD = "Wang-Fang-password-2026"
REFUSED = {"Code": "UnauthorizedError", "Message": "wrong username or password"}


@dataclass
class Pool:
    pool_id: str
    client_id: str
    li_na_sub: str

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.us-east-1.amazonaws.com/{self.pool_id}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def pool(stack, monkeypatch) -> Iterator[Pool]:
    """The stack's user pool with li.na (agent of acme), its keys served by moto's server like `omnicase local`."""
    from moto.server import ThreadedMotoServer

    from omnicase.wiring import rebind

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    pool_id, client_id = os.environ["USER_POOL_ID"], os.environ["USER_POOL_CLIENT_ID"]
    monkeypatch.setenv("COGNITO_JWKS_URL", f"http://127.0.0.1:{port}/{pool_id}/.well-known/jwks.json")
    rebind()
    _, li_na = add_person("acme", "li.na", "agent", CognitoPeople(pool_id), password=LI_NA_PASSWORD)
    yield Pool(pool_id, client_id, li_na.sub)
    server.stop()


def session_call(stack, path: str, body: Any = None, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = call(
        stack.handler("session"),
        "POST",
        path,
        headers={"Content-Type": "application/json", **(headers or {})},
        body=data,
    )
    return response.status_code, response.json_body


def sign_in(stack, username: str = "li.na", password: str = LI_NA_PASSWORD) -> tuple[int, Any]:
    return session_call(stack, "/auth/session", {"username": username, "password": password})


def minted(pool: Pool, key: Any = None, kid: str = "dummy", **overrides: Any) -> str:
    """An access token of li.na as moto would issue it, signed with moto's own key unless `key` is given."""
    now = int(time.time())
    claims = {
        "iss": pool.issuer,
        "sub": pool.li_na_sub,
        "client_id": pool.client_id,
        "token_use": "access",
        "iat": now,
        "exp": now + 3600,
        "username": "li.na",
        **overrides,
    }
    signing_key = key or jwt.PyJWK(load_resource("cognitoidp/resources/jwks-private.json")).key
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, signing_key, "RS256", headers={"kid": kid})


def test_a_person_signs_in_and_reads_the_tenant_of_their_record_as_their_agent(stack, pool, case_id):  # noqa: F811
    status, session = sign_in(stack)
    assert status == 200 and set(session) == {"access_token", "refresh_token", "expires_in"}
    assert session["expires_in"] == 3600

    status, listed = request(stack, "GET", "/cases", token=session["access_token"])
    assert status == 200 and [c["case_id"] for c in listed["cases"]] == [case_id]
    # The header names someone else: a person's token ignores it, their record's agent signs the audit trail.
    status, _ = request(stack, "PATCH", f"/cases/{case_id}", {"priority": "high"}, token=session["access_token"])
    assert status == 200
    _, trail = request(stack, "GET", f"/cases/{case_id}/events", token=session["access_token"])
    assert {e["kind"]: e["actor"] for e in trail["events"]}["priority_changed"] == "li.na"


def test_claims_never_choose_tenant_agent_or_role(stack, pool, case_id):  # noqa: F811
    forged_claims = minted(
        pool, **{"custom:tenant": "globex", "custom:role": "admin", "cognito:groups": ["admin"], "username": "boss"}
    )
    status, listed = request(stack, "GET", "/cases", token=forged_claims)
    assert status == 200 and [c["case_id"] for c in listed["cases"]] == [case_id]  # acme's, from the record
    status, refusal = request(stack, "POST", "/problems/BUG-1/fixed", {}, token=forged_claims)
    assert status == 403 and "the token has agent" in refusal["Message"]


def test_a_wrong_password_and_an_unknown_user_get_the_same_401(stack, pool):
    assert sign_in(stack, password="Not-the-password-1") == (401, REFUSED)
    assert sign_in(stack, username="nobody.here") == (401, REFUSED)


def test_a_failed_and_a_good_sign_in_log_no_password_and_no_token(stack, pool, caplog):
    caplog.set_level(logging.DEBUG)  # botocore writes request and response bodies at DEBUG
    sign_in(stack, password="Leaked-password-77")
    status, session = sign_in(stack)
    assert status == 200 and caplog.records  # something was logged: the check below is not vacuous
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    for secret in ("Leaked-password-77", LI_NA_PASSWORD, session["access_token"], session["refresh_token"]):
        assert secret not in logged


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"username": "li.na"}, "password: Field required"),
        ({"username": "li.na", "password": 12345678}, "password: Input should be a valid string"),
        ({"username": "", "password": "x"}, "username: String should have at least 1 character"),
        ({"username": "li.na", "password": "x", "tenant": "globex"}, "tenant: Extra inputs are not permitted"),
        (["li.na", "x"], "send a JSON object with username, password"),
    ],
)
def test_a_bad_sign_in_body_is_a_400_with_the_reason_and_without_the_values(stack, pool, body, reason):
    status, answer = session_call(stack, "/auth/session", body)
    assert status == 400 and reason in answer["Message"]
    assert "12345678" not in answer["Message"]


def test_an_expired_token_is_a_401_session_expired(stack, pool):
    expired = minted(pool, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)
    expected = {"Code": "UnauthorizedError", "Message": "session expired"}  # the console sends them to sign in
    assert request(stack, "GET", "/cases", token=expired) == (401, expected)


def test_tokens_of_another_key_pool_client_or_kind_are_401(stack, pool):
    _, session = sign_in(stack)
    id_token = boto3.client("cognito-idp").initiate_auth(  # Cognito's id token of li.na: not for APIs
        ClientId=pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "li.na", "PASSWORD": LI_NA_PASSWORD},
    )["AuthenticationResult"]["IdToken"]
    foreign_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other_pool = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_SomeoneElse"
    cases = {
        "bad signature": minted(pool, key=foreign_key),
        "does not publish": minted(pool, key=foreign_key, kid="foreign"),
        "another user pool": minted(pool, iss=other_pool),
        "another app client": minted(pool, client_id="another-client"),
        "not an access token": id_token,
    }
    for reason, token in cases.items():
        status, answer = request(stack, "GET", "/cases", token=token)
        assert status == 401 and reason in answer["Message"], (reason, answer)
    assert request(stack, "GET", "/cases", token=session["access_token"])[0] == 200


def test_refresh_gives_a_working_token_and_sign_out_ends_refreshing(stack, pool):
    _, session = sign_in(stack)
    status, refreshed = session_call(stack, "/auth/refresh", {"refresh_token": session["refresh_token"]})
    assert status == 200 and set(refreshed) == {"access_token", "expires_in"}
    assert request(stack, "GET", "/cases", token=refreshed["access_token"])[0] == 200

    bearer = {"Authorization": f"Bearer {refreshed['access_token']}"}
    response = call(stack.handler("session"), "POST", "/auth/sign-out", headers=bearer)
    assert response.status_code == 204 and response.headers["Cache-Control"] == "no-store"

    status, answer = session_call(stack, "/auth/refresh", {"refresh_token": session["refresh_token"]})
    assert status == 401 and "sign in again" in answer["Message"]
    assert session_call(stack, "/auth/refresh", {"refresh_token": "made-up"})[0] == 401
    assert call(stack.handler("session"), "POST", "/auth/sign-out").status_code == 401  # no bearer


def test_a_revoked_person_loses_the_api_at_once_here_and_can_no_longer_sign_in(stack, pool):
    _, session = sign_in(stack)
    assert request(stack, "GET", "/cases", token=session["access_token"])[0] == 200  # cached as known

    (revoked,) = revoke_people("acme", "li.na")

    assert revoked.revoked_at is not None
    status, answer = request(stack, "GET", "/cases", token=session["access_token"])
    assert status == 401 and "no access" in answer["Message"]
    assert sign_in(stack) == (401, REFUSED)  # disabled in the pool
    assert session_call(stack, "/auth/refresh", {"refresh_token": session["refresh_token"]})[0] == 401


def test_a_record_revoked_while_the_pool_user_stays_enabled_gets_no_session(stack, pool):
    from omnicase.persistence.user_store import revoke_user
    from omnicase.wiring import people_directory

    revoke_user("acme", pool.li_na_sub)  # e.g. `agents revoke` could not reach Cognito
    people_directory().forget(pool.li_na_sub)
    assert sign_in(stack) == (401, REFUSED)


def test_a_person_disabled_in_cognito_itself_loses_the_api_when_the_cache_turns(stack, pool):
    from omnicase.wiring import people_directory

    _, session = sign_in(stack)
    assert request(stack, "GET", "/cases", token=session["access_token"])[0] == 200
    # Ops disable the user in the AWS console: no `omnicase agents revoke`, the omnicase record still grants access.
    boto3.client("cognito-idp", region_name="us-east-1").admin_disable_user(UserPoolId=pool.pool_id, Username="li.na")
    people_directory().forget(pool.li_na_sub)  # what 30 s do to the cached entry

    status, answer = request(stack, "GET", "/cases", token=session["access_token"])
    assert status == 401 and "no access" in answer["Message"]


def test_api_tokens_shaped_like_jwts_are_refused(stack):
    with pytest.raises(ValueError, match="must not look like a JWT"):
        add_agent_token("acme", "li.na", "agent", token="eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl")


def run(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_adds_lists_and_revokes_a_person(stack, pool, capsys, monkeypatch):
    table = ("--table", stack.table, "--tenant", "acme")
    monkeypatch.setenv("OMNICASE_USER_POOL_ID", pool.pool_id)
    code, out, _ = run(capsys, "agents", "add", *table, "--agent", "wang.fang", "--role", "supervisor")
    assert code == 0 and "signs in as user wang.fang" in out and "POST /auth/session" in out
    password = out.split("password (shown once, keep it safe): ")[1].split()[0]
    status, session = sign_in(stack, "wang.fang", password)
    assert status == 200
    assert request(stack, "POST", "/problems/BUG-1/fixed", {}, token=session["access_token"])[0] != 403  # supervisor

    zhang = ("--agent", "zhang.wei", "--role", "agent")
    code, _, err = run(capsys, "agents", "add", *table, *zhang, "--password", "short")
    assert code == 2 and "password breaks the user pool's policy" in err
    code, _, err = run(capsys, "agents", "add", *table, *zhang, "--token", "x" * 20)
    assert code == 2 and "--user-pool" in err
    code, out, _ = run(capsys, "agents", "add", *table, *zhang, "--password", "Zhang-Wei-password-1")
    assert code == 0 and "Zhang-Wei-password-1" not in out  # no half-made user was left behind; never echoed

    code, out, _ = run(capsys, "agents", "list", *table)
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:]}
    assert rows["wang.fang"][1] == "supervisor" and rows["wang.fang"][5] == "user:wang.fang"
    assert password not in out

    code, out, _ = run(capsys, "agents", "revoke", *table, "--agent", "wang.fang")
    assert code == 0 and "revoked user wang.fang" in out
    # The output says when the revocation is complete: the held access token, once every container's cache let go.
    assert re.search(r"refuses the access token they still hold within 30 s \(by \d\d:\d\d:\d\d UTC\)", out)
    assert sign_in(stack, "wang.fang", password) == (401, REFUSED)
    assert [p.revoked_at is not None for p in list_people("acme") if p.agent_id == "wang.fang"] == [True]


def test_unreadable_pool_keys_are_a_503_with_retry_after_not_a_500(stack, pool, monkeypatch):
    from omnicase.wiring import rebind

    _, session = sign_in(stack)
    monkeypatch.setenv("COGNITO_JWKS_URL", f"http://127.0.0.1:{free_port()}/{pool.pool_id}/.well-known/jwks.json")
    rebind()  # a cold container whose first key fetch fails (nothing listens on that port)

    headers = {"Authorization": f"Bearer {session['access_token']}"}
    response = call(stack.handler("api"), "GET", "/cases", headers=headers)

    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
