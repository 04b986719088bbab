"""Read the SAM template: functions with their code, HTTP routes, schedules and state machines (before translation)."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

SERVERLESS_FUNCTION = "AWS::Serverless::Function"
STATE_MACHINE_TYPES = ("AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine")


@dataclass(frozen=True)
class TokenAuthorizer:
    """A Lambda TOKEN authorizer of the API (`Globals.Api.Auth.Authorizers`): its function and identity source."""

    function: str
    header: str = "Authorization"
    validation_expression: str | None = None
    ttl_seconds: int = 300  # API Gateway's default ReauthorizeEvery


@dataclass(frozen=True)
class Route:
    """One API Gateway route (a SAM `Api` event), the function behind it and the authorizer in front (if any)."""

    path: str
    method: str
    function: str
    authorizer: TokenAuthorizer | None = None


@dataclass(frozen=True)
class Schedule:
    """One EventBridge schedule (`Schedule` / `ScheduleV2` event) of a function or state machine."""

    target: str
    event_name: str
    expression: str
    input: str | None = None
    enabled: bool = True
    kind: str = "Schedule"


@dataclass(frozen=True)
class FunctionSource:
    """Where a function's code lives and how it is called."""

    logical_id: str
    code_dir: Path
    handler: str


@dataclass
class SamTemplate:
    """The facts of template.yaml the local runtime needs beyond CloudFormation."""

    path: Path
    body: dict[str, Any]
    functions: dict[str, FunctionSource] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)

    @property
    def base_dir(self) -> Path:
        return self.path.parent


class _CfnLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader that understands CloudFormation short-form intrinsics (!Ref, !GetAtt, !Sub ...); on libyaml's
    parser where PyYAML was built with it (its wheels are): ~0.6 s less of every `omnicase local` start."""


def _install_intrinsics() -> None:
    from samtranslator.yaml_helper import intrinsics_multi_constructor

    _CfnLoader.add_multi_constructor("!", intrinsics_multi_constructor)


def load_yaml(path: Path) -> dict[str, Any]:
    """A CloudFormation/SAM YAML (or JSON) file as plain dicts with long-form intrinsics (a fresh copy each call;
    parsed once until the file changes: every test deploys the stack)."""
    path = Path(path).resolve()
    return copy.deepcopy(_parsed(path, path.stat().st_mtime_ns))


@lru_cache(maxsize=16)
def _parsed(path: Path, mtime_ns: int) -> dict[str, Any]:
    if "!" not in _CfnLoader.yaml_multi_constructors:
        _install_intrinsics()
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_CfnLoader)


def read_sam_template(path: str | Path) -> SamTemplate:
    """Parse template.yaml and collect functions, routes and schedules from it (cached until the file changes)."""
    path = Path(path).resolve()
    return _read(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _read(path: Path, mtime_ns: int) -> SamTemplate:
    body = load_yaml(path)
    template = SamTemplate(path=path, body=body)
    globals_fn = (body.get("Globals") or {}).get("Function") or {}
    for logical_id, resource in (body.get("Resources") or {}).items():
        props = resource.get("Properties") or {}
        if resource.get("Type") == SERVERLESS_FUNCTION:
            code_uri = props.get("CodeUri", globals_fn.get("CodeUri", "."))
            handler = props.get("Handler", globals_fn.get("Handler"))
            if isinstance(code_uri, str) and not code_uri.startswith("s3://") and isinstance(handler, str):
                code_dir = (template.base_dir / code_uri).resolve()
                template.functions[logical_id] = FunctionSource(logical_id, code_dir, handler)
        if resource.get("Type") in (SERVERLESS_FUNCTION, "AWS::Serverless::StateMachine"):
            _collect_events(template, logical_id, props.get("Events") or {})
    return template


def _api_authorizers(body: dict[str, Any]) -> tuple[dict[str, TokenAuthorizer], str | None]:
    """The implicit API's Lambda authorizers by name (Globals.Api.Auth) and its default authorizer's name."""
    auth = ((body.get("Globals") or {}).get("Api") or {}).get("Auth") or {}
    authorizers = {}
    for name, spec in (auth.get("Authorizers") or {}).items():
        function_arn = spec.get("FunctionArn")
        if isinstance(function_arn, dict) and "Fn::GetAtt" in function_arn:
            identity = spec.get("Identity") or {}
            authorizers[name] = TokenAuthorizer(
                function=function_arn["Fn::GetAtt"][0],
                header=identity.get("Header", "Authorization"),
                validation_expression=identity.get("ValidationExpression"),
                ttl_seconds=int(identity.get("ReauthorizeEvery", 300)),
            )
    return authorizers, auth.get("DefaultAuthorizer")


def _route_authorizer(body: dict[str, Any], event_auth: dict[str, Any] | None) -> TokenAuthorizer | None:
    """The event's own `Auth.Authorizer` (NONE: none), else the API's default."""
    authorizers, default = _api_authorizers(body)
    name = (event_auth or {}).get("Authorizer", default)
    if name in (None, "NONE"):
        return None
    if name not in authorizers:
        raise ValueError(f"authorizer {name!r} is not a Lambda authorizer of Globals.Api.Auth")
    return authorizers[name]


def _collect_events(template: SamTemplate, logical_id: str, events: dict[str, Any]) -> None:
    parameters = template.body.get("Parameters") or {}
    for name, event in events.items():
        kind, props = event.get("Type"), event.get("Properties") or {}
        if kind == "Api":
            method = str(props.get("Method", "ANY")).upper()
            method = "ANY" if method == "X-AMAZON-APIGATEWAY-ANY-METHOD" else method
            authorizer = _route_authorizer(template.body, props.get("Auth"))
            template.routes.append(Route(props["Path"], method, logical_id, authorizer))
        elif kind in ("Schedule", "ScheduleV2"):
            expression = props.get("Schedule") if kind == "Schedule" else props.get("ScheduleExpression")
            state = props.get("State", "ENABLED")
            enabled = bool(props.get("Enabled", True)) and state != "DISABLED"
            raw_input = props.get("Input")
            template.schedules.append(
                Schedule(
                    target=logical_id,
                    event_name=name,
                    expression=str(_parameter_value(expression, parameters)),
                    input=raw_input if isinstance(raw_input, str) or raw_input is None else json.dumps(raw_input),
                    enabled=enabled,
                    kind=kind,
                )
            )


def _parameter_value(value: Any, parameters: dict[str, Any]) -> Any:
    """A `!Ref Parameter` replaced by the parameter's default (the local runtime deploys with defaults)."""
    if isinstance(value, dict) and set(value) == {"Ref"} and value["Ref"] in parameters:
        return parameters[value["Ref"]].get("Default")
    return value
