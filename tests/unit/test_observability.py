"""PII never reaches the logs in clear."""

from __future__ import annotations

import json
import logging

from omnicase.observability import MaskPii, mask_pii


def test_emails_and_phones_are_masked():
    text = mask_pii("from ann.smith@example.com and +86 138 0013 8000 about order 100-2231")
    assert "ann.smith" not in text and "138 0013" not in text
    assert "a***@example.com" in text and "order 100-2231" in text


def test_bearer_jwts_are_removed_whole():
    access = "eyJraWQiOiJkdW1teSJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlLWJ5dGVz"
    refresh = "eyJjdHkiOiJKV1QifQ.a2V5.aXY.Y2lwaGVydGV4dA.dGFn"  # Cognito's refresh tokens are 5-part JWEs
    text = mask_pii(f"Authorization: Bearer {access} then {refresh}.")
    assert text == "Authorization: Bearer eyJ*** then eyJ***."


def test_log_records_are_masked_before_formatting(caplog):
    logger = logging.getLogger("masking.test")
    logger.addFilter(MaskPii())
    with caplog.at_level(logging.INFO):
        logger.info("mail from %s", "zhang.wei@example.cn")
    assert "zhang.wei" not in caplog.text and "z***@example.cn" in caplog.text


def test_handler_logs_and_lazily_imported_package_logs_are_json_and_masked(capsys):
    from omnicase.observability import handler_logger

    package = logging.getLogger("omnicase")
    saved = (package.handlers, package.propagate, package.level)
    try:
        logger = handler_logger("test")
        logger.info("mail from ann@example.com")
        logging.getLogger("omnicase.created.later").warning("reply to %s", "+8613800138000")
    finally:
        package.handlers, package.propagate, package.level = saved
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["message"] for line in lines] == ["mail from a***@example.com", "reply to +***00"]


def test_each_functions_metrics_are_its_own_when_functions_share_a_process(capsys):
    # Given two functions' metrics in one process (the local runtime, tests), one with a metric pending
    from omnicase.observability import handler_metrics

    intake, sender = handler_metrics("ingest_sms"), handler_metrics("send_outbound")
    intake.add_metric(name="SmsStored", unit="Count", value=1)

    # When the other flushes (its invocation ended with nothing to report)
    sender.flush_metrics()

    # Then the pending metric is still the first one's, flushed with its own service
    assert "SmsStored" not in capsys.readouterr().out
    intake.flush_metrics()
    (emitted,) = [json.loads(line) for line in capsys.readouterr().out.splitlines() if "_aws" in line]
    assert emitted["SmsStored"] == [1.0] and emitted["service"] == "ingest_sms"


def test_aws_account_ids_in_arns_and_queue_urls_stay_readable_while_phone_numbers_are_masked():
    text = mask_pii(
        "publish to arn:aws:sns:us-east-1:123456789012:two-way-sms failed; redrive "
        "https://sqs.us-east-1.amazonaws.com/123456789012/dlq; role arn:aws-cn:iam::123456789012:role/x; "
        "customer +8613800138000, order 123456789012"
    )
    assert "arn:aws:sns:us-east-1:123456789012:two-way-sms" in text
    assert "amazonaws.com/123456789012/dlq" in text and "arn:aws-cn:iam::123456789012:role/x" in text
    assert "8613800138000" not in text and "customer +***00, order +***12" in text


class Context:
    """The parts of a Lambda context Powertools reads."""

    def __init__(self, name: str) -> None:
        self.function_name = name
        self.memory_limit_in_mb = 128
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{name}"
        self.aws_request_id = f"{name}-request"


def test_package_records_carry_the_running_functions_context_when_functions_share_a_process(capsys, caplog):
    # Given two functions in one process (the local runtime): one that logs JSON with a correlation id, and one
    # without a Powertools logger (a Chalice webhook), each invocation scoped as the runtime scopes it
    from omnicase.observability import function_logs, handler_logger

    package = logging.getLogger("omnicase")
    saved = (package.handlers, package.propagate, package.level)
    try:
        # (names of their own: a logger of a real function's name may write to another test's captured stdout)
        sender = handler_logger("sender-under-test")
        intake = handler_logger("intake-under-test")

        @sender.inject_lambda_context
        def send(event, context):
            sender.set_correlation_id(event["case_id"])
            logging.getLogger("omnicase.channels.sms.sender").info("sent")

        @intake.inject_lambda_context
        def ingest(event, context):
            logging.getLogger("omnicase.channels.sms.intake").info("stored")

        with function_logs(None):
            send({"case_id": "CASE-1"}, Context("sender"))
        with function_logs(None), caplog.at_level(logging.INFO):
            logging.getLogger("omnicase.api.errors").warning("rejected request in twilio_sms")
        with function_logs(None):
            ingest({}, Context("intake"))
        with function_logs(None):
            send({"case_id": "CASE-2"}, Context("sender"))
    finally:
        package.handlers, package.propagate, package.level = saved

    # Then each JSON line is its own function's, and the webhook's record went where a function without a
    # Powertools logger writes (the root logger), never as send_outbound with a stale case id
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(line["message"], line["service"], line.get("correlation_id")) for line in lines] == [
        ("sent", "sender-under-test", "CASE-1"),
        ("stored", "intake-under-test", None),
        ("sent", "sender-under-test", "CASE-2"),
    ]
    assert [r.getMessage() for r in caplog.records if r.name == "omnicase.api.errors"] == [
        "rejected request in twilio_sms"
    ]


def test_an_invocation_starts_without_the_previous_invocations_correlation_id(capsys):
    from omnicase.observability import handler_logger

    package = logging.getLogger("omnicase")
    saved = (package.handlers, package.propagate, package.level)
    try:
        logger = handler_logger("clean-context-under-test")

        @logger.inject_lambda_context
        def handler(event, context):
            logging.getLogger("omnicase.channels.email.intake").info("received")
            if event.get("case_id"):
                logger.set_correlation_id(event["case_id"])
                logger.info("stored")

        handler({"case_id": "CASE-1"}, Context("intake"))
        handler({}, Context("intake"))  # e.g. a quarantined mail: no case
    finally:
        package.handlers, package.propagate, package.level = saved
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line.get("correlation_id") for line in lines] == [None, "CASE-1", None]
