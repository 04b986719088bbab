"""The second baseline (issue 14.8): the shape of the usual public SES intake handler.

S3 get, MIME parse (stdlib `email`), a customer lookup Query, an audit copy of the event to S3, one `put_item`,
one SNS publish — and no dedupe, threading or identity. The lookup is a Query on the table's own key (the sender's
identity item), the cheapest form such a lookup takes; a Query on a secondary index would cost it more on moto,
which answers index queries by scanning the table.
"""

from __future__ import annotations

import json
import uuid
from email import message_from_bytes, policy
from email.utils import parseaddr
from typing import Any


def make_usual_handler(s3: Any, dynamodb: Any, sns: Any, table: str, topic_arn: str, audit_bucket: str):
    """A handler doing what public SES intake samples do, nothing more."""

    def handler(event: dict[str, Any], context: object = None) -> None:
        for record in event["Records"]:
            s3.put_object(
                Bucket=audit_bucket, Key=f"audit/{record['Sns']['MessageId']}.json", Body=json.dumps(record).encode()
            )
            notification = json.loads(record["Sns"]["Message"])
            action = notification["receipt"]["action"]
            raw = s3.get_object(Bucket=action["bucketName"], Key=action["objectKey"])["Body"].read()
            mail = message_from_bytes(raw, policy=policy.default)
            body = mail.get_body(preferencelist=("plain", "html"))
            text = body.get_content() if body is not None else ""
            sender = parseaddr(str(mail["from"] or ""))[1].lower()
            found = dynamodb.query(
                TableName=table,
                KeyConditionExpression="pk = :pk",
                ExpressionAttributeValues={":pk": {"S": f"T#acme#IDENT#email#{sender}"}},
                Limit=1,
            )["Items"]
            customer = found[0].get("customer_id", {}).get("S", "") if found else ""
            item_id = str(uuid.uuid4())
            dynamodb.put_item(
                TableName=table,
                Item={
                    "pk": {"S": f"T#bench#CASE#{item_id}"},
                    "sk": {"S": "CASE"},
                    "customer_id": {"S": customer},
                    "subject": {"S": str(mail["subject"] or "")},
                    "sender": {"S": sender},
                    "body_text": {"S": text},
                },
            )
            sns.publish(TopicArn=topic_arn, Message=json.dumps({"case_id": item_id, "customer_id": customer}))

    return handler
