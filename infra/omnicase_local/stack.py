"""Deploy template.yaml into (already active) moto: SAM translation, CloudFormation, and what moto CFN cannot do."""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from omnicase_local.sam_template import Route, Schedule, read_sam_template
from omnicase_local.ses_receipt import ReceiptRule, receipt_rule_from_properties

DEFAULT_STACK_NAME = "omnicase-local"
_CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]


class DeployError(RuntimeError):
    """The template could not be deployed into moto."""


@dataclass(frozen=True)
class DeployedFunction:
    """A Lambda function of the stack: its physical name and where its code runs from."""

    logical_id: str
    name: str
    arn: str
    code_dir: Path
    handler: str
    environment: dict[str, str]
    timeout: int = 3
    memory_size: int = 128
    dead_letter_arn: str | None = None


@dataclass
class DeployedStack:
    """What deploy_stack made: physical ids by logical id and everything the runtime serves or ticks."""

    stack_name: str
    region: str
    account_id: str
    physical_ids: dict[str, str]
    functions: dict[str, DeployedFunction]
    routes: list[Route]
    schedules: list[Schedule]
    receipt_rules: list[ReceiptRule]
    state_machines: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    dropped: dict[str, str] = field(default_factory=dict)

    @property
    def environment(self) -> dict[str, str]:
        """All functions' environment variables merged (all handlers share the local process)."""
        merged: dict[str, str] = {}
        for function in self.functions.values():
            merged.update(function.environment)
        return merged

    def export_environment(self, environ: MutableMapping[str, str] | None = None) -> None:
        """Put the functions' environment into os.environ (or the mapping given)."""
        (os.environ if environ is None else environ).update(self.environment)

    def deliver_email(
        self, raw: bytes, envelope_from: str, recipients: list[str], *, message_id: str | None = None
    ) -> str:
        """Receive one mail as SES would under this stack's receipt rules (S3 object + SNS); the SES message id."""
        from omnicase_local.ses_receipt import deliver_email

        return deliver_email(
            self.receipt_rules,
            raw,
            envelope_from=envelope_from,
            recipients=recipients,
            s3=_client("s3", self.region),
            sns=_client("sns", self.region),
            region=self.region,
            message_id=message_id,
        )

    def function_by_name(self, name_or_arn: str) -> DeployedFunction | None:
        """The function with this physical name or ARN (qualifiers ignored)."""
        name = name_or_arn.split(":function:")[-1].split(":")[0]
        return next((f for f in self.functions.values() if f.name == name), None)


