"""The composition root: real adapters for the domain, built once per Lambda container.

Every cached builder is declared with @builder, which records it: rebind() clears them all, so no builder can keep
pieces built from an old environment. Channels come from their plug-ins (omnicase.channels.BUILT_IN_CHANNELS); one
that is not built in joins with register_channel. Builders import lazily to keep cold starts small.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

from omnicase.channels import BUILT_IN_CHANNELS
from omnicase.channels.plugin import ChannelDeps, ChannelPlugin
from omnicase.domain.channel_traits import UnknownChannel, register_traits

if TYPE_CHECKING:
    from omnicase.attachments.fetch_media import MediaFetcher
    from omnicase.auth.access_token import AccessTokenVerifier
    from omnicase.auth.sessions import Sessions
    from omnicase.aws.attachment_files import S3AttachmentFiles
    from omnicase.aws.mail_store import S3MailStore
    from omnicase.channels.case_webhook_sender import CaseWebhookSender
    from omnicase.channels.chat.intake import ChatIntake
    from omnicase.channels.email.intake import EmailIntake
    from omnicase.channels.receive_message import MessageIntake
    from omnicase.channels.sms.intake import SmsIntake
    from omnicase.channels.sms.sns_endpoint import SnsEndpoint
    from omnicase.channels.sms.twilio_status import TwilioStatusCallbacks
    from omnicase.channels.wechat.intake import WechatIntake
    from omnicase.domain.ports import OutboundSender
    from omnicase.domain.record_feedback import FeedbackRecorder
    from omnicase.domain.set_availability import AgentPresence
    from omnicase.domain.survey_sending import SurveySending
    from omnicase.domain.tenant_config import TenantConfig
    from omnicase.escalation.timer_check import TimerCheck
    from omnicase.escalation.timer_starter import TimerStarter
    from omnicase.kb.knowledge_base import KnowledgeBase
    from omnicase.kb.suggest_articles import KbArticleSuggester
    from omnicase.persistence.availability_store import DynamoAvailabilityStore
    from omnicase.persistence.case_store import DynamoCaseStore
    from omnicase.persistence.config_store import ConfigStore
    from omnicase.persistence.delivery_store import DynamoDeliveryRecorder
    from omnicase.persistence.replay_store import DynamoReplayGuard
    from omnicase.persistence.survey_store import DynamoSurveyStore
    from omnicase.persistence.tenant_store import DynamoTenantDirectory
    from omnicase.persistence.timer_store import DynamoTimerStore
    from omnicase.persistence.user_store import DynamoPeopleDirectory
    from omnicase.secrets import TenantSecrets
    from omnicase.settings import Settings
    from omnicase.surveys.answering import SurveyAnswering

P = ParamSpec("P")
T = TypeVar("T")
_BUILDERS: list[Any] = []  # every @builder, in declaration order


def builder(build: Callable[P, T]) -> Callable[P, T]:
    """Declare a cached builder: built once per container (per arguments) until rebind()."""
    cached = cache(build)
    _BUILDERS.append(cached)
    return cast("Callable[P, T]", cached)


def builders() -> tuple[Callable[..., Any], ...]:
    """Every cached builder of the composition root (what rebind clears)."""
    return tuple(_BUILDERS)


def _settings() -> Settings:
    from omnicase.settings import get_settings  # pydantic: imported on first use, not with the wiring

    return get_settings()


@builder
def mail_store() -> S3MailStore:
    """The mail bucket: attachments' download links for the API."""
    from omnicase.aws.mail_store import S3MailStore

    settings = _settings()
    return S3MailStore(settings.mail_bucket, settings.mail_link_endpoint)


@builder
def attachment_files() -> S3AttachmentFiles:
    """The mail bucket's attachments: agents' presigned uploads, scans' tags, fetched media, links."""
    from omnicase.aws.attachment_files import S3AttachmentFiles

    settings = _settings()
    return S3AttachmentFiles(settings.mail_bucket, settings.mail_link_endpoint)


@builder
def media_fetcher() -> MediaFetcher:
    """Customers' media (MMS, WeChat, chat files) into the mail bucket after intake (fetch_media)."""
    from omnicase.attachments.fetch_media import MediaFetcher
    from omnicase.attachments.media_download import MediaDownloader
    from omnicase.attachments.provider_media import ProviderMedia
    from omnicase.persistence.media_store import DynamoMediaRecorder

    settings = _settings()
    # Loopback media (the local runtime, tests) only outside a real Lambda, where 127.0.0.1 is the runtime API.
    download = MediaDownloader(allow_loopback=not settings.in_lambda)
    fetch = ProviderMedia(download, tenant_secrets(), settings.wechat_api_base, settings.twilio_api_base)
    return MediaFetcher(attachment_files(), DynamoMediaRecorder(), fetch)


