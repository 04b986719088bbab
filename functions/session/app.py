"""Console sign-in: a username and password become Cognito tokens; refresh; sign-out (a Chalice app; routes only,
logic in omnicase.auth). The console talks to these routes, never to Cognito, so it keeps one origin."""

from __future__ import annotations

from typing import Any

from chalice import Response

from omnicase.api.edge import edge_app
from omnicase.api.errors import http_errors
from omnicase.domain.errors import Unauthorized

app = edge_app("omnicase-session")  # every request passes the edge's guards (omnicase.api.edge)
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}  # tokens must not sit in any cache


@app.route("/auth/session", methods=["POST"])
@http_errors
def sign_in() -> Response:
    """{"username", "password"} -> {"access_token", "refresh_token", "expires_in"}; 401 for a wrong pair."""
    # Imported per route, not at module load: pydantic and pynamodb would put the cold start over budget.
    from omnicase.auth.session_bodies import SignInBody, parse_body
    from omnicase.wiring import sessions

    body = parse_body(SignInBody, app.current_request.json_body)
    session = sessions().sign_in(body.username, body.password)
    return _tokens(
        {"access_token": session.access_token, "refresh_token": session.refresh_token, "expires_in": session.expires_in}
    )


@app.route("/auth/refresh", methods=["POST"])
@http_errors
def refresh() -> Response:
    """{"refresh_token"} -> {"access_token", "expires_in"}; 401 once it was revoked or ran out."""
    from omnicase.auth.session_bodies import RefreshBody, parse_body
    from omnicase.wiring import sessions

    body = parse_body(RefreshBody, app.current_request.json_body)
    session = sessions().refresh(body.refresh_token)
    return _tokens({"access_token": session.access_token, "expires_in": session.expires_in})


@app.route("/auth/sign-out", methods=["POST"])
@http_errors
def sign_out() -> Response:
    """Bearer <access token> -> 204; every refresh token of the person is revoked."""
    from omnicase.api.auth import bearer_token
    from omnicase.wiring import sessions

    token = bearer_token(app.current_request.headers)
    if token is None:
        raise Unauthorized("send Authorization: Bearer <access token>")
    sessions().sign_out(token)
    return Response(body="", status_code=204, headers=dict(NO_STORE))


def _tokens(body: dict[str, Any]) -> Response:
    return Response(body=body, status_code=200, headers=dict(NO_STORE))
