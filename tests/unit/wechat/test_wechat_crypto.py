"""WeChat signatures and safe-mode AES against the published vectors (wechatpy, WxJava / Tencent's sample)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from omnicase.channels.wechat.errors import BadSignature, WechatRejected, WrongAppId
from omnicase.channels.wechat.message_crypto import WechatCrypto
from omnicase.channels.wechat.parse_push import parse_xml
from omnicase.channels.wechat.verify_request import open_push, verify_echo
from omnicase.channels.wechat.verify_signature import signature_matches, wechat_signature

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "wechat"
WECHATPY = json.loads((FIXTURES / "wechatpy_signature_and_aes_vectors.json").read_text())
WXJAVA = json.loads((FIXTURES / "wxjava_wxcryptutil_vectors.json").read_text())
PLAIN = WECHATPY["plain_signature_check (Official Account URL verification / plaintext mode)"]
AES = WECHATPY["aes_mode"]


def aes_crypto() -> WechatCrypto:
    return WechatCrypto(AES["token"], AES["encoding_aes_key"], AES["app_or_corp_id"])


def test_plaintext_signature_vector():
    expected = wechat_signature(PLAIN["token"], PLAIN["timestamp"], PLAIN["nonce"])
    assert expected == PLAIN["valid_signature"]
    assert signature_matches(expected, PLAIN["valid_signature"].upper())
    assert not signature_matches(expected, PLAIN["invalid_signature"])


def test_safe_mode_url_verification_vector():
    echo = AES["url_verify_echostr"]
    query = {
        "msg_signature": echo["msg_signature"],
        "timestamp": echo["timestamp"],
        "nonce": echo["nonce"],
        "echostr": echo["echostr"],
    }
    assert verify_echo(query, token=AES["token"], crypto=aes_crypto()) == echo["decrypted_echostr_derived_by_research"]
    with pytest.raises(BadSignature):
        verify_echo({**query, "nonce": echo["bad_nonce_should_fail"]}, token=AES["token"], crypto=aes_crypto())


def test_safe_mode_push_decrypts_to_the_published_message():
    case = AES["decrypt_inbound"]
    query = {
        "encrypt_type": "aes",
        "msg_signature": case["msg_signature"],
        "timestamp": case["timestamp"],
        "nonce": case["nonce"],
    }
    body = (FIXTURES / case["request_body_file"]).read_bytes()
    encrypted = parse_xml(body).findtext("Encrypt") or ""
    inner = parse_xml(aes_crypto().decrypt(encrypted.strip()))
    assert inner.findtext("Content") == "test" and inner.findtext("FromUserName") == "messense"
    with pytest.raises(BadSignature):
        open_push({**query, "msg_signature": "0" * 40}, body, token=AES["token"], crypto=aes_crypto())


@pytest.mark.parametrize("case", ["case_1", "case_2"])
def test_wxjava_ciphertexts_both_ways_with_chinese_text(case):
    crypto = WechatCrypto(WXJAVA["token"], WXJAVA["encoding_aes_key"], WXJAVA["app_id"])
    plaintext = WXJAVA[case]["plaintext"].encode()
    ciphertext = crypto.encrypt(plaintext, WXJAVA["random_prefix"].encode())
    assert ciphertext == WXJAVA[case]["expected_ciphertext_b64"]
    assert crypto.decrypt(ciphertext) == plaintext


def test_a_message_for_another_app_or_a_tampered_ciphertext_is_refused():
    ours = WechatCrypto(WXJAVA["token"], WXJAVA["encoding_aes_key"], WXJAVA["app_id"])
    theirs = WechatCrypto(WXJAVA["token"], WXJAVA["encoding_aes_key"], "wx0000000000000000")
    ciphertext = theirs.encrypt("我是中文abcd123".encode())
    with pytest.raises(WrongAppId):
        ours.decrypt(ciphertext)
    tampered = WXJAVA["case_1"]["expected_ciphertext_b64"][:-8] + "AAAAAAA="
    with pytest.raises(WechatRejected):
        ours.decrypt(tampered)
    assert not ours.verify("12345", WXJAVA["timestamp"], WXJAVA["nonce"], WXJAVA["case_2"]["expected_ciphertext_b64"])
