"""Split a CloudFormation template into what moto's CloudFormation creates and what the runtime creates itself."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

STATE_MACHINE = "AWS::StepFunctions::StateMachine"
# Set aside on purpose: moto's CloudFormation has no model for alarms and nothing locally would evaluate them;
# tests/unit/test_template_operations.py checks them instead. (Log groups and the dashboard moto does create.)
MONITORING_ONLY = frozenset({"AWS::CloudWatch::Alarm"})
_SUB_VARIABLE = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.([A-Za-z0-9.]+))?\}")


@dataclass
class SplitTemplate:
    """The part for moto CloudFormation, and the resources set aside with the values that stand for them."""

    cfn: dict[str, Any]
    through_api: dict[str, dict[str, Any]] = field(default_factory=dict)
    state_machines: dict[str, dict[str, Any]] = field(default_factory=dict)
    dropped: dict[str, str] = field(default_factory=dict)
    stand_ins: dict[str, dict[str, str]] = field(default_factory=dict)


def split_for_moto(
    template: dict[str, Any], *, stack_name: str, region: str, account_id: str, api_types: frozenset[str]
) -> SplitTemplate:
    """Keep what moto CFN supports; state machines and `api_types` are created through APIs; API Gateway is dropped."""
    from moto.cloudformation.parsing import NULL_MODELS, get_model_map

    cfn = copy.deepcopy(template)
    resources: dict[str, Any] = cfn["Resources"]
    split = SplitTemplate(cfn=cfn)
    supported = get_model_map()
    for logical_id, resource in list(resources.items()):
        kind = resource.get("Type", "")
        props = resource.get("Properties") or {}
        if _is_api_gateway(kind, props):
            split.dropped[logical_id] = "HTTP routes are served by the local gateway"
        elif kind == STATE_MACHINE:
            name = props.get("StateMachineName")
            name = name if isinstance(name, str) else f"{stack_name}-{logical_id}"
            arn = f"arn:aws:states:{region}:{account_id}:stateMachine:{name}"
            split.state_machines[logical_id] = {**resource, "Name": name, "Arn": arn}
            split.stand_ins[logical_id] = {"Ref": arn, "Arn": arn, "Name": name}
        elif kind in api_types:
            split.through_api[logical_id] = resource
        elif kind in MONITORING_ONLY:
            split.dropped[logical_id] = "monitoring only: nothing evaluates alarms locally"
        elif kind in supported or kind in NULL_MODELS or kind.startswith("Custom::"):
            continue
        else:
            split.dropped[logical_id] = f"moto CloudFormation cannot create {kind}"
        if logical_id not in split.stand_ins:
            split.stand_ins[logical_id] = {"Ref": _predicted_name(resource, stack_name, logical_id)}
        del resources[logical_id]

    removed = set(split.stand_ins)
    for resource in resources.values():
        depends = resource.get("DependsOn")
        if depends is not None:
            depends = [depends] if isinstance(depends, str) else depends
            resource["DependsOn"] = [d for d in depends if d not in removed]
    cfn["Resources"] = substitute(resources, split.stand_ins)
    if "Outputs" in cfn:
        cfn["Outputs"] = substitute(cfn["Outputs"], split.stand_ins)
    return split


def _is_api_gateway(kind: str, props: dict[str, Any]) -> bool:
    if kind.startswith(("AWS::ApiGateway::", "AWS::ApiGatewayV2::")):
        return True
    return kind == "AWS::Lambda::Permission" and props.get("Principal") == "apigateway.amazonaws.com"


def _predicted_name(resource: dict[str, Any], stack_name: str, logical_id: str) -> str:
    """The name a resource created outside CloudFormation gets: its own name property when literal."""
    props = resource.get("Properties") or {}
    for key in ("RuleSetName", "Name", "ScheduleName"):
        if isinstance(props.get(key), str):
            return props[key]
    return f"{stack_name}-{logical_id}"


def substitute(node: Any, values: dict[str, dict[str, str]]) -> Any:
    """Replace Ref / GetAtt / ${X} of the given logical ids by literal values, leaving the rest intact."""
    if isinstance(node, list):
        return [substitute(item, values) for item in node]
    if not isinstance(node, dict):
        return node
    if set(node) == {"Ref"} and node["Ref"] in values:
        return values[node["Ref"]]["Ref"]
    if set(node) == {"Fn::GetAtt"}:
        target, attribute = _getatt_parts(node["Fn::GetAtt"])
        if target in values:
            return values[target].get(attribute, values[target]["Ref"])
    if set(node) == {"Fn::Sub"}:
        sub = node["Fn::Sub"]
        if isinstance(sub, str):
            return {"Fn::Sub": _substitute_string(sub, values, set())}
        text, mapping = sub
        return {"Fn::Sub": [_substitute_string(text, values, set(mapping)), substitute(mapping, values)]}
    return {key: substitute(value, values) for key, value in node.items()}


def _getatt_parts(value: Any) -> tuple[str, str]:
    if isinstance(value, str):
        target, _, attribute = value.partition(".")
        return target, attribute
    return value[0], value[1]


def _substitute_string(text: str, values: dict[str, dict[str, str]], local_names: set[str]) -> str:
    def replace(match: re.Match[str]) -> str:
        target, attribute = match.group(1), match.group(2)
        if target in local_names or target not in values:
            return match.group(0)
        return values[target].get(attribute or "Ref", values[target]["Ref"])

    return _SUB_VARIABLE.sub(replace, text)


def references(node: Any) -> set[str]:
    """Logical ids (and pseudo parameters) a template fragment refers to."""
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= references(item)
    elif isinstance(node, dict):
        if set(node) == {"Ref"} and isinstance(node["Ref"], str):
            found.add(node["Ref"])
        elif set(node) == {"Fn::GetAtt"}:
            found.add(_getatt_parts(node["Fn::GetAtt"])[0])
        elif set(node) == {"Fn::Sub"}:
            sub = node["Fn::Sub"]
            text = sub if isinstance(sub, str) else sub[0]
            local = set() if isinstance(sub, str) else set(sub[1])
            found |= {m.group(1) for m in _SUB_VARIABLE.finditer(text)} - local
            if not isinstance(sub, str):
                found |= references(sub[1])
        else:
            for value in node.values():
                found |= references(value)
    return found
