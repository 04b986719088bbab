"""The caller's number of an Amazon Connect contact: DescribeContact's Contact.CustomerEndpoint.Address.

Contact events name the contact and the number dialled, not the caller (connect/latest/adminguide/
contact-events.html); DescribeContact answers it (APIReference/API_DescribeContact.html; IAM
connect:DescribeContact on the instance's contacts). A contact Connect no longer knows answers None.
"""

from __future__ import annotations

from botocore.exceptions import ClientError

from omnicase.aws.clients import client


class ConnectContacts:
    """CallerLookup on the Amazon Connect API."""

    def caller_of(self, instance_arn: str, contact_id: str) -> str | None:
        instance_id = instance_arn.rsplit("/", 1)[-1]
        try:
            contact = client("connect").describe_contact(InstanceId=instance_id, ContactId=contact_id)["Contact"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                return None
            raise  # throttling, permissions: the queue delivers the event again
        endpoint = contact.get("CustomerEndpoint") or {}
        return endpoint.get("Address") if endpoint.get("Type") in (None, "TELEPHONE_NUMBER") else None
