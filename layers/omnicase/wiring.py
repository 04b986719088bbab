"""The composition root: real adapters for the domain, built once per Lambda container."""

from __future__ import annotations

from functools import cache


@cache
def email_intake():  # noqa: ANN201 - imported lazily to keep cold start small
    """EmailIntake on DynamoDB and S3."""
    from omnicase.aws.mail_store import S3MailStore
    from omnicase.channels.receive_email import EmailIntake
    from omnicase.persistence.intake_store import DynamoIntakeStore
    from omnicase.settings import get_settings

    settings = get_settings()
    return EmailIntake(
        tenants=tenant_directory(),
        store=DynamoIntakeStore(),
        mail=S3MailStore(settings.mail_bucket),
        max_email_bytes=settings.max_email_bytes,
    )


@cache
def outbound_senders():  # noqa: ANN201
    """One OutboundSender per channel."""
    from omnicase.aws.ses_sender import SesEmailSender
    from omnicase.domain.model import Channel

    return {Channel.EMAIL: SesEmailSender()}


@cache
def delivery_recorder():  # noqa: ANN201
    from omnicase.persistence.delivery_store import DynamoDeliveryRecorder

    return DynamoDeliveryRecorder()


@cache
def tenant_directory():  # noqa: ANN201
    """Tenants by id, mailbox and API token, cached per container."""
    from omnicase.persistence.tenant_store import DynamoTenantDirectory

    return DynamoTenantDirectory()


def rebind() -> None:
    """Forget everything built from the environment (tests and the local runtime change it)."""
    from omnicase.aws.clients import reset_clients
    from omnicase.persistence.dynamo_models import use_table
    from omnicase.settings import get_settings

    get_settings.cache_clear()
    for builder in (email_intake, outbound_senders, delivery_recorder, tenant_directory):
        builder.cache_clear()
    reset_clients()
    use_table(get_settings().table_name)
