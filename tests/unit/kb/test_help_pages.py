"""The help centre renders Markdown without letting any HTML or script of an article through."""

from __future__ import annotations

from omnicase.kb.help_pages import article_page, index_page, language_of
from omnicase.kb.ranking import ArticleRef


def test_raw_html_and_script_links_never_pass():
    page = article_page(
        "acme", "en", "<b>Title</b>", "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=y>"
    )
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'href="javascript' not in page and "<img" not in page
    assert "<h1>&lt;b&gt;Title&lt;/b&gt;</h1>" in page


def test_markdown_tables_and_emphasis_render():
    page = article_page("acme", "zh", "故障代码", "| 代码 | 含义 |\n|---|---|\n| E1 | 轮子卡住 |\n\n**注意**")
    assert "<td>轮子卡住</td>" in page and "<strong>注意</strong>" in page and 'lang="zh"' in page


def test_the_index_escapes_the_query_and_links_each_article():
    refs = [ArticleRef("en-warranty", "Warranty & repairs", "en", True, None)]
    page = index_page("acme", "en", refs, query='"><script>')
    assert '<a href="/help/acme/en-warranty?lang=en">Warranty &amp; repairs</a>' in page
    assert "<script>" not in page


def test_the_language_comes_from_the_link_then_the_browser():
    assert language_of("zh-CN,zh;q=0.9", None) == "zh"
    assert language_of("zh-CN", "en") == "en"
    assert language_of("fr", "xx") == "en"
