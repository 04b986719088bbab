"""The WeChat Official Account channel as the domain sees it."""

from datetime import timedelta

from omnicase.domain.channel_traits import AddressKind, ChannelTraits, FileCarriage, FileRules, TextShape, Threading
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
    # Images through the temporary-media upload (2 MB, png / jpeg / gif), one image message each; every message
    # counts toward the customer-service quota of the 48 h window (45047), so few.
    files=FileRules(
        FileCarriage.MEDIA,
        max_files=3,
        max_bytes_each=2 * 2**20,
        max_bytes_total=6 * 2**20,
        content_types=frozenset({"image/jpeg", "image/png", "image/gif"}),
    ),
)
