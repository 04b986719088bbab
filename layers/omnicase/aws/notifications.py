"""SLA warnings and escalations published to the tenant's (or the stack's) SNS topic."""

from __future__ import annotations

import json

from omnicase.aws.clients import client
from omnicase.domain.case_timers import Notice
from omnicase.domain.model import Case
from omnicase.domain.tenant_config import TenantConfig


class SnsNotifier:
    def __init__(self, default_topic_arn: str | None) -> None:
        self.default_topic_arn = default_topic_arn

    def notify(self, notice: Notice, case: Case, config: TenantConfig) -> None:
        topic = config.notify_topic_arn or self.default_topic_arn
        if not topic:
            return
        people = [config.agents[a] for a in notice.recipients if a in config.agents]
        body = {
            "kind": notice.kind,
            "level": notice.level,
            "tenant_id": case.tenant_id,
            "case_id": case.case_id,
            "subject": case.subject,
            "queue": case.queue,
            "priority": case.priority.value,
            "text": notice.text,
            "recipients": [{"agent_id": p.agent_id, "name": p.name, "email": p.email} for p in people],
        }
        client("sns").publish(
            TopicArn=topic,
            Subject=f"[{case.tenant_id}] case {case.case_id}: {notice.text}"[:100],
            Message=json.dumps(body, ensure_ascii=False),
            MessageAttributes={
                "kind": {"DataType": "String", "StringValue": notice.kind},
                "tenant_id": {"DataType": "String", "StringValue": case.tenant_id},
            },
        )
