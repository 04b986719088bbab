"""Resources moto's CloudFormation cannot create, created through their service APIs once the stack exists."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from omnicase_local.cfn_split import references, substitute

Resolve = Callable[[Any], Any]
Creator = Callable[[str, dict[str, Any], "ApiContext"], dict[str, str]]


class ApiContext:
    """boto3 clients (in-process moto) and the stack's name, shared by the creators."""

    def __init__(self, stack_name: str, client: Callable[[str], Any]) -> None:
        self.stack_name = stack_name
        self.client = client


def _policy(document: Any) -> str:
    return document if isinstance(document, str) else json.dumps(document)


def _subscription(logical_id: str, props: dict[str, Any], ctx: ApiContext) -> dict[str, str]:
    attributes = {
        key: _policy(props[key]) if key in ("FilterPolicy", "RedrivePolicy", "DeliveryPolicy") else str(props[key])
        for key in ("FilterPolicy", "FilterPolicyScope", "RawMessageDelivery", "RedrivePolicy", "DeliveryPolicy")
        if key in props
    }
    if "RawMessageDelivery" in attributes:
        attributes["RawMessageDelivery"] = attributes["RawMessageDelivery"].lower()
    response = ctx.client("sns").subscribe(
        TopicArn=props["TopicArn"],
        Protocol=props["Protocol"],
        Endpoint=props["Endpoint"],
        Attributes=attributes,
        ReturnSubscriptionArn=True,
    )
    return {"Ref": response["SubscriptionArn"]}


def _topic_policy(logical_id: str, props: dict[str, Any], ctx: ApiContext) -> dict[str, str]:
    for topic in props["Topics"]:
        ctx.client("sns").set_topic_attributes(
            TopicArn=topic, AttributeName="Policy", AttributeValue=_policy(props["PolicyDocument"])
        )
    return {"Ref": logical_id}


def _bucket_policy(logical_id: str, props: dict[str, Any], ctx: ApiContext) -> dict[str, str]:
    ctx.client("s3").put_bucket_policy(Bucket=props["Bucket"], Policy=_policy(props["PolicyDocument"]))
    return {"Ref": logical_id}


def _queue_policy(logical_id: str, props: dict[str, Any], ctx: ApiContext) -> dict[str, str]:
    for queue_url in props["Queues"]:
        ctx.client("sqs").set_queue_attributes(
            QueueUrl=queue_url, Attributes={"Policy": _policy(props["PolicyDocument"])}
        )
    return {"Ref": logical_id}


def _receipt_rule_set(logical_id: str, props: dict[str, Any], ctx: ApiContext) -> dict[str, str]:
    name = props.get("RuleSetName") or f"{ctx.stack_name}-{logical_id}"
    ses = ctx.client("ses")
    ses.create_receipt_rule_set(RuleSetName=name)
    # SES receives only through the active rule set; locally the stack's own set is the active one.
    ses.set_active_receipt_rule_set(RuleSetName=name)
    return {"Ref": name}


def _receipt_rule(logical_id: str, props: dict[str, Any], ctx: ApiContext) -> dict[str, str]:
    rule = {"Name": f"{ctx.stack_name}-{logical_id}", **props["Rule"]}
    if isinstance(rule.get("Recipients"), str):  # moto leaves a defaulted CommaDelimitedList unsplit
        rule["Recipients"] = [r.strip() for r in rule["Recipients"].split(",") if r.strip()]
        props["Rule"] = rule
    kwargs = {"After": props["After"]} if props.get("After") else {}
    ctx.client("ses").create_receipt_rule(RuleSetName=props["RuleSetName"], Rule=rule, **kwargs)
    return {"Ref": rule["Name"]}


def _schedule(logical_id: str, props: dict[str, Any], ctx: ApiContext) -> dict[str, str]:
    name = props.get("Name") or f"{ctx.stack_name}-{logical_id}"
    ctx.client("scheduler").create_schedule(**{**props, "Name": name})
    arn = f"arn:aws:scheduler:::schedule/{props.get('GroupName', 'default')}/{name}"
    return {"Ref": name, "Arn": arn}


def _event_bus(logical_id: str, props: dict[str, Any], ctx: ApiContext) -> dict[str, str]:
    """moto's CloudFormation names a bus after its logical id and gives it no Ref: through the API, by its Name."""
    name = props.get("Name") or f"{ctx.stack_name}-{logical_id}"
    arn = ctx.client("events").create_event_bus(Name=name)["EventBusArn"]
    return {"Ref": name, "Arn": arn, "Name": name}


_RULE_PROPERTIES = ("EventPattern", "ScheduleExpression", "State", "Description", "RoleArn", "EventBusName")


def _rule(logical_id: str, props: dict[str, Any], ctx: ApiContext) -> dict[str, str]:
    """A rule on any bus (moto's CloudFormation cannot put one on a bus it created), with its targets."""
    name = props.get("Name") or f"{ctx.stack_name}-{logical_id}"[:64]
    params = {key: props[key] for key in _RULE_PROPERTIES if key in props}
    if isinstance(params.get("EventPattern"), dict):
        params["EventPattern"] = json.dumps(params["EventPattern"])
    events = ctx.client("events")
    arn = events.put_rule(Name=name, **params)["RuleArn"]
    bus = props.get("EventBusName", "default")
    if props.get("Targets"):
        events.put_targets(Rule=name, EventBusName=bus, Targets=props["Targets"])
    bus_name = bus.rsplit("/", 1)[-1]
    return {"Ref": name if bus_name == "default" else f"{bus_name}|{name}", "Arn": arn}


