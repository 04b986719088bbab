"""Case ids and tokens: what people type back must still find the case."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from omnicase.domain.case_token import clean_subject, subject_with_token, token_in_plus_address, tokens_in_subject
from omnicase.ids import new_case_id, normalize_case_id

MAILBOXES = ("support@acme.example",)


@given(st.floats(min_value=1_704_067_200, max_value=2_700_000_000))
def test_case_ids_survive_lower_case_and_confusable_letters(now):
    case_id = new_case_id(now)
    assert normalize_case_id(case_id.lower()) == case_id
    assert normalize_case_id(case_id.replace("0", "O").replace("1", "l")) == case_id


def test_case_ids_sort_by_creation_time():
    assert new_case_id(1_800_000_000) < new_case_id(1_800_000_001) < new_case_id(1_900_000_000)


@given(st.text(max_size=80))
def test_token_is_added_exactly_once(subject):
    once = subject_with_token(subject, "K3M9QX2A7B")
    assert subject_with_token(once, "K3M9QX2A7B") == once
    assert "K3M9QX2A7B" in tokens_in_subject(once)


def test_tokens_are_found_in_replies_in_any_language():
    assert tokens_in_subject("回复：[#k3m9qx2a7b] 打印机坏了") == ("K3M9QX2A7B",)
    assert tokens_in_subject("Re: Fwd: [# K3M9QX2A7B ] x") == ("K3M9QX2A7B",)
    assert tokens_in_subject("order #12345 [K3M9QX2A7B]") == ()


def test_plus_address_token_only_on_our_mailboxes():
    assert token_in_plus_address("support+k3m9qx2a7b@acme.example", MAILBOXES) == "K3M9QX2A7B"
    assert token_in_plus_address("sales+k3m9qx2a7b@acme.example", MAILBOXES) is None
    assert token_in_plus_address("support@acme.example", MAILBOXES) is None
    assert token_in_plus_address("support+notanid@acme.example", MAILBOXES) is None


def test_clean_subject_drops_prefixes_and_tokens():
    assert clean_subject("Re: AW: 回复： [#K3M9QX2A7B] Printer") == "Printer"
    assert clean_subject("   ") == "(no subject)"