@builder
def message_intake() -> MessageIntake:
    """Intake shared by the webhook channels."""
    from omnicase.channels.receive_message import MessageIntake
    from omnicase.persistence.intake_store import DynamoIntakeStore

    return MessageIntake(
        tenants=tenant_directory(), store=DynamoIntakeStore(), configs=applied_configs(), suggester=article_suggester()
    )


@builder
def tenant_secrets() -> TenantSecrets:
    from omnicase.secrets import TenantSecrets

    settings = _settings()
    return TenantSecrets(prefix=settings.secrets_prefix, env_overrides=settings.local_runtime)


@builder
def replay_guard() -> DynamoReplayGuard:
    """Signed webhook requests used once (WeChat plaintext pushes, chat messages)."""
    from omnicase.persistence.replay_store import DynamoReplayGuard

    return DynamoReplayGuard()


# --- channels ----------------------------------------------------------------------------------------------------

_CHANNELS: dict[str, ChannelPlugin] = {}


def register_channel(plugin: ChannelPlugin) -> None:
    """Make a channel known: its traits to the domain, its intake and sender to this root (a new channel's line)."""
    register_traits(plugin.traits)
    _CHANNELS[plugin.traits.name] = plugin


for _plugin in BUILT_IN_CHANNELS:
    register_channel(_plugin)


def _channel(name: str) -> ChannelPlugin:
    if str(name) not in _CHANNELS:
        raise UnknownChannel(f"no plug-in for channel {str(name)!r}: one of {', '.join(_CHANNELS)}")
    return _CHANNELS[str(name)]


def _channel_deps() -> ChannelDeps:
    return ChannelDeps(
        settings=_settings,
        tenant_directory=tenant_directory,
        tenant_configs=applied_configs,  # what channels build from it are their intakes (see _AppliedConfigs)
        tenant_secrets=tenant_secrets,
        message_intake=message_intake,
        replay_guard=replay_guard,
        article_suggester=article_suggester,
    )


@builder
def channel_intake(name: str) -> Any:
    """The intake a channel's edge function calls, built from its plug-in."""
    return _channel(name).build_intake(_channel_deps())


@builder
def channel_sender(name: str) -> OutboundSender:
    """The channel's OutboundSender, built (and its modules imported) on first use."""
    return _channel(name).build_sender(_channel_deps())


def email_intake() -> EmailIntake:
    return cast("EmailIntake", channel_intake("email"))


def sms_intake() -> SmsIntake:
    return cast("SmsIntake", channel_intake("sms"))


def chat_intake() -> ChatIntake:
    return cast("ChatIntake", channel_intake("chat"))


def wechat_intake() -> WechatIntake:
    return cast("WechatIntake", channel_intake("wechat"))


@builder
def sns_endpoint() -> SnsEndpoint:
    """Two-way SMS delivered by SNS over HTTPS: the signature checked, then the SMS intake."""
    from omnicase.channels.sms.sns_endpoint import SnsEndpoint, fetch_certificate, https_get
    from omnicase.channels.sns_signature import CertificateCache

    return SnsEndpoint(
        sms_intake(), fetch_certificate=CertificateCache(fetch_certificate), confirm_subscription=https_get
    )


@builder
def twilio_status_callbacks() -> TwilioStatusCallbacks:
    """Twilio's status callbacks on our outbound SMS: signature checked, the status recorded on the message."""
    from omnicase.channels.sms.twilio_status import TwilioStatusCallbacks
    from omnicase.persistence.sms_status_store import DynamoSmsStatusStore

    return TwilioStatusCallbacks(
        tenant_directory(), tenant_secrets(), DynamoSmsStatusStore(), _settings().public_base_url
    )


class _ChannelSenders(Mapping[str, "OutboundSender"]):
    """Channel name → its sender, through channel_sender (so rebind forgets the senders too)."""

    def __getitem__(self, name: str) -> OutboundSender:
        if str(name) not in _CHANNELS:
            raise KeyError(name)
        return channel_sender(str(name))

    def __iter__(self) -> Iterator[str]:
        return iter(_CHANNELS)

    def __len__(self) -> int:
        return len(_CHANNELS)


