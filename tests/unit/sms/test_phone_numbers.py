"""Phone numbers → E.164, short codes kept as `short:<digits>`, garbage → None."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omnicase.channels.sms.phone_numbers import normalize_phone


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+14255550182", None, "+14255550182"),
        ("whatsapp:+31612345678", None, "+31612345678"),
        ("WhatsApp:+8613800138000", None, "+8613800138000"),
        ("sms:+14158675309", None, "+14158675309"),
        ("13800138000", "CN", "+8613800138000"),
        ("138 0013 8000", "cn", "+8613800138000"),
        ("１３８００１３８０００", "CN", "+8613800138000"),
        ("(425) 555-0182", "US", "+14255550182"),
        ("+44 (0)20 7946 0958", None, "+442079460958"),
        ("384387", None, "short:384387"),
        ("384387", "US", "short:384387"),
        ("10086", "CN", "short:10086"),
        ("13800138000", None, None),
        ("+1XXX5550100", None, None),
        ("ACME", None, None),
        ("", None, None),
        ("whatsapp:", None, None),
        ("12", None, None),
        ("+" + "1" * 100, None, None),
    ],
)
def test_normalize(raw, region, expected):
    assert normalize_phone(raw, region) == expected


@given(st.text(max_size=40), st.one_of(st.none(), st.text(max_size=4)))
def test_never_raises(raw, region):
    result = normalize_phone(raw, region)
    assert result is None or result.startswith(("+", "short:"))
