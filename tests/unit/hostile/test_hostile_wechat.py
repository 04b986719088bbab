"""Hostile WeChat XML and safe-mode ciphertext: a WechatPush or a WechatRejected, never expansion or a crash."""

from __future__ import annotations

import base64
import time

from hypothesis import example, given
from hypothesis import strategies as st

from omnicase.channels.wechat.errors import MalformedPush, WechatRejected, XmlAttack
from omnicase.channels.wechat.message_crypto import WechatCrypto
from omnicase.channels.wechat.parse_push import MAX_BYTES, parse_push
from omnicase.channels.wechat.verify_request import open_push, verify_echo
from omnicase.channels.wechat.verify_signature import wechat_signature
from tests.unit.hostile.strategies import HOSTILE, NASTY_TEXT, parsed_or_rejected, utf8_safe

TOKEN, AES_KEY, APP_ID = "token", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wx0123456789abcdef"
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "lol">'
    + b"".join(b'<!ENTITY %c "%s">' % (ord("b") + i, b"&" + bytes([ord("a") + i]) + b";" * 1) * 1 for i in range(9))
    + b"]><xml><Content>&j;</Content></xml>"
)
QUADRATIC = b'<!DOCTYPE x [<!ENTITY a "' + b"x" * 30_000 + b'">]><xml><Content>' + b"&a;" * 1000 + b"</Content></xml>"
EXTERNAL = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Content>&e;</Content></xml>'
)
PARAMETER = b'<!DOCTYPE x [<!ENTITY % p SYSTEM "http://169.254.169.254/latest/meta-data/"> %p;]><xml/>'
DTD_ONLY = b'<!DOCTYPE xml SYSTEM "http://attacker.example/x.dtd"><xml><ToUserName>gh</ToUserName></xml>'
ATTACKS = [BILLION_LAUGHS, QUADRATIC, EXTERNAL, PARAMETER, DTD_ONLY]
FIELDS = st.sampled_from(
    ["ToUserName", "FromUserName", "CreateTime", "MsgType", "Content", "MsgId", "Event", "Encrypt", "PicUrl"]
)


def element(name: str, text: str, cdata: bool) -> str:
    return f"<{name}><![CDATA[{text}]]></{name}>" if cdata else f"<{name}>{text}</{name}>"


def push(body: bytes):
    parsed = parsed_or_rejected(parse_push, body, WechatRejected)
    if parsed is not None:
        assert parsed.to_user and parsed.from_user and parsed.msg_type
        utf8_safe(parsed.text_for_case, parsed.from_user, parsed.dedupe_key)
    return parsed


@HOSTILE
@given(
    st.lists(st.tuples(FIELDS, NASTY_TEXT, st.booleans()), max_size=10),
    st.sampled_from(["", "utf-8", "gbk", "x-bogus", "utf-16"]),
)
@example(fields=[("Content", "\x00\x01", True)], encoding="")  # CDATA cannot carry C0 controls
@example(fields=[("CreateTime", "١٢٣", False)], encoding="")  # Arabic-Indic digits
@example(fields=[], encoding="x-bogus")  # an unknown declared encoding raised LookupError (fixed)
def test_random_pushes_with_invalid_characters_and_declared_encodings(fields, encoding):
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>' if encoding else ""
    body = declaration + "<xml>" + "".join(element(n, t, c) for n, t, c in fields) + "</xml>"
    push(body.encode("utf-8", "surrogatepass"))


@HOSTILE
@given(st.binary(max_size=1500))
def test_random_bytes(body):
    push(body)


@HOSTILE
@given(st.sampled_from(ATTACKS), st.sampled_from([b"", b'<?xml version="1.0" encoding="utf-8"?>']))
def test_entity_bombs_and_external_references_are_refused_never_expanded(attack, declaration):
    try:
        parse_push(declaration + attack.removeprefix(b'<?xml version="1.0"?>'))
    except XmlAttack as refused:
        assert refused.reason == "xml-attack"
    except MalformedPush:  # a declaration after another one is not XML either
        assert declaration
    else:
        raise AssertionError("an XML attack was parsed")


def test_deep_nesting_and_oversized_bodies_are_refused_with_a_reason():
    deep = b"<xml>" + b"<a>" * 50_000 + b"</a>" * 50_000 + b"</xml>"
    for body, reason in ((deep, "too-large"), (b"<xml>" + b"x" * MAX_BYTES + b"</xml>", "too-large")):
        try:
            parse_push(body)
        except WechatRejected as rejected:
            assert rejected.reason == reason
        else:
            raise AssertionError("an oversized body was parsed")
    assert push(b"<xml>" + b"<a>" * 5_000 + b"</a>" * 5_000 + b"</xml>") is None  # deep but small: malformed


def crypto() -> WechatCrypto:
    return WechatCrypto(TOKEN, AES_KEY, APP_ID)


@HOSTILE
@given(st.one_of(NASTY_TEXT, st.binary(max_size=200).map(lambda b: base64.b64encode(b).decode())))
@example(ciphertext="é")  # not ASCII: base64 raised a bare ValueError (fixed)
@example(ciphertext="\ud800")  # a lone surrogate made the signature itself raise (fixed)
@example(ciphertext=base64.b64encode(b"\x00" * 32).decode())
def test_safe_mode_garbage_ciphertext_is_refused(ciphertext):
    now = str(int(time.time()))
    query = {"timestamp": now, "nonce": "n", "encrypt_type": "aes", "echostr": ciphertext}
    query["msg_signature"] = wechat_signature(TOKEN, now, "n", ciphertext.strip())  # correctly signed garbage
    body = f"<xml><Encrypt><![CDATA[{ciphertext}]]></Encrypt></xml>".encode("utf-8", "surrogatepass")
    parsed_or_rejected(
        lambda b: open_push(query, b, token=TOKEN, crypto=crypto(), now=time.time()), body, WechatRejected
    )
    parsed_or_rejected(lambda q: verify_echo(q, token=TOKEN, crypto=crypto()), query, WechatRejected)


@HOSTILE
@given(st.binary(max_size=100))
@example(message=b"\xff\xfe not utf-8")  # a decrypted echostr that is not UTF-8 raised UnicodeDecodeError (fixed)
def test_safe_mode_well_encrypted_garbage_is_refused_or_parsed(message):
    ciphertext = crypto().encrypt(message)
    now = str(int(time.time()))
    query = {"timestamp": now, "nonce": "n", "echostr": ciphertext}
    query["msg_signature"] = wechat_signature(TOKEN, now, "n", ciphertext)
    echoed = parsed_or_rejected(lambda q: verify_echo(q, token=TOKEN, crypto=crypto()), query, WechatRejected)
    assert echoed is None or echoed == message.decode()
    body = f"<xml><Encrypt>{ciphertext}</Encrypt></xml>".encode()
    parsed_or_rejected(
        lambda b: open_push({**query, "encrypt_type": "aes"}, b, token=TOKEN, crypto=crypto()), body, WechatRejected
    )


@HOSTILE
@given(st.one_of(NASTY_TEXT, st.integers(-(10**20), 10**20).map(str)))
@example(timestamp="²")  # str.isdigit() says yes, int() says no (fixed)
def test_timestamps_of_any_text_are_refused_or_checked(timestamp):
    query = {"timestamp": timestamp, "nonce": "n", "signature": wechat_signature(TOKEN, timestamp, "n")}
    body = b"<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime></xml>"
    parsed_or_rejected(lambda b: open_push(query, b, token=TOKEN, crypto=None, now=time.time()), body, WechatRejected)
