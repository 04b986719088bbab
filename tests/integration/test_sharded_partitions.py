"""The tenant-wide partitions are write-sharded: a tenant's cases, changes, interceptions and survey answers spread
over keys.TENANT_SHARDS partitions, readers merge them in order, and items written before sharding (the legacy
unsharded partition) are still read, once, until their next write moves them."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from omnicase.domain.reply_quality import Interception
from omnicase.persistence import keys
from omnicase.persistence.case_reader import CaseFilters, list_cases
from omnicase.persistence.case_streams import KeyRange, changed_cases
from omnicase.persistence.dynamo_models import CaseItem, InterceptionItem, OmnicaseItem
from omnicase.persistence.interception_store import DynamoInterceptionStore
from omnicase_local.streams import drain
from tests.integration.test_ingest_email import deliver, mail
from tests.integration.test_read_api import get


def test_a_tenants_cases_spread_over_the_shards_and_pages_merge_them_newest_first(stack):
    made = []
    for n in range(12):
        (result,), _ = deliver(stack, mail(f"退货 {n}", sender=f"c{n}@example.com", message_id=f"sh{n}@x"), f"sh{n}")
        made.append(result["case_id"])
    drain()
    items = [CaseItem.get(keys.case_pk("acme", case_id), keys.CASE_SK) for case_id in made]
    shards = Counter(item.gsi1pk for item in items)
    assert len(shards) > 1 and all(pk.startswith("T#acme#CASES#") for pk in shards)
    assert {item.gsi4pk.rsplit("#", 1)[1] for item in items} == {pk.rsplit("#", 1)[1] for pk in shards}

    seen, cursor = [], None
    while True:
        status, body = get(stack, "/cases?limit=5" + (f"&next={cursor}" if cursor else ""))
        assert status == 200
        seen += [c["case_id"] for c in body["cases"]]
        if (cursor := body["next"]) is None:
            break
    assert seen == list(reversed(made))
    assert get(stack, "/cases", token="globex-token")[1]["cases"] == []


def test_items_written_before_sharding_are_read_once_until_their_next_write_moves_them(stack):
    (result,), _ = deliver(stack, mail("Legacy case", message_id="legacy@x"), "legacy")
    case_id = result["case_id"]
    drain()
    item = CaseItem.get(keys.case_pk("acme", case_id), keys.CASE_SK)
    # As a deployment before sharding wrote it: the unsharded partitions of gsi1 and gsi4.
    item.update(
        actions=[
            CaseItem.gsi1pk.set(keys.tenant_cases_pk("acme", None)),
            CaseItem.gsi4pk.set(keys.tenant_changes_pk("acme", None)),
        ]
    )
    at = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
    legacy = InterceptionItem(
        keys.interceptions_pk("acme", None),
        keys.interception_sk(at, case_id, "old"),
        tenant_id="acme",
        case_id=case_id,
        agent_id="li.na",
        phrase="idiot",
        at=at,
        channel="email",
    )
    legacy.save()
    DynamoInterceptionStore().record(
        Interception("acme", case_id, "li.na", "stupid", at + timedelta(minutes=1), "email")
    )

    def listed() -> list[str]:
        return [c.case_id for c in list_cases("acme", CaseFilters(), 10, None).cases]

    def changed() -> list[str]:
        return [c.case_id for _, c in changed_cases("acme", KeyRange(), CaseFilters(), page_size=10)]

    assert listed() == [case_id] and changed() == [case_id]
    found = DynamoInterceptionStore().between("acme", at, at + timedelta(hours=1))
    assert [i.phrase for i in found] == ["idiot", "stupid"]  # legacy and sharded, in time order

    from omnicase.wiring import case_store

    case = case_store().get("acme", case_id)
    assert case is not None
    case_store().save(case, [])  # its next write
    moved = CaseItem.get(keys.case_pk("acme", case_id), keys.CASE_SK)
    assert moved.gsi1pk == keys.tenant_cases_pk("acme", keys.shard_of(case_id))
    assert listed() == [case_id] and changed() == [case_id]
    assert not list(OmnicaseItem.gsi1.query(keys.tenant_cases_pk("acme", None)))
