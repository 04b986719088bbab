"""Routing: rules first (first match wins), then key accounts, then the VIP green channel — and every step says why."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omnicase.domain.channel_traits import known_channels
from omnicase.domain.model import Channel, Priority
from omnicase.domain.routing import (
    PATTERN_SCAN_LIMIT,
    RoutingContext,
    available_agent,
    customer_tier,
    identity_matches,
    key_account_of,
    route,
    route_reopened,
    validate_rules,
)
from omnicase.domain.tenant_config import (
    PRIORITY_ORDER,
    Agent,
    CustomerTier,
    GreenChannel,
    KeyAccount,
    RoutingRule,
    RuleActions,
    RuleConditions,
    TenantConfig,
)

T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
ANN = "email:ann@example.com"
GLOBEX_BOB = "email:Bob@Globex.example"
VIP_PHONE = "sms:+8613800138000"

AGENTS = {
    "bob-agent": Agent(agent_id="bob-agent", name="Bob"),
    "away-agent": Agent(agent_id="away-agent", name="Away", available=False),
}
GLOBEX = KeyAccount(
    account_id="globex",
    name="Globex",
    match=("email:*@globex.example",),
    queue="globex",
    dedicated_agent="bob-agent",
    dedicated_for=timedelta(hours=4),
)
VIP = CustomerTier(tier="vip", match=(VIP_PHONE, "email:*@vip.example"))

BUILT_IN_CHANNELS = [Channel(name) for name in known_channels()]


def rule(name: str, queue: str | None = None, priority: Priority | None = None, **when: object) -> RoutingRule:
    return RoutingRule(name=name, when=RuleConditions(**when), then=RuleActions(queue=queue, priority=priority))


def config(*rules: RoutingRule, **overrides: object) -> TenantConfig:
    fields: dict[str, object] = {
        "tenant_id": "acme",
        "time_zone": "Asia/Shanghai",
        "agents": AGENTS,
        "tiers": (VIP,),
        "key_accounts": (GLOBEX,),
        "rules": rules,
    }
    return TenantConfig(**(fields | overrides))


def ctx(
    subject: str = "Printer broken",
    body: str = "It does not print.",
    *,
    channel: Channel = Channel.EMAIL,
    identities: tuple[str, ...] = (ANN,),
    tags: tuple[str, ...] = (),
    attachments: bool = False,
    at: datetime = T0,
) -> RoutingContext:
    return RoutingContext(
        channel=channel,
        subject=subject,
        body=body,
        has_attachments=attachments,
        identities=identities,
        tags=tags,
        received_at=at,
    )


def rank(priority: Priority) -> int:
    return PRIORITY_ORDER.index(priority)


# --- rules ------------------------------------------------------------------------------------------------------


def test_no_matching_rule_gives_the_defaults():
    decision = route(config(rule("billing", "billing", keywords=("invoice",))), ctx())
    assert (decision.queue, decision.priority, decision.assignee) == ("general", Priority.NORMAL, None)
    assert decision.rule == "default"
    assert decision.reasons == ()
    assert (decision.tier, decision.key_account, decision.dedicated_until) == (None, None, None)


def test_first_matching_rule_wins():
    rules = (
        rule("not-this", "nowhere", keywords=("nothing-like-this",)),
        rule("first", "q1", Priority.HIGH, keywords=("printer",)),
        rule("second", "q2", Priority.URGENT, keywords=("broken",)),
    )
    decision = route(config(*rules), ctx())
    assert (decision.queue, decision.priority, decision.rule) == ("q1", Priority.HIGH, "first")


def test_rule_actions_set_assignee_and_priority_and_the_reason_names_the_match():
    billing = RoutingRule(
        name="billing-keywords",
        when=RuleConditions(keywords=("退款", "发票")),
        then=RuleActions(queue="billing", priority=Priority.HIGH, assignee="bob-agent", tags=("billing",)),
    )
    decision = route(config(billing), ctx(subject="请开发票", body="谢谢"))
    assert (decision.queue, decision.priority, decision.assignee) == ("billing", Priority.HIGH, "bob-agent")
    assert decision.reasons == ("rule 'billing-keywords' matched keyword '发票'",)


def test_rule_without_a_queue_keeps_the_default_queue_but_still_reports_the_match():
    decision = route(config(rule("bump", priority=Priority.URGENT, keywords=("printer",))), ctx())
    assert (decision.queue, decision.priority, decision.rule) == ("general", Priority.URGENT, "default")
    assert decision.reasons == ("rule 'bump' matched keyword 'printer'",)


def test_rule_without_conditions_matches_everything():
    decision = route(config(rule("catch-all", "triage")), ctx())
    assert (decision.queue, decision.rule) == ("triage", "catch-all")
    assert decision.reasons == ("rule 'catch-all' matched every case",)


def test_all_given_conditions_must_hold():
    both = rule("sms-refund", "refunds", keywords=("退款",), channels=(Channel.SMS,))
    assert route(config(both), ctx(body="我要退款", channel=Channel.EMAIL)).queue == "general"
    assert route(config(both), ctx(body="我要退款", channel=Channel.SMS)).queue == "refunds"
    assert route(config(both), ctx(body="你好", channel=Channel.SMS)).queue == "general"


# --- conditions -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "body", "hit"),
    [
        ("退款申请", "", True),
        ("", "我想申请退款，谢谢", True),
        ("发票", "", True),
        ("", "Please send the INVOICE", True),
        ("Straße", "", True),  # casefold: "STRASSE" keyword matches "Straße"
        ("退", "款", False),  # a keyword split between subject and body is not there
        ("你好", "hello", False),
    ],
)
def test_keywords_are_case_insensitive_substrings_in_any_language(subject, body, hit):
    keywords = rule("kw", "matched", keywords=("退款", "发票", "invoice", "STRASSE"))
    assert (route(config(keywords), ctx(subject, body)).queue == "matched") is hit


@pytest.mark.parametrize(
    ("subject", "body", "hit"),
    [
        ("ORDER #123456 missing", "", True),
        ("", "where is my order 654321?", True),
        ("order 12345", "", False),
        ("", "no order here", False),
    ],
)
def test_patterns_are_case_insensitive_regexes_in_subject_or_body(subject, body, hit):
    orders = rule("orders", "orders", patterns=(r"\border\s*#?\d{6}\b",))
    decision = route(config(orders), ctx(subject, body))
    assert (decision.queue == "orders") is hit
    if hit:
        assert decision.reasons == (r"rule 'orders' matched pattern '\border\s*#?\d{6}\b'",)


def test_patterns_see_only_the_first_part_of_a_huge_body():
    huge = "x" * 1_000_000
    # Matches only if the body examined is exactly PATTERN_SCAN_LIMIT characters long.
    exact = rule("bounded", "bounded", patterns=(rf"\Ax{{{PATTERN_SCAN_LIMIT}}}\Z",))
    assert route(config(exact), ctx(body=huge)).queue == "bounded"

    late = "a" * (PATTERN_SCAN_LIMIT + 5_000) + "NEEDLE" + "a" * 1_000_000
    assert route(config(rule("late", "late", patterns=("needle",))), ctx(body=late)).queue == "general"
    # Keywords are plain substring searches (linear), so they still see the whole body.
    assert route(config(rule("kw", "kw", keywords=("needle",))), ctx(body=late)).queue == "kw"


def test_pattern_just_inside_the_limit_is_found():
    body = "a" * (PATTERN_SCAN_LIMIT - 10) + "needle" + "a" * 100_000
    assert route(config(rule("p", "p", patterns=("needle",))), ctx(body=body)).queue == "p"


def test_a_bad_pattern_that_slipped_through_never_matches_instead_of_failing():
    broken = rule("broken", "broken", patterns=("(unclosed",))
    assert route(config(broken, rule("fallback", "fallback")), ctx(subject="(unclosed")).rule == "fallback"


@pytest.mark.parametrize(
    ("at_utc", "hit"),
    [
        (datetime(2026, 11, 2, 14, 0, tzinfo=UTC), True),  # 22:00 Shanghai: start is inclusive
        (datetime(2026, 11, 2, 15, 0, tzinfo=UTC), True),  # 23:00
        (datetime(2026, 11, 2, 16, 30, tzinfo=UTC), True),  # 00:30 next day
        (datetime(2026, 11, 2, 21, 59, tzinfo=UTC), True),  # 05:59
        (datetime(2026, 11, 2, 22, 0, tzinfo=UTC), False),  # 06:00: end is exclusive
        (datetime(2026, 11, 2, 2, 0, tzinfo=UTC), False),  # 10:00
        (datetime(2026, 11, 2, 13, 59, tzinfo=UTC), False),  # 21:59
    ],
)
def test_between_uses_shanghai_local_time_and_wraps_midnight(at_utc, hit):
    night = rule("night", "night-shift", between=(time(22, 0), time(6, 0)))
    assert (route(config(night), ctx(at=at_utc)).queue == "night-shift") is hit


def test_between_without_wrap_and_in_another_time_zone():
    office = rule("office", "office", between=(time(9, 0), time(18, 0)))
    at = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, 02:00 UTC
    assert route(config(office), ctx(at=at)).queue == "office"
    assert route(config(office, time_zone="UTC"), ctx(at=at)).queue == "general"
    assert route(config(office), ctx(at=datetime(2026, 11, 2, 10, 0, tzinfo=UTC))).queue == "general"  # 18:00 local
    assert route(config(office), ctx(at=datetime(2026, 11, 2, 1, 0, tzinfo=UTC))).queue == "office"  # 09:00 local
    # The arrival's own offset does not matter, only the instant.
    assert route(config(office), ctx(at=at.astimezone(timezone(timedelta(hours=-5))))).queue == "office"


def test_channels_condition():
    chat_only = rule("chat", "chat", channels=(Channel.CHAT, Channel.WECHAT))
    assert route(config(chat_only), ctx(channel=Channel.WECHAT)).queue == "chat"
    assert route(config(chat_only), ctx(channel=Channel.EMAIL)).queue == "general"


def test_tiers_condition():
    vip_rule = rule("vip-rule", "vip-rule", tiers=("vip",))
    assert route(config(vip_rule), ctx(identities=(VIP_PHONE,))).rule != "default"
    assert route(config(vip_rule), ctx(identities=(ANN,))).queue == "general"


def test_tags_condition_any_of():
    tagged = rule("tagged", "tagged", tags=("complaint", "legal"))
    decision = route(config(tagged), ctx(tags=("x", "legal")))
    assert decision.queue == "tagged"
    assert decision.reasons == ("rule 'tagged' matched tag 'legal'",)
    assert route(config(tagged), ctx(tags=("x",))).queue == "general"


def test_key_account_condition_true_matches_only_key_accounts():
    keyed = rule("keyed", "keyed", key_account=True)
    decision = route(config(keyed), ctx(identities=(GLOBEX_BOB,)))
    assert decision.reasons[0] == "rule 'keyed' matched key account"
    assert route(config(keyed), ctx(identities=(ANN,))).reasons == ()


def test_key_account_condition_false_matches_only_other_customers():
    others = rule("others", "others", key_account=False)
    assert route(config(others), ctx(identities=(ANN,))).queue == "others"
    decision = route(config(others), ctx(identities=(GLOBEX_BOB,)))
    assert not any("rule 'others'" in r for r in decision.reasons)


def test_has_attachments_condition():
    with_files = rule("files", "files", has_attachments=True)
    without = rule("plain", "plain", has_attachments=False)
    assert route(config(with_files, without), ctx(attachments=True)).queue == "files"
    assert route(config(with_files, without), ctx(attachments=False)).queue == "plain"


# --- key accounts -----------------------------------------------------------------------------------------------


def test_key_account_goes_to_its_queue_and_dedicated_agent_for_a_while():
    decision = route(config(rule("billing", "billing", keywords=("printer",))), ctx(identities=(ANN, GLOBEX_BOB)))
    assert (decision.queue, decision.assignee, decision.key_account) == ("globex", "bob-agent", "globex")
    assert decision.rule == "key-account:globex"
    assert decision.dedicated_until == T0 + timedelta(hours=4)
    assert decision.reasons[0] == "rule 'billing' matched keyword 'printer'"
    assert "dedicated agent 'bob-agent' until" in decision.reasons[1]


def test_key_account_dedicated_agent_away_is_not_assigned():
    account = KeyAccount(
        account_id="globex", name="Globex", match=GLOBEX.match, queue="globex", dedicated_agent="away-agent"
    )
    decision = route(config(key_accounts=(account,)), ctx(identities=(GLOBEX_BOB,)))
    assert (decision.queue, decision.assignee, decision.dedicated_until) == ("globex", None, None)
    assert "'away-agent' is away" in decision.reasons[0]


def test_key_account_dedicated_agent_unknown_is_not_assigned():
    account = KeyAccount(
        account_id="globex", name="Globex", match=GLOBEX.match, queue="globex", dedicated_agent="ghost"
    )
    decision = route(config(key_accounts=(account,)), ctx(identities=(GLOBEX_BOB,)))
    assert (decision.assignee, decision.dedicated_until) == (None, None)
    assert "'ghost' is unknown" in decision.reasons[0]


def test_key_account_without_dedicated_agent_only_sets_the_queue():
    account = replace(GLOBEX, dedicated_agent=None)
    decision = route(config(key_accounts=(account,)), ctx(identities=(GLOBEX_BOB,)))
    assert (decision.queue, decision.assignee, decision.dedicated_until) == ("globex", None, None)
    assert len(decision.reasons) == 1


# --- green channel ----------------------------------------------------------------------------------------------


def test_vip_takes_the_green_channel_with_raised_priority():
    decision = route(config(), ctx(identities=(VIP_PHONE,), channel=Channel.SMS))
    assert (decision.queue, decision.priority, decision.rule, decision.tier) == (
        "vip",
        Priority.HIGH,
        "green-channel",
        "vip",
    )
    assert decision.reasons == ("tier 'vip' takes the green channel: queue 'vip', priority high",)


def test_green_channel_never_lowers_an_urgent_case():
    urgent = rule("outage", "outage", Priority.URGENT, keywords=("down",))
    decision = route(config(urgent), ctx(subject="site down", identities=(VIP_PHONE,)))
    assert (decision.queue, decision.priority) == ("vip", Priority.URGENT)


def test_green_channel_overrides_the_key_account_queue_but_keeps_the_dedicated_agent():
    both = ("email:carol@globex.example", VIP_PHONE)
    decision = route(config(), ctx(identities=both))
    assert (decision.queue, decision.rule, decision.assignee) == ("vip", "green-channel", "bob-agent")
    assert decision.dedicated_until == T0 + timedelta(hours=4)
    assert len(decision.reasons) == 2


def test_tiers_outside_the_green_channel_are_not_raised():
    gold = CustomerTier(tier="gold", match=("email:*@gold.example",))
    decision = route(
        config(tiers=(gold,), green_channel=GreenChannel(tiers=("vip",))), ctx(identities=("email:a@gold.example",))
    )
    assert (decision.tier, decision.queue, decision.priority) == ("gold", "general", Priority.NORMAL)


# --- tags -------------------------------------------------------------------------------------------------------


def test_tags_are_the_ordered_union_without_duplicates():
    tagging = RoutingRule(name="t", when=RuleConditions(), then=RuleActions(tags=("billing", "cn", "billing")))
    decision = route(config(tagging), ctx(tags=("cn", "web", "cn")))
    assert decision.tags == ("cn", "web", "billing")


# --- identities -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "identity", "hit"),
    [
        ("email:*@globex.example", "email:Ann@GLOBEX.example", True),
        ("EMAIL:*@Globex.Example", "email:ann@globex.example", True),
        ("email:*@globex.example", "email:ann@globex.example.evil", False),
        ("email:*@globex.example", "sms:ann@globex.example", False),  # channel prefix must match
        ("sms:+86138*", "sms:+8613800138000", True),
        ("sms:+86138*", "sms:+8613900138000", False),
        ("wechat:oABC*", "wechat:oABCdef", True),
        ("wechat:oABC*", "wechat:oabcdef", False),  # exact case outside email
        ("chat:visitor-?", "chat:visitor-9", False),  # only * is a wildcard
        ("chat:visitor-?", "chat:visitor-?", True),
        ("chat:[ab]", "chat:a", False),
        ("*", "email:ann@example.com", False),  # no channel prefix, no match
        ("email:*", "ann@example.com", False),
    ],
)
def test_identity_patterns(pattern, identity, hit):
    assert identity_matches(pattern, identity) is hit


def test_customer_tier_and_key_account_take_the_first_match():
    gold = CustomerTier(tier="gold", match=("email:*@vip.example",))
    cfg = config(tiers=(VIP, gold))
    assert customer_tier(cfg, iter(["chat:x", "email:Ann@VIP.example"])) == "vip"
    assert customer_tier(cfg, ["chat:x"]) is None
    assert key_account_of(cfg, (ANN, GLOBEX_BOB)) == GLOBEX
    assert key_account_of(cfg, (ANN,)) is None


# --- agents -----------------------------------------------------------------------------------------------------


def test_reopened_case_returns_to_an_available_agent_only():
    cfg = config()
    assert route_reopened(cfg, "bob-agent") == "bob-agent"
    assert route_reopened(cfg, "away-agent") is None
    assert route_reopened(cfg, "ghost") is None
    assert route_reopened(cfg, None) is None
    assert available_agent(cfg, "bob-agent") and not available_agent(cfg, "away-agent")


# --- validation -------------------------------------------------------------------------------------------------


def test_validate_rules_finds_bad_regex_empty_and_duplicate_names():
    problems = validate_rules(
        [
            rule("good", "q", patterns=(r"order\s+\d+",), keywords=("退款",)),
            rule("broken", "q", patterns=("(unclosed",)),
            rule(" ", "q"),
            rule("good", "q"),
        ]
    )
    assert len(problems) == 3
    assert problems[0].startswith("rule 'broken': bad pattern '(unclosed': missing ), unterminated subpattern")
    assert problems[1] == "rule #3: empty name"
    assert problems[2] == "rule 'good': duplicate name"


def test_validate_rules_accepts_a_good_rule_set():
    assert validate_rules([rule("a", "q", patterns=(r"\d{6}",)), rule("b", "q", keywords=("发票",))]) == []


def test_routing_context_requires_an_aware_time():
    with pytest.raises(ValueError, match="aware"):
        ctx(at=datetime(2026, 11, 2, 9, 0))


# --- properties -------------------------------------------------------------------------------------------------

priorities = st.sampled_from(list(Priority))
identities = st.lists(
    st.sampled_from([ANN, GLOBEX_BOB, VIP_PHONE, "chat:visitor-9", "email:x@vip.example", "wechat:oABC"]), max_size=3
)
texts = st.text(max_size=40)
times = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC))
contexts = st.builds(
    RoutingContext,
    channel=st.sampled_from(BUILT_IN_CHANNELS),
    subject=texts,
    body=texts,
    has_attachments=st.booleans(),
    identities=identities.map(tuple),
    tags=st.lists(st.sampled_from(["a", "b", "c"]), max_size=4).map(tuple),
    received_at=times,
)


@given(contexts, priorities, priorities)
def test_result_priority_is_never_below_the_matched_rules(context, rule_priority, green_min):
    cfg = config(rule("all", "all", rule_priority), green_channel=GreenChannel(min_priority=green_min))
    decision = route(cfg, context)
    assert rank(decision.priority) >= rank(rule_priority)
    if decision.tier == "vip":
        assert rank(decision.priority) >= rank(green_min)


@given(contexts, priorities)
def test_a_config_without_rules_tiers_or_accounts_always_yields_the_defaults(context, default_priority):
    cfg = TenantConfig(tenant_id="acme", default_queue="inbox", default_priority=default_priority, agents=AGENTS)
    decision = route(cfg, context)
    assert (decision.queue, decision.priority, decision.assignee, decision.rule) == (
        "inbox",
        default_priority,
        None,
        "default",
    )
    assert decision.tags == tuple(dict.fromkeys(context.tags))
    assert decision.reasons == ()


@given(st.sampled_from(BUILT_IN_CHANNELS), st.text(min_size=1, max_size=30).filter(lambda s: "*" not in s))
def test_a_literal_pattern_matches_exactly_its_own_identity(channel, value):
    identity = f"{channel}:{value}"
    assert identity_matches(identity, identity)
    assert not identity_matches(identity, identity + "x")
    assert identity_matches(f"{channel}:*", identity)
