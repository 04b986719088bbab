"""The composition root: real adapters for the domain, built once per Lambda container."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from omnicase.domain.tenant_config import TenantConfig


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
        configs=tenant_configs(),
    )


@cache
def mail_store():  # noqa: ANN201
    """The mail bucket: attachments' download links for the API."""
    from omnicase.aws.mail_store import S3MailStore
    from omnicase.settings import get_settings

    settings = get_settings()
    return S3MailStore(settings.mail_bucket, settings.mail_link_endpoint)


@cache
def message_intake():  # noqa: ANN201
    """Intake shared by the webhook channels."""
    from omnicase.channels.receive_message import MessageIntake
    from omnicase.persistence.intake_store import DynamoIntakeStore

    return MessageIntake(tenants=tenant_directory(), store=DynamoIntakeStore(), configs=tenant_configs())


@cache
def tenant_secrets():  # noqa: ANN201
    from omnicase.secrets import TenantSecrets
    from omnicase.settings import get_settings

    return TenantSecrets(prefix=get_settings().secrets_prefix)


@cache
def sms_intake():  # noqa: ANN201
    from omnicase.channels.sms_intake import SmsIntake
    from omnicase.settings import get_settings

    return SmsIntake(message_intake(), tenant_secrets(), get_settings().public_base_url)


@cache
def sns_endpoint():  # noqa: ANN201
    from omnicase.channels.sns_endpoint import SnsEndpoint, fetch_certificate, https_get
    from omnicase.channels.sns_signature import CertificateCache

    return SnsEndpoint(
        sms_intake(), fetch_certificate=CertificateCache(fetch_certificate), confirm_subscription=https_get
    )


@cache
def chat_intake():  # noqa: ANN201
    from omnicase.channels.chat_intake import ChatIntake
    from omnicase.persistence.case_reader import conversation_replies

    return ChatIntake(message_intake(), tenant_secrets(), read_replies=conversation_replies, guard=replay_guard())


@cache
def wechat_intake():  # noqa: ANN201
    from omnicase.channels.wechat_intake import WechatIntake

    return WechatIntake(message_intake(), tenant_secrets(), guard=replay_guard())


@cache
def replay_guard():  # noqa: ANN201
    """Signed webhook requests used once (WeChat plaintext pushes, chat messages)."""
    from omnicase.persistence.replay_store import DynamoReplayGuard

    return DynamoReplayGuard()


def _email_sender():  # noqa: ANN202
    from omnicase.aws.ses_sender import SesEmailSender

    return SesEmailSender()


def _sms_sender():  # noqa: ANN202
    from omnicase.aws.sms_sender import SnsSmsSender
    from omnicase.persistence.consent_store import DynamoConsent

    return SnsSmsSender(DynamoConsent())


def _chat_sender():  # noqa: ANN202
    from omnicase.channels.chat_callback_sender import ChatCallbackSender

    return ChatCallbackSender(tenant_secrets())


def _wechat_sender():  # noqa: ANN202
    from omnicase.channels.wechat_sender import WechatSender

    return WechatSender(tenant_secrets())


_SENDER_BUILDERS = {"email": _email_sender, "sms": _sms_sender, "chat": _chat_sender, "wechat": _wechat_sender}


class _LazySenders(dict):  # type: ignore[type-arg]
    """Channel → OutboundSender, each built (and its modules imported) on first use."""

    def get(self, channel: object, default: object = None) -> object:  # type: ignore[override]
        key = getattr(channel, "value", channel)
        if key not in self and key in _SENDER_BUILDERS:
            self[key] = _SENDER_BUILDERS[key]()
        return super().get(key, default)


@cache
def outbound_senders():  # noqa: ANN201
    """One OutboundSender per channel, built lazily."""
    return _LazySenders()


@cache
def delivery_recorder():  # noqa: ANN201
    from omnicase.persistence.delivery_store import DynamoDeliveryRecorder

    return DynamoDeliveryRecorder()


