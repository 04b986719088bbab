"""The API's OpenAPI 3 document: openapi.json beside this module (JSON, so the layer needs no YAML parser)."""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

DOCUMENT = "openapi.json"


@cache
def _parsed() -> dict[str, Any]:
    return json.loads(resources.files(__package__ or "omnicase.api").joinpath(DOCUMENT).read_text(encoding="utf-8"))


def openapi_document() -> dict[str, Any]:
    """The document, read and parsed once per process; each caller gets its own copy to change freely."""
    return copy.deepcopy(_parsed())
