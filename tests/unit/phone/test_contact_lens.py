"""Contact Lens analysis files → a call's transcript (pure): which S3 keys are analysis files, the turns in order
with who spoke, and files that are not one refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from omnicase.channels.phone.contact_lens import analysis_object, instance_arn, parse_analysis
from omnicase.domain.errors import RejectedInput

EVENTS = Path(__file__).resolve().parents[3] / "events" / "phone"
CONTACT = "c1000000-0000-0000-0000-000000000001"


def sample(name: str) -> dict:
    return json.loads((EVENTS / name).read_text())


def with_key(key: str) -> dict:
    event = sample("05_analysis_object_created.json")
    event["detail"]["object"]["key"] = key
    return event


def test_the_object_created_sample_names_a_redacted_analysis_file_of_its_contact():
    found = analysis_object(sample("05_analysis_object_created.json"))
    assert not isinstance(found, str)
    assert (found.bucket, found.contact_id, found.redacted) == ("amzn-s3-demo-connect-bucket", CONTACT, True)
    assert instance_arn(found, "i-1") == "arn:aws:connect:us-east-1:111122223333:instance/i-1"


@pytest.mark.parametrize(
    ("key", "redacted"),
    [
        (f"Analysis/Voice/2020/02/04/{CONTACT}_analysis_2020-02-04T21:14:16Z.json", False),
        (
            f"connect/acme/Analysis/Voice/Redacted/2020/02/04/{CONTACT}_analysis_redacted_2020-02-04T21:14:16Z.json",
            True,
        ),
    ],
)
def test_original_and_redacted_files_are_told_apart(key, redacted):
    found = analysis_object(with_key(key))
    assert not isinstance(found, str) and found.redacted is redacted and found.contact_id == CONTACT


@pytest.mark.parametrize(
    "key",
    [
        f"Analysis/Voice/Redacted/2020/02/04/{CONTACT}_call_recording_redacted_2020-02-04T21:14:16Z.wav",
        f"Analysis/Chat/2020/02/04/{CONTACT}_analysis_2020-02-04T21:14:16Z.json",
        f"Analysis/Voice/2020/02/04/{CONTACT}_analysis_redacted_2020-02-04T21:14:16Z.json",  # a misplaced twin
        "CallRecordings/2020/02/04/x.wav",
    ],
)
def test_other_objects_in_the_bucket_are_not_transcripts(key):
    assert isinstance(analysis_object(with_key(key)), str)


def test_the_turns_come_in_call_order_and_say_who_spoke():
    raw = (EVENTS / "04_contact_lens_analysis_redacted.json").read_bytes()
    transcript = parse_analysis(raw, CONTACT)
    assert transcript.instance_id == "12345678-1234-1234-1234-123456789012"
    assert transcript.turns[:3] == (
        ("Agent", "Okay."),
        ("Caller", "Just hello. My name is [PII] and help."),
        ("Agent", "Hello. [PII], how can I help you?"),
    )
    assert transcript.text().splitlines()[3] == "Caller: I need to cancel. I want to cancel my plan subscription."


def test_participants_named_by_id_are_mapped_through_their_roles():
    document = {
        "CustomerMetadata": {"ContactId": CONTACT, "InstanceId": "i-1"},
        "Participants": [{"ParticipantId": "e9b3", "ParticipantRole": "CUSTOMER"}],
        "Transcript": [{"ParticipantId": "e9b3", "Content": "Hi", "BeginOffsetMillis": 0}],
    }
    assert parse_analysis(json.dumps(document).encode(), CONTACT).turns == (("Caller", "Hi"),)


@pytest.mark.parametrize(
    "document",
    [
        b"not json",
        json.dumps({"CustomerMetadata": {"ContactId": CONTACT, "InstanceId": "i-1"}}).encode(),  # no Transcript
        json.dumps({"CustomerMetadata": {"ContactId": "another", "InstanceId": "i-1"}, "Transcript": []}).encode(),
        json.dumps({"CustomerMetadata": {"ContactId": CONTACT}, "Transcript": []}).encode(),  # whose instance?
        b" " * (4 * 1024 * 1024 + 1),
    ],
)
def test_a_file_that_is_not_this_contacts_analysis_is_refused(document):
    with pytest.raises(RejectedInput):
        parse_analysis(document, CONTACT)


def test_an_s3_event_without_bucket_or_key_is_malformed():
    event = sample("05_analysis_object_created.json")
    del event["detail"]["object"]
    with pytest.raises(RejectedInput):
        analysis_object(event)