def deploy_stack(
    template_path: str | Path, *, stack_name: str = DEFAULT_STACK_NAME, region: str | None = None
) -> DeployedStack:
    """Create every resource of the SAM template in the active moto (call inside mock_aws or the local runtime)."""
    from moto.cloudformation.models import cloudformation_backends
    from moto.cloudformation.parsing import clean_json

    from omnicase_local.api_resources import CREATORS, ApiContext, complete_ignored_properties, create_through_api
    from omnicase_local.cfn_split import split_for_moto
    from omnicase_local.state_machines import create_state_machines
    from omnicase_local.translate import dump, translate

    region = region or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    clients: dict[str, Any] = {}

    def client(service: str) -> Any:
        if service not in clients:
            clients[service] = _session().client(service, region_name=region)
        return clients[service]

    sam = read_sam_template(template_path)
    account_id = client("sts").get_caller_identity()["Account"]
    split = split_for_moto(
        translate(sam, client("s3")),
        stack_name=stack_name,
        region=region,
        account_id=account_id,
        api_types=frozenset(CREATORS),
    )
    try:
        stack_id = client("cloudformation").create_stack(
            StackName=stack_name, TemplateBody=dump(split.cfn), Capabilities=_CAPABILITIES
        )["StackId"]
    except Exception as error:
        raise DeployError(f"moto CloudFormation failed on {template_path}: {error}") from error
    stack = cloudformation_backends[account_id][region].stacks[stack_id]
    if stack.status != "CREATE_COMPLETE":
        raise DeployError(f"stack {stack_name} is {stack.status}")

    def resolve(value: Any) -> Any:
        return clean_json(value, stack.resource_map)

    physical_ids = {
        r["LogicalResourceId"]: r["PhysicalResourceId"]
        for r in client("cloudformation").list_stack_resources(StackName=stack_name)["StackResourceSummaries"]
    }
    context = ApiContext(stack_name, client)
    complete_ignored_properties(split.cfn["Resources"], physical_ids, resolve, context)
    state_machines = create_state_machines(split.state_machines, split.stand_ins, resolve, client("stepfunctions"))
    api_ids, api_props = create_through_api(split.through_api, split.stand_ins, resolve, context)
    physical_ids.update({logical_id: ids["Ref"] for logical_id, ids in api_ids.items()})
    # What moto CloudFormation wrote with a predicted stand-in whose real id the service chose itself (a Cognito
    # pool's, an app client's): the functions' environment and the outputs get the real one.
    renamed = {
        split.stand_ins[lid]["Ref"]: ids["Ref"]
        for lid, ids in api_ids.items()
        if ids["Ref"] != split.stand_ins[lid]["Ref"]
    }
    for logical_id, stand_in in split.stand_ins.items():
        physical_ids.setdefault(logical_id, stand_in["Ref"])
    physical_ids.update(state_machines)
    return DeployedStack(
        stack_name=stack_name,
        region=region,
        account_id=account_id,
        physical_ids=physical_ids,
        functions=_functions(sam.functions, split.cfn["Resources"], physical_ids, resolve, client("lambda"), renamed),
        routes=list(sam.routes),
        schedules=list(sam.schedules),
        receipt_rules=[
            receipt_rule_from_properties(physical_ids[lid], props["Rule"])
            for lid, props in api_props.items()
            if split.through_api[lid]["Type"] == "AWS::SES::ReceiptRule"
        ],
        state_machines=state_machines,
        outputs={
            o["OutputKey"]: renamed.get(str(o["OutputValue"]), str(o["OutputValue"])) for o in stack.outputs or []
        },
        dropped=split.dropped,
    )


@cache
def _session() -> Any:
    """One boto3 session for every deploy: its loader keeps the parsed service models (0.2 s per deploy)."""
    import boto3

    return boto3.session.Session()


@cache
def _client(service: str, region: str) -> Any:
    """One client per service for every mail delivered (boto3 clients are thread-safe; each costs ~10 ms to build)."""
    return _session().client(service, region_name=region)


def _functions(
    sources: dict[str, Any],
    resources: dict[str, Any],
    physical_ids: dict[str, str],
    resolve: Any,
    lambda_client: Any,
    renamed: dict[str, str],
) -> dict[str, DeployedFunction]:
    functions = {}
    for logical_id, source in sources.items():
        if logical_id not in physical_ids:
            continue
        config = lambda_client.get_function_configuration(FunctionName=physical_ids[logical_id])
        variables = {k: str(v) for k, v in (config.get("Environment") or {}).get("Variables", {}).items()}
        if any(v in renamed for v in variables.values()):
            variables = {k: renamed.get(v, v) for k, v in variables.items()}
            lambda_client.update_function_configuration(
                FunctionName=config["FunctionName"], Environment={"Variables": variables}
            )
        dead_letter = resolve((resources[logical_id].get("Properties") or {}).get("DeadLetterConfig") or {})
        functions[logical_id] = DeployedFunction(
            logical_id=logical_id,
            name=config["FunctionName"],
            arn=config["FunctionArn"],
            code_dir=source.code_dir,
            handler=source.handler,
            environment=variables,
            timeout=int(config.get("Timeout") or 3),
            memory_size=int(config.get("MemorySize") or 128),
            dead_letter_arn=dead_letter.get("TargetArn"),
        )
    return functions
