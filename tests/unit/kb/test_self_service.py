"""Self-service's pure parts: the relevance share that decides what an acknowledgement offers, the "solved" reply,
what the acknowledgement adds per channel, and the signed "this answered my question" link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bench.kb import acme_synonyms, load_articles
from omnicase.domain.case_events import CaseEventLog
from omnicase.domain.channel_traits import traits_of
from omnicase.domain.model import Case, CaseStatus, Channel
from omnicase.domain.self_service import SuggestedArticle, is_solved_reply, solve_self_served, suggestions_block
from omnicase.domain.survey_token import InvalidSurveyToken, issue_token
from omnicase.domain.tenant_config import DEFAULT_SUGGEST_THRESHOLD, TenantConfig
from omnicase.kb.links import answered_token, read_answered_token, short_code
from omnicase.kb.ranking import KbIndex
from omnicase.kb.search import search_index
from omnicase.kb.synonyms import Synonyms

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SECRET = b"s3cret"


@pytest.fixture(scope="module")
def index() -> KbIndex:
    return KbIndex.from_bytes(KbIndex.build(load_articles()).to_bytes())


def best(index: KbIndex, query: str):
    return search_index(index, query, Synonyms(acme_synonyms()), limit=3).hits[0]


def test_relevance_is_a_share_that_one_threshold_judges_for_short_questions_and_long_mails(index):
    short = best(index, "退款什么时候到账")
    mail = best(
        index, "你好，\n\n我上周申请的退款到现在还没到账，App 里显示已退款，但是招商银行卡里一直没有。麻烦帮忙查一下。"
    )
    assert {short.article.article_id, mail.article.article_id} <= {"zh-refund-status", "zh-refund-policy"}
    assert mail.score > short.score and mail.relevance < short.relevance  # the raw score grows with the text
    assert short.relevance >= DEFAULT_SUGGEST_THRESHOLD and mail.relevance >= DEFAULT_SUGGEST_THRESHOLD
    weather = search_index(index, "今天天气怎么样").hits[0]
    assert weather.score > 2 and weather.relevance == 0.0  # a raw score, but none of the question's words


def test_a_word_counts_as_held_through_a_synonym_a_typo_or_its_character_pairs(index):
    without = search_index(index, "退费", limit=1).hits
    with_synonyms = best(index, "退费")
    assert with_synonyms.article.article_id == "zh-refund-policy" and with_synonyms.relevance == 1.0
    assert not without or without[0].relevance < with_synonyms.relevance
    assert best(index, "refnd").relevance == 1.0  # one typo away from "refund"


@pytest.mark.parametrize(
    "text", ["solved", "Solved!", "SOLVED, thanks", "已解决", "已解决，谢谢", "解决了", "问题已解决。"]
)
def test_a_whole_solved_reply_is_recognised(text):
    assert is_solved_reply(text)


@pytest.mark.parametrize(
    "text",
    [
        "not solved",
        "已解决了吗",
        "is it solved?",
        "我的问题还没解决",
        "solved the first issue but the second one remains",
        "",
    ],
)
def test_a_question_or_a_longer_text_mentioning_it_is_not(text):
    assert not is_solved_reply(text)


ARTICLES = (
    SuggestedArticle("en-refund-status", "Refund status", "https://h/help/acme/en-refund-status?lang=en",
                     "https://h/help/acme/a/abcdefg", "https://h/answered/tok1"),
)  # fmt: skip


def test_mail_and_chat_get_links_with_the_answered_link_sms_and_wechat_short_links_only():
    mail = suggestions_block(ARTICLES, "en", traits_of("email"))
    assert "Refund status: https://h/help/acme/en-refund-status?lang=en" in mail
    assert "This answered my question: https://h/answered/tok1" in mail and "solved" not in mail
    chat = suggestions_block(ARTICLES, "zh", traits_of("chat"))
    assert "已解决我的问题: https://h/answered/tok1" in chat and "请回复“已解决”" in chat
    for channel in ("sms", "wechat"):
        short = suggestions_block(ARTICLES, "zh", traits_of(channel))
        assert short == "自助解答： https://h/help/acme/a/abcdefg 如已解决，请回复“已解决”。"
    assert suggestions_block((), "en", traits_of("email")) == ""


def test_solving_as_self_served_happens_once_and_names_the_article():
    case = Case("acme", "C0000000001", Channel.SMS, "x", status=CaseStatus.NEW)
    case.service.suggested_articles = ("zh-refund-status",)
    log = CaseEventLog("acme", case.case_id, NOW)
    assert solve_self_served(case, TenantConfig("acme"), "article:zh-refund-status", NOW, log)
    assert case.status == CaseStatus.SOLVED and case.service.self_served == "article:zh-refund-status"
    served = next(e for e in log.events if e.kind == "self_served")
    assert served.actor == "customer" and served.detail["article_id"] == "zh-refund-status"
    again = CaseEventLog("acme", case.case_id, NOW)
    assert not solve_self_served(case, TenantConfig("acme"), "reply", NOW, again) and again.events == []
    assert case.service.self_served == "article:zh-refund-status"


def test_the_answered_token_is_signed_for_its_own_use_and_expires():
    token = answered_token("acme", "C0000000001", "zh-refund-status", NOW, SECRET)
    claim = read_answered_token(token, SECRET, NOW + timedelta(days=13))
    assert (claim.tenant_id, claim.case_id, claim.article_id) == ("acme", "C0000000001", "zh-refund-status")
    with pytest.raises(InvalidSurveyToken, match="expired"):
        read_answered_token(token, SECRET, NOW + timedelta(days=15))
    with pytest.raises(InvalidSurveyToken, match="bad-signature"):
        read_answered_token(token.replace("zh-refund-status", "zh-refund-policy"), SECRET, NOW)
    survey = issue_token("acme", "C0000000001", "zh-refund-status", NOW + timedelta(days=1), SECRET)
    with pytest.raises(InvalidSurveyToken, match="bad-signature"):  # a survey token is not an answered link
        read_answered_token(survey, SECRET, NOW)


def test_short_codes_are_short_stable_and_distinct_over_the_fixtures():
    codes = {short_code(article.article_id) for article in load_articles()}
    assert len(codes) == len(load_articles()) and all(len(code) == 7 for code in codes)
    assert short_code("zh-refund-status") == short_code("zh-refund-status")
