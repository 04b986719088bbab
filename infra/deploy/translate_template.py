"""The CloudFormation that SAM deploys, translated offline, for checkov: it checks what is created (the roles,
permissions, API stage and event source mappings SAM adds), not only what the SAM template says.

Run with the SAM CLI's Python (./dev deploy-check): python translate_template.py BUILT_TEMPLATE OUTPUT_JSON
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

# Local folders `sam package` would upload: any S3 location does for translating.
_ARTIFACT_PROPERTIES = {"AWS::Serverless::Function": "CodeUri", "AWS::Serverless::LayerVersion": "ContentUri"}


class _NoManagedPolicies:
    """Offline: SAM's policy templates and ARNs need no IAM lookup."""

    def load(self) -> dict[str, str]:
        return {}


def translated(template_path: Path) -> dict:
    """The template as CloudFormation, local artifact folders replaced by placeholder S3 locations."""
    template = yaml_parse(template_path.read_text(encoding="utf-8"))
    for logical_id, resource in template["Resources"].items():
        prop = _ARTIFACT_PROPERTIES.get(resource.get("Type", ""))
        props = resource.get("Properties") or {}
        if prop and isinstance(props.get(prop), str):
            props[prop] = f"s3://deploy-check-artifacts/{logical_id}.zip"
        definition = props.get("DefinitionUri") if resource.get("Type") == "AWS::Serverless::StateMachine" else None
        if isinstance(definition, str) and not definition.startswith("s3://"):  # ASL file: inline, as `sam package`
            props["Definition"] = json.loads((template_path.parent / definition).read_text(encoding="utf-8"))
            del props["DefinitionUri"]
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")  # pseudo parameters only: no AWS call is made
    return transform(template, {}, _NoManagedPolicies())


if __name__ == "__main__":
    output = Path(sys.argv[2])
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(translated(Path(sys.argv[1])), indent=1, default=str), encoding="utf-8")
    print(f"deploy-check: translated {sys.argv[1]} into {output}")
