"""pydantic's ValidationError → ConfigProblems, with "did you mean" for unknown fields."""

from __future__ import annotations

import difflib
import typing
from typing import Annotated, Any

from pydantic import BaseModel, ValidationError

from omnicase.config.document import ConfigDoc
from omnicase.config.problems import ConfigProblem, FieldPath


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (Annotated, typing.Union, type(int | None)):
        return next((m for a in typing.get_args(annotation) if (m := _model_in(a))), None)
    return None


def _fields_at(path: FieldPath) -> list[str]:
    """The fields the document allows at `path` (for "did you mean" on unknown fields)."""
    annotation: Any = ConfigDoc
    for part in path:
        model = _model_in(annotation)
        if model is not None and isinstance(part, str) and part in model.model_fields:
            annotation = model.model_fields[part].annotation
            continue
        while typing.get_origin(annotation) in (Annotated, typing.Union, type(int | None)):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        args = typing.get_args(annotation)  # dict[str, X] / list[X]: step into X
        annotation = args[-1] if args else None
    model = _model_in(annotation)
    return list(model.model_fields) if model else []


def _unknown_field(path: FieldPath) -> str:
    allowed = _fields_at(path[:-1])
    close = difflib.get_close_matches(str(path[-1]), allowed, n=1)
    if close:
        return f'unknown field (did you mean "{close[0]}"?)'
    return f"unknown field (allowed: {', '.join(allowed)})" if allowed else "unknown field"


def problems_from(error: ValidationError) -> list[ConfigProblem]:
    problems = []
    for detail in error.errors(include_url=False):
        path: FieldPath = tuple(detail["loc"])
        message = detail["msg"]
        if path and path[-1] == "[key]":
            path, message = path[:-1], f"bad key: {message.removeprefix('Value error, ')}"
        elif detail["type"] == "extra_forbidden":
            message = _unknown_field(path)
        elif detail["type"] == "missing":
            message = "required"
        else:
            message = message.removeprefix("Value error, ")
        problems.append(ConfigProblem(path, message))
    return problems