@cache
def tenant_directory():  # noqa: ANN201
    """Tenants by id, mailbox and API token, cached per container."""
    from omnicase.persistence.tenant_store import DynamoTenantDirectory

    return DynamoTenantDirectory()


@cache
def people_directory():  # noqa: ANN201
    """People (Cognito users) by their access token's `sub`: tenant, agent, role; cached per container for 30 s.

    The API also asks Cognito whether the user is still enabled (AdminGetUser, on a cache miss), so a person disabled
    in the AWS console loses access as one revoked with `omnicase agents revoke` does. Sign-in needs no such check:
    Cognito itself refuses a disabled user there.
    """
    from omnicase.aws.cognito_user_status import cognito_user_enabled
    from omnicase.persistence.user_store import DynamoPeopleDirectory
    from omnicase.settings import get_settings

    check = cognito_user_enabled if get_settings().user_pool_id else None
    return DynamoPeopleDirectory(tenant_directory(), enabled=check)


@cache
def access_token_verifier():  # noqa: ANN201
    """Checks the user pool's access tokens; the pool's keys are fetched once per container (imports PyJWT)."""
    from omnicase.auth.access_token import AccessTokenVerifier, JwksCache
    from omnicase.domain.errors import Unauthorized
    from omnicase.settings import get_settings

    settings = get_settings()
    if not (settings.user_pool_id and settings.user_pool_client_id):
        raise Unauthorized("this API accepts no session tokens (USER_POOL_ID / USER_POOL_CLIENT_ID are not set)")
    return AccessTokenVerifier(
        region=settings.region,
        user_pool_id=settings.user_pool_id,
        client_id=settings.user_pool_client_id,
        keys=JwksCache(settings.jwks_url()),
    )


def sessions():  # noqa: ANN201
    """Console sign-in, refresh and sign-out on Cognito; not cached (cheap), its cached parts come from above."""
    from omnicase.auth.sessions import Sessions
    from omnicase.aws.cognito_sessions import CognitoSessions
    from omnicase.settings import get_settings

    client_id = get_settings().user_pool_client_id
    if not client_id:
        raise RuntimeError("USER_POOL_CLIENT_ID is not set")
    from omnicase.persistence.user_store import DynamoPeopleDirectory

    return Sessions(CognitoSessions(client_id), DynamoPeopleDirectory(tenant_directory()))


def rebind() -> None:
    """Forget everything built from the environment (tests and the local runtime change it)."""
    from omnicase.aws.clients import reset_clients
    from omnicase.persistence.dynamo_models import use_table
    from omnicase.settings import get_settings

    get_settings.cache_clear()
    for builder in (
        email_intake,
        mail_store,
        message_intake,
        tenant_secrets,
        sms_intake,
        sns_endpoint,
        outbound_senders,
        delivery_recorder,
        replay_guard,
        tenant_directory,
        people_directory,
        access_token_verifier,
        config_store,
        tenant_configs,
        case_store,
        timer_check,
        timer_starter,
        timer_store,
    ):
        builder.cache_clear()
    reset_clients()
    use_table(get_settings().table_name)


@cache
def config_store():  # noqa: ANN201
    """Tenant configurations (routing, SLA, calendars, people), cached per container for a short while."""
    from omnicase.persistence.config_store import ConfigStore

    return ConfigStore()


class _StoredConfigs:
    """The applied configuration of a tenant, or the defaults when none was applied."""

    def config_for(self, tenant_id: str) -> TenantConfig:
        from omnicase.domain.tenant_config import TenantConfig

        return config_store().load(tenant_id) or TenantConfig(tenant_id)


@cache
def tenant_configs():  # noqa: ANN201
    return _StoredConfigs()


@cache
def case_store():  # noqa: ANN201
    from omnicase.persistence.case_store import DynamoCaseStore

    return DynamoCaseStore()


