"""Surveys end to end on moto: a solved case (table stream) schedules one survey; the scheduled run sends it once
through the case's channel, reminds once, and skips capped or opted-out customers."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from omnicase.domain.model import Case, CaseService, CaseStatus, Channel
from omnicase.domain.survey import SurveyStatus
from omnicase.domain.survey_token import read_token
from omnicase.domain.tenant_config import Queue, SurveyPolicy, TenantConfig
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import IdentityItem
from omnicase.persistence.intake_store import new_identity
from omnicase.persistence.mapping import case_to_item
from omnicase.persistence.survey_store import DynamoSurveyStore
from omnicase_local.handlers import LambdaContext, load_handler
from omnicase_local.streams import drain
from tests.integration.conftest import ROOT
from tests.integration.test_ingest_email import sent_mail
from tests.integration.test_sms_webhooks import sent_sms

BASE_URL = "https://help.acme.example"
SECRET = "survey-test-secret"
PHONE = "+8613800138000"


@pytest.fixture
def surveys(stack, monkeypatch):
    from omnicase.settings import get_settings
    from omnicase.wiring import config_store

    monkeypatch.setenv("PUBLIC_BASE_URL", BASE_URL)
    monkeypatch.setenv("SURVEY_TOKEN_SECRET", SECRET)  # the local runtime's LOCAL_SECRETS default, here explicit
    get_settings.cache_clear()
    policy = SurveyPolicy(delay=timedelta(0), quiet_hours=None, reminder_after=timedelta(days=2))
    config_store().save(
        TenantConfig("acme", queues={"general": Queue("general"), "callbacks": Queue("callbacks")}, surveys=policy),
        expected_version=None,
    )
    yield Surveys(stack)
    get_settings.cache_clear()


class Surveys:
    def __init__(self, stack) -> None:
        self.stack = stack
        self.schedule_handler = load_handler(ROOT / "functions" / "schedule_surveys", "app.handler")
        self.send_handler = load_handler(ROOT / "functions" / "send_surveys", "app.handler")
        self.store = DynamoSurveyStore()

    def solve(self, case_id: str, channel: Channel = Channel.EMAIL, contact: str = "ann@example.com", **kw: Any):
        """An open case stored, then solved: the stream's MODIFY record of the solve (images as stored)."""
        now = datetime.now(UTC)
        case = Case(
            "acme", case_id, channel, "Printer broken", status=CaseStatus.OPEN, customer_id=kw.pop("customer", "CU1"),
            contact_address=contact, mailbox="support@acme.example" if channel == Channel.EMAIL else "+15005550006",
            created_at=now, updated_at=now, service=CaseService(notify_customer=True, language="en"),
        )  # fmt: skip
        item = case_to_item(case)
        item.save()
        before = self.image(item.pk, item.sk)
        solved = replace(case, status=CaseStatus.SOLVED, solved_at=now, version=item.version)
        item = case_to_item(solved)
        item.save()
        drain()  # what the stack itself does with these writes is done before the handler is called here
        return modify_record(before, self.image(item.pk, item.sk), case_id)

    def image(self, pk: str, sk: str) -> dict[str, Any]:
        key = {"pk": {"S": pk}, "sk": {"S": sk}}
        return boto3.client("dynamodb").get_item(TableName=self.stack.table, Key=key, ConsistentRead=True)["Item"]

    def schedule(self, *records: dict[str, Any]) -> dict[str, Any]:
        return self.schedule_handler({"Records": list(records)}, LambdaContext("schedule_surveys"))

    def send(self, timeout_seconds: int = 900) -> dict[str, int]:
        outcome = self.send_handler(scheduled_event(), LambdaContext("send_surveys", timeout_seconds=timeout_seconds))
        drain()  # the queued messages leave through the table's stream (send_outbound)
        return outcome


def modify_record(old: dict[str, Any], new: dict[str, Any], sequence: str) -> dict[str, Any]:
    return {
        "eventID": f"evt-{sequence}",
        "eventName": "MODIFY",
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": {
            "ApproximateCreationDateTime": datetime.now(UTC).timestamp(),
            "Keys": {"pk": new["pk"], "sk": new["sk"]},
            "NewImage": new,
            "OldImage": old,
            "SequenceNumber": f"1{abs(hash(sequence)) % 10**12}",
            "SizeBytes": 512,
            "StreamViewType": "NEW_AND_OLD_IMAGES",
        },
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/omnicase/stream/2026-11-02T00:00:00.000",
    }


