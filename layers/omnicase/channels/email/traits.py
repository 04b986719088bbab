"""The email channel as the domain sees it."""

from omnicase.domain.channel_traits import AddressKind, ChannelTraits, TextShape, Threading
from omnicase.domain.text_limits import AGENT_LIMITS

EMAIL = ChannelTraits(
    name="email",
    threading=Threading.MAIL,
    text_shape=TextShape.MAIL,
    address_kind=AddressKind.EMAIL,
    max_text_chars=AGENT_LIMITS["body"],  # a mail holds any reply an agent may write
)
