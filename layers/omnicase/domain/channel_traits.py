"""What the domain may know about a channel: its traits, looked up by name; pure, no AWS.

Each channel package (`omnicase/channels/<name>/traits.py`) declares its ChannelTraits and registers them; the
domain asks `traits_of(channel)` instead of comparing channel names, so a new channel changes no domain module.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta


class Threading(enum.StrEnum):
    """How an inbound message finds the case it continues."""

    MAIL = "mail"  # In-Reply-To / References headers, then a case token in the subject
    CONVERSATION = "conversation"  # the provider's conversation id
    SENDER = "sender"  # the sender's current case (a phone or an account has one conversation with us)


class TextShape(enum.StrEnum):
    """What we write on the channel: a mail (subject, thread headers, links) or a short text (a digit answers)."""

    MAIL = "email"  # also the `texts.<kind>.email.<language>` templates' shape name
    SHORT = "short"


class AddressKind(enum.StrEnum):
    """What a sender's address is, for matching and for where the customer is."""

    EMAIL = "email"  # case-insensitive in practice
    PHONE = "phone"  # E.164: its number plan may tell the time zone
    OPAQUE = "opaque"  # an id only the provider understands (openid, chat user id)


class FileCarriage(enum.StrEnum):
    """How files an agent attaches reach the customer."""

    MIME = "mime"  # parts of the mail itself
    MEDIA = "media"  # uploaded to the provider, sent as its media messages
    LINK = "link"  # a download link beside the text


@dataclass(frozen=True)
class FileRules:
    """What files one outbound message on a channel carries: how, how many, how large, of which types."""

    carriage: FileCarriage
    max_files: int
    max_bytes_each: int
    max_bytes_total: int
    content_types: frozenset[str] = frozenset()  # empty: any type the attachment deny-list lets through


@dataclass(frozen=True)
class ChannelTraits:
    """A channel's behaviour as the domain sees it."""

    name: str
    threading: Threading
    text_shape: TextShape
    address_kind: AddressKind
    max_text_chars: int  # the longest reply one outbound message carries; a longer one is refused with a 400
    reply_window: timedelta | None = None  # we may write only this long after the customer last wrote
    survey_quiet_hours: bool = False  # a phone buzzing at night: surveys wait for the morning
    answers_by_reply: bool = False  # a digit reply answers a pending survey
    opt_out: bool = False  # the customer can opt out here (SMS STOP, WeChat unsubscribe), kept on their identity
    live: bool = False  # answered in seconds, not minutes (the report's 30-second answer rate)
    short_links: bool = False  # links cost the customer (SMS segments, a phone's screen): short ones, no extra links
    files: FileRules | None = None  # None: the channel carries no files (a reply with attachments is a 422)
    # Rules for replies leaving from an endpoint of one provider (`sms:twilio:+1…` → "twilio"), over `files`.
    files_by_provider: tuple[tuple[str, FileRules], ...] = ()
    # Texts go out on another channel's number (phone → sms): a tenant without one cannot send them (a 422).
    text_by: str | None = None


class UnknownChannel(LookupError):
    """No channel of that name is registered."""


_REGISTRY: dict[str, ChannelTraits] = {}


def register_traits(*traits: ChannelTraits) -> None:
    """Make channels known to the domain; registering the same traits again is harmless."""
    for one in traits:
        known = _REGISTRY.get(one.name)
        if known is not None and known != one:
            raise ValueError(f"channel {one.name!r} is already registered with other traits")
        _REGISTRY[one.name] = one


def traits_of(channel: str) -> ChannelTraits:
    """The traits of a registered channel; UnknownChannel otherwise."""
    try:
        return _REGISTRY[str(channel)]
    except KeyError:
        raise UnknownChannel(f"unknown channel {str(channel)!r}: one of {', '.join(known_channels())}") from None


def known_channels() -> tuple[str, ...]:
    """The registered channels' names, in registration order."""
    return tuple(_REGISTRY)