def scheduled_event() -> dict[str, Any]:
    return {
        "version": "0",
        "id": "5c1f0e3a-0000-4000-8000-000000000001",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "us-east-1",
        "resources": ["arn:aws:events:us-east-1:123456789012:rule/SendSurveysSchedule"],
        "detail": {},
    }


def identity(address: str, customer_id: str = "CU2", opted_out: bool | None = None) -> None:
    item = new_identity("acme", "sms", address, customer_id)
    item.opted_out = opted_out
    item.save()


def survey_mails() -> list:
    return [m for m in sent_mail() if "?score=" in m.get_body(("plain",)).get_content()]


def test_a_solved_email_case_gets_one_survey_with_five_links_sent_once(surveys):
    record = surveys.solve("0SVEMA1L00")
    assert surveys.schedule(record) == {"batchItemFailures": []}
    first = surveys.store.get("acme", "0SVEMA1L00")
    surveys.schedule(record)  # the stream redelivers
    assert surveys.store.get("acme", "0SVEMA1L00") == first and first.status == SurveyStatus.SCHEDULED

    assert surveys.send()["sent"] == 1
    (mail,) = survey_mails()
    assert mail["To"] == "ann@example.com" and "0SVEMA1L00" in mail["Subject"]
    body = mail.get_body(("plain",)).get_content()
    token = body.split(f"{BASE_URL}/surveys/", 1)[1].split("?", 1)[0]
    for score in range(1, 6):
        assert f"{BASE_URL}/surveys/{token}?score={score}" in body
    claims = read_token(token, SECRET.encode(), datetime.now(UTC))
    sent = surveys.store.get("acme", "0SVEMA1L00")
    assert (claims.case_id, claims.nonce, sent.status) == ("0SVEMA1L00", first.nonce, SurveyStatus.SENT)
    assert claims.expires_at == sent.expires_at.replace(microsecond=0)

    assert surveys.send() == {}  # the next run: nothing due
    assert len(survey_mails()) == 1
    from omnicase.persistence.survey_answers import DynamoSurveyAnswers

    now = datetime.now(UTC)  # counted once for the response rate, however many runs
    assert DynamoSurveyAnswers().sent_between("acme", now - timedelta(hours=1), now + timedelta(minutes=1)) == 1


def test_an_sms_survey_asks_for_a_digit_and_marks_the_number_as_awaiting_it(surveys):
    identity(PHONE)
    surveys.schedule(surveys.solve("0SVSMS0000", Channel.SMS, PHONE, customer="CU2"))
    assert surveys.send()["sent"] == 1
    texts = [(number, text) for number, text, *_ in sent_sms() if number == PHONE]
    assert len(texts) == 1 and "Reply with a number 1-5" in texts[0][1] and "0SVSMS0000" in texts[0][1]
    number = IdentityItem.get(keys.identity_pk("acme", "sms", PHONE), keys.SINGLETON_SK, consistent_read=True)
    survey = surveys.store.get("acme", "0SVSMS0000")
    assert number.pending_survey_case_id == "0SVSMS0000" and number.pending_survey_until == survey.expires_at


def test_a_customer_surveyed_this_week_is_not_asked_again(surveys):
    surveys.schedule(surveys.solve("0SVCAP0001"))
    assert surveys.send()["sent"] == 1
    surveys.schedule(surveys.solve("0SVCAP0002"))
    assert surveys.send() == {"skipped:customer-cap": 1}
    skipped = surveys.store.get("acme", "0SVCAP0002")
    assert (skipped.status, skipped.skipped_reason, skipped.due_at) == (SurveyStatus.SKIPPED, "customer-cap", None)
    assert len(survey_mails()) == 1


