"""The configuration's banned phrases and case webhooks: parsed, checked with their paths, written back unchanged."""

from __future__ import annotations

import pytest

from omnicase.config import ConfigError, config_to_document, parse_config
from omnicase.config.document import MAX_BANNED_PHRASES
from omnicase.domain.tenant_config import CASE_WEBHOOK_EVENTS, WebhookTarget


def base(**extra: object) -> dict:
    return {"tenant": "acme", "queues": {"general": {}}, **extra}


def problems_of(document: dict) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config("acme", document)
    return [str(p) for p in caught.value.problems]


# --- banned phrases ------------------------------------------------------------------------------------------------


def test_banned_phrases_are_kept_as_written_in_order():
    config = parse_config("acme", base(banned_phrases=["Shut up", "idiot", "傻逼"]))
    assert config.banned_phrases == ("Shut up", "idiot", "傻逼")


def test_no_banned_phrases_by_default():
    assert parse_config("acme", base()).banned_phrases == ()


@pytest.mark.parametrize("phrase", ["", "   ", "!!!", "* - *", "\u200b"])
def test_a_phrase_with_nothing_to_match_is_an_error_at_its_index(phrase):
    (problem,) = problems_of(base(banned_phrases=["idiot", phrase]))
    assert problem.startswith("banned_phrases[1]: nothing to match")


def test_a_phrase_must_be_text():
    (problem,) = problems_of(base(banned_phrases=["idiot", 42]))
    assert problem.startswith("banned_phrases[1]:")


@pytest.mark.parametrize("twin", ["IDIOT", "i d i o t", "ｉｄｉｏｔ", "i.d.i.o.t!"])
def test_phrases_equal_after_normalization_are_duplicates(twin):
    (problem,) = problems_of(base(banned_phrases=["idiot", "moron", twin]))
    assert problem.startswith(f'banned_phrases[2]: "{twin}" matches the same as banned_phrases[0] "idiot"')


@pytest.mark.parametrize("twin", ["傻 逼", "傻逼", "傻\u200b逼"])
def test_chinese_duplicates_with_separators_are_found(twin):
    (problem,) = problems_of(base(banned_phrases=["傻逼", twin]))
    assert problem.startswith("banned_phrases[1]:")


@pytest.mark.parametrize(("plain", "twin"), [("脑残", "腦殘"), ("idiot", "іdiot"), ("idiot", "ídiot")])
def test_traditional_and_look_alike_spellings_are_duplicates_of_the_plain_phrase(plain, twin):
    # They read alike, so the plain phrase already blocks them
    (problem,) = problems_of(base(banned_phrases=[plain, twin]))
    assert problem.startswith(f'banned_phrases[1]: "{twin}" matches the same as banned_phrases[0]')


def test_too_many_phrases_is_an_error():
    phrases = [f"word{i}" for i in range(MAX_BANNED_PHRASES + 1)]
    (problem,) = problems_of(base(banned_phrases=phrases))
    assert problem.startswith("banned_phrases:")


# --- webhooks -------------------------------------------------------------------------------------------------------


def test_a_webhook_without_events_gets_every_event():
    config = parse_config("acme", base(webhooks=[{"url": "https://hooks.acme.example/omnicase"}]))
    assert config.webhooks == (WebhookTarget("https://hooks.acme.example/omnicase", CASE_WEBHOOK_EVENTS),)


def test_events_are_kept_in_their_canonical_order():
    webhooks = [{"url": "https://hooks.acme.example/a", "events": ["solved", "created"]}]
    (webhook,) = parse_config("acme", base(webhooks=webhooks)).webhooks
    assert webhook.events == ("created", "solved")


@pytest.mark.parametrize(
    "url", ["http://localhost:8080/hook", "http://127.0.0.1/hook", "http://[::1]:9000/", "https://10.0.0.5/x"]
)
def test_allowed_urls(url):
    (webhook,) = parse_config("acme", base(webhooks=[{"url": url}])).webhooks
    assert webhook.url == url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.acme.example/omnicase", "use https"),
        ("http://localhost.evil.example/", "use https"),
        ("ftp://hooks.acme.example/", 'scheme "ftp"'),
        ("hooks.acme.example/omnicase", "expected a URL"),
        ("https://", "expected a URL"),
        ("https://hooks.acme.example/a b", "expected a URL"),
        ("https://user:secret@hooks.acme.example/", "no user or password"),
        ("https://hooks.acme.example:http/", "bad port"),
    ],
)
def test_bad_urls_are_errors_at_their_path(url, message):
    (problem,) = problems_of(base(webhooks=[{"url": "https://ok.example/"}, {"url": url}]))
    assert problem.startswith("webhooks[1].url:")
    assert message in problem


def test_unknown_event_is_an_error_at_its_path():
    (problem,) = problems_of(base(webhooks=[{"url": "https://a.example/", "events": ["created", "closed"]}]))
    assert problem.startswith('webhooks[0].events[1]: unknown event "closed"')
    assert "replied" in problem  # lists the allowed ones


def test_an_empty_event_list_is_an_error():
    (problem,) = problems_of(base(webhooks=[{"url": "https://a.example/", "events": []}]))
    assert problem.startswith("webhooks[0].events:")


def test_duplicate_events_and_urls_are_errors_at_their_paths():
    problems = problems_of(
        base(
            webhooks=[
                {"url": "https://a.example/", "events": ["created", "replied", "created"]},
                {"url": "https://a.example/", "events": ["solved"]},
            ]
        )
    )
    assert sorted(problems) == [
        'webhooks[0].events[2]: duplicate event "created" (also at [0])',
        "webhooks[1].url: duplicate url (also at [0]): merge their events",
    ]


def test_unknown_webhook_field_suggests_the_right_one():
    (problem,) = problems_of(base(webhooks=[{"url": "https://a.example/", "event": ["created"]}]))
    assert problem == 'webhooks[0].event: unknown field (did you mean "events"?)'


# --- the way back ---------------------------------------------------------------------------------------------------


def test_round_trip_keeps_phrases_and_webhooks():
    document = base(
        banned_phrases=["idiot", "shut up", "傻逼"],
        webhooks=[
            {"url": "https://hooks.acme.example/all"},
            {"url": "http://localhost:9000/dev", "events": ["created", "replied"]},
        ],
    )
    config = parse_config("acme", document)
    written = config_to_document(config)
    assert written["banned_phrases"] == ["idiot", "shut up", "傻逼"]
    assert written["webhooks"] == [
        {"url": "https://hooks.acme.example/all"},  # every event: the default, left out
        {"url": "http://localhost:9000/dev", "events": ["created", "replied"]},
    ]
    assert parse_config("acme", written) == config


def test_a_config_without_them_writes_neither():
    written = config_to_document(parse_config("acme", base()))
    assert "banned_phrases" not in written and "webhooks" not in written
