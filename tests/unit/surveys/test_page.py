"""The survey page's HTML: labelled controls in a fieldset, no script, escaped values, the survey's language."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from omnicase.surveys.page import error_page, form_page, thanks_page


class Elements(HTMLParser):
    """Start tags with their attributes, and the text under each label / legend / h1."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, list[str]] = {}
        self._open: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("label", "legend", "h1", "p", "textarea", "title"):
            self._open.append(tag)
            self.texts.setdefault(tag, []).append("")

    def handle_endtag(self, tag):
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data):
        if self._open:
            self.texts[self._open[-1]][-1] += data

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def test_the_form_has_five_labelled_radios_in_a_fieldset_with_a_legend_a_labelled_textarea_and_a_button():
    page = Elements(form_page("en", "0AB12CDE34"))

    (form,) = page.all("form")
    assert form["method"] == "post" and "action" not in form  # posts back to its own URL
    assert len(page.all("fieldset")) == 1
    assert "0AB12CDE34" in page.texts["legend"][0]
    radios = [a for a in page.all("input") if a.get("type") == "radio"]
    assert [r["value"] for r in radios] == ["1", "2", "3", "4", "5"] and {r["name"] for r in radios} == {"score"}
    labelled = {a["for"] for a in page.all("label")}
    assert {r["id"] for r in radios} | {"comment"} == labelled
    assert page.all("textarea")[0]["id"] == "comment" and page.all("textarea")[0]["name"] == "comment"
    assert page.all("button")[0]["type"] == "submit"
    assert not any("checked" in r for r in radios)


def test_no_script_no_external_assets_no_event_handlers():
    html = form_page("en", "0AB12CDE34", error=True) + thanks_page("en") + error_page("en", "used")
    page = Elements(html)
    assert "<script" not in html.lower() and not page.all("link") and not page.all("img") and not page.all("iframe")
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
    assert "http://" not in html and "https://" not in html


def test_a_query_score_preselects_its_radio_only():
    radios = [a for a in Elements(form_page("en", "C1", selected=4)).all("input") if a.get("type") == "radio"]
    assert [r["value"] for r in radios if "checked" in r] == ["4"]


def test_a_missing_score_is_announced_and_tied_to_the_fieldset():
    page = Elements(form_page("en", "C1", comment="kept", error=True))
    (fieldset,) = page.all("fieldset")
    (message,) = [a for a in page.all("p") if a.get("id") == fieldset["aria-describedby"]]
    assert message["role"] == "alert"
    assert "choose a score" in " ".join(page.texts["p"])
    assert page.texts["textarea"] == ["kept"]  # what they wrote is not lost


def test_a_hostile_comment_and_case_id_are_escaped():
    hostile = '</textarea><script>alert("x")</script><img src=x onerror=alert(1)>'
    html = form_page("en", '"><script>x</script>', comment=hostile, error=True)
    assert "<script" not in html and "<img" not in html
    assert Elements(html).texts["textarea"] == [hostile]  # shown back as text, verbatim


@pytest.mark.parametrize(
    ("language", "lang", "word"),
    [
        ("zh", "zh", "非常满意"),
        ("zh-CN", "zh", "提交"),
        ("en", "en", "Send"),
        (None, "en", "Send"),
        ("fr", "en", "Send"),
    ],
)
def test_the_page_speaks_the_survey_language(language, lang, word):
    html = form_page(language, "C1")
    assert Elements(html).all("html")[0]["lang"] == lang and word in html


@pytest.mark.parametrize(
    ("reason", "title"),
    [
        ("invalid", "This survey link is not valid"),
        ("expired", "This survey has expired"),
        ("used", "You have already answered — thank you"),
        ("anything", "This survey link is not valid"),
    ],
)
def test_error_pages_say_clearly_what_happened(reason, title):
    page = Elements(error_page("en", reason))
    assert page.texts["h1"] == [title] and page.texts["title"] == [title]
    assert not page.all("form")


def test_thank_you_page_in_chinese():
    page = Elements(thanks_page("zh"))
    assert page.all("html")[0]["lang"] == "zh" and page.texts["h1"] == ["感谢您的评价！"]