def outbound_senders() -> Mapping[str, OutboundSender]:
    """One OutboundSender per registered channel, each built lazily."""
    return _ChannelSenders()


@builder
def delivery_recorder() -> DynamoDeliveryRecorder:
    from omnicase.persistence.delivery_store import DynamoDeliveryRecorder

    return DynamoDeliveryRecorder()


@builder
def tenant_directory() -> DynamoTenantDirectory:
    """Tenants by id, mailbox and API token, cached per container."""
    from omnicase.persistence.tenant_store import DynamoTenantDirectory

    return DynamoTenantDirectory()


@builder
def people_directory() -> DynamoPeopleDirectory:
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


@builder
def access_token_verifier() -> AccessTokenVerifier:
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


def sessions() -> Sessions:
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
    for cached in _BUILDERS:
        cached.cache_clear()
    reset_clients()
    use_table(get_settings().table_name)


@builder
def config_store() -> ConfigStore:
    """Tenant configurations (routing, SLA, calendars, people), cached per container for a short while."""
    from omnicase.persistence.config_store import ConfigStore

    return ConfigStore()


class _StoredConfigs:
    """The applied configuration of a tenant, or the defaults when none was applied, with each agent's availability
    as it is now (the configuration's default, unless the agent set otherwise through the API)."""

    def config_for(self, tenant_id: str) -> TenantConfig:
        from datetime import UTC, datetime

        from omnicase.domain.availability import with_availability

        config = self.stored(tenant_id)
        if not config.agents:  # nobody whose availability could change anything: no read
            return config
        # Read every time, not cached: an agent who just went away must not get the next dedicated case.
        return with_availability(config, availability_store().states(tenant_id), datetime.now(UTC))

    def stored(self, tenant_id: str) -> TenantConfig:
        """The configuration as applied (cached), without runtime availability: for what does not route."""
        from omnicase.domain.tenant_config import TenantConfig

        return config_store().load(tenant_id) or TenantConfig(tenant_id)


@builder
def tenant_configs() -> _StoredConfigs:
    return _StoredConfigs()


class _AppliedConfigs:
    """The applied configuration (cached), without agents' availability: for the channels' intakes, whose store
    reads availability in the snapshot's batch (persistence/intake_store.py), and for what never routes a case
    (counting, webhooks, surveys): a consistent GetItem fewer per call."""

    def config_for(self, tenant_id: str) -> TenantConfig:
        return tenant_configs().stored(tenant_id)


@builder
def applied_configs() -> _AppliedConfigs:
    return _AppliedConfigs()


@builder
def availability_store() -> DynamoAvailabilityStore:
    from omnicase.persistence.availability_store import DynamoAvailabilityStore

    return DynamoAvailabilityStore()


@builder
def agent_presence() -> AgentPresence:
    """Agents going away and coming back (PUT /agents/{agent_id}/availability)."""
    from omnicase.domain.set_availability import AgentPresence
    from omnicase.persistence.agent_cases import DynamoAgentCases

    return AgentPresence(availability_store(), DynamoAgentCases(case_store()))


@builder
def case_store() -> DynamoCaseStore:
    from omnicase.persistence.case_store import DynamoCaseStore

    return DynamoCaseStore()


@builder
def timer_check() -> TimerCheck:
    """The escalation flow's check task on DynamoDB and SNS."""
    from omnicase.aws.notifications import SnsNotifier
    from omnicase.escalation.timer_check import TimerCheck
    from omnicase.escalation.timer_metrics import record_timer_metrics
    from omnicase.settings import get_settings

    notifier = SnsNotifier(get_settings().notify_topic_arn)
    return TimerCheck(timer_store(), tenant_configs(), notifier, on_events=record_timer_metrics)


@builder
def timer_starter() -> TimerStarter:
    from omnicase.aws.step_functions import StepFunctionsExecutions
    from omnicase.escalation.timer_starter import TimerStarter
    from omnicase.settings import get_settings

    arn = get_settings().escalation_state_machine_arn
    if not arn:
        raise RuntimeError("ESCALATION_STATE_MACHINE_ARN is not set")
    return TimerStarter(StepFunctionsExecutions(arn), timer_store())


@builder
def timer_store() -> DynamoTimerStore:
    from omnicase.persistence.timer_store import DynamoTimerStore

    return DynamoTimerStore()