def test_the_send_transaction_itself_enforces_the_customer_cap(surveys):
    surveys.schedule(surveys.solve("0SVCAP0003"))
    surveys.send()
    surveys.schedule(surveys.solve("0SVCAP0004"))
    survey = surveys.store.get("acme", "0SVCAP0004")
    now = datetime.now(UTC)
    sent = replace(survey, status=SurveyStatus.SENT, sent_at=now, expires_at=now + timedelta(days=14))
    from omnicase.domain.work_case import threaded_outbound
    from omnicase.persistence.case_reader import get_case
    from omnicase.wiring import tenant_directory

    case, thread = get_case("acme", "0SVCAP0004")
    message = threaded_outbound(case, thread, tenant_directory().tenant("acme"), "Acme", "rate us", now, "survey")
    assert surveys.store.mark_sent(sent, message, now, timedelta(days=7)) == "customer-cap"
    assert surveys.store.get("acme", "0SVCAP0004") == survey  # nothing written


def test_an_opted_out_number_gets_no_survey(surveys):
    identity("+8613900139000", opted_out=True)
    surveys.schedule(surveys.solve("0SVST0P000", Channel.SMS, "+8613900139000", customer="CU3"))
    assert surveys.send() == {"skipped:opted-out": 1}
    assert surveys.store.get("acme", "0SVST0P000").skipped_reason == "opted-out"
    assert [n for n, *_ in sent_sms() if n == "+8613900139000"] == []


def test_one_reminder_when_unanswered(surveys):
    from omnicase.wiring import config_store

    config = config_store().load("acme")
    config_store().save(
        replace(config, surveys=replace(config.surveys, reminder_after=timedelta(seconds=1))),
        expected_version=config.version,
    )
    surveys.schedule(surveys.solve("0SVREM1ND0"))
    assert surveys.send() == {"sent": 1}
    time.sleep(1.1)  # the shortest reminder interval a configuration may hold
    assert surveys.send() == {"reminded": 1}
    assert surveys.send() == {}
    reminded = surveys.store.get("acme", "0SVREM1ND0")
    assert reminded.status == SurveyStatus.REMINDED and reminded.due_at == reminded.expires_at
    assert len(survey_mails()) == 2 and "a reminder" in survey_mails()[1].get_body(("plain",)).get_content()


def test_a_run_near_its_timeout_leaves_the_surveys_due_for_the_next_one(surveys):
    surveys.schedule(surveys.solve("0SVT1ME000"))
    assert surveys.send(timeout_seconds=0) == {"left-for-next-run": 1}
    assert surveys.store.get("acme", "0SVT1ME000").status == SurveyStatus.SCHEDULED
    assert surveys.send() == {"sent": 1}


def test_the_due_query_reads_only_the_due_surveys(surveys):
    from omnicase.domain.survey_schedule import plan_survey

    now = datetime.now(UTC)
    config = TenantConfig("acme", surveys=SurveyPolicy(delay=timedelta(days=1)))
    for n in range(40):
        case = Case("acme", f"0SVLATER{n:02d}", Channel.EMAIL, "s", CaseStatus.SOLVED, contact_address="x@example.com",
                    service=CaseService(notify_customer=True))  # fmt: skip
        assert surveys.store.schedule(plan_survey(case, config, now))
    for n in range(3):
        surveys.schedule(surveys.solve(f"0SVDUE00{n:02d}", customer=f"CU-DUE-{n}"))
    due = surveys.store.due(datetime.now(UTC), limit=200)
    assert sorted(s.case_id for s in due) == ["0SVDUE0000", "0SVDUE0001", "0SVDUE0002"]
    assert surveys.store.last_read == 3  # the 40 surveys due tomorrow were not read
    assert len(surveys.store.due(datetime.now(UTC), limit=2)) == 2


def test_a_case_reopened_before_its_survey_is_due_is_not_surveyed_mid_conversation(surveys):
    from omnicase.wiring import case_store

    surveys.schedule(surveys.solve("0SVREOPEN0"))
    reopened = case_store().get("acme", "0SVREOPEN0")
    reopened.status = CaseStatus.OPEN  # the customer wrote again before the survey went out
    case_store().save(reopened, [])

    assert surveys.send() == {"postponed": 1}
    assert survey_mails() == [] and surveys.store.get("acme", "0SVREOPEN0").status == SurveyStatus.SCHEDULED
