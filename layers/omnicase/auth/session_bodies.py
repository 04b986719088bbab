"""The session routes' request bodies, validated with reasons that never echo what was sent (it holds secrets)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

Body = TypeVar("Body", bound=BaseModel)


class SignInBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    username: str = Field(min_length=1, max_length=128)  # Cognito's own bounds
    password: str = Field(min_length=1, max_length=256)


class RefreshBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    refresh_token: str = Field(min_length=1, max_length=8192)


def parse_body(model: type[Body], body: Any) -> Body:
    """The body as `model`; ValueError (a 400) naming the fields and what is wrong, without their values."""
    if not isinstance(body, dict):
        fields = ", ".join(model.model_fields)
        raise ValueError(f"send a JSON object with {fields} (Content-Type: application/json)")
    try:
        return model.model_validate(body)
    except ValidationError as error:
        # pydantic's own text includes the input value: a password must not come back in an answer or a log.
        reasons = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in error.errors())
        raise ValueError(reasons) from None
