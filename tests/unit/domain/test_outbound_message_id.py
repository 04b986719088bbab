"""Our own Message-IDs lead straight back to their case and message, and only for the right tenant."""

from __future__ import annotations

from dataclasses import replace

from omnicase.domain.outbound_message_id import outbound_message_id, parse_outbound_message_id
from tests.unit.domain.builders import TENANT


def test_round_trip_names_case_and_message():
    mid = outbound_message_id("K3M9QX2A7B", "1M82Y1BJY79W9EF", TENANT)
    assert mid == "omc.k3m9qx2a7b.1m82y1bjy79w9ef@acme.example"
    ref = parse_outbound_message_id(mid.upper(), TENANT)
    assert (ref.case_id, ref.message_id, ref.direction) == ("K3M9QX2A7B", "1M82Y1BJY79W9EF", "outbound")


def test_other_domains_and_shapes_are_not_ours():
    other_tenant = replace(TENANT, ack_from="help@globex.example")
    mid = outbound_message_id("K3M9QX2A7B", "1M82Y1BJY79W9EF", TENANT)
    assert parse_outbound_message_id(mid, other_tenant) is None
    assert parse_outbound_message_id("omc.notacase.1@acme.example", TENANT) is None
    assert parse_outbound_message_id("CAF=abc.def.ghi@mail.gmail.com", TENANT) is None
    assert parse_outbound_message_id("omc.k3m9qx2a7b.x-y@acme.example", TENANT) is None
