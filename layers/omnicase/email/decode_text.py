"""Bytes in a declared (often wrong) charset to text, never failing: label, supersets, then fallbacks."""

from __future__ import annotations

import codecs
import re

# Mail labels charsets by their oldest name while senders write the superset; decode with the superset.
_SUPERSETS: dict[str, tuple[str, ...]] = {
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
    "cp936": ("gb18030",),
    "x-gbk": ("gb18030",),
    "euc-cn": ("gb18030",),
    "csgb2312": ("gb18030",),
    "chinese": ("gb18030",),
    "gb_2312-80": ("gb18030",),
    "gb18030": ("gb18030",),
    "big5": ("big5hkscs", "cp950"),
    "big5-hkscs": ("big5hkscs",),
    "cn-big5": ("big5hkscs", "cp950"),
    "x-x-big5": ("big5hkscs", "cp950"),
    "shift_jis": ("cp932", "shift_jis_2004"),
    "shift-jis": ("cp932", "shift_jis_2004"),
    "sjis": ("cp932",),
    "x-sjis": ("cp932",),
    "ms_kanji": ("cp932",),
    "windows-31j": ("cp932",),
    "csshiftjis": ("cp932",),
    "iso-2022-jp": ("iso2022_jp", "iso2022_jp_2", "iso2022_jp_ext"),
    "csiso2022jp": ("iso2022_jp", "iso2022_jp_2"),
    "euc-jp": ("euc_jp", "euc_jis_2004"),
    "euc-kr": ("cp949",),
    "ks_c_5601-1987": ("cp949",),
    "ks_c_5601": ("cp949",),
    "korean": ("cp949",),
    "iso-8859-1": ("cp1252", "latin-1"),
    "latin1": ("cp1252", "latin-1"),
    "us-ascii": ("ascii",),
    "ascii": ("ascii",),
    "ansi_x3.4-1968": ("ascii",),
    "utf8": ("utf-8",),
    "unicode-1-1-utf-7": ("utf-7",),
}
# Labels that mean "no idea": treated like a missing label, not as an unknown charset.
_NO_LABEL = frozenset({"", "unknown-8bit", "x-unknown", "unknown", "none", "default", "x-user-defined", "charset"})
# Labels Python knows but that are not text encodings (or would interpret escapes): never decode with them.
_REFUSED = re.compile(
    r"^(base64|base_64|hex|zlib|zip|bz2|uu|quopri|quoted[-_]printable|rot|punycode|idna|undefined|"
    r"raw[-_]unicode|unicode[-_]escape|string[-_]escape|mbcs|oem)"
)
_FALLBACKS = ("utf-8", "gb18030", "latin-1")
_MIN_NON_ASCII_FOR_UTF8_SNIFF = 8


def clean_label(label: str | None) -> str:
    """A charset label as found in mail, lower-cased and stripped of quotes, comments and junk."""
    if not label:
        return ""
    text = str(label).split("(")[0].strip().strip("\"'").strip().lower()
    return re.sub(r"[^\x21-\x7e]", "?", text[:40])


def decode_bytes(data: bytes, label: str | None, problems: list[str], *, sniff_utf8: bool = False) -> str:
    """Decode `data` declared as `label`: the label (or its superset), else utf-8, gb18030, latin-1."""
    if not data:
        return ""
    name = clean_label(label)
    candidates = _codecs_for(name)
    if candidates is None:
        problems.append(f"unknown-charset:{name}")
        candidates = ()
    elif not candidates and data.isascii():
        return data.decode("ascii")
    if sniff_utf8 and name not in ("utf-8", "utf8", "") and _looks_like_utf8(data, candidates):
        problems.append(f"mislabelled-charset:{name}")
        return data.decode("utf-8")
    for codec in candidates:
        text = _try(data, codec)
        if text is not None:
            return text
    if name and candidates:
        problems.append(f"mislabelled-charset:{name}")
    elif not name and not data.isascii():
        problems.append("undeclared-charset")
    return decode_unlabelled(data)


def decode_unlabelled(data: bytes) -> str:
    """Decode bytes that carry no label (raw 8-bit headers): utf-8, else gb18030, else latin-1."""
    for codec in _FALLBACKS:
        text = _try(data, codec)
        if text is not None:
            return text
    return data.decode("latin-1")


def _codecs_for(name: str) -> tuple[str, ...] | None:
    """The codecs to try for a label; () when there is no usable label, None when the label is unknown."""
    if name in _NO_LABEL:
        return ()
    if name in _SUPERSETS:
        return _SUPERSETS[name]
    if _REFUSED.match(name):
        return None
    try:
        codecs.lookup(name)
        b"a".decode(name)  # rejects bytes-to-bytes codecs (zlib, hex, ...) that lookup accepts
    except LookupError:
        return None
    except (UnicodeError, ValueError, TypeError):
        pass  # a real text codec that merely dislikes this probe
    return (name,)


def _looks_like_utf8(data: bytes, candidates: tuple[str, ...]) -> bool:
    """Valid multi-byte UTF-8 under a legacy 8-bit label is almost never a coincidence."""
    if any(c.startswith(("utf", "iso2022")) for c in candidates):
        return False
    non_ascii = sum(1 for b in data[:4096] if b >= 0x80)
    return non_ascii >= _MIN_NON_ASCII_FOR_UTF8_SNIFF and _try(data, "utf-8") is not None


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (LookupError, UnicodeError, ValueError, TypeError):
        return None
