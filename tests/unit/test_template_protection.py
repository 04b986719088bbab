"""template.yaml protects the data it holds: stateful resources survive `sam delete` and replacement, mail expires by
prefix, personal data in transit is encrypted with a key its publishers may use, and the API is capped and audited.
moto ignores all of this, so these rules are checked on the template and on what SAM translates it to."""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from omnicase.aws.mail_store import QUARANTINE_PREFIX
from omnicase_local.sam_template import load_yaml

ROOT = Path(__file__).resolve().parents[2]
RETAIN = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}
# Resource types whose loss loses data: cases and customers, mail, queued or failed messages, people, the key that
# decrypts retained queues.
STATEFUL = {
    "AWS::DynamoDB::Table",
    "AWS::S3::Bucket",
    "AWS::SQS::Queue",
    "AWS::Cognito::UserPool",
    "AWS::KMS::Key",
}
KEY = {"Ref": "PersonalDataKey"}
# Failure queues whose messages are metadata only (a pipe batch's position, a schedule's tick): SQS-managed SSE.
METADATA_ONLY_QUEUES = {"ChangeFeedPipeFailureQueue", "SendSurveysDeadLetterQueue"}


@cache
def _template() -> dict[str, Any]:
    return load_yaml(ROOT / "template.yaml")


@pytest.fixture
def template() -> dict[str, Any]:
    return copy.deepcopy(_template())


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


def of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {lid: r for lid, r in template["Resources"].items() if r["Type"] == kind}


def access_log_groups(template: dict[str, Any]) -> set[str]:
    """Log groups an API stage writes its access log to (audit records, not debugging output)."""
    found = set()
    for stage in [*of_type(template, "AWS::ApiGateway::Stage").values()]:
        destination = stage["Properties"].get("AccessLogSetting", {}).get("DestinationArn")
        if destination:
            found.add(destination["Fn::GetAtt"][0])
    return found


# ---- Retention -----------------------------------------------------------------------------------------------------


def test_every_stateful_resource_cloudformation_deploys_is_retained(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    translated = _translated()  # what CloudFormation sees, SAM's generated queues and stages included
    stateful = {lid: r for lid, r in translated["Resources"].items() if r["Type"] in STATEFUL}
    stateful |= {lid: translated["Resources"][lid] for lid in access_log_groups(translated)}
    assert {"CasesTable", "MailBucket", "AgentUserPool", "PersonalDataKey", "ApiAccessLogGroup"} <= set(stateful)
    unprotected = {lid for lid, r in stateful.items() if {k: r.get(k) for k in RETAIN} != RETAIN}
    assert not unprotected, f"retain these (DeletionPolicy and UpdateReplacePolicy): {sorted(unprotected)}"


def test_other_log_groups_say_on_purpose_what_happens_to_them(template):
    for lid, group in of_type(template, "AWS::Logs::LogGroup").items():
        assert group.get("DeletionPolicy") in ("Retain", "Delete"), lid
        assert group.get("UpdateReplacePolicy") == group["DeletionPolicy"], lid


def test_the_table_cannot_be_deleted_by_accident_and_recovers_to_any_second(template):
    table = template["Resources"]["CasesTable"]["Properties"]
    assert table["DeletionProtectionEnabled"] is True
    assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}


def test_the_people_pool_refuses_deletion(template):
    assert template["Resources"]["AgentUserPool"]["Properties"]["DeletionProtection"] == "ACTIVE"


# ---- Mail bucket ---------------------------------------------------------------------------------------------------


def written_prefixes(template: dict[str, Any]) -> set[str]:
    """Every key prefix something writes to the mail bucket: SES's receipt rule and the functions' s3:PutObject."""
    prefixes = set()
    for rule in of_type(template, "AWS::SES::ReceiptRule").values():
        for action in rule["Properties"]["Rule"]["Actions"]:
            if action.get("S3Action", {}).get("BucketName") == {"Ref": "MailBucket"}:
                prefixes.add(action["S3Action"]["ObjectKeyPrefix"])
    for function in of_type(template, "AWS::Serverless::Function").values():
        for policy in function["Properties"].get("Policies", []):
            for statement in policy.get("Statement", []):
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                if "s3:PutObject" not in actions:
                    continue
                resources = (
                    statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
                )
                for resource in resources:
                    match = re.fullmatch(r"\$\{MailBucket\.Arn\}/([^*]+)\*", resource.get("Fn::Sub", ""))
                    if match:
                        prefixes.add(match.group(1))
    return prefixes


