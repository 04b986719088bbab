"""Runtime settings: one pydantic model, read from the environment once per process."""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel, Field


class Settings(BaseModel):
    table_name: str = Field(default="omnicase", description="the single DynamoDB table")
    mail_bucket: str = Field(default="omnicase-mail", description="raw mail, attachments, quarantine")
    max_email_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    region: str = "us-east-1"
    secrets_prefix: str = Field(default="omnicase/", description="Secrets Manager name prefix, + tenant id")
    public_base_url: str | None = Field(default=None, description="the API's public URL, when behind a custom domain")
    escalation_state_machine_arn: str | None = Field(default=None, description="the per-case escalation flow")
    notify_topic_arn: str | None = Field(default=None, description="SNS topic of SLA warnings and escalations")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the Lambda environment (set by template.yaml, or by the local runtime)."""
    env = os.environ
    return Settings(
        table_name=env.get("TABLE_NAME", "omnicase"),
        mail_bucket=env.get("MAIL_BUCKET", "omnicase-mail"),
        max_email_bytes=int(env.get("MAX_EMAIL_BYTES", 10 * 1024 * 1024)),
        region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
        secrets_prefix=env.get("SECRETS_PREFIX", "omnicase/"),
        public_base_url=env.get("PUBLIC_BASE_URL") or None,
        escalation_state_machine_arn=env.get("ESCALATION_STATE_MACHINE_ARN") or None,
        notify_topic_arn=env.get("NOTIFY_TOPIC_ARN") or None,
    )
