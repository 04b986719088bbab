"""Every key of the single table, in one place; each one starts with the tenant (limits: key_limits.py)."""

from __future__ import annotations

import zlib
from datetime import UTC, date, datetime

from omnicase.persistence.key_limits import key_pair, partition_key, sort_key

# A tenant's wide partitions (all its cases on gsi1, its changes on gsi4, its interceptions, survey answers and
# surveys sent) take a write for every such item of the tenant. One partition key absorbs at most 1,000 WCU/s,
# in the table and in each GSI alike. Target: 1,000 case writes/s for one tenant; a case item is up to ~2 KB, so
# each write costs ~2 WCU in gsi1 and again in gsi4 (ALL projections): 2,000 WCU/s per index. Over 8 shards that is
# 250 WCU/s each, 4x below the ceiling: room for items up to 4 KB, uneven hashing and bursts, while a listing still
# merges only 8 queries (plus the legacy partition, below). docs/scale.md has the whole arithmetic.
TENANT_SHARDS = 8


def shard_of(case_id: str) -> int:
    """The shard of a case's items in its tenant's wide partitions: fixed for the case's life, spread evenly."""
    return zlib.crc32(case_id.encode("utf-8")) % TENANT_SHARDS


def shards() -> list[int | None]:
    """Every shard a reader must query: the 8 written now and None, the unsharded partition items written before
    sharding keep until they are rewritten (a case's next save) or moved (`omnicase migrate shard-keys`)."""
    return [*range(TENANT_SHARDS), None]


def _sharded(base: str, shard: int | None) -> str:
    return base if shard is None else f"{base}#{shard}"


@partition_key
def tenant_pk(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}"


@partition_key
def case_pk(tenant_id: str, case_id: str) -> str:
    return f"T#{tenant_id}#CASE#{case_id}"


CASE_SK = "CASE"
CASE_TIMER_SK = "TIMER"  # which escalation execution owns the case's timers


@sort_key
def message_sk(message_id: str) -> str:
    return f"MSG#{message_id}"


@partition_key
def tenant_cases_pk(tenant_id: str, shard: int | None) -> str:
    """gsi1: all cases of a tenant, newest first, one partition per shard (None: the legacy unsharded one)."""
    return _sharded(f"T#{tenant_id}#CASES", shard)


@partition_key
def customer_cases_pk(tenant_id: str, customer_id: str) -> str:
    """gsi2: a customer's cases, newest first, and (sort key !IDENT#…) their identities."""
    return f"T#{tenant_id}#CUSTOMER#{customer_id}"


@partition_key
def queue_pk(tenant_id: str, queue: str) -> str:
    """gsi3: a queue's open cases."""
    return f"T#{tenant_id}#QUEUE#{queue}"


@sort_key
def deadline_sk(next_deadline: datetime | None, case_id: str) -> str:
    """gsi3 sort key: soonest deadline first; cases without one ("~" sorts after digits) last."""
    return (
        f"{next_deadline.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%S')}#{case_id}" if next_deadline else f"~#{case_id}"
    )


@sort_key
def deadline_bound(at: datetime) -> str:
    """The highest gsi3 sort key of a deadline at `at` ("~" sorts after every case id)."""
    return deadline_sk(at, "~")


@partition_key
def assignee_pk(tenant_id: str, agent_id: str) -> str:
    """gsi5: an agent's open cases (sort key: deadline_sk, as gsi3), so "my cases" reads only mine."""
    return f"T#{tenant_id}#ASSIGNEE#{agent_id}"


@partition_key
def tenant_changes_pk(tenant_id: str, shard: int | None) -> str:
    """gsi4: every case of a tenant by when it last changed (the console's changes feed), one partition per shard."""
    return _sharded(f"T#{tenant_id}#CHANGES", shard)


@sort_key
def change_sk(updated_at: datetime, case_id: str) -> str:
    """gsi4 sort key: fixed-width UTC update time, so a range after a cursor is exactly what changed since."""
    return f"{sort_time(updated_at)}#{case_id}"


@sort_key
def change_bound(at: datetime) -> str:
    """The highest gsi4 sort key of a change at `at` ("~" sorts after every case id)."""
    return change_sk(at, "~")


@sort_key
def case_event_sk(at: datetime, event_id: str) -> str:
    """A case's audit trail, oldest first."""
    return f"EVENT#{at.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%S.%f')}#{event_id}"


CASE_EVENT_PREFIX = "EVENT#"


