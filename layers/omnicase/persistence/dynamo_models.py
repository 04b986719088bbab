"""PynamoDB models of the single table: one base with the keys and indexes, one subclass per entity."""

from __future__ import annotations

import os
from typing import Any

from pynamodb.attributes import (
    BinaryAttribute,
    BooleanAttribute,
    DiscriminatorAttribute,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.connection import Connection
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model


class _Gsi1(GlobalSecondaryIndex["OmnicaseItem"]):
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class _Gsi2(GlobalSecondaryIndex["OmnicaseItem"]):
    class Meta:
        index_name = "gsi2"
        projection = AllProjection()

    gsi2pk = UnicodeAttribute(hash_key=True)
    gsi2sk = UnicodeAttribute(range_key=True)


class _Gsi3(GlobalSecondaryIndex["OmnicaseItem"]):
    class Meta:
        index_name = "gsi3"
        projection = AllProjection()

    gsi3pk = UnicodeAttribute(hash_key=True)
    gsi3sk = UnicodeAttribute(range_key=True)


class _Gsi4(GlobalSecondaryIndex["OmnicaseItem"]):
    class Meta:
        index_name = "gsi4"
        projection = AllProjection()  # the changes feed answers whole rows: no second read per change

    gsi4pk = UnicodeAttribute(hash_key=True)
    gsi4sk = UnicodeAttribute(range_key=True)


class _Gsi5(GlobalSecondaryIndex["OmnicaseItem"]):
    class Meta:
        index_name = "gsi5"
        projection = AllProjection()  # "my cases" answers whole inbox rows, like gsi3

    gsi5pk = UnicodeAttribute(hash_key=True)
    gsi5sk = UnicodeAttribute(range_key=True)


class OmnicaseItem(Model):
    """Every item: tenant-scoped pk/sk, a type discriminator, the generic GSIs and a TTL."""

    class Meta:
        # Read straight from the environment Settings also reads: importing the models must not pull in pydantic
        # (the read API's cold start); wiring.rebind() re-points them when the environment changes.
        table_name = os.environ.get("TABLE_NAME", "omnicase")
        region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    item_type = DiscriminatorAttribute()
    tenant_id = UnicodeAttribute()
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    gsi3pk = UnicodeAttribute(null=True)
    gsi3sk = UnicodeAttribute(null=True)
    gsi4pk = UnicodeAttribute(null=True)
    gsi4sk = UnicodeAttribute(null=True)
    gsi5pk = UnicodeAttribute(null=True)
    gsi5sk = UnicodeAttribute(null=True)
    expires_at = TTLAttribute(null=True)
    gsi1 = _Gsi1()
    gsi2 = _Gsi2()
    gsi3 = _Gsi3()
    gsi4 = _Gsi4()
    gsi5 = _Gsi5()


_transactions: Connection | None = None


def transaction_connection() -> Connection:
    """The low-level connection TransactWrite needs, one per process, on the models' region and endpoint."""
    global _transactions
    if _transactions is None:
        meta = OmnicaseItem.Meta
        _transactions = Connection(region=meta.region, host=getattr(meta, "host", None))
    return _transactions


def use_table(table_name: str) -> None:
    """Point every model at another table (tests, local runtime); drops the cached connections."""
    global _transactions
    _transactions = None
    OmnicaseItem.Meta.table_name = table_name
    OmnicaseItem._connection = None
    for subclass in OmnicaseItem.__subclasses__():
        subclass._connection = None


class TenantItem(OmnicaseItem, discriminator="tenant"):
    name = UnicodeAttribute()
    ack_from = UnicodeAttribute()
    ack_enabled = BooleanAttribute(default=True)
    ack_limit_per_hour = NumberAttribute(default=5)
    mailboxes = ListAttribute(of=UnicodeAttribute, default=list)
    endpoints = ListAttribute(of=UnicodeAttribute, default=list)
    chat_callback_url = UnicodeAttribute(null=True)


class EndpointItem(OmnicaseItem, discriminator="endpoint"):
    """Where a tenant is reached (channel + address), found through gsi1."""

    address = UnicodeAttribute()


class ApiTokenItem(OmnicaseItem, discriminator="api_token"):
    """A bearer token, stored as its SHA-256 only; gsi1 finds it from the hash."""

    label = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    # Both null on tokens from `omnicase tenant add` (and from before tokens carried agents): those keep working as
    # tenant-wide "admin" tokens with no agent, so existing integrations are not locked out by the upgrade.
    agent_id = UnicodeAttribute(null=True)
    role = UnicodeAttribute(null=True)
    revoked_at = UTCDateTimeAttribute(null=True)  # set: the token is unknown (kept for `omnicase agents list`)


class UserItem(OmnicaseItem, discriminator="user"):
    """A person who signs in through the Cognito user pool; gsi1 finds it from the access token's `sub`."""

    username = UnicodeAttribute()
    user_pool_id = UnicodeAttribute()  # so `omnicase agents revoke` can disable the user without being told the pool
    agent_id = UnicodeAttribute()
    role = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    revoked_at = UTCDateTimeAttribute(null=True)  # set: the person has no access (kept for `omnicase agents list`)


class AttachmentMap(MapAttribute[str, Any]):
    filename = UnicodeAttribute()
    content_type = UnicodeAttribute()
    size = NumberAttribute()
    s3_key = UnicodeAttribute()
    url = UnicodeAttribute(null=True)
    virus_verdict = UnicodeAttribute(null=True)
    media_id = UnicodeAttribute(null=True)


class CaseItem(OmnicaseItem, discriminator="case"):
    case_id = UnicodeAttribute()
    channel = UnicodeAttribute()
    subject = UnicodeAttribute()
    status = UnicodeAttribute()
    customer_id = UnicodeAttribute(null=True)
    contact_address = UnicodeAttribute(null=True)
    mailbox = UnicodeAttribute(null=True)
    priority = UnicodeAttribute()
    queue = UnicodeAttribute()
    assignee = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    last_inbound_at = UTCDateTimeAttribute(null=True)
    message_count = NumberAttribute(default=0)
    follow_up_of = UnicodeAttribute(null=True)
    followed_up_by = UnicodeAttribute(null=True)
    solved_at = UTCDateTimeAttribute(null=True)
    conversation_id = UnicodeAttribute(null=True)
    first_line = UnicodeAttribute(null=True)  # the subject, or the first message's first line (inbox rows)
    # Routing, SLA and escalation state as one document; the fields lists filter on are copied out beside it.
    service = JSONAttribute(null=True)
    tags = ListAttribute(of=UnicodeAttribute, default=list)
    breached = BooleanAttribute(default=False)
    escalation_level = NumberAttribute(default=0)
    next_deadline = UTCDateTimeAttribute(null=True)
    version = VersionAttribute()


class CaseTimerItem(OmnicaseItem, discriminator="case_timer"):
    """Which escalation execution owns a case's timers (beside the case, so it never bumps the case's version)."""

    case_id = UnicodeAttribute()
    owner = UnicodeAttribute(null=True)
    generation = NumberAttribute(default=0)
    wake_at = UTCDateTimeAttribute(null=True)


class CaseEventItem(OmnicaseItem, discriminator="case_event"):
    """One entry of a case's append-only audit trail."""

    case_id = UnicodeAttribute()
    event_id = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    kind = UnicodeAttribute()
    actor = UnicodeAttribute()
    reason = UnicodeAttribute(default="")
    detail = JSONAttribute(null=True)


class MessageItem(OmnicaseItem, discriminator="message"):
    case_id = UnicodeAttribute()
    message_id = UnicodeAttribute()
    direction = UnicodeAttribute()
    channel = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    subject = UnicodeAttribute(default="")
    body_text = UnicodeAttribute(default="")
    preview = UnicodeAttribute(default="")
    sender = UnicodeAttribute(null=True)
    sender_name = UnicodeAttribute(null=True)
    recipients = ListAttribute(of=UnicodeAttribute, default=list)
    kind = UnicodeAttribute(default="human")
    email_message_id = UnicodeAttribute(null=True)
    in_reply_to = UnicodeAttribute(null=True)
    references = ListAttribute(of=UnicodeAttribute, default=list)
    conversation_id = UnicodeAttribute(null=True)
    provider_message_id = UnicodeAttribute(null=True)
    raw_ref = UnicodeAttribute(null=True)
    attachments = ListAttribute(of=AttachmentMap, default=list)
    delivery_status = UnicodeAttribute(null=True)
    delivery_detail = UnicodeAttribute(null=True)
    send_claimed_until = NumberAttribute(null=True)  # epoch seconds: one attempt at a time sends (delivery_store)
    sent_parts = UnicodeSetAttribute(null=True)  # a multi-part send's parts already out ("text", "file-0", …)
    problems = ListAttribute(of=UnicodeAttribute, default=list)


class CustomerItem(OmnicaseItem, discriminator="customer"):
    customer_id = UnicodeAttribute()
    display_name = UnicodeAttribute(null=True)
    merged_into = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    identities = ListAttribute(of=UnicodeAttribute, default=list)
    tier = UnicodeAttribute(null=True)
    tags = ListAttribute(of=UnicodeAttribute, default=list)
    key_account = UnicodeAttribute(null=True)
    dedicated_agent = UnicodeAttribute(null=True)


class IdentityItem(OmnicaseItem, discriminator="identity"):
    customer_id = UnicodeAttribute()
    # How many acknowledgements this address got in the current hour (flood protection).
    ack_window_start = NumberAttribute(null=True)
    ack_count = NumberAttribute(null=True)
    thread_case_id = UnicodeAttribute(null=True)  # SMS / WeChat: the case this address is talking on
    opted_out = BooleanAttribute(null=True)  # SMS STOP: nothing is sent to this address until START
    # SMS / WeChat / chat: a survey was sent here; a digit 1-5 from this address answers it until then.
    pending_survey_case_id = UnicodeAttribute(null=True)
    pending_survey_until = UTCDateTimeAttribute(null=True)
    # The customer's routing traits, copied onto each identity so intake reads them in its one batch.
    tier = UnicodeAttribute(null=True)
    key_account = UnicodeAttribute(null=True)
    dedicated_agent = UnicodeAttribute(null=True)


class ConversationItem(OmnicaseItem, discriminator="conversation"):
    case_id = UnicodeAttribute()


class EmailIdItem(OmnicaseItem, discriminator="email_id"):
    """A Message-ID we have stored (inbound or outbound) and where its message lives."""

    case_id = UnicodeAttribute()
    message_id = UnicodeAttribute()
    direction = UnicodeAttribute()


class DeliveryItem(OmnicaseItem, discriminator="delivery"):
    case_id = UnicodeAttribute()
    message_id = UnicodeAttribute()


class TenantConfigItem(OmnicaseItem, discriminator="tenant_config"):
    """A tenant's configuration as the validated JSON document, with the version each apply increases."""

    document = UnicodeAttribute()
    version = NumberAttribute()
    applied_at = UTCDateTimeAttribute()


class AgentAvailabilityItem(OmnicaseItem, discriminator="agent_availability"):
    """The availability agents set at runtime, one entry per agent: apart from the configuration, so an apply
    never overwrites it; one item, so every reader of the configuration gets it with one GetItem."""

    agents = JSONAttribute(default=dict)  # agent id → {available, until, changed_by, changed_at}
    version = VersionAttribute()


class RateWindowItem(OmnicaseItem, discriminator="rate_window"):
    """Requests made with one API token in one fixed window; expires_at lets DynamoDB drop old windows."""

    request_count = NumberAttribute(default=0)


class ReplayItem(OmnicaseItem, discriminator="replay"):
    """A signed request's credential, seen once; expires_at (after the freshness window) lets DynamoDB drop it."""

    body_digest = UnicodeAttribute(null=True)  # set: a redelivery of this very body may use the credential again


class InterceptionItem(OmnicaseItem, discriminator="interception"):
    """A reply the quality check stopped (who, which case, which phrase), kept for supervisors' counts."""

    case_id = UnicodeAttribute()
    agent_id = UnicodeAttribute()
    phrase = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    channel = UnicodeAttribute()
    text = UnicodeAttribute(null=True)  # the reply as written, bounded (absent on items from before it was kept)
    spans = JSONAttribute(null=True)  # [[start, end], …] of the blocked phrases in `text`


class ProblemLinkItem(OmnicaseItem, discriminator="problem_link"):
    """A case waiting on a known problem; `notified_at` once its customer was told of the fix."""

    case_id = UnicodeAttribute()
    problem_key = UnicodeAttribute()
    notified_at = UTCDateTimeAttribute(null=True)


class SurveyItem(OmnicaseItem, discriminator="survey"):
    """A case's satisfaction survey (under the case's pk); on gsi1 (sharded, by due time) while it waits."""

    case_id = UnicodeAttribute()
    channel = UnicodeAttribute()
    contact = UnicodeAttribute()
    status = UnicodeAttribute()
    due_at = UTCDateTimeAttribute(null=True)
    nonce = UnicodeAttribute()
    customer_id = UnicodeAttribute(null=True)
    language = UnicodeAttribute(default="en")
    queue = UnicodeAttribute(null=True)
    assignee = UnicodeAttribute(null=True)
    solved_at = UTCDateTimeAttribute(null=True)
    sent_at = UTCDateTimeAttribute(null=True)
    token_expires_at = UTCDateTimeAttribute(null=True)  # Survey.expires_at (`expires_at` is the table's TTL)
    reminded_at = UTCDateTimeAttribute(null=True)
    answered_at = UTCDateTimeAttribute(null=True)
    score = NumberAttribute(null=True)
    comment = UnicodeAttribute(default="")
    skipped_reason = UnicodeAttribute(null=True)
    callback_case_id = UnicodeAttribute(null=True)
    version = VersionAttribute()


class CustomerSurveyItem(OmnicaseItem, discriminator="customer_survey"):
    """When a customer was last sent a survey (the per-customer cap), under the customer's pk."""

    last_sent_at = UTCDateTimeAttribute()
    case_id = UnicodeAttribute()


class CustomerErasureItem(OmnicaseItem, discriminator="customer_erasure"):
    """Who erased a customer and when (under the customer's pk); `completed_at` and the counts once done."""

    customer_id = UnicodeAttribute()
    erased_by = UnicodeAttribute()
    erased_at = UTCDateTimeAttribute()
    completed_at = UTCDateTimeAttribute(null=True)
    cases = NumberAttribute(default=0)
    messages = NumberAttribute(default=0)
    identities = NumberAttribute(default=0)
    mail_objects = NumberAttribute(default=0)


class KbArticleItem(OmnicaseItem, discriminator="kb_article"):
    """A knowledge-base article as it is now; `revision` counts its changes (conditional writes)."""

    article_id = UnicodeAttribute()
    title = UnicodeAttribute()
    language = UnicodeAttribute()
    tags = ListAttribute(of=UnicodeAttribute, default=list)
    product = UnicodeAttribute(null=True)
    visibility = UnicodeAttribute()
    body = UnicodeAttribute()
    digest = UnicodeAttribute()
    revision = NumberAttribute()
    updated_by = UnicodeAttribute()
    updated_at = UTCDateTimeAttribute()


class KbRevisionItem(KbArticleItem, discriminator="kb_revision"):
    """One change of an article, kept: what it became (or `deleted`), who changed it and when."""

    action = UnicodeAttribute()  # created | updated | deleted


class KbIndexItem(OmnicaseItem, discriminator="kb_index"):
    """A tenant's search index (zlib JSON): the INDEX item holds the generation and part 0, parts 1.. follow."""

    generation = NumberAttribute()
    parts = NumberAttribute(default=1)
    data = BinaryAttribute(legacy_encoding=False)
    article_count = NumberAttribute(default=0)
    built_at = UTCDateTimeAttribute()
