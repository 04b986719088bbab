"""Routing: which queue, priority and agent a new case gets, and why.

Three steps, later ones overriding the queue: the tenant's ordered rules (first match wins), the key account the
customer belongs to (its queue and dedicated agent), and the VIP green channel (its queue and a minimum priority).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, time
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo

from omnicase.domain.channel_traits import AddressKind, UnknownChannel, traits_of
from omnicase.domain.model import Channel, Priority
from omnicase.domain.tenant_config import KeyAccount, RoutingRule, RuleConditions, TenantConfig, higher_priority

PATTERN_SCAN_LIMIT = 20_000  # characters of subject and body that patterns see: a huge body costs no more than this


# --- identities -------------------------------------------------------------------------------------------------


def identity_matches(pattern: str, identity: str) -> bool:
    """Whether "email:*@globex.example"-style `pattern` covers `identity`; only `*` is a wildcard."""
    pattern_channel, sep, pattern_value = pattern.partition(":")
    identity_channel, identity_sep, value = identity.partition(":")
    if not sep or not identity_sep or pattern_channel.lower() != identity_channel.lower():
        return False
    if _address_kind(identity_channel.lower()) == AddressKind.EMAIL:  # addresses are case-insensitive in practice
        return _wildcard(pattern_value.casefold()).fullmatch(value.casefold()) is not None
    return _wildcard(pattern_value).fullmatch(value) is not None


def _address_kind(channel: str) -> AddressKind | None:
    try:
        return traits_of(channel).address_kind
    except UnknownChannel:  # a stored identity of a channel no longer registered: matched as written
        return None


@lru_cache(maxsize=1024)
def _wildcard(pattern: str) -> re.Pattern[str]:
    # Not fnmatch: "?" and "[" may occur in real identities and must match literally.
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.DOTALL)


def _any_identity_matches(patterns: Iterable[str], identities: tuple[str, ...]) -> bool:
    return any(identity_matches(p, i) for p in patterns for i in identities)


def customer_tier(config: TenantConfig, identities: Iterable[str]) -> str | None:
    """The first configured tier one of the customer's identities falls under."""
    known = tuple(identities)
    return next((t.tier for t in config.tiers if _any_identity_matches(t.match, known)), None)


def key_account_of(config: TenantConfig, identities: Iterable[str]) -> KeyAccount | None:
    """The first configured key account one of the customer's identities falls under."""
    known = tuple(identities)
    return next((a for a in config.key_accounts if _any_identity_matches(a.match, known)), None)


# --- agents -----------------------------------------------------------------------------------------------------


def available_agent(config: TenantConfig, agent_id: str) -> bool:
    """A known agent who is not away."""
    agent = config.agents.get(agent_id)
    return agent is not None and agent.available


def route_reopened(config: TenantConfig, previous_assignee: str | None) -> str | None:
    """A reopened case goes back to its agent, unless they are gone or away (then the queue takes it)."""
    if previous_assignee is not None and available_agent(config, previous_assignee):
        return previous_assignee
    return None


# --- context and decision ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoutingContext:
    """What routing knows about a new case."""

    channel: Channel
    subject: str
    body: str
    has_attachments: bool
    identities: tuple[str, ...]  # the customer's identities: "email:ann@globex.example", "sms:+86…"
    tags: tuple[str, ...]
    received_at: datetime  # aware
    # Set on the customer's profile by an agent; they win over the config's identity patterns.
    profile_tier: str | None = None
    profile_key_account: str | None = None
    profile_dedicated_agent: str | None = None

    def __post_init__(self) -> None:
        # A naive time would silently be read in the host's zone and break `between` conditions.
        if self.received_at.utcoffset() is None:
            raise ValueError("received_at must be timezone-aware")


@dataclass(frozen=True)
class RoutingDecision:
    queue: str
    priority: Priority
    assignee: str | None
    tags: tuple[str, ...]
    rule: str  # what set the queue: a rule's name, "key-account:<id>", "green-channel" or "default"
    reasons: tuple[str, ...]  # one per step that changed something
    tier: str | None
    key_account: str | None
    dedicated_until: datetime | None


# --- conditions -------------------------------------------------------------------------------------------------


@dataclass
class _Facts:
    """The case as conditions see it; derived texts are computed once, and only if a rule needs them."""

    config: TenantConfig
    ctx: RoutingContext
    tier: str | None
    account: KeyAccount | None

    @cached_property
    def folded_texts(self) -> tuple[str, str]:
        return self.ctx.subject.casefold(), self.ctx.body.casefold()

    @cached_property
    def scanned_texts(self) -> tuple[str, str]:
        return self.ctx.subject[:PATTERN_SCAN_LIMIT], self.ctx.body[:PATTERN_SCAN_LIMIT]

    @cached_property
    def local_time(self) -> time:
        return self.ctx.received_at.astimezone(ZoneInfo(self.config.time_zone)).time()


