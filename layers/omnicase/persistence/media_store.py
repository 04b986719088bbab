"""A message's fetched media recorded on it: its attachments now pointing into the bucket, and what could not be."""

from __future__ import annotations

from collections.abc import Sequence

from pynamodb.exceptions import UpdateError

from omnicase.domain.model import Attachment, Message
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import AttachmentMap, MessageItem


class DynamoMediaRecorder:
    """MediaRecorder on the cases table."""

    def record_media(self, message: Message, attachments: Sequence[Attachment], problems: Sequence[str]) -> bool:
        """Attachments and problems set at once; False when the message is gone (erased meanwhile)."""
        item = MessageItem(keys.case_pk(message.tenant_id, message.case_id), keys.message_sk(message.message_id))
        known = list(dict.fromkeys([*message.problems, *problems]))
        actions = [
            MessageItem.attachments.set([AttachmentMap(**vars(a)) for a in attachments]),
            MessageItem.problems.set(known),
        ]
        try:
            item.update(actions=actions, condition=MessageItem.message_id.exists())
        except UpdateError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True
