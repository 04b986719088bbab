"""Twilio's own STOP: its 21610 refusal becomes the number's opt-out in omnicase, so later replies stop before Twilio,
and a START Twilio forwards lifts it as an inbound START always does — on moto, through the real handlers.

+15005550004 is Twilio's test number that always answers 21610 ("Attempt to send to unsubscribed recipient");
the local fake answers it the same way (infra/omnicase_local/fake_twilio.py, from Twilio's "Test Credentials" page).
"""

from __future__ import annotations

from omnicase_local.streams import drain
from tests.integration.test_case_actions_api import request
from tests.integration.test_replay import depth, queue_named
from tests.integration.test_routing_at_intake import acme_config  # noqa: F401 - fixture
from tests.integration.test_twilio_outbound import outbound, text_the_twilio_number, twilio  # noqa: F401 - fixture
from tests.integration.webhook_client import cases

UNSUBSCRIBED = "+15005550004"


def opted_out(number: str) -> bool | None:
    from omnicase.persistence import keys
    from omnicase.persistence.dynamo_models import IdentityItem

    return IdentityItem.get(keys.identity_pk("acme", "sms", number), keys.SINGLETON_SK, consistent_read=True).opted_out


def reply(stack, case_id: str, body: str) -> dict:
    status, _ = request(stack, "POST", f"/cases/{case_id}/replies", {"body": body})
    assert status == 201
    drain()
    return next(m for m in outbound(stack) if m["body_text"] == body)


def test_twilios_refusal_is_recorded_as_an_opt_out_and_the_next_reply_stops_before_twilio(stack, twilio, acme_config):  # noqa: F811
    text_the_twilio_number(stack, "hello", "SM" + "a" * 32, sender=UNSUBSCRIBED)
    (only,) = cases(stack)

    (ack,) = outbound(stack)
    assert ack["delivery_status"] == "failed" and "21610" in ack["delivery_detail"]
    assert "recorded as an opt-out" in ack["delivery_detail"]
    assert opted_out(UNSUBSCRIBED) is True

    later = reply(stack, only["case_id"], "we are on it")

    # Refused by omnicase's own consent check: Twilio's 21610 text would name the error code instead.
    assert later["delivery_status"] == "failed" and "opted out (STOP)" in later["delivery_detail"]
    assert "21610" not in later["delivery_detail"]
    assert twilio.accepted == [] and depth(queue_named("SendOutboundFailureQueue")) == 0


def test_a_start_forwarded_by_twilio_lifts_the_opt_out(stack, twilio, acme_config):  # noqa: F811
    text_the_twilio_number(stack, "hello", "SM" + "b" * 32, sender=UNSUBSCRIBED)
    (only,) = cases(stack)

    text_the_twilio_number(stack, "START", "SM" + "c" * 32, sender=UNSUBSCRIBED)
    assert opted_out(UNSUBSCRIBED) is False
    retried = reply(stack, only["case_id"], "welcome back")

    # Tried at Twilio again (the test number refuses forever, so it is recorded again).
    assert "21610" in retried["delivery_detail"] and opted_out(UNSUBSCRIBED) is True


def test_recording_is_idempotent_and_recreates_a_missing_identity_under_the_cases_customer(stack, twilio):  # noqa: F811
    from omnicase.persistence import keys
    from omnicase.persistence.consent_store import DynamoConsent
    from omnicase.persistence.dynamo_models import IdentityItem

    text_the_twilio_number(stack, "my parcel is late", "SM" + "d" * 32)  # from an ordinary number
    (only,) = cases(stack)
    identity = IdentityItem.get(keys.identity_pk("acme", "sms", "+8613800138000"), keys.SINGLETON_SK)
    identity.delete()
    consent = DynamoConsent()

    recorded = [consent.record_opt_out("acme", "sms", "+8613800138000", only["case_id"]) for _ in range(2)]

    assert recorded == [True, True] and consent.opted_out("acme", "sms", "+8613800138000")
    again = IdentityItem.get(keys.identity_pk("acme", "sms", "+8613800138000"), keys.SINGLETON_SK)
    assert again.customer_id == identity.customer_id and again.gsi2pk == identity.gsi2pk
    assert consent.record_opt_out("acme", "sms", "+15550001111", "NO-SUCH-CASE") is False
