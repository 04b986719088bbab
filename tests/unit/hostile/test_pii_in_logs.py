"""Every way PII can ride into a log line is masked: arguments of any type, exceptions, extra and appended keys."""

from __future__ import annotations

import json
import logging

from omnicase.observability import handler_logger, install_pii_masking

EMAIL, PHONE = "jane.doe@example.com", "+8613800138000"


def test_a_json_log_line_carries_no_address_or_number_wherever_they_were_put(capsys):
    package = logging.getLogger("omnicase")
    saved = (package.handlers, package.propagate, package.level)
    try:
        logger = handler_logger("pii-test")
        logger.append_keys(customer=EMAIL)
        logger.info("rejected: %s", ValueError(f"no tenant receives sms at {PHONE}"), extra={"sender": EMAIL})
        logger.info({"to": [EMAIL, PHONE], "count": 2})
        try:
            raise RuntimeError(f"cannot deliver to {EMAIL}")
        except RuntimeError:
            logging.getLogger("omnicase.deep.module").exception("delivery failed")
        logger.remove_keys(["customer"])
    finally:
        package.handlers, package.propagate, package.level = saved
    out = capsys.readouterr().out
    lines = [json.loads(line) for line in out.splitlines()]
    assert EMAIL not in out and PHONE.lstrip("+") not in out
    assert lines[0]["message"] == "rejected: no tenant receives sms at +***00"
    assert lines[0]["sender"] == lines[0]["customer"] == "j***@example.com"
    assert lines[1]["message"] == {"to": ["j***@example.com", "+***00"], "count": 2}  # still an object
    assert "RuntimeError: cannot deliver to j***@example.com" in lines[2]["exception"]
    assert lines[0]["timestamp"][:4].isdigit()  # Powertools' own keys are left alone


def test_records_reaching_any_other_handler_are_masked_at_creation(caplog):
    install_pii_masking()
    install_pii_masking()  # idempotent: one layer of masking, not two
    with caplog.at_level(logging.INFO):
        logging.getLogger("anything.at.all").warning("from %s, %d tries", EMAIL, 3, exc_info=OSError(PHONE))
    assert caplog.records[0].getMessage() == "from j***@example.com, 3 tries"
    assert EMAIL not in caplog.text and PHONE not in caplog.text and "OSError: +***00" in caplog.text
