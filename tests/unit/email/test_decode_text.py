"""Charset decoding: supersets for old labels, fallbacks for wrong and unknown ones, problems recorded."""

from __future__ import annotations

import pytest

from omnicase.email.decode_text import decode_bytes, decode_unlabelled


@pytest.mark.parametrize(
    ("label", "text", "codec"),
    [
        ("gb2312", "內應力產生", "gbk"),  # GBK-only characters under a gb2312 label
        ("GBK", "退款 €25", "gb18030"),
        ("gb18030", "谢谢 😀", "gb18030"),
        ("big5", "啱啱壞咗", "big5hkscs"),
        ("Shift_JIS", "①番 髙橋", "cp932"),
        ("iso-2022-jp", "注文の確認", "iso2022_jp"),
        ("euc-kr", "안녕하세요", "euc-kr"),
        ("ks_c_5601-1987", "안녕하세요", "cp949"),
        ("iso-8859-1", "49 € arrivée", "cp1252"),
        ("iso-8859-2", "zażółć gęślą jaźń", "iso-8859-2"),
        ("iso-8859-15", "25 € für", "iso-8859-15"),
        ('"UTF-8"', "naïve ☃", "utf-8"),
    ],
)
def test_label_or_its_superset_decodes_without_problems(label: str, text: str, codec: str):
    problems: list[str] = []
    assert decode_bytes(text.encode(codec), label, problems) == text
    assert problems == []


def test_mislabelled_falls_back_to_utf8_and_says_so():
    problems: list[str] = []
    assert decode_bytes("Grüße".encode(), "us-ascii", problems) == "Grüße"
    assert problems == ["mislabelled-charset:us-ascii"]


def test_utf8_under_a_legacy_label_is_sniffed_for_bodies():
    text = "请问维修激光打印机的定影器需要多少钱"
    problems: list[str] = []
    assert decode_bytes(text.encode(), "gb2312", problems, sniff_utf8=True) == text
    assert problems == ["mislabelled-charset:gb2312"]


def test_fallback_order_after_a_failing_label_is_utf8_then_gb18030_then_latin1():
    problems: list[str] = []
    assert decode_bytes("中文".encode("gb18030"), "iso-2022-jp", problems) == "中文"
    assert decode_bytes(b"\xff\xfe\xff", "utf-8", problems) == "ÿþÿ"
    assert problems == ["mislabelled-charset:iso-2022-jp", "mislabelled-charset:utf-8"]


@pytest.mark.parametrize("label", ["x-klingon", "zlib", "base64", "unicode_escape", "rot13", "\udcff\udcfe"])
def test_unknown_or_non_text_labels_are_never_used(label: str):
    problems: list[str] = []
    assert decode_bytes(b"caf\xc3\xa9 \\u0041", label, problems) == "café \\u0041"
    assert problems[0].startswith("unknown-charset:")
    assert problems[0].isascii()


def test_meaningless_labels_count_as_missing():
    problems: list[str] = []
    assert decode_bytes(b"plain", "unknown-8bit", problems) == "plain"
    assert problems == []


def test_unlabelled_bytes_try_utf8_then_gbk_family():
    assert decode_unlabelled("张伟".encode()) == "张伟"
    assert decode_unlabelled("张伟".encode("gbk")) == "张伟"
    assert decode_unlabelled(b"\xff") == "ÿ"