def _pipe(logical_id: str, props: dict[str, Any], ctx: ApiContext) -> dict[str, str]:
    """moto's CloudFormation has no Pipes: CreatePipe takes the same properties (omnicase_local.pipes runs it)."""
    params = {"Name": f"{ctx.stack_name}-{logical_id}", **props}
    created = ctx.client("pipes").create_pipe(**params)
    return {"Ref": created["Name"], "Arn": created["Arn"]}


# CreateUserPool takes the CloudFormation properties under the same names, but for these.
_USER_POOL_RENAMED = {"UserPoolName": "PoolName"}
_USER_POOL_NOT_API = frozenset({"EnabledMfas"})  # SetUserPoolMfaConfig's, below


def _user_pool(logical_id: str, props: dict[str, Any], ctx: ApiContext) -> dict[str, str]:
    """moto's CloudFormation has no Cognito: the pool through cognito-idp (its id is known only once created)."""
    params = {_USER_POOL_RENAMED.get(k, k): v for k, v in props.items() if k not in _USER_POOL_NOT_API}
    params.setdefault("PoolName", f"{ctx.stack_name}-{logical_id}")
    cognito = ctx.client("cognito-idp")
    pool = cognito.create_user_pool(**params)["UserPool"]
    if "SOFTWARE_TOKEN_MFA" in (props.get("EnabledMfas") or []):
        cognito.set_user_pool_mfa_config(
            UserPoolId=pool["Id"],
            SoftwareTokenMfaConfiguration={"Enabled": True},
            MfaConfiguration=props.get("MfaConfiguration", "OFF"),
        )
    return {"Ref": pool["Id"], "Arn": pool["Arn"]}


def _user_pool_client(logical_id: str, props: dict[str, Any], ctx: ApiContext) -> dict[str, str]:
    params = {"ClientName": f"{ctx.stack_name}-{logical_id}", **props}
    created = ctx.client("cognito-idp").create_user_pool_client(**params)["UserPoolClient"]
    return {"Ref": created["ClientId"], "Name": created["ClientName"]}


CREATORS: dict[str, Creator] = {
    "AWS::SNS::Subscription": _subscription,
    "AWS::SNS::TopicPolicy": _topic_policy,
    "AWS::S3::BucketPolicy": _bucket_policy,
    "AWS::SQS::QueuePolicy": _queue_policy,
    "AWS::SES::ReceiptRuleSet": _receipt_rule_set,
    "AWS::SES::ReceiptRule": _receipt_rule,
    "AWS::Scheduler::Schedule": _schedule,
    "AWS::Pipes::Pipe": _pipe,
    "AWS::Events::EventBus": _event_bus,
    "AWS::Events::Rule": _rule,
    "AWS::Cognito::UserPool": _user_pool,
    "AWS::Cognito::UserPoolClient": _user_pool_client,
}


def create_through_api(
    resources: dict[str, dict[str, Any]], stand_ins: dict[str, dict[str, str]], resolve: Resolve, ctx: ApiContext
) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, Any]]]:
    """Create each resource once what it refers to exists; returns the created ids and resolved properties."""
    pending = dict(resources)
    created: dict[str, dict[str, str]] = {}
    resolved: dict[str, dict[str, Any]] = {}
    while pending:
        ready = [lid for lid, res in pending.items() if not (references(res) | _depends(res)) & set(pending)]
        if not ready:
            raise ValueError(f"circular references between {sorted(pending)}")
        for logical_id in ready:
            resource = pending.pop(logical_id)
            props = resolve(substitute(resource.get("Properties") or {}, {**stand_ins, **created}))
            created[logical_id] = CREATORS[resource["Type"]](logical_id, props, ctx)
            resolved[logical_id] = props
    return created, resolved


def _depends(resource: dict[str, Any]) -> set[str]:
    depends = resource.get("DependsOn") or []
    return {depends} if isinstance(depends, str) else set(depends)


def _table_settings(props: dict[str, Any], physical_id: str, ctx: ApiContext) -> None:
    dynamodb = ctx.client("dynamodb")
    ttl = props.get("TimeToLiveSpecification")
    if ttl and str(ttl.get("Enabled")).lower() == "true":
        dynamodb.update_time_to_live(
            TableName=physical_id, TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True}
        )
    recovery = props.get("PointInTimeRecoverySpecification")
    if recovery and str(recovery.get("PointInTimeRecoveryEnabled")).lower() == "true":
        dynamodb.update_continuous_backups(
            TableName=physical_id, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
        )


# Properties moto's CloudFormation accepts but ignores, applied through the API afterwards.
COMPLETERS: dict[str, Callable[[dict[str, Any], str, ApiContext], None]] = {
    "AWS::DynamoDB::Table": _table_settings,
}


def complete_ignored_properties(
    resources: dict[str, dict[str, Any]], physical_ids: dict[str, str], resolve: Resolve, ctx: ApiContext
) -> None:
    """Apply the properties moto CFN ignores (TTL, point-in-time recovery) to the created resources."""
    for logical_id, resource in resources.items():
        completer = COMPLETERS.get(resource.get("Type", ""))
        if completer and logical_id in physical_ids:
            completer(resolve(resource.get("Properties") or {}), physical_ids[logical_id], ctx)
