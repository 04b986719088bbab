"""Which files a channel carries (attachments/file_rules.py) and which media URLs are never fetched."""

from __future__ import annotations

import pytest

from omnicase.attachments.errors import AttachmentRefused
from omnicase.attachments.file_rules import check_file, check_files, rules_for
from omnicase.attachments.media_download import MediaDownloader
from omnicase.attachments.media_result import MediaRefused
from omnicase.channels.chat.traits import CHAT
from omnicase.channels.email.traits import EMAIL
from omnicase.channels.sms.traits import SMS
from omnicase.channels.wechat.traits import WECHAT

MB = 2**20


def refusal(call, *args) -> str:
    with pytest.raises(AttachmentRefused) as refused:
        call(*args)
    return refused.value.reason


def test_sms_carries_no_files_and_says_so():
    assert refusal(rules_for, SMS) == "files-not-carried"


ENDPOINTS = ("sms:+15005550006", "sms:twilio:+15017122661", "email:support@acme.example")


def test_sms_carries_mms_only_from_a_twilio_endpoint_of_the_tenant():
    rules = rules_for(SMS, ENDPOINTS, "+15017122661")

    assert (rules.max_files, rules.max_bytes_total) == (10, 5_000_000 - 6_400) and "image/png" in rules.content_types
    assert refusal(rules_for, SMS, ENDPOINTS, "+15005550006") == "files-not-carried"  # an AWS number
    assert refusal(rules_for, SMS, ENDPOINTS, None) == "files-not-carried"  # the account's default number
    assert refusal(rules_for, SMS, ("sms:+15017122661",), "+15017122661") == "files-not-carried"  # not Twilio's here
    assert rules_for(EMAIL, ENDPOINTS, "support@acme.example") == EMAIL.files  # no provider rules: the channel's


def test_mms_refuses_what_twilio_does_not_accept_and_more_than_5_mb_in_all():
    rules = rules_for(SMS, ENDPOINTS, "+15017122661")

    assert refusal(check_file, rules, "a.docx", "application/msword", 10) == "attachment-type-refused"
    assert refusal(check_files, rules, [("a.jpg", "image/jpeg", 3_000_000)] * 2) == "attachment-too-large"
    check_files(rules, [("a.jpg", "image/jpeg", 2_000_000), ("b.pdf", "application/pdf", 2_000_000)])


@pytest.mark.parametrize(
    ("traits", "file", "reason"),
    [
        (EMAIL, ("setup.EXE", "application/octet-stream", 10), "attachment-type-refused"),
        (CHAT, ("run.ps1", "text/plain", 10), "attachment-type-refused"),
        (WECHAT, ("contract.pdf", "application/pdf", 10), "attachment-type-refused"),
        (WECHAT, ("photo.jpg", "image/jpeg", 2 * MB + 1), "attachment-too-large"),
        (EMAIL, ("big.pdf", "application/pdf", 10 * MB + 1), "attachment-too-large"),
        (EMAIL, ("empty.pdf", "application/pdf", 0), "attachment-too-large"),
    ],
)
def test_a_file_of_a_refused_type_or_size_is_refused_with_its_reason(traits, file, reason):
    assert refusal(check_file, rules_for(traits), *file) == reason


@pytest.mark.parametrize("name", ["", "../etc/passwd", "a\\b.pdf", "x" * 256])
def test_a_name_that_is_no_file_name_is_a_bad_request(name):
    with pytest.raises(ValueError, match="filename"):
        check_file(rules_for(EMAIL), name, "application/pdf", 10)


def test_files_that_fit_one_by_one_can_still_be_too_many_or_too_large_together():
    rules = rules_for(EMAIL)
    check_files(rules, [("a.pdf", "application/pdf", 9 * MB), ("b.png", "image/png", 9 * MB)])
    assert refusal(check_files, rules, [(f"{n}.pdf", "application/pdf", 3 * MB) for n in range(9)]) == (
        "attachment-too-large"
    )
    assert refusal(check_files, rules, [(f"{n}.pdf", "application/pdf", 1) for n in range(11)]) == (
        "too-many-attachments"
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://files.example.com/a.png",  # not https
        "https://169.254.169.254/latest/meta-data/",  # instance metadata
        "https://user:pw@files.example.com/a.png",  # credentials in the URL
        "https://internal.example.com/a.png",  # a name pointing inside
        "https://127.0.0.1/a.png",  # loopback outside the local runtime
    ],
)
def test_media_at_a_url_that_is_not_public_https_is_refused_before_any_request(url):
    downloader = MediaDownloader(resolve=lambda host: ["10.0.0.5"])

    with pytest.raises(MediaRefused) as refused:
        downloader.get(url, 100)

    assert refused.value.reason == "url-refused"
