"""The baseline the brief names: S3 get + parse + one put_item + one publish, nothing else."""

from __future__ import annotations

import json
import uuid
from email import message_from_bytes, policy
from typing import Any


def make_naive_handler(s3: Any, dynamodb: Any, sns: Any, table: str, topic_arn: str):
    """A handler with no dedupe, identity, threading, SLA or acknowledgement — the floor to compare with."""

    def handler(event: dict[str, Any], context: object = None) -> None:
        for record in event["Records"]:
            notification = json.loads(record["Sns"]["Message"])
            action = notification["receipt"]["action"]
            raw = s3.get_object(Bucket=action["bucketName"], Key=action["objectKey"])["Body"].read()
            mail = message_from_bytes(raw, policy=policy.default)
            body = mail.get_body(preferencelist=("plain", "html"))
            text = body.get_content() if body is not None else ""
            item_id = str(uuid.uuid4())
            dynamodb.put_item(
                TableName=table,
                Item={
                    "pk": {"S": f"T#bench#CASE#{item_id}"},
                    "sk": {"S": "CASE"},
                    "subject": {"S": str(mail["subject"] or "")},
                    "sender": {"S": str(mail["from"] or "")},
                    "body_text": {"S": text},
                },
            )
            sns.publish(TopicArn=topic_arn, Message=json.dumps({"case_id": item_id}))

    return handler
