"""The composition root: real adapters for the domain, built once per Lambda container."""

from __future__ import annotations

from functools import cache


@cache
def email_intake():  # noqa: ANN201 - imported lazily to keep cold start small
    """EmailIntake on DynamoDB, S3 and SES."""
    from omnicase.aws.mail_store import S3MailStore
    from omnicase.aws.ses_sender import SesAcknowledgementSender
    from omnicase.channels.receive_email import EmailIntake
    from omnicase.persistence.intake_store import DynamoIntakeStore
    from omnicase.settings import get_settings

    settings = get_settings()
    return EmailIntake(
        tenants=tenant_directory(),
        store=DynamoIntakeStore(),
        mail=S3MailStore(settings.mail_bucket),
        senders=SesAcknowledgementSender,
        max_email_bytes=settings.max_email_bytes,
    )


@cache
def tenant_directory():  # noqa: ANN201
    """Tenants by mailbox and API token, cached per container."""
    from omnicase.persistence.tenant_store import DynamoTenantDirectory

    return DynamoTenantDirectory()


def rebind() -> None:
    """Forget everything built from the environment (tests and the local runtime change it)."""
    from omnicase.aws.clients import reset_clients
    from omnicase.persistence.dynamo_models import use_table
    from omnicase.settings import get_settings

    get_settings.cache_clear()
    email_intake.cache_clear()
    tenant_directory.cache_clear()
    reset_clients()
    use_table(get_settings().table_name)
