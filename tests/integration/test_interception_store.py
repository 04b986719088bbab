"""Interceptions of the reply quality check in DynamoDB: recorded per tenant, read back by window, counted per agent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from omnicase.domain.reply_quality import Interception
from omnicase.persistence.interception_store import DynamoInterceptionStore

T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
SHANGHAI = timezone(timedelta(hours=8))


def stopped(agent: str, minutes: float, case: str = "c1", phrase: str = "idiot", tenant: str = "acme") -> Interception:
    return Interception(tenant, case, agent, phrase, T0 + timedelta(minutes=minutes), "email")


def test_a_window_reads_back_what_was_recorded_oldest_first(stack):
    store = DynamoInterceptionStore()
    recorded = [stopped("li.na", 30, "c2", "傻逼"), stopped("li.na", 0), stopped("zhang.wei", 10, "c3", "shut up")]
    for interception in recorded:
        store.record(interception)

    found = store.between("acme", T0, T0 + timedelta(hours=1))

    assert found == sorted(recorded, key=lambda i: i.at)
    assert found[0].at.tzinfo is not None


def test_the_window_includes_its_start_and_excludes_its_end(stack):
    store = DynamoInterceptionStore()
    for minutes in (-0.001, 0, 59.999, 60):
        store.record(stopped("li.na", minutes))

    found = store.between("acme", T0, T0 + timedelta(hours=1))

    assert [i.at for i in found] == [T0, T0 + timedelta(minutes=59.999)]


def test_times_in_other_zones_land_in_the_right_window(stack):
    store = DynamoInterceptionStore()
    local = datetime(2026, 11, 2, 10, 30, tzinfo=SHANGHAI)  # 02:30 UTC
    store.record(Interception("acme", "c1", "li.na", "idiot", local, "chat"))

    assert [i.at for i in store.between("acme", T0, T0 + timedelta(hours=1))] == [local]
    assert store.between("acme", T0 + timedelta(hours=1), T0 + timedelta(hours=9)) == []


def test_two_interceptions_of_one_case_at_the_same_moment_are_both_kept(stack):
    store = DynamoInterceptionStore()
    store.record(stopped("li.na", 5))
    store.record(stopped("li.na", 5))

    assert len(store.between("acme", T0, T0 + timedelta(hours=1))) == 2


def test_every_page_is_read(stack):
    store = DynamoInterceptionStore(page_size=2)  # seven items take four Query requests
    for minutes in range(7):
        store.record(stopped(f"agent-{minutes % 3}", minutes, case=f"c{minutes}"))

    assert len(store.between("acme", T0, T0 + timedelta(hours=1))) == 7
    assert store.count_by_agent("acme", T0, T0 + timedelta(hours=1)) == {"agent-0": 3, "agent-1": 2, "agent-2": 2}


def test_counts_per_agent_in_the_window(stack):
    store = DynamoInterceptionStore()
    for agent, minutes in [("li.na", 1), ("li.na", 2), ("zhang.wei", 3), ("li.na", 90), ("sam.taylor", -5)]:
        store.record(stopped(agent, minutes))

    assert store.count_by_agent("acme", T0, T0 + timedelta(hours=1)) == {"li.na": 2, "zhang.wei": 1}
    assert store.count_by_agent("acme", T0 - timedelta(days=1), T0 + timedelta(days=1)) == {
        "li.na": 3,
        "zhang.wei": 1,
        "sam.taylor": 1,
    }


def test_another_tenant_sees_none(stack):
    store = DynamoInterceptionStore()
    store.record(stopped("li.na", 1))
    store.record(stopped("bob", 2, tenant="globex"))

    day = (T0 - timedelta(days=1), T0 + timedelta(days=1))
    assert [i.tenant_id for i in store.between("globex", *day)] == ["globex"]
    assert store.count_by_agent("globex", *day) == {"bob": 1}
    assert store.count_by_agent("initech", *day) == {}


def test_an_empty_or_reversed_window_finds_nothing(stack):
    store = DynamoInterceptionStore()
    store.record(stopped("li.na", 0))

    assert store.between("acme", T0, T0) == []
    assert store.between("acme", T0 + timedelta(hours=1), T0 - timedelta(hours=1)) == []


def test_times_without_a_zone_are_refused(stack):
    store = DynamoInterceptionStore()
    with pytest.raises(ValueError, match="time zone"):
        store.record(Interception("acme", "c1", "li.na", "idiot", datetime(2026, 11, 2, 2, 0), "email"))
    with pytest.raises(ValueError, match="time zone"):
        store.between("acme", datetime(2026, 11, 2), T0)
