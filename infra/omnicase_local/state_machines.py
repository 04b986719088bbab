"""State machines of the template, created through the Step Functions API so moto executes them."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from omnicase_local.cfn_split import substitute


def create_state_machines(
    machines: dict[str, dict[str, Any]],
    stand_ins: dict[str, dict[str, str]],
    resolve: Callable[[Any], Any],
    sfn: Any,
) -> dict[str, str]:
    """Create each state machine under its predicted name; returns ARNs by logical id."""
    arns: dict[str, str] = {}
    for logical_id, machine in machines.items():
        props = resolve(substitute(machine.get("Properties") or {}, stand_ins))
        definition = props.get("DefinitionString") or props.get("Definition")
        text = definition if isinstance(definition, str) else json.dumps(definition)
        for key, value in (props.get("DefinitionSubstitutions") or {}).items():
            text = text.replace("${" + key + "}", str(value))
        response = sfn.create_state_machine(
            name=machine["Name"],
            definition=text,
            roleArn=props.get("RoleArn") or "arn:aws:iam::123456789012:role/omnicase-local-states",
            type=props.get("StateMachineType", "STANDARD"),
        )
        arns[logical_id] = response["stateMachineArn"]
    return arns
