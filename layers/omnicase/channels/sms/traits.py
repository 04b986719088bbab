"""The SMS channel as the domain sees it."""

from omnicase.domain.channel_traits import AddressKind, ChannelTraits, FileCarriage, FileRules, TextShape, Threading

MAX_TEXT_CHARS = 1_600  # SNS Publish and Twilio both send at most 1,600 characters as one SMS (split into parts)

# What Twilio's Messages API takes as MediaUrl over MMS ("Accepted content types for media",
# twilio.com/docs/messaging/guides/accepted-mime-types): JPEG, GIF and PNG are resized for the handset, the rest
# passes unchanged (carriers may drop large non-images). Lower case: our uploads' types are.
TWILIO_MMS_TYPES = frozenset(
    {
        "image/jpeg",
        "image/jpg",
        "image/gif",
        "image/png",
        "image/bmp",
        "image/tiff",
        "image/heic",
        "image/heif",
        "audio/basic",
        "audio/l24",
        "audio/mp4",
        "audio/mpeg",
        "audio/ogg",
        "audio/vnd.rn-realaudio",
        "audio/vnd.wave",
        "audio/3gpp",
        "audio/3gpp2",
        "audio/ac3",
        "audio/webm",
        "audio/amr-nb",
        "audio/amr",
        "audio/aac",
        "video/mpeg",
        "video/mp4",
        "video/quicktime",
        "video/webm",
        "video/3gpp",
        "video/3gpp2",
        "video/3gpp-tt",
        "video/h261",
        "video/h263",
        "video/h263-1998",
        "video/h263-2000",
        "video/h264",
        "text/vcard",
        "text/x-vcard",
        "text/csv",
        "text/rtf",
        "text/richtext",
        "text/calendar",
        "text/directory",
        "application/pdf",
        "application/vcard",
        "application/vnd.apple.pkpass",
    }
)
MMS_BYTES = 5_000_000  # Twilio: up to 10 media files, 5 MB for the message and its media together
# The files' share: 5 MB less the longest text in UTF-8 (4 bytes a character at most).
TWILIO_MMS = FileRules(
    FileCarriage.MEDIA,
    max_files=10,
    max_bytes_each=MMS_BYTES - 4 * MAX_TEXT_CHARS,
    max_bytes_total=MMS_BYTES - 4 * MAX_TEXT_CHARS,
    content_types=TWILIO_MMS_TYPES,
)

SMS = ChannelTraits(
    name="sms",
    threading=Threading.SENDER,
    text_shape=TextShape.SHORT,
    address_kind=AddressKind.PHONE,
    max_text_chars=MAX_TEXT_CHARS,
    survey_quiet_hours=True,
    short_links=True,
    answers_by_reply=True,
    opt_out=True,  # STOP / START
    # End User Messaging (SNS Publish) sends text only; a Twilio number sends MMS (MediaUrl, twilio_sender.py).
    files_by_provider=(("twilio", TWILIO_MMS),),
)