def test_every_prefix_written_to_the_mail_bucket_expires_after_its_parameter(template):
    rules = template["Resources"]["MailBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    expiring = {r["Prefix"]: r["ExpirationInDays"]["Ref"] for r in rules if "Prefix" in r and r["Status"] == "Enabled"}
    written = written_prefixes(template)
    assert {"inbound/", "attachments/", QUARANTINE_PREFIX} <= written
    assert written <= set(expiring), f"kept forever: {sorted(written - set(expiring))}"
    defaults = {prefix: template["Parameters"][parameter]["Default"] for prefix, parameter in expiring.items()}
    assert defaults["inbound/"] == 365 and defaults[QUARANTINE_PREFIX] == 30


def test_mail_bucket_versions_expire_so_deleted_mail_really_goes(template):
    bucket = template["Resources"]["MailBucket"]["Properties"]
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    assert "ObjectLockEnabled" not in bucket  # erasure must be able to delete
    (old,) = [r for r in bucket["LifecycleConfiguration"]["Rules"] if "NoncurrentVersionExpiration" in r]
    assert "Prefix" not in old and old["Status"] == "Enabled" and old["ExpiredObjectDeleteMarker"] is True
    assert old["NoncurrentVersionExpiration"] == {"NoncurrentDays": {"Ref": "DeletedObjectRecoveryDays"}}


def test_mail_bucket_access_is_logged_to_a_retained_expiring_bucket_s3_may_write(template):
    logging = template["Resources"]["MailBucket"]["Properties"]["LoggingConfiguration"]
    assert logging["DestinationBucketName"] == {"Ref": "MailAccessLogBucket"}
    log_bucket = template["Resources"]["MailAccessLogBucket"]
    assert {k: log_bucket.get(k) for k in RETAIN} == RETAIN
    # Server access logs are delivered only to a bucket with SSE-S3 default encryption.
    (encryption,) = log_bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    (expiry,) = log_bucket["Properties"]["LifecycleConfiguration"]["Rules"]
    assert expiry["ExpirationInDays"] == {"Ref": "AuditLogRetentionDays"}
    (policy,) = [
        p
        for p in of_type(template, "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": "MailAccessLogBucket"}
    ]
    (grant,) = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"]
    assert grant["Principal"] == {"Service": "logging.s3.amazonaws.com"} and grant["Action"] == "s3:PutObject"
    assert grant["Resource"] == {"Fn::Sub": "${MailAccessLogBucket.Arn}/" + logging["LogFilePrefix"] + "*"}


# ---- Encryption in transit between functions -----------------------------------------------------------------------


def test_every_topic_and_every_queue_with_personal_data_uses_the_customer_managed_key(template):
    for lid, topic in of_type(template, "AWS::SNS::Topic").items():
        assert topic["Properties"].get("KmsMasterKeyId") == KEY, lid
    for lid, queue in of_type(template, "AWS::SQS::Queue").items():
        props = queue["Properties"]
        if lid in METADATA_ONLY_QUEUES:
            assert props.get("SqsManagedSseEnabled") is True, lid
        else:
            assert props.get("KmsMasterKeyId") == KEY, lid


def test_the_key_rotates_and_lets_the_services_that_publish_to_its_topics_and_queues_use_it(template):
    key = template["Resources"]["PersonalDataKey"]["Properties"]
    assert key["EnableKeyRotation"] is True
    services = {}
    for statement in key["KeyPolicy"]["Statement"]:
        service = statement["Principal"].get("Service")
        if service:
            assert set(statement["Action"]) == {"kms:GenerateDataKey*", "kms:Decrypt"}, service
            assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
            services[service] = statement
    # SES (mail and feedback notifications), End User Messaging (inbound SMS), EventBridge (change feed, DLQs),
    # CloudWatch (alarms). Lambda uses its execution roles, granted in the functions' policies.
    assert set(services) == {
        "ses.amazonaws.com",
        "sms-voice.amazonaws.com",
        "events.amazonaws.com",
        "cloudwatch.amazonaws.com",
    }


def _kms_actions(function: dict[str, Any]) -> set[str]:
    actions: set[str] = set()
    for policy in function["Properties"].get("Policies", []):
        for statement in policy.get("Statement", []):
            listed = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if any(a.startswith("kms:") for a in listed):
                assert statement["Resource"] == {"Fn::GetAtt": ["PersonalDataKey", "Arn"]}
                actions |= set(listed)
    return actions


def test_each_function_may_use_the_key_exactly_as_its_encrypted_queues_and_topics_need(template):
    encrypted = {lid for lid, r in template["Resources"].items() if r["Properties"].get("KmsMasterKeyId") == KEY}
    for name, function in of_type(template, "AWS::Serverless::Function").items():
        props = function["Properties"]
        writes = {props.get("DeadLetterQueue", {}).get("TargetArn", {}).get("Fn::GetAtt", [None])[0]}
        for policy in props.get("Policies", []):
            for statement in policy.get("Statement", []):
                if statement["Action"] == "sns:Publish" and isinstance(statement["Resource"], dict):
                    writes.add(statement["Resource"].get("Ref"))
        reads = {
            event["Properties"]["Queue"]["Fn::GetAtt"][0]
            for event in props.get("Events", {}).values()
            if event["Type"] == "SQS"
        }
        needed = ({"kms:GenerateDataKey", "kms:Decrypt"} if writes & encrypted else set()) | (
            {"kms:Decrypt"} if reads & encrypted else set()
        )
        assert _kms_actions(function) == needed, name


# ---- Caps, audit and failure paths ---------------------------------------------------------------------------------


def test_the_api_stage_is_throttled_and_logs_who_read_which_case_without_bodies(template):
    api = template["Globals"]["Api"]
    (throttle,) = api["MethodSettings"]
    assert (throttle["ResourcePath"], throttle["HttpMethod"]) == ("/*", "*")
    assert throttle["ThrottlingRateLimit"] == {"Ref": "ApiThrottlingRateLimit"}
    assert throttle["ThrottlingBurstLimit"] == {"Ref": "ApiThrottlingBurstLimit"}
    access = api["AccessLogSetting"]
    fields = json.loads(access["Format"])  # one JSON object per request
    assert {
        "requestId": "$context.requestId",
        "principal": "$context.authorizer.principalId",
        "route": "$context.resourcePath",
        "path": "$context.path",  # the case id is in the path
        "status": "$context.status",
    }.items() <= fields.items()
    assert not re.search(r"\$input|body|querystring|header|requestOverride", access["Format"], re.IGNORECASE)
    group = access["DestinationArn"]["Fn::GetAtt"][0]
    assert template["Resources"][group]["Properties"]["RetentionInDays"] == {"Ref": "AuditLogRetentionDays"}
    # API Gateway refuses a stage with access logging until the account has its logging role.
    assert template["Resources"][group]["DependsOn"] == "ApiGatewayAccount"


def test_send_surveys_dead_letters_its_failed_runs_from_lambda_and_from_the_schedule(template):
    function = template["Resources"]["SendSurveysFunction"]["Properties"]
    queue = {"Fn::GetAtt": ["SendSurveysDeadLetterQueue", "Arn"]}
    assert function["DeadLetterQueue"] == {"Type": "SQS", "TargetArn": queue}
    (schedule,) = function["Events"].values()
    assert schedule["Properties"]["DeadLetterConfig"] == {"Arn": queue}
    assert schedule["Properties"]["RetryPolicy"]["MaximumEventAgeInSeconds"] < 300  # before the next run is due
    (policy,) = [
        p
        for p in of_type(template, "AWS::SQS::QueuePolicy").values()
        if p["Properties"]["Queues"] == [{"Ref": "SendSurveysDeadLetterQueue"}]
    ]
    (grant,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert grant["Principal"] == {"Service": "events.amazonaws.com"} and grant["Action"] == "sqs:SendMessage"


def test_every_task_of_the_escalation_flow_catches_its_failure_and_records_it(template):
    machine = template["Resources"]["EscalationStateMachine"]["Properties"]
    states = json.loads((ROOT / machine["DefinitionUri"]).read_text())["States"]
    tasks = {name: state for name, state in states.items() if state["Type"] == "Task"}
    assert set(tasks) == {"CheckTimers", "RecordFailedCheck"}
    for name, task in tasks.items():
        (catch,) = task["Catch"]
        assert catch["ErrorEquals"] == ["States.ALL"], name
    assert tasks["CheckTimers"]["Catch"][0]["Next"] == "RecordFailedCheck"
    record = tasks["RecordFailedCheck"]
    # Only the error's name reaches the case: the cause can quote customer data.
    assert record["Parameters"]["failed_check"] == {"error.$": "$.failure.Error", "at.$": "$$.State.EnteredTime"}
    assert states[record["Next"]]["Type"] == "Fail" == states[record["Catch"][0]["Next"]]["Type"]  # ops' alarm fires


# ---- Metrics namespace ---------------------------------------------------------------------------------------------


def test_metrics_alarms_and_dashboard_use_the_stacks_namespace(template):
    variables = template["Globals"]["Function"]["Environment"]["Variables"]
    assert variables["POWERTOOLS_METRICS_NAMESPACE"] == {"Ref": "AWS::StackName"}
    for lid, alarm in of_type(template, "AWS::CloudWatch::Alarm").items():
        namespaces = [alarm["Properties"].get("Namespace")] + [
            q["MetricStat"]["Metric"]["Namespace"] for q in alarm["Properties"].get("Metrics", []) if "MetricStat" in q
        ]
        for namespace in filter(None, namespaces):
            assert namespace == {"Ref": "AWS::StackName"} or namespace.startswith("AWS/"), lid
    (dashboard,) = of_type(template, "AWS::CloudWatch::Dashboard").values()
    body = dashboard["Properties"]["DashboardBody"]["Fn::Sub"]
    assert '["omnicase"' not in body and "{omnicase," not in body
    assert '["${AWS::StackName}", "SlaBreaches"' in body


# ---- The linters are configured to catch this kind of problem ------------------------------------------------------


def test_cfn_lint_runs_the_deletion_policy_and_retention_rules():
    config = load_yaml(ROOT / ".cfnlintrc")
    assert {"I3011", "I3013"} <= set(config["include_checks"])


def test_every_checkov_skip_says_why():
    lines = (ROOT / ".checkov.yaml").read_text().splitlines()
    skips = [line for line in lines if re.match(r"\s*- CKV", line)]
    assert skips and all("#" in line and line.split("#", 1)[1].strip() for line in skips)
    config = load_yaml(ROOT / ".checkov.yaml")
    assert len(config["skip-check"]) == len(skips) == len(set(config["skip-check"]))