@cache
def timer_check():  # noqa: ANN201
    """The escalation flow's check task on DynamoDB and SNS."""
    from omnicase.aws.notifications import SnsNotifier
    from omnicase.escalation.timer_check import TimerCheck
    from omnicase.escalation.timer_metrics import record_timer_metrics
    from omnicase.settings import get_settings

    notifier = SnsNotifier(get_settings().notify_topic_arn)
    return TimerCheck(timer_store(), tenant_configs(), notifier, on_events=record_timer_metrics)


@cache
def timer_starter():  # noqa: ANN201
    from omnicase.aws.step_functions import StepFunctionsExecutions
    from omnicase.escalation.timer_starter import TimerStarter
    from omnicase.settings import get_settings

    arn = get_settings().escalation_state_machine_arn
    if not arn:
        raise RuntimeError("ESCALATION_STATE_MACHINE_ARN is not set")
    return TimerStarter(StepFunctionsExecutions(arn), timer_store())


@cache
def timer_store():  # noqa: ANN201
    from omnicase.persistence.timer_store import DynamoTimerStore

    return DynamoTimerStore()


def case_webhook_sender():  # noqa: ANN201
    """Posts case webhooks; not cached (cheap) so it always signs with the current tenant_secrets().

    Loopback URLs (the local runtime, tests) are allowed only outside a real Lambda, where 127.0.0.1 is the
    runtime API.
    """
    import os

    from omnicase.channels.case_webhook_sender import CaseWebhookSender

    return CaseWebhookSender(tenant_secrets(), allow_loopback="AWS_LAMBDA_RUNTIME_API" not in os.environ)


def feedback_recorder():  # noqa: ANN201
    """Records SES bounces and complaints on outbound messages; not cached (cheap), so `rebind` needs no entry."""
    from omnicase.domain.record_feedback import FeedbackRecorder
    from omnicase.persistence.feedback_store import DynamoFeedbackStore

    return FeedbackRecorder(tenant_directory(), DynamoFeedbackStore())


def survey_token_secret(tenant_id: str) -> bytes:
    """The tenant's survey token secret: `survey_token_secret` of its secret (env SURVEY_TOKEN_SECRET locally)."""
    return tenant_secrets().get(tenant_id, "survey_token_secret").encode()


def survey_store():  # noqa: ANN201
    """Surveys on DynamoDB; not cached (cheap), so `rebind` needs no entry."""
    from omnicase.persistence.survey_store import DynamoSurveyStore

    return DynamoSurveyStore()


def survey_sending():  # noqa: ANN201
    """Sends due surveys; not cached, so it always sees the current settings and secrets."""
    import os

    from omnicase.domain.errors import NotFound
    from omnicase.domain.survey_sending import SurveySending
    from omnicase.persistence.case_reader import get_case
    from omnicase.settings import get_settings

    # A custom domain when there is one, else the API's own URL (set on the function by the template).
    base_url = get_settings().public_base_url or os.environ.get("API_BASE_URL")
    if not base_url:
        raise RuntimeError("PUBLIC_BASE_URL / API_BASE_URL is not set: survey links need it")

    def case_thread(tenant_id: str, case_id: str):  # noqa: ANN202
        try:
            return get_case(tenant_id, case_id)
        except NotFound:
            return None

    return SurveySending(
        store=survey_store(),
        cases=case_thread,
        tenants=tenant_directory(),
        configs=tenant_configs(),
        secret=survey_token_secret,
        base_url=base_url,
    )


def survey_answering():  # noqa: ANN201
    """Answers by survey token; cheap to build, its cached pieces come from the builders above."""
    from omnicase.persistence.survey_answers import DynamoSurveyAnswers
    from omnicase.persistence.survey_store import DynamoSurveyStore
    from omnicase.surveys.answering import SurveyAnswering

    return SurveyAnswering(DynamoSurveyStore(), case_store(), tenant_configs(), tenant_secrets(), DynamoSurveyAnswers())
