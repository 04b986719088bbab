"""Starting escalation executions on Step Functions."""

from __future__ import annotations

import contextlib
import json

from omnicase.aws.clients import client


class StepFunctionsExecutions:
    def __init__(self, state_machine_arn: str) -> None:
        self.state_machine_arn = state_machine_arn

    def start(self, name: str, payload: dict[str, object]) -> None:
        sfn = client("stepfunctions")
        with contextlib.suppress(sfn.exceptions.ExecutionAlreadyExists):  # a retried start of the same one
            sfn.start_execution(stateMachineArn=self.state_machine_arn, name=name, input=json.dumps(payload))
