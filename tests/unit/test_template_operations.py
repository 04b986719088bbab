"""template.yaml's operations guarantees: least-privilege IAM per function, log retention, tracing, alarms on every
queue and function, the dashboard, and reserved concurrency as parameters. moto enforces no IAM, so this is the test
that keeps the policies narrow."""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from omnicase_local.sam_template import load_yaml

ROOT = Path(__file__).resolve().parents[2]
TABLE = {"Fn::GetAtt": ["CasesTable", "Arn"]}
INDEXES = {"Fn::Sub": "${CasesTable.Arn}/index/*"}
TENANT_SECRETS = {"Fn::Sub": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:omnicase/*"}

# What each function may do, exactly. Widening a policy fails here on purpose: add the action only after reading
# the code path that needs it (grep the layer: pynamodb get → GetItem, save → PutItem, update → UpdateItem,
# query → Query, batch_get → BatchGetItem, TransactWrite → the actions of its parts, condition_check →
# ConditionCheckItem), and say why in the template.
INTAKE = {"dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}
SECRETS = {"secretsmanager:GetSecretValue"}
# The customer-data key (PersonalDataKey): writing to an encrypted queue or topic needs both, receiving Decrypt.
ENCRYPTS = {"kms:GenerateDataKey", "kms:Decrypt"}
DECRYPTS = {"kms:Decrypt"}
EXPECTED_ACTIONS: dict[str, set[str]] = {
    # SECRETS: the acknowledgement's signed "this answered my question" links (kb/suggest_articles.py)
    "IngestEmailFunction": INTAKE | {"s3:GetObject", "s3:PutObject"} | ENCRYPTS | SECRETS,  # ENCRYPTS: its DLQ
    "IngestSmsFunction": INTAKE | ENCRYPTS,  # SMS acknowledgements carry short links only: no signed ones
    # calls get no acknowledgement; Contact Lens transcripts are read from the Connect instance's bucket
    "IngestConnectFunction": INTAKE | {"kms:Decrypt", "connect:DescribeContact", "s3:GetObject"},
    "SmsWebhookFunction": INTAKE | SECRETS,
    "ChatWebhookFunction": INTAKE | SECRETS | {"dynamodb:DeleteItem"},  # releases a replay claim of a failed intake
    "WechatWebhookFunction": INTAKE | SECRETS,
    "IngestSesFeedbackFunction": {"dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"}
    | ENCRYPTS,
    "SendOutboundFunction": {
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
        "ses:SendEmail",
        "ses:SendRawEmail",
        "sns:Publish",
        "s3:GetObject",  # agents' files: MIME parts, WeChat uploads, chat links (channels/*/sender.py)
    }
    | SECRETS
    | DECRYPTS,  # its change-feed queue
    # Customers' media into the bucket, recorded on the message (attachments/fetch_media.py); SECRETS: WeChat's app
    # secret for media/get, Twilio's auth token for media behind HTTP auth.
    "FetchMediaFunction": {"dynamodb:UpdateItem", "s3:PutObject"} | SECRETS | DECRYPTS,
    "DeliverCaseWebhooksFunction": {"dynamodb:GetItem"} | SECRETS | DECRYPTS,
    "StartCaseTimersFunction": {"dynamodb:BatchGetItem", "dynamodb:PutItem", "states:StartExecution"} | DECRYPTS,
    "CountChangesFunction": {"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}
    | DECRYPTS,
    "CheckCaseTimersFunction": {
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:ConditionCheckItem",
        "sns:Publish",
    }
    | ENCRYPTS,  # EscalationTopic
    "ScheduleSurveysFunction": {"dynamodb:GetItem", "dynamodb:PutItem"} | DECRYPTS,
    "SendSurveysFunction": {"dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"} | SECRETS,
    "SurveyPageFunction": {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"} | SECRETS,
    # The person's record by Cognito sub (gsi1), its tenant; Cognito's InitiateAuth / GlobalSignOut need no IAM.
    "SessionFunction": {"dynamodb:GetItem", "dynamodb:Query"},
    # API Gateway's authorizer: an API token's hash (GetItem), a person by sub (gsi1) and whether Cognito disabled them.
    "AuthorizerFunction": {"dynamodb:GetItem", "dynamodb:Query", "cognito-idp:AdminGetUser"},
    # DeleteItem: unlinking a case from a problem deletes the link item (persistence/case_store.py save_all).
    # BatchGetItem: an inbox page's customers, past cases' surveys, search hits (persistence/batch_lookups.py).
    # s3:GetObject: attachment download links are presigned with the role's rights (aws/mail_store.py).
    "ApiFunction": {
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:BatchGetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "s3:GetObject",
        "s3:GetObjectTagging",  # GuardDuty Malware Protection's verdict on a file (console_api/attachment_link.py)
        "s3:PutObject",  # agents' presigned uploads under attachments/*/uploads/ (attachments/agent_uploads.py)
        # Customer erasure (persistence/erasure_store.py): raw mails and attachments with every version.
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
        "s3:ListBucketVersions",
        "cognito-idp:AdminGetUser",  # a person disabled in Cognito directly (aws/cognito_user_status.py)
    },
}
# Resource "*" only where AWS offers nothing narrower: SMS goes to phone numbers, which have no ARN.
STAR_RESOURCE_ACTIONS = {"SendOutboundFunction": {"sns:Publish"}}
BROAD_DYNAMODB = {"dynamodb:Scan", "dynamodb:DeleteTable", "dynamodb:BatchWriteItem", "dynamodb:PartiQLSelect"}
SAM_MANAGED_POLICIES = {
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",  # its own log group
    "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",  # Tracing: Active
    # poll its change-feed queue (SAM attaches this AWS-managed policy to every SQS event source; no function reads
    # the table stream itself any more: docs/change-feed.md)
    "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
}


@cache
def _template() -> dict[str, Any]:
    return load_yaml(ROOT / "template.yaml")


@pytest.fixture
def template() -> dict[str, Any]:
    return copy.deepcopy(_template())


def of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {lid: r for lid, r in template["Resources"].items() if r["Type"] == kind}


def functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return of_type(template, "AWS::Serverless::Function")


def statements(function: dict[str, Any]) -> list[dict[str, Any]]:
    """The function's policy statements; only explicit statements are allowed (no SAM templates, no ARNs)."""
    found = []
    for policy in function["Properties"].get("Policies", []):
        assert set(policy) == {"Statement"}, f"not an explicit statement: {policy}"
        found.extend(policy["Statement"])
    return found


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def granted(function: dict[str, Any]) -> set[str]:
    return {action for s in statements(function) for action in as_list(s["Action"])}


def test_the_table_of_expected_actions_covers_every_function(template):
    assert set(EXPECTED_ACTIONS) == set(functions(template))


@pytest.mark.parametrize("name", sorted(EXPECTED_ACTIONS))
def test_each_function_is_granted_exactly_what_its_code_calls(template, name):
    function = functions(template)[name]
    assert granted(function) == EXPECTED_ACTIONS[name]
    for statement in statements(function):
        assert statement["Effect"] == "Allow"
        assert not any("*" in action for action in as_list(statement["Action"])), statement
        if statement["Resource"] == "*":
            assert set(as_list(statement["Action"])) <= STAR_RESOURCE_ACTIONS.get(name, set()), statement


def test_dynamodb_only_on_the_table_and_its_indexes_and_never_broad(template):
    for name, function in functions(template).items():
        for statement in statements(function):
            actions = set(as_list(statement["Action"]))
            if not any(a.startswith("dynamodb:") for a in actions):
                continue
            assert all(a.startswith("dynamodb:") for a in actions), f"{name}: keep DynamoDB statements apart"
            assert not actions & BROAD_DYNAMODB, f"{name}: {actions & BROAD_DYNAMODB}"
            resources = as_list(statement["Resource"])
            assert TABLE in resources and all(r in (TABLE, INDEXES) for r in resources), f"{name}: {resources}"
            assert (INDEXES in resources) == ("dynamodb:Query" in actions), f"{name}: indexes are only queried"


def test_secrets_are_the_tenants_omnicase_secrets_only(template):
    users = set()
    for name, function in functions(template).items():
        for statement in statements(function):
            if any(a.startswith("secretsmanager:") for a in as_list(statement["Action"])):
                assert statement["Action"] == "secretsmanager:GetSecretValue"
                assert statement["Resource"] == TENANT_SECRETS
                users.add(name)
    assert users == {name for name, actions in EXPECTED_ACTIONS.items() if actions >= SECRETS}


def test_mail_bucket_access_is_per_prefix(template):
    by_function: dict[str, dict[str, list[str]]] = {}
    for name, function in functions(template).items():
        for statement in statements(function):
            for action in as_list(statement["Action"]):
                if action.startswith("s3:"):
                    resources = [r["Fn::Sub"] for r in as_list(statement["Resource"])]
                    by_function.setdefault(name, {}).setdefault(action, []).extend(resources)
    assert by_function == {
        "IngestEmailFunction": {
            "s3:GetObject": ["${MailBucket.Arn}/inbound/*"],  # SES put it there; quarantine copies from it too
            "s3:PutObject": ["${MailBucket.Arn}/attachments/*", "${MailBucket.Arn}/quarantine/*"],
        },
        # Download links of attachments only: never raw mail, never the quarantine.
        # Download links of attachments; erasure deletes an erased customer's raw mail and attachments, every version.
        # Agents' uploads: presigned POSTs signed with the role's right, to their own prefix only.
        "ApiFunction": {
            "s3:GetObject": ["${MailBucket.Arn}/attachments/*"],
            "s3:GetObjectTagging": ["${MailBucket.Arn}/attachments/*"],
            "s3:PutObject": ["${MailBucket.Arn}/attachments/*/uploads/*"],
            "s3:DeleteObject": ["${MailBucket.Arn}/inbound/*", "${MailBucket.Arn}/attachments/*"],
            "s3:DeleteObjectVersion": ["${MailBucket.Arn}/inbound/*", "${MailBucket.Arn}/attachments/*"],
            "s3:ListBucketVersions": ["${MailBucket.Arn}"],
        },
        "SendOutboundFunction": {"s3:GetObject": ["${MailBucket.Arn}/attachments/*/uploads/*"]},  # agents' files
        "FetchMediaFunction": {"s3:PutObject": ["${MailBucket.Arn}/attachments/*"]},  # customers' media
        # Contact Lens output in the Connect instance's bucket (a parameter), its analysis files only.
        "IngestConnectFunction": {"s3:GetObject": ["arn:${AWS::Partition}:s3:::${ConnectBucketName}/Analysis/Voice/*"]},
    }


def test_other_services_are_narrowed_to_their_resource(template):
    resources = {
        (name, action): statement["Resource"]
        for name, function in functions(template).items()
        for statement in statements(function)
        for action in as_list(statement["Action"])
        if action.split(":")[0] in ("states", "ses", "sns")
    }
    assert resources == {
        ("StartCaseTimersFunction", "states:StartExecution"): {"Ref": "EscalationStateMachine"},
        ("CheckCaseTimersFunction", "sns:Publish"): {"Ref": "EscalationTopic"},
        ("SendOutboundFunction", "sns:Publish"): "*",
        ("SendOutboundFunction", "ses:SendEmail"): {
            "Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*"
        },
        ("SendOutboundFunction", "ses:SendRawEmail"): {
            "Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*"
        },
    }


@cache
def _translated() -> dict[str, Any]:
    """The CloudFormation SAM makes of the template (offline: code locations as S3 URIs)."""
    from samtranslator.translator.transform import transform

    from omnicase_local.translate import _NoManagedPolicies

    body = copy.deepcopy(_template())
    uris = {
        "AWS::Serverless::Function": "CodeUri",
        "AWS::Serverless::LayerVersion": "ContentUri",
        "AWS::Serverless::StateMachine": "DefinitionUri",
    }
    for resource in body["Resources"].values():
        if resource["Type"] in uris:
            resource["Properties"][uris[resource["Type"]]] = "s3://artifacts/code.zip"
    return transform(body, {"AWS::Region": "us-east-1"}, _NoManagedPolicies())


def test_sam_adds_nothing_broader_than_logs_tracing_streams_and_failure_queues(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    resources = _translated()["Resources"]
    for name in EXPECTED_ACTIONS:
        role = resources[resources[name]["Properties"]["Role"]["Fn::GetAtt"][0]]["Properties"]
        assert set(role.get("ManagedPolicyArns", [])) <= SAM_MANAGED_POLICIES, name
        added = [p for p in role.get("Policies", []) if not re.fullmatch(rf"{name}RolePolicy\d+", p["PolicyName"])]
        for policy in added:  # the async DLQ and the stream's on-failure queue: SendMessage to that queue only
            (statement,) = policy["PolicyDocument"]["Statement"]
            assert statement["Action"] == "sqs:SendMessage" and "Fn::GetAtt" in statement["Resource"], name


def test_every_function_has_a_log_group_with_the_retention_parameter(template):
    groups = {
        r["Properties"]["LogGroupName"]["Fn::Sub"]: r["Properties"]
        for r in of_type(template, "AWS::Logs::LogGroup").values()
        if "LogGroupName" in r["Properties"]  # the API's access log is named by CloudFormation
    }
    for name in functions(template):
        assert groups[f"/aws/lambda/${{{name}}}"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}


def test_tracing_everywhere_and_the_state_machine_logs_errors_without_customer_data(template):
    assert template["Globals"]["Function"]["Tracing"] == "Active"
    assert all("Tracing" not in f["Properties"] for f in functions(template).values())  # none opts out
    assert template["Globals"]["Api"]["TracingEnabled"] is True
    machine = template["Resources"]["EscalationStateMachine"]["Properties"]
    assert machine["Tracing"] == {"Enabled": True}
    logging = machine["Logging"]
    assert logging["Level"] == "ERROR" and logging["IncludeExecutionData"] is False
    (destination,) = logging["Destinations"]
    group = destination["CloudWatchLogsLogGroup"]["LogGroupArn"]["Fn::GetAtt"][0]
    assert template["Resources"][group]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}


def alarms(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {lid: r["Properties"] for lid, r in of_type(template, "AWS::CloudWatch::Alarm").items()}


def watched(alarm: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(namespace, metric, dimensions) of a plain or metric-math alarm."""
    if "MetricName" in alarm:
        return [(alarm["Namespace"], alarm["MetricName"], alarm.get("Dimensions"))]
    return [
        (
            q["MetricStat"]["Metric"]["Namespace"],
            q["MetricStat"]["Metric"]["MetricName"],
            q["MetricStat"]["Metric"].get("Dimensions"),
        )
        for q in alarm["Metrics"]
        if "MetricStat" in q
    ]


def test_every_queue_has_a_depth_alarm(template):
    queues = of_type(template, "AWS::SQS::Queue")
    # A queue with a redrive policy is a consumer's work queue (the change feed): changes pass through it, so what
    # alarms is the age of the oldest one; every other queue is a dead-letter / failure queue, where one is too many.
    work = {lid for lid, queue in queues.items() if "RedrivePolicy" in queue["Properties"]}

    def alarmed(wanted: str) -> set[str]:
        return {
            dims[0]["Value"]["Fn::GetAtt"][0]
            for alarm in alarms(template).values()
            for namespace, metric, dims in watched(alarm)
            if metric == wanted and (metric != "ApproximateNumberOfMessagesVisible" or alarm["Threshold"] == 0)
        }

    assert work and alarmed("ApproximateAgeOfOldestMessage") == work
    assert alarmed("ApproximateNumberOfMessagesVisible") == set(queues) - work


def test_every_function_has_an_error_rate_and_a_throttles_alarm(template):
    def alarmed(metric: str) -> set[str]:
        return {
            dims[0]["Value"]["Ref"]
            for alarm in alarms(template).values()
            for namespace, name, dims in watched(alarm)
            if namespace == "AWS/Lambda" and name == metric
        }

    names = set(functions(template))
    assert alarmed("Errors") == names and alarmed("Invocations") == names and alarmed("Throttles") == names


def test_table_throttles_sla_breach_rate_and_failed_executions_are_alarmed(template):
    metrics = {(str(ns), name) for alarm in alarms(template).values() for ns, name, _ in watched(alarm)}
    assert {("AWS/DynamoDB", "ReadThrottleEvents"), ("AWS/DynamoDB", "WriteThrottleEvents")} <= metrics
    assert {("AWS/States", "ExecutionsFailed"), ("AWS/States", "ExecutionsTimedOut")} <= metrics
    # The stack-wide series omnicase.escalation.timer_metrics emits (dimension service only), in the stack's namespace.
    rate = alarms(template)["SlaBreachRateAlarm"]
    stack = json.dumps({"Ref": "AWS::StackName"})
    assert {(json.dumps(ns), name, json.dumps(d)) for ns, name, d in watched(rate)} == {
        (stack, "SlaBreaches", json.dumps([{"Name": "service", "Value": "omnicase"}])),
        (stack, "CasesOpened", json.dumps([{"Name": "service", "Value": "omnicase"}])),
    }


def test_every_alarm_is_named_after_the_stack_notifies_ops_and_ignores_missing_data(template):
    assert len(alarms(template)) >= 2 * len(functions(template))
    for lid, alarm in alarms(template).items():
        assert alarm["AlarmName"]["Fn::Sub"].startswith("${AWS::StackName}-"), lid
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}] == alarm["OKActions"], lid
        assert alarm["TreatMissingData"] == "notBreaching", lid
        if "Metrics" in alarm:
            assert sum(q.get("ReturnData", True) for q in alarm["Metrics"]) == 1, lid
    topic = template["Resources"]["AlarmTopic"]["Properties"]
    assert topic["Subscription"]["Fn::If"][0] == "HasAlarmEmail"


def test_reserved_concurrency_is_a_parameter_where_floods_arrive_and_senders_leave(template):
    expected = {
        "IntakeReservedConcurrency": {
            "IngestEmailFunction",
            "IngestSmsFunction",
            "IngestConnectFunction",
            "IngestSesFeedbackFunction",
            "SmsWebhookFunction",
            "ChatWebhookFunction",
            "WechatWebhookFunction",
        },
        "SenderReservedConcurrency": {"SendOutboundFunction", "DeliverCaseWebhooksFunction"},
        "PublicRouteReservedConcurrency": {"ApiFunction", "SessionFunction", "SurveyPageFunction"},
    }
    found: dict[str, set[str]] = {}
    for name, function in functions(template).items():
        reserved = function["Properties"].get("ReservedConcurrentExecutions")
        if reserved is None:
            continue
        condition, value, otherwise = reserved["Fn::If"]
        assert otherwise == {"Ref": "AWS::NoValue"}  # 0 means unreserved, not "never run"
        assert template["Conditions"][condition] == {"Fn::Not": [{"Fn::Equals": [value, 0]}]}
        found.setdefault(value["Ref"], set()).add(name)
    assert found == expected
    for parameter in expected:
        assert template["Parameters"][parameter]["Type"] == "Number"
        assert template["Parameters"][parameter]["Default"] > 0  # capped unless an operator says otherwise


def test_the_dashboard_shows_every_function_queue_the_table_and_the_escalation_flow(template):
    (dashboard,) = of_type(template, "AWS::CloudWatch::Dashboard").values()
    body = dashboard["Properties"]["DashboardBody"]["Fn::Sub"]
    widgets = json.loads(re.sub(r"\$\{([^}]+)\}", r"<\1>", body))["widgets"]  # valid JSON once substituted
    referenced = set(re.findall(r"\$\{([A-Za-z0-9]+)", body))
    assert referenced <= set(template["Resources"]) | {"AWS"}
    assert set(functions(template)) | set(of_type(template, "AWS::SQS::Queue")) <= referenced
    assert {"CasesTable", "EscalationStateMachine"} <= referenced
    titles = " ".join(w["properties"].get("title", "") for w in widgets).lower()
    for topic in ("inbound", "intake errors", "dlq", "throttles", "p99", "dynamodb", "sla", "escalation", "csat"):
        assert topic in titles


def test_the_local_runtime_keeps_log_groups_and_the_dashboard_and_sets_alarms_aside(monkeypatch):
    from omnicase_local.api_resources import CREATORS
    from omnicase_local.cfn_split import split_for_moto

    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    template = _translated()
    split = split_for_moto(
        template, stack_name="ops", region="us-east-1", account_id="123456789012", api_types=frozenset(CREATORS)
    )
    kept = split.cfn["Resources"]
    assert {lid for lid, r in kept.items() if r["Type"] == "AWS::Logs::LogGroup"} == set(
        of_type(template, "AWS::Logs::LogGroup")
    )
    assert "OperationsDashboard" in kept and "AlarmTopic" in kept
    alarm_ids = set(of_type(template, "AWS::CloudWatch::Alarm"))
    assert {lid for lid, why in split.dropped.items() if why.startswith("monitoring only")} == alarm_ids


def test_the_escalation_flow_may_invoke_its_check_task_and_deliver_its_logs_only(template):
    policies = template["Resources"]["EscalationStateMachine"]["Properties"]["Policies"]
    invoke, delivery = policies
    assert invoke == {"LambdaInvokePolicy": {"FunctionName": {"Ref": "CheckCaseTimersFunction"}}}
    (statement,) = delivery["Statement"]
    assert statement["Resource"] == "*"  # the log-delivery APIs take no resource ARN
    assert set(statement["Action"]) == {
        "logs:CreateLogDelivery",
        "logs:GetLogDelivery",
        "logs:UpdateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
    }
