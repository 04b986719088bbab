"""Opt-out / opt-in / help keywords: only a message that is the keyword counts."""

from __future__ import annotations

import pytest

from omnicase.channels.sms.keywords import sms_keyword

STOP = ["STOP", "stop", " Stop ", "STOPALL", "unsubscribe", "Cancel", "END", "quit", "OPTOUT", "退订", "取消订阅"]
STOP += ["TD", "td", "T", "t", "ＳＴＯＰ", "ｓｔｏｐ！", "STOP.", "stop!!", "退订。", "ＴＤ"]


@pytest.mark.parametrize("body", STOP)
def test_stop(body):
    assert sms_keyword(body) == "stop"


@pytest.mark.parametrize("body", ["START", "start", "Yes", "YES!", "UNSTOP", "subscribe", "订阅", "ＳＴＡＲＴ"])
def test_start(body):
    assert sms_keyword(body) == "start"


@pytest.mark.parametrize("body", ["HELP", "help?", "Info", "帮助", "帮助？", "ＨＥＬＰ"])
def test_help(body):
    assert sms_keyword(body) == "help"


@pytest.mark.parametrize(
    "body",
    [
        "stop please",
        "Please stop texting me",
        "don't stop",
        "STOP STOP",
        "你好，我的订单还没到",
        "退订吗 谢谢",
        "",
        "   ",
        "S T O P",
        "ok",
    ],
)
def test_not_a_keyword(body):
    assert sms_keyword(body) is None
