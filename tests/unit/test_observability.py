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
