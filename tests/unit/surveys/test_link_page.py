"""The survey link's page service: which page, with which status, for a link and a form (fakes, no AWS)."""

from __future__ import annotations

from dataclasses import replace

from omnicase.domain.survey import SurveyStatus
from omnicase.surveys.link_page import record_answer, show_form
from tests.unit.surveys.test_answering import NOW, SURVEY, Recorder, Surveys, answering, token


def test_the_form_pre_selects_a_score_from_the_link_and_records_nothing():
    recorder = Recorder()

    page = show_form(answering(Surveys(SURVEY), recorder), token(), "4", "en", NOW)

    assert page.status == 200
    assert 'value="4" checked' in page.html and recorder.recorded == []


def test_a_score_that_is_none_pre_selects_nothing():
    page = show_form(answering(Surveys(SURVEY), Recorder()), token(), "9", "en", NOW)

    assert page.status == 200 and "checked" not in page.html


def test_an_answer_without_a_score_shows_the_form_again_keeping_the_comment():
    recorder = Recorder()

    page = record_answer(answering(Surveys(SURVEY), recorder), token(), "", "太慢了", "en", NOW)

    assert page.status == 400
    assert "太慢了" in page.html and 'role="alert"' in page.html and recorder.recorded == []


def test_an_answer_is_recorded_once_and_thanked_in_the_surveys_language():
    recorder = Recorder()

    page = record_answer(answering(Surveys(SURVEY), recorder), token(), "5", "", "en", NOW)

    assert page.status == 200 and 'lang="zh"' in page.html
    assert [s.score for s in recorder.recorded] == [5]


def test_a_used_link_is_a_409_page_in_the_surveys_language():
    answered = replace(SURVEY, status=SurveyStatus.ANSWERED, score=5)

    page = record_answer(answering(Surveys(answered), Recorder()), token(), "1", "", "en", NOW)

    assert page.status == 409 and 'lang="zh"' in page.html


def test_a_forged_link_is_a_400_page_in_the_visitors_language():
    page = show_form(answering(Surveys(SURVEY), Recorder()), token() + "x", None, "zh-CN,zh;q=0.9", NOW)

    assert page.status == 400 and 'lang="zh"' in page.html