# A check returns a description of what matched, or None when its condition fails.
_Check = Callable[[RuleConditions, _Facts], str | None]


def _channel_hit(when: RuleConditions, facts: _Facts) -> str | None:
    return f"channel '{facts.ctx.channel}'" if facts.ctx.channel in when.channels else None


def _tier_hit(when: RuleConditions, facts: _Facts) -> str | None:
    return f"tier '{facts.tier}'" if facts.tier is not None and facts.tier in when.tiers else None


def _tag_hit(when: RuleConditions, facts: _Facts) -> str | None:
    tag = next((t for t in when.tags if t in facts.ctx.tags), None)
    return None if tag is None else f"tag '{tag}'"


def _key_account_hit(when: RuleConditions, facts: _Facts) -> str | None:
    is_key = facts.account is not None
    if is_key != when.key_account:
        return None
    return "key account" if is_key else "not a key account"


def _attachments_hit(when: RuleConditions, facts: _Facts) -> str | None:
    if facts.ctx.has_attachments != when.has_attachments:
        return None
    return "attachments" if facts.ctx.has_attachments else "no attachments"


def _time_hit(when: RuleConditions, facts: _Facts) -> str | None:
    if when.between is None:
        return None
    start, end = when.between
    now = facts.local_time
    inside = start <= now < end if start < end else (now >= start or now < end)  # end <= start wraps midnight
    return f"arrival {now:%H:%M} within {start:%H:%M}-{end:%H:%M}" if inside else None


def _keyword_hit(when: RuleConditions, facts: _Facts) -> str | None:
    texts = facts.folded_texts
    keyword = next((k for k in when.keywords if any(k.casefold() in t for t in texts)), None)
    return None if keyword is None else f"keyword '{keyword}'"


def _pattern_hit(when: RuleConditions, facts: _Facts) -> str | None:
    texts = facts.scanned_texts
    for pattern in when.patterns:
        compiled = _compiled(pattern)
        if compiled is not None and any(compiled.search(t) for t in texts):
            return f"pattern '{pattern}'"
    return None


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    # A bad pattern that slipped past validate_rules never matches rather than failing every intake.
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error:
        return None


def _given_checks(when: RuleConditions) -> tuple[_Check, ...]:
    """The checks of the conditions a rule sets, cheap ones first so regexes run only when the rest hold."""
    given: tuple[tuple[bool, _Check], ...] = (
        (bool(when.channels), _channel_hit),
        (bool(when.tiers), _tier_hit),
        (bool(when.tags), _tag_hit),
        (when.key_account is not None, _key_account_hit),
        (when.has_attachments is not None, _attachments_hit),
        (when.between is not None, _time_hit),
        (bool(when.keywords), _keyword_hit),
        (bool(when.patterns), _pattern_hit),
    )
    return tuple(check for is_given, check in given if is_given)


def _rule_hits(when: RuleConditions, facts: _Facts) -> tuple[str, ...] | None:
    """What matched, one description per condition; None when any condition fails."""
    hits: list[str] = []
    for check in _given_checks(when):
        hit = check(when, facts)
        if hit is None:
            return None
        hits.append(hit)
    return tuple(hits)


def _first_matching_rule(facts: _Facts) -> tuple[RoutingRule, tuple[str, ...]] | None:
    for rule in facts.config.rules:
        hits = _rule_hits(rule.when, facts)
        if hits is not None:
            return rule, hits
    return None


# --- the decision -----------------------------------------------------------------------------------------------


@dataclass
class _Draft:
    queue: str
    priority: Priority
    rule: str = "default"
    assignee: str | None = None
    dedicated_until: datetime | None = None
    tags: tuple[str, ...] = ()
    reasons: list[str] = field(default_factory=list)


def _apply_rules(draft: _Draft, facts: _Facts) -> None:
    found = _first_matching_rule(facts)
    if found is None:
        return
    rule, hits = found
    then = rule.then
    if then.queue is not None:
        draft.queue, draft.rule = then.queue, rule.name
    draft.priority = then.priority or draft.priority
    draft.assignee = then.assignee or draft.assignee
    draft.tags = _union(draft.tags, then.tags)
    draft.reasons.append(f"rule '{rule.name}' matched " + (", ".join(hits) if hits else "every case"))


