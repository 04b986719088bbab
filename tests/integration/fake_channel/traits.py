"""The fake channel as the domain sees it: short texts, threaded by sender, replies of at most 500 characters."""

from omnicase.domain.channel_traits import AddressKind, ChannelTraits, TextShape, Threading

FAKE = ChannelTraits(
    name="fake",
    threading=Threading.SENDER,
    text_shape=TextShape.SHORT,
    address_kind=AddressKind.OPAQUE,
    max_text_chars=500,
)
