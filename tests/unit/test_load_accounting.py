"""The load bench's accounting: a redelivery is one message, a second stored copy or a lost one is shown."""

from bench.accounting import account, stored_key
from bench.load_traffic import mixed_traffic


def test_redeliveries_count_once_and_losses_show():
    # Given three deliveries of two messages, one of them delivered twice
    sent = ["sms:twilio:SM1", "sms:twilio:SM1", "chat:c1:m1"]

    # When both are stored once / one is stored twice / one is missing
    clean = account(sent, rejected=0, stored_keys=["sms:twilio:SM1", "chat:c1:m1", "email:unrelated"])
    doubled = account(sent, rejected=0, stored_keys=["sms:twilio:SM1", "sms:twilio:SM1", "chat:c1:m1"])
    lost = account(sent, rejected=1, stored_keys=["sms:twilio:SM1"])

    # Then
    assert (clean.unique, clean.redeliveries, clean.stored, clean.complete) == (2, 1, 2, True)
    assert (doubled.duplicates, doubled.complete) == (1, False)
    assert (lost.missing, lost.rejected, lost.complete) == (1, 1, False)


def test_stored_key_matches_what_the_traffic_sends():
    # Given stored inbound messages as intake writes them, and outbound ones that must not count
    email = {"item_type": "message", "direction": "inbound", "channel": "email", "email_message_id": "a@b"}
    sms = {"item_type": "message", "direction": "inbound", "channel": "sms", "provider_message_id": "aws:X1"}
    ack = {"item_type": "message", "direction": "outbound", "channel": "sms", "provider_message_id": "aws:X1"}

    # Then keys follow the traffic's convention, and every channel's traffic has keys of that form
    assert (stored_key(email), stored_key(sms), stored_key(ack)) == ("email:a@b", "sms:aws:X1", None)
    prefixes = {send.key.split(":")[0] for send in mixed_traffic(200)}
    assert prefixes == {"email", "sms", "chat", "wechat"}