@sort_key
def created_sk(created_at_iso: str, case_id: str) -> str:
    return f"{created_at_iso}#{case_id}"


@partition_key
def customer_pk(tenant_id: str, customer_id: str) -> str:
    return f"T#{tenant_id}#CUSTOMER#{customer_id}"


@partition_key
def identity_pk(tenant_id: str, channel: str, address: str) -> str:
    return f"T#{tenant_id}#IDENT#{channel}#{address}"


@partition_key
def conversation_pk(tenant_id: str, conversation_id: str) -> str:
    """A chat conversation → its case."""
    return f"T#{tenant_id}#CONVERSATION#{conversation_id}"


@sort_key
def identity_sk(channel: str, address: str) -> str:
    """gsi2 sort key of an identity under its customer ("!" sorts before the cases' creation times)."""
    return f"!IDENT#{channel}#{address}"


@partition_key
def email_id_pk(tenant_id: str, email_message_id: str) -> str:
    """RFC 5322 Message-ID → the message that carried it (threading, bounces, dedupe)."""
    return f"T#{tenant_id}#EMAILID#{email_message_id}"


@partition_key
def delivery_pk(tenant_id: str, channel: str, provider_message_id: str) -> str:
    """A provider's delivery id seen once (redeliveries carry the same id)."""
    return f"T#{tenant_id}#DELIVERY#{channel}#{provider_message_id}"


@sort_key
def endpoint_sk(channel: str, address: str) -> str:
    return f"ENDPOINT#{channel}#{address}"


@partition_key
def endpoint_lookup_pk(channel: str, address: str) -> str:
    """gsi1 of an endpoint item: the one lookup that finds a tenant from where a message was sent to
    (a mailbox, an SMS number, a WeChat account, a chat widget)."""
    return f"ENDPOINT#{channel}#{address}"


@sort_key
def api_token_sk(token_hash: str) -> str:
    return f"APITOKEN#{token_hash}"


@partition_key
def api_token_lookup_pk(token_hash: str) -> str:
    """gsi1 of a token item: finds the tenant, agent and role of a bearer token."""
    return f"APITOKEN#{token_hash}"


@sort_key
def user_sk(sub: str) -> str:
    """A person who signs in (a Cognito user, by its immutable `sub`), under the tenant's pk."""
    return f"USER#{sub}"


@partition_key
def cognito_user_lookup_pk(sub: str) -> str:
    """gsi1 of a user item: finds the tenant, agent and role of a Cognito access token's `sub`."""
    return f"COGNITO#{sub}"


SINGLETON_SK = "ITEM"


CONFIG_SK = "CONFIG"


@key_pair
def tenant_config_key(tenant_id: str) -> tuple[str, str]:
    """The one item holding a tenant's configuration document (`omnicase config apply`)."""
    return tenant_pk(tenant_id), CONFIG_SK


AVAILABILITY_SK = "AVAILABILITY"


@key_pair
def agent_availability_key(tenant_id: str) -> tuple[str, str]:
    """The one item holding what the tenant's agents set about their availability (PUT /agents/…/availability)."""
    return tenant_pk(tenant_id), AVAILABILITY_SK


@key_pair
def rate_window_key(tenant_id: str, token_hash: str, window_start: int) -> tuple[str, str]:
    """An API token's request counter for the fixed window starting at `window_start` (epoch seconds)."""
    return rate_window_pk(tenant_id, token_hash), str(window_start)


@partition_key
def rate_window_pk(tenant_id: str, token_hash: str) -> str:
    return f"T#{tenant_id}#RATE#{token_hash}"


@partition_key
def interceptions_pk(tenant_id: str, shard: int | None) -> str:
    """A tenant's replies stopped by the quality check, oldest first (the item's time leads its sort key), sharded."""
    return _sharded(f"T#{tenant_id}#INTERCEPTIONS", shard)


