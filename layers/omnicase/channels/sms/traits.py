"""The SMS channel as the domain sees it."""

from omnicase.domain.channel_traits import AddressKind, ChannelTraits, TextShape, Threading

SMS = ChannelTraits(
    name="sms",
    threading=Threading.SENDER,
    text_shape=TextShape.SHORT,
    address_kind=AddressKind.PHONE,
    max_text_chars=1_600,  # SNS Publish sends at most 1,600 characters as one SMS (split into billed parts)
    survey_quiet_hours=True,
    short_links=True,
    answers_by_reply=True,
    opt_out=True,  # STOP / START
)
