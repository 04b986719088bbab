"""The web chat channel as the domain sees it."""

from omnicase.domain.channel_traits import AddressKind, ChannelTraits, FileCarriage, FileRules, TextShape, Threading

MAX_TEXT = 20_000  # the longest text the widget sends us, or shows from us

CHAT = ChannelTraits(
    name="chat",
    threading=Threading.CONVERSATION,
    text_shape=TextShape.SHORT,
    address_kind=AddressKind.OPAQUE,
    max_text_chars=MAX_TEXT,
    answers_by_reply=True,
    live=True,
    # Download links in the callback (the widget shows them); the bytes never pass through the callback.
    files=FileRules(FileCarriage.LINK, max_files=10, max_bytes_each=25 * 2**20, max_bytes_total=100 * 2**20),
)
