"""The email channel as the domain sees it."""

from omnicase.domain.channel_traits import AddressKind, ChannelTraits, FileCarriage, FileRules, TextShape, Threading
from omnicase.domain.text_limits import AGENT_LIMITS

EMAIL = ChannelTraits(
    name="email",
    threading=Threading.MAIL,
    text_shape=TextShape.MAIL,
    address_kind=AddressKind.EMAIL,
    max_text_chars=AGENT_LIMITS["body"],  # a mail holds any reply an agent may write
    # SES v2 SendEmail takes a message of at most 40 MB, attachments base64-encoded (x 4/3): 25 MB of files fits.
    files=FileRules(FileCarriage.MIME, max_files=10, max_bytes_each=10 * 2**20, max_bytes_total=25 * 2**20),
)
