"""SAM → CloudFormation offline: code folders become S3 zips in moto, then samtranslator expands the template."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import threading
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

from omnicase_local.sam_template import STATE_MACHINE_TYPES, SamTemplate, load_yaml

ARTIFACT_BUCKET = "omnicase-local-artifacts"
_URI_PROPERTIES = {
    "AWS::Serverless::Function": "CodeUri",
    "AWS::Serverless::LayerVersion": "ContentUri",
}


class _NoManagedPolicies:
    """Offline stand-in for samtranslator's IAM lookup: SAM policy templates and ARNs need no IAM call."""

    def load(self) -> dict[str, str]:
        return {}


_TRANSFORMED: dict[str, str] = {}
CACHE_DIR = Path(".omnicase-local") / "sam"  # beside the template; .gitignore'd


def translate(sam: SamTemplate, s3: Any) -> dict[str, Any]:
    """The CloudFormation template SAM would deploy, with every local folder uploaded to the artifact bucket."""
    body = copy.deepcopy(sam.body)
    s3.create_bucket(Bucket=ARTIFACT_BUCKET)
    globals_fn = (body.get("Globals") or {}).get("Function") or {}
    if isinstance(globals_fn.get("CodeUri"), str):
        globals_fn["CodeUri"] = _upload(sam.base_dir / globals_fn["CodeUri"], s3)
    for resource in (body.get("Resources") or {}).values():
        props = resource.setdefault("Properties", {})
        uri_prop = _URI_PROPERTIES.get(resource.get("Type", ""))
        if uri_prop and isinstance(props.get(uri_prop), str) and not props[uri_prop].startswith("s3://"):
            props[uri_prop] = _upload(sam.base_dir / props[uri_prop], s3)
        if resource.get("Type") in STATE_MACHINE_TYPES:
            _inline_definition(sam.base_dir, props)
    return json.loads(_transformed(body, sam.base_dir / CACHE_DIR))


def _transformed(body: dict[str, Any], cache_dir: Path) -> str:
    """SAM's transform of `body` as JSON. It takes seconds on this template and gives the same answer for the same
    body and samtranslator: tests deploy a stack each, so the answer is kept in the process by the body it was
    computed from, and on disk beside the template, so a later start neither imports samtranslator (~14 MB held for
    good, ~1.3 s) nor transforms again."""
    from importlib.metadata import version

    identity = json.dumps(body, sort_keys=True, default=str) + version("aws-sam-translator")
    key = hashlib.sha256(identity.encode()).hexdigest()
    if key not in _TRANSFORMED:
        cached = cache_dir / f"{key}.json"
        try:
            _TRANSFORMED[key] = cached.read_text(encoding="utf-8")
        except OSError:
            from samtranslator.translator.transform import transform

            _TRANSFORMED[key] = json.dumps(transform(body, {}, _NoManagedPolicies()))
            _keep(cached, _TRANSFORMED[key])
    return _TRANSFORMED[key]


def _keep(path: Path, text: str) -> None:
    """Write `text` to `path` whole or not at all (two starts at once each write their own file, then rename)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError:  # a read-only checkout transforms on every start, as before
        pass


def _inline_definition(base_dir: Path, props: dict[str, Any]) -> None:
    """A local DefinitionUri (what `sam build` packages) becomes an inline Definition."""
    for uri_key, inline_key in (("DefinitionUri", "Definition"), ("DefinitionS3Location", "Definition")):
        uri = props.get(uri_key)
        if isinstance(uri, str) and not uri.startswith("s3://"):
            props[inline_key] = load_yaml(base_dir / uri)
            del props[uri_key]


def _upload(folder: Path, s3: Any) -> str:
    key = f"{folder.resolve().as_posix().strip('/').replace('/', '-')}.zip"
    s3.put_object(Bucket=ARTIFACT_BUCKET, Key=key, Body=_zip_folder(folder.resolve()))
    return f"s3://{ARTIFACT_BUCKET}/{key}"


@cache
def _zip_folder(folder: Path) -> bytes:
    """The folder as a zip (cached per process: code is run from the folder, the zip is moto's bookkeeping)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        if folder.is_file():
            archive.write(folder, folder.name)
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def dump(template: dict[str, Any]) -> str:
    """The template as the JSON body CloudFormation takes."""
    return json.dumps(template, default=str)
