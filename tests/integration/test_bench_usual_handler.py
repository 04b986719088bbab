"""The intake bench's second baseline does what the usual public SES handler does, request for request."""

from __future__ import annotations

import json

import boto3

from bench.probes import count_requests
from bench.usual_handler import make_usual_handler
from tests.integration.moto_tables import create_pk_sk_table
from tests.integration.ses_events import received_notification, sns_event


def test_the_usual_handler_gets_parses_looks_up_audits_puts_and_publishes():
    from moto import mock_aws

    with mock_aws():
        # Given a mail in S3, a customer stored under the sender's identity, and a topic
        s3, dynamodb, sns = (boto3.client(name, region_name="us-east-1") for name in ("s3", "dynamodb", "sns"))
        s3.create_bucket(Bucket="mail")
        create_pk_sk_table(dynamodb, "t")
        identity = {"pk": {"S": "T#acme#IDENT#email#ann@example.com"}, "sk": {"S": "_"}, "customer_id": {"S": "C1"}}
        dynamodb.put_item(TableName="t", Item=identity)
        topic = sns.create_topic(Name="cases")["TopicArn"]
        raw = b"From: Ann <ANN@example.com>\r\nTo: support@acme.example\r\nSubject: Hello\r\n\r\nMy printer.\r\n"
        s3.put_object(Bucket="mail", Key="in/1", Body=raw)
        notification = received_notification(raw, recipients=["support@acme.example"], ses_message_id="m1")
        notification["receipt"]["action"] = {"type": "S3", "bucketName": "mail", "objectKey": "in/1"}
        event = sns_event(notification, sns_message_id="sns-1")
        calls: list[str] = []
        undo = count_requests(lambda service, operation, *_: calls.append(f"{service}.{operation}"))

        # When the usual handler takes the event
        try:
            make_usual_handler(s3, dynamodb, sns, "t", topic, "mail")(event)
        finally:
            undo()

        # Then it made exactly the usual requests, audited the event and stored the case with the customer found
        assert sorted(calls) == sorted(
            ["s3.PutObject", "s3.GetObject", "dynamodb.Query", "dynamodb.PutItem", "sns.Publish"]
        )
        audit = json.loads(s3.get_object(Bucket="mail", Key="audit/sns-1.json")["Body"].read())
        assert audit["Sns"]["MessageId"] == "sns-1"
        (case,) = [i for i in dynamodb.scan(TableName="t")["Items"] if i["sk"]["S"] == "CASE"]
        assert (case["customer_id"]["S"], case["subject"]["S"]) == ("C1", "Hello")
        assert case["body_text"]["S"].strip() == "My printer."
