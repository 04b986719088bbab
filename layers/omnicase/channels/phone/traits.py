"""The phone channel as the domain sees it: calls are threaded by the caller's number; a text goes out by SMS."""

from omnicase.domain.channel_traits import AddressKind, ChannelTraits, TextShape, Threading

PHONE = ChannelTraits(
    name="phone",
    threading=Threading.SENDER,  # a number's calls continue its current case
    text_shape=TextShape.SHORT,
    address_kind=AddressKind.PHONE,
    max_text_chars=1_600,  # a text reply to a call goes out as an SMS (SNS Publish's limit)
    survey_quiet_hours=True,
    short_links=True,
    text_by="sms",  # no SMS number: a text reply is refused (422 text-not-carried) before it is queued
)
