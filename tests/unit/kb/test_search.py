"""Search over the fixtures' tenant: Chinese and English, synonyms, typos, and clear answers for bad queries."""

from __future__ import annotations

import pytest

from bench.kb import acme_synonyms, load_articles
from omnicase.kb.ranking import KbIndex
from omnicase.kb.search import QueryTooLong, case_query_text, search_index
from omnicase.kb.synonyms import Synonyms
from omnicase.kb.tokens import analyse


@pytest.fixture(scope="module")
def index() -> KbIndex:
    return KbIndex.from_bytes(KbIndex.build(load_articles()).to_bytes())  # as stored and loaded back


def top(index, query, synonyms=None, **options):
    return [hit.article.article_id for hit in search_index(index, query, synonyms, **options).hits]


def test_chinese_is_segmented_and_english_stemmed():
    assert analyse("路由器无法连接").terms[:3] == ("路由", "路由器", "无法")
    assert analyse("Refunds refunded").terms == ("refund", "refund")
    assert analyse("ＷｉＦｉ掉线").chinese and "wifi" in analyse("ＷｉＦｉ掉线").terms  # full-width folded


def test_a_customers_question_finds_the_article_in_their_language(index):
    assert "zh-vacuum-not-charging" in top(index, "扫地机器人充不进电")
    assert top(index, "my robot vacuum won't charge")[0] == "en-vacuum-not-charging"
    assert top(index, "我的X200 router一直掉线")[0] == "zh-router-wifi-drops"  # mixed: read as Chinese


def test_tenant_synonyms_join_words_the_articles_do_not_use(index):
    assert "zh-refund-policy" not in top(index, "退费")
    assert top(index, "退费", Synonyms(acme_synonyms()))[0] == "zh-refund-policy"


def test_one_typo_in_a_longer_english_word_is_forgiven(index):
    assert top(index, "forgot my pasword")[0] == "en-password-reset"
    assert top(index, "pasw") == []  # short words have too many neighbours one letter away: not guessed at


def test_internal_articles_are_for_agents_only(index):
    assert "en-refund-exceptions" not in top(index, "refund exception approval", limit=10)
    assert top(index, "refund exception approval", public_only=False)[0] == "en-refund-exceptions"


def test_a_mail_is_searched_by_its_new_text_not_its_quoted_history(index):
    body = "Where is my order? Tracking has not moved.\n\nOn Mon, 3 Mar 2026, Acme wrote:\n> invoice refund invoice"
    assert top(index, case_query_text("parcel late", body))[0] == "en-order-tracking"


def test_bad_queries_get_a_reason_not_an_error(index):
    with pytest.raises(QueryTooLong, match="10000 characters; at most 2000"):
        search_index(index, "退款" * 5000)
    assert case_query_text(None, "退款" * 5000) == "退款" * 1000  # a case's long text is cut, not refused
    assert search_index(index, "Привет, у меня вопрос").note == "unknown-script"
    assert search_index(index, "!!! ???").note == "no-terms"
    assert search_index(index, "asdfghjkl qwerty").note == "no-match"
    empty = search_index(KbIndex.build([]), "退款")
    assert (empty.hits, empty.note) == ([], "empty-kb")
    assert search_index(None, "退款").note == "empty-kb"