def sort_time(at: datetime) -> str:
    """Fixed-width UTC time: sort keys compare as strings, so every time must be written the same way."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def interception_time(at: datetime) -> str:
    return sort_time(at)


@sort_key
def interception_sk(at: datetime, case_id: str, nonce: str) -> str:
    return f"{interception_time(at)}#{case_id}#{nonce}"


@partition_key
def problem_pk(tenant_id: str, problem_key: str) -> str:
    """A known problem (bug, feature) → the cases waiting on it."""
    return f"T#{tenant_id}#PROBLEM#{problem_key}"


@sort_key
def problem_case_sk(case_id: str) -> str:
    return f"CASE#{case_id}"


SURVEY_SK = "SURVEY"  # under the case's pk: one survey per case
SURVEY_SHARDS = 4  # due surveys of all tenants spread over this many index partitions


@partition_key
def survey_due_pk(shard: int) -> str:
    """gsi1 of a survey waiting for its next step (sparse: answered / skipped / expired surveys leave it)."""
    return f"SURVEYS#DUE#{shard}"


@sort_key
def survey_due_sk(due_at: datetime, tenant_id: str, case_id: str) -> str:
    return f"{due_at.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%S')}#{tenant_id}#{case_id}"


@sort_key
def customer_survey_sk() -> str:
    """Under the customer's pk: when they were last surveyed (the per-customer cap)."""
    return "SURVEY#LAST"


@partition_key
def survey_answers_pk(tenant_id: str, shard: int | None) -> str:
    """A tenant's survey answers by when they were given, sharded (the report counters count them as they come)."""
    return _sharded(f"T#{tenant_id}#SURVEY-ANSWERS", shard)


@sort_key
def survey_answer_sk(answered_at: datetime, case_id: str) -> str:
    return f"{survey_answer_time(answered_at)}#{case_id}"


def survey_answer_time(at: datetime) -> str:
    """The sort-key form of an instant, for the bounds of a window query."""
    return sort_time(at)


@partition_key
def surveys_sent_pk(tenant_id: str, shard: int | None) -> str:
    """A tenant's sent surveys by when they went out (the report's survey response rate), sharded."""
    return _sharded(f"T#{tenant_id}#SURVEYS-SENT", shard)


@partition_key
def report_counts_pk(tenant_id: str) -> str:
    """A tenant's daily report counters: per local day a counts row and a subjects row (reports/day_counts.py)."""
    return f"T#{tenant_id}#REPORT-COUNTS"


@sort_key
def day_counts_sk(at: date) -> str:
    """A day's counts row; `<ISO day>#…` keys make a window of days one range of the partition."""
    return f"{at.isoformat()}#counts"


@sort_key
def day_subjects_sk(at: date) -> str:
    """A day's subject tallies, beside its counts row (written only when a case's subject is counted)."""
    return f"{at.isoformat()}#subjects"


@partition_key
def report_months_pk(tenant_id: str) -> str:
    """A tenant's monthly report counters: the sums of its days' rows, so a long window reads months, not days."""
    return f"T#{tenant_id}#REPORT-MONTHS"


@sort_key
def month_counts_sk(at: date) -> str:
    """The counts row of the local month `at` is in ("2026-11#counts")."""
    return f"{at.isoformat()[:7]}#counts"


@sort_key
def month_subjects_sk(at: date) -> str:
    """The subject tallies of the local month `at` is in."""
    return f"{at.isoformat()[:7]}#subjects"


@key_pair
def counted_key(tenant_id: str, case_id: str, nonce: str) -> tuple[str, str]:
    """What the report counters hold of one of a case's items (`nonce`: CASE, ANSWER, SENT, INTERCEPTION#<n>)."""
    return f"T#{tenant_id}#COUNTED#{case_id}", nonce


@partition_key
def replay_pk(tenant_id: str, channel: str, address: str, credential: str) -> str:
    """A signed request's credential seen once at one of the tenant's endpoints (WeChat account, chat widget)."""
    return f"T#{tenant_id}#REPLAY#{channel}#{address}#{credential}"


@partition_key
def kb_pk(tenant_id: str) -> str:
    """A tenant's knowledge base: articles (ARTICLE#id), their revisions (REV#id#n) and the search index (INDEX…)."""
    return f"T#{tenant_id}#KB"


KB_ARTICLE_PREFIX = "ARTICLE#"
KB_INDEX_SK = "INDEX"


@sort_key
def kb_article_sk(article_id: str) -> str:
    return f"{KB_ARTICLE_PREFIX}{article_id}"


@sort_key
def kb_revision_sk(article_id: str, revision: int) -> str:
    """An article's revisions in order (fixed width: sort keys compare as strings)."""
    return f"REV#{article_id}#{revision:08d}"


@sort_key
def kb_index_part_sk(generation: int, chunk: int) -> str:
    """The second and later parts of a large index (the first is in the INDEX item itself)."""
    return f"INDEXPART#{generation:012d}#{chunk:04d}"
