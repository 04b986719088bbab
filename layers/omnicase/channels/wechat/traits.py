"""The WeChat Official Account channel as the domain sees it."""

from datetime import timedelta

from omnicase.domain.channel_traits import AddressKind, ChannelTraits, TextShape, Threading
from omnicase.domain.text_limits import AGENT_LIMITS

WECHAT = ChannelTraits(
    name="wechat",
    threading=Threading.SENDER,
    text_shape=TextShape.SHORT,
    address_kind=AddressKind.OPAQUE,
    max_text_chars=AGENT_LIMITS["body"],  # WeChat itself refuses oversize text (45002, a permanent failure)
    # Customer-service messages reach a follower only within 48 h of their last message (errcode 45015).
    reply_window=timedelta(hours=48),
    survey_quiet_hours=True,
    short_links=True,
    answers_by_reply=True,
    opt_out=True,  # unsubscribe / subscribe events
)
