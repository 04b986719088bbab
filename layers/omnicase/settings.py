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
    user_pool_id: str | None = Field(default=None, description="the Cognito pool people sign in with")
    user_pool_client_id: str | None = Field(default=None, description="the console's app client of that pool")
    cognito_jwks_url: str | None = Field(default=None, description="where the pool's keys are read (local: moto)")
    mail_link_endpoint: str | None = Field(default=None, description="S3 as browsers reach it, when not AWS's")
    local_runtime: bool = Field(
        default=False, description="OMNICASE_LOCAL=1: `omnicase local` and tests; env vars stand in for tenant secrets"
    )
    in_lambda: bool = Field(default=False, description="inside a real Lambda (AWS_LAMBDA_RUNTIME_API is set)")
    api_base_url: str | None = Field(default=None, description="the API's own URL (survey links without a domain)")
    wechat_api_base: str | None = Field(default=None, description="the WeChat API's host, when not the official one")
    twilio_api_base: str | None = Field(default=None, description="Twilio's REST API host, when not api.twilio.com")
    connect_transcripts: str = Field(
        default="redacted", description="Contact Lens files a call's transcript is read from: redacted | original"
    )

    def jwks_url(self) -> str:
        """The pool's published keys: the configured URL, else where Cognito publishes them in AWS."""
        if self.cognito_jwks_url:
            return self.cognito_jwks_url
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.user_pool_id}/.well-known/jwks.json"


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
        user_pool_id=env.get("USER_POOL_ID") or None,
        user_pool_client_id=env.get("USER_POOL_CLIENT_ID") or None,
        cognito_jwks_url=env.get("COGNITO_JWKS_URL") or None,
        mail_link_endpoint=env.get("MAIL_LINK_ENDPOINT") or None,
        # Never inside a real Lambda (the runtime API is set there), whatever a template or console sets.
        local_runtime=env.get("OMNICASE_LOCAL") == "1" and "AWS_LAMBDA_RUNTIME_API" not in env,
        in_lambda="AWS_LAMBDA_RUNTIME_API" in env,
        api_base_url=env.get("API_BASE_URL") or None,
        wechat_api_base=env.get("WECHAT_API_BASE") or None,
        twilio_api_base=env.get("TWILIO_API_BASE") or None,
        connect_transcripts=(env.get("CONNECT_TRANSCRIPTS") or "redacted").lower(),
    )
