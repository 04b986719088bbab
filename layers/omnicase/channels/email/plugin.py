"""The email channel's plug-in: SES receipt (S3 + SNS) in, SES v2 raw MIME out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from omnicase.channels.email.traits import EMAIL
from omnicase.channels.plugin import ChannelDeps, ChannelPlugin

if TYPE_CHECKING:
    from omnicase.channels.email.intake import EmailIntake
    from omnicase.channels.email.sender import SesEmailSender


def build_intake(deps: ChannelDeps) -> EmailIntake:
    """EmailIntake on DynamoDB and the mail bucket."""
    from omnicase.aws.mail_store import S3MailStore
    from omnicase.channels.email.intake import EmailIntake
    from omnicase.persistence.intake_store import DynamoIntakeStore

    settings = deps.settings()
    return EmailIntake(
        tenants=deps.tenant_directory(),
        store=DynamoIntakeStore(),
        mail=S3MailStore(settings.mail_bucket),
        max_email_bytes=settings.max_email_bytes,
        configs=deps.tenant_configs(),
        suggester=deps.article_suggester(),
    )


def build_sender(deps: ChannelDeps) -> SesEmailSender:
    from omnicase.aws.attachment_files import S3AttachmentFiles
    from omnicase.channels.email.sender import SesEmailSender

    return SesEmailSender(S3AttachmentFiles(deps.settings().mail_bucket))


PLUGIN = ChannelPlugin(EMAIL, build_sender, build_intake)
