"""RFC 2047 header decoding: adjacent words, partial encoding, folding, broken words and raw 8-bit."""

from __future__ import annotations

import pytest

from omnicase.email.decode_header import decode_base64_lenient, decode_header_value


@pytest.mark.parametrize(
    ("raw", "decoded"),
    [
        ("=?GB2312?B?tPq/qrj3tdjU9ta1y7C3osax?=", "代开各地增值税发票"),
        ("=?GB2312?B?vKjQp7ncwO0svr++ucuttO3Byw==?=", "绩效管理,究竟谁错了"),
        ("Re: Test: =?UTF-8?B?Iua8ouWtlyI=?= mid =?UTF-8?B?Iua8ouWtlyI=?= tail", 'Re: Test: "漢字" mid "漢字" tail'),
        (
            "Re: TEST\r\n \r\n\t=?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=\r\n  =?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=",
            "Re: TEST テストテスト",
        ),
        ("=?utf-8?q?caf=C3?= =?utf-8?q?=A9_au_lait?=", "café au lait"),  # a character split across two words
        ("=?ISO-8859-1?Q?Andr=E9?= Pirard", "André Pirard"),
        ("=?iso-8859-2?Q?Za=BF=F3=B3=E6?=", "Zażółć"),
        ("=?ISO-8859-15?B?pA==?=", "€"),
        ("=?Shift_JIS?B?g3aDioOTg14=?=", "プリンタ"),
        ("=?EUC-KR?B?wda5rg==?=", "주문"),
        ("=?big5?B?pbSmTL73rEe72Q==?=", "打印機故障"),
        ("=?UTF-8*en?Q?Hello?=", "Hello"),  # RFC 2231 language tag
        ("=?NONE?B?VEVTVA=?=", "TEST"),  # bad padding, meaningless charset
        ("no =?encoded word here", "no =?encoded word here"),
        ("  lots \t of\r\n   space  ", "lots of space"),
    ],
)
def test_decodes(raw: str, decoded: str):
    assert decode_header_value(raw, []) == decoded


def test_raw_8bit_header_bytes_are_decoded():
    # The parser hands raw bytes over as surrogate escapes.
    gbk = "销售报表".encode("gbk").decode("ascii", "surrogateescape")
    utf8 = "Zoë".encode().decode("ascii", "surrogateescape")
    assert decode_header_value(gbk, []) == "销售报表"
    assert decode_header_value(utf8, []) == "Zoë"


def test_unknown_charset_in_a_word_is_recorded():
    problems: list[str] = []
    assert decode_header_value("=?x-martian?Q?hi?=", problems) == "hi"
    assert problems == ["unknown-charset:x-martian"]


def test_base64_glued_chunks_are_fine_and_junk_is_flagged():
    assert decode_base64_lenient(b"aGk=\naGk=") == (b"hihi", False)
    assert decode_base64_lenient(b"aGVsbG8=*!\naGk") == (b"hellohi", True)
