"""The knowledge base on moto: `omnicase kb sync`, the /kb API with revisions, and the help centre's pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from omnicase_local.cli import main
from tests.integration.console_fixtures import api_get, api_send, console_config, people  # noqa: F401 - fixtures
from tests.integration.webhook_client import call

ARTICLES = Path(__file__).resolve().parents[1] / "fixtures" / "kb" / "acme" / "articles"


@pytest.fixture
def synced(stack, tmp_path, capsys):
    """The fixtures' articles, synced to tenant acme from a copy the test may change."""
    directory = tmp_path / "articles"
    shutil.copytree(ARTICLES, directory)
    assert main(["kb", "sync", str(directory), "--tenant", "acme", "--by", "li.na"]) == 0
    capsys.readouterr()
    return directory


def page(stack, path: str, **headers: str):
    return call(stack.handler("survey_page"), "GET", path, headers=headers)


def test_sync_adds_then_changes_only_what_changed_and_a_bad_file_changes_nothing(stack, tmp_path, capsys):
    directory = tmp_path / "articles"
    shutil.copytree(ARTICLES, directory)
    assert main(["kb", "sync", str(directory), "--tenant", "acme"]) == 0
    assert "68 added, 0 updated, 0 removed, 0 unchanged" in capsys.readouterr().out

    warranty = directory / "en-warranty.md"
    warranty.write_text(warranty.read_text().replace("2-year", "3-year"), encoding="utf-8")
    (directory / "zh-two-factor.md").unlink()
    assert main(["kb", "sync", str(directory), "--tenant", "acme", "--by", "wang.fang"]) == 0
    out = capsys.readouterr().out
    assert "updated  en-warranty" in out and "removed  zh-two-factor" in out
    assert "0 added, 1 updated, 1 removed, 66 unchanged" in out

    (directory / "broken.md").write_text("---\ntitle: Broken\nlanguage: en\ntags: [a\n---\nbody\n", encoding="utf-8")
    warranty.write_text(warranty.read_text().replace("3-year", "5-year"), encoding="utf-8")
    assert main(["kb", "sync", str(directory), "--tenant", "acme"]) == 2
    assert f"{directory / 'broken.md'}:4: a list must close with ']'" in capsys.readouterr().err
    status, article = api_get(stack, "/kb/articles/en-warranty")
    assert status == 200 and "3-year" in article["body"] and article["revision"] == 2


def test_search_reads_only_the_callers_tenant(stack, synced):
    status, found = api_get(stack, "/kb/search", q="退款什么时候到账")
    assert status == 200 and found["results"][0]["id"] == "zh-refund-status" and found["language"] == "zh"
    status, other = api_get(stack, "/kb/search", token="globex-token", q="退款什么时候到账")
    assert (status, other["results"], other["note"]) == (200, [], "empty-kb")
    assert api_get(stack, "/kb/articles/zh-refund-status", token="globex-token")[0] == 404
    status, error = api_get(stack, "/kb/search", q="x" * 10_000)
    assert status == 400 and "at most 2000" in error["Message"]


def test_supervisors_change_articles_with_revisions_agents_only_read(stack, synced, people):  # noqa: F811
    article = {"title": "Gift cards", "language": "en", "body": "Gift cards never expire.", "tags": ["gift card"]}
    assert api_send(stack, "PUT", "/kb/articles/en-gift-cards", article, token=people.li_na)[0] == 403
    status, created = api_send(stack, "PUT", "/kb/articles/en-gift-cards", article, token=people.wang_fang)
    assert status == 200 and (created["revision"], created["updated_by"]) == (1, "wang.fang")
    assert api_get(stack, "/kb/search", token=people.li_na, q="gift card expiry")[1]["results"][0]["id"] == (
        "en-gift-cards"
    )
    stale = {**article, "body": "Gift cards expire after a year.", "revision": 7}
    assert api_send(stack, "PUT", "/kb/articles/en-gift-cards", stale, token=people.wang_fang)[0] == 409
    status, problem = api_send(
        stack, "PUT", "/kb/articles/en-gift-cards", {**article, "language": "fr"}, token=people.wang_fang
    )
    assert status == 400 and "language: 'fr' is not one of en, zh" in problem["Message"]

    assert api_send(stack, "DELETE", "/kb/articles/en-gift-cards", None, token=people.wang_fang)[0] == 204
    assert api_get(stack, "/kb/articles/en-gift-cards")[0] == 404
    status, history = api_get(stack, "/kb/articles/en-gift-cards/revisions", token=people.li_na)
    assert [(r["revision"], r["action"], r["updated_by"]) for r in history["revisions"]] == [
        (1, "created", "wang.fang"),
        (2, "deleted", "wang.fang"),
    ]
    assert "en-gift-cards" not in [r["id"] for r in api_get(stack, "/kb/search", q="gift card expiry")[1]["results"]]


def test_the_help_centre_serves_public_articles_safely_and_cacheably(stack, synced, people):  # noqa: F811
    listing = page(stack, "/help/acme", **{"accept-language": "zh-CN"})
    assert listing.status_code == 200 and "退款政策与申请方法" in listing.body.decode()
    assert "退款特批规则" not in listing.body.decode()  # internal
    assert listing.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert listing.headers["Cache-Control"] == "public, max-age=300"
    again = page(stack, "/help/acme", **{"accept-language": "zh-CN", "if-none-match": listing.headers["ETag"]})
    assert again.status_code == 304

    article = page(stack, "/help/acme/zh-vacuum-errors")
    assert article.status_code == 200 and "<td>轮子卡住</td>" in article.body.decode()
    assert page(stack, "/help/acme/zh-refund-exceptions").status_code == 404  # internal
    assert page(stack, "/help/globex/zh-vacuum-errors").status_code == 404  # another tenant's
    assert page(stack, "/help/nobody").status_code == 404

    found = page(stack, "/help/acme?q=wifi+keeps+dropping&lang=en")
    assert found.status_code == 200 and "Wi-Fi keeps disconnecting (X200)" in found.body.decode()
    assert page(stack, "/help/acme?q=" + "x" * 3000).status_code == 400
    hostile = {"title": "Hi", "language": "en", "body": "<script>alert(1)</script> [x](javascript:alert(1))"}
    api_send(stack, "PUT", "/kb/articles/en-hostile", hostile, token=people.wang_fang)
    body = page(stack, "/help/acme/en-hostile").body.decode()
    assert "<script>" not in body and 'href="javascript' not in body
    assert page(stack, "/help/globex").body.decode().count("There are no articles yet.") == 1