def case_webhook_sender() -> CaseWebhookSender:
    """Posts case webhooks; not cached (cheap) so it always signs with the current tenant_secrets().

    Loopback URLs (the local runtime, tests) are allowed only outside a real Lambda, where 127.0.0.1 is the
    runtime API.
    """
    from omnicase.channels.case_webhook_sender import CaseWebhookSender

    return CaseWebhookSender(tenant_secrets(), allow_loopback=_loopback_allowed())


def _loopback_allowed() -> bool:
    """Outbound webhooks may go to this machine only outside a real Lambda (there 127.0.0.1 is the runtime API)."""
    return not _settings().in_lambda


def customer_erasure():  # noqa: ANN201
    """Erases a customer on request (CLI and API); not cached (cheap), so `rebind` needs no entry."""
    from omnicase.domain.erase_customer import CustomerErasure
    from omnicase.persistence.erasure_store import DynamoErasureStore
    from omnicase.settings import get_settings

    return CustomerErasure(DynamoErasureStore(get_settings().mail_bucket))


def feedback_recorder() -> FeedbackRecorder:
    """Records SES bounces and complaints on outbound messages; not cached (cheap), so `rebind` needs no entry."""
    from omnicase.domain.record_feedback import FeedbackRecorder
    from omnicase.persistence.feedback_store import DynamoFeedbackStore

    return FeedbackRecorder(tenant_directory(), DynamoFeedbackStore())


def survey_token_secret(tenant_id: str) -> bytes:
    """The tenant's survey token secret: `survey_token_secret` of its secret (env SURVEY_TOKEN_SECRET locally)."""
    return tenant_secrets().get(tenant_id, "survey_token_secret").encode()


def survey_store() -> DynamoSurveyStore:
    """Surveys on DynamoDB; not cached (cheap), so `rebind` needs no entry."""
    from omnicase.persistence.survey_store import DynamoSurveyStore

    return DynamoSurveyStore()


def survey_sending() -> SurveySending:
    """Sends due surveys; not cached, so it always sees the current settings and secrets."""
    from omnicase.domain.errors import NotFound
    from omnicase.domain.survey_sending import SurveySending
    from omnicase.persistence.case_reader import get_case
    from omnicase.settings import get_settings

    # A custom domain when there is one, else the API's own URL (set on the function by the template).
    base_url = get_settings().public_base_url or get_settings().api_base_url
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
        configs=applied_configs(),
        secret=survey_token_secret,
        base_url=base_url,
    )


def survey_answering() -> SurveyAnswering:
    """Answers by survey token; cheap to build, its cached pieces come from the builders above."""
    from omnicase.persistence.survey_answers import DynamoSurveyAnswers
    from omnicase.persistence.survey_store import DynamoSurveyStore
    from omnicase.surveys.answering import SurveyAnswering

    return SurveyAnswering(DynamoSurveyStore(), case_store(), tenant_configs(), tenant_secrets(), DynamoSurveyAnswers())


@builder
def knowledge_base() -> KnowledgeBase:
    """Articles and search on DynamoDB; holds this container's cached indexes, synonyms from the tenant config."""
    from omnicase.kb.knowledge_base import KnowledgeBase
    from omnicase.persistence.kb_store import DynamoKbStore

    return KnowledgeBase(DynamoKbStore(), lambda tenant_id: tenant_configs().stored(tenant_id).kb.synonyms)


@builder
def article_suggester() -> KbArticleSuggester:
    """The acknowledgement's articles, linked from the public URL (none without PUBLIC_BASE_URL / API_BASE_URL)."""
    from omnicase.kb.suggest_articles import KbArticleSuggester

    settings = _settings()
    return KbArticleSuggester(knowledge_base(), settings.public_base_url or settings.api_base_url, survey_token_secret)


def canned_reply_admin():  # noqa: ANN201
    """Canned replies in the tenant configuration, changed by API; not cached (cheap)."""
    from omnicase.kb.canned_reply_admin import CannedReplyAdmin

    return CannedReplyAdmin(config_store())


def answered_links():  # noqa: ANN201
    """The "this answered my question" links; not cached (cheap), its cached parts come from above."""
    from omnicase.kb.answered_links import AnsweredLinks

    return AnsweredLinks(case_store(), tenant_configs(), survey_token_secret)


def help_centre():  # noqa: ANN201
    """The help centre's pages; not cached (cheap), its cached parts come from above."""
    from omnicase.kb.help_centre import HelpCentre

    return HelpCentre(knowledge_base(), tenant_directory())