def _apply_key_account(draft: _Draft, facts: _Facts) -> None:
    account = facts.account
    if account is None:
        return
    draft.queue, draft.rule = account.queue, f"key-account:{account.account_id}"
    reason = f"key account '{account.account_id}' ({account.name}): queue '{account.queue}'"
    if account.dedicated_agent is not None:
        reason += _assign_dedicated(draft, facts, account.dedicated_agent, account)
    draft.reasons.append(reason)


def _apply_customer_agent(draft: _Draft, facts: _Facts) -> None:
    """A dedicated agent set on the customer's own profile: as a key account's, for the account's window."""
    agent_id = facts.ctx.profile_dedicated_agent
    if agent_id is None or draft.assignee == agent_id:
        return
    window = facts.account or KeyAccount("customer", "customer", (), draft.queue, agent_id)
    outcome = _assign_dedicated(draft, facts, agent_id, window)
    draft.reasons.append(f"customer's own dedicated agent '{agent_id}'{outcome}")


def _assign_dedicated(draft: _Draft, facts: _Facts, agent_id: str, account: KeyAccount) -> str:
    """Assign the dedicated agent if they can take the case; returns the reason's tail."""
    if not available_agent(facts.config, agent_id):
        # Nobody waits for an away agent: the account's queue takes the case (a rule's assignee stays).
        state = "away" if agent_id in facts.config.agents else "unknown"
        return f", dedicated agent '{agent_id}' is {state}: not assigned"
    # The dedicated agent replaces a rule's assignee: the account relationship is the stronger promise.
    draft.assignee = agent_id
    draft.dedicated_until = facts.ctx.received_at + account.dedicated_for
    return f", dedicated agent '{agent_id}' until {draft.dedicated_until.isoformat()}"


def _apply_green_channel(draft: _Draft, facts: _Facts) -> None:
    green = facts.config.green_channel
    if facts.tier is None or facts.tier not in green.tiers:
        return
    draft.queue, draft.rule = green.queue, "green-channel"
    draft.priority = higher_priority(draft.priority, green.min_priority)  # never lowers an urgent case
    draft.reasons.append(
        f"tier '{facts.tier}' takes the green channel: queue '{green.queue}', priority {draft.priority}"
    )


def _union(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*first, *second)))


def route(config: TenantConfig, ctx: RoutingContext) -> RoutingDecision:
    """Where a new case goes: rules, then key account, then green channel; later steps override the queue."""
    named = next((a for a in config.key_accounts if a.account_id == ctx.profile_key_account), None)
    account = named or key_account_of(config, ctx.identities)
    tier = ctx.profile_tier or customer_tier(config, ctx.identities)
    facts = _Facts(config=config, ctx=ctx, tier=tier, account=account)
    draft = _Draft(queue=config.default_queue, priority=config.default_priority, tags=_union(ctx.tags, ()))
    _apply_rules(draft, facts)
    _apply_key_account(draft, facts)
    _apply_customer_agent(draft, facts)
    _apply_green_channel(draft, facts)
    return RoutingDecision(
        queue=draft.queue,
        priority=draft.priority,
        assignee=draft.assignee,
        tags=draft.tags,
        rule=draft.rule,
        reasons=tuple(draft.reasons),
        tier=facts.tier,
        key_account=account.account_id if account else None,
        dedicated_until=draft.dedicated_until,
    )


# --- validation -------------------------------------------------------------------------------------------------


def validate_rules(rules: Iterable[RoutingRule]) -> list[str]:
    """Problems of a rule set as messages for whoever applies the config; empty when it is fine."""
    problems: list[str] = []
    seen: set[str] = set()
    for position, rule in enumerate(rules, start=1):
        name = rule.name.strip()
        label = f"rule '{rule.name}'" if name else f"rule #{position}"
        if not name:
            problems.append(f"{label}: empty name")
        elif name in seen:
            problems.append(f"{label}: duplicate name")
        seen.add(name)
        problems.extend(_condition_problems(label, rule.when))
    return problems


def _condition_problems(label: str, when: RuleConditions) -> list[str]:
    problems: list[str] = []
    for pattern in when.patterns:
        try:
            re.compile(pattern, re.IGNORECASE)
        except re.error as error:
            problems.append(f"{label}: bad pattern '{pattern}': {error}")
        else:
            if pattern == "":
                problems.append(f"{label}: empty pattern matches every case")
    if any(keyword == "" for keyword in when.keywords):
        problems.append(f"{label}: empty keyword matches every case")
    return problems
