"""Whether a channel carries a file: count, size, total and type against its FileRules; pure, no AWS."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath

from omnicase.attachments.errors import AttachmentRefused
from omnicase.domain.channel_traits import ChannelTraits, FileRules

MAX_FILENAME_CHARS = 255
_CONTENT_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")
# Refused on every channel: SES rejects mail carrying these (docs.aws.amazon.com/ses/latest/dg/mime-types.html),
# and a link to one from a support desk is how malware spreads.
_REFUSED = (
    ".ade .adp .app .asp .bas .bat .cer .chm .cmd .com .cpl .crt .csh .der .exe .fxp .gadget .hlp .hta .inf .ins "
    ".isp .its .js .jse .ksh .lib .lnk .mad .maf .mag .mam .maq .mar .mas .mat .mau .mav .maw .mda .mdb .mde .mdt "
    ".mdw .mdz .msc .msh .msh1 .msh2 .mshxml .msh1xml .msh2xml .msi .msp .mst .ops .pcd .pif .plg .prf .prg .ps1 "
    ".ps1xml .ps2 .ps2xml .psc1 .psc2 .reg .scf .scr .sct .shb .shs .sys .tmp .url .vb .vbe .vbs .vps .vsmacros "
    ".vss .vst .vsw .vws .xnk"
)
REFUSED_EXTENSIONS = frozenset(_REFUSED.split(" "))


def rules_for(traits: ChannelTraits, endpoints: Iterable[str] = (), sender: str | None = None) -> FileRules:
    """The FileRules of a reply from `sender` (our address it leaves from, one of the tenant's `endpoints`): a
    provider's own rules when that endpoint names one (`sms:twilio:+1…`), else the channel's; a 422 before anything
    is uploaded or queued when it carries no files."""
    known = set(endpoints)
    for provider, rules in traits.files_by_provider:
        if sender and f"{traits.name}:{provider}:{sender}" in known:
            return rules
    if traits.files is not None:
        return traits.files
    details: dict[str, object] = {"channel": traits.name}
    message = f"the {traits.name} channel cannot carry files"
    if traits.files_by_provider:
        providers = [provider for provider, _ in traits.files_by_provider]
        details |= {"sender": sender, "providers": providers}
        message = (
            f"{traits.name} replies carry files only from a {' or '.join(providers)} endpoint; this case's replies "
            f"leave from {sender or 'the account default'}"
        )
    raise AttachmentRefused("files-not-carried", message, details)


def check_file(rules: FileRules, filename: str, content_type: str, size: int) -> None:
    """One file: a name, a media type the channel takes (and no refused extension), 1 byte to the channel's cap."""
    if not filename.strip() or len(filename) > MAX_FILENAME_CHARS or any(c in filename for c in "/\\\x00"):
        raise ValueError(f"filename: 1 to {MAX_FILENAME_CHARS} characters, no path")
    if not _CONTENT_TYPE.fullmatch(content_type):
        raise ValueError("content_type: a media type such as application/pdf")
    extension = PurePosixPath(filename.lower()).suffix
    if extension in REFUSED_EXTENSIONS or (rules.content_types and content_type not in rules.content_types):
        allowed = ", ".join(sorted(rules.content_types)) or "any type but executables and scripts"
        details = {"filename": filename, "content_type": content_type, "allowed": sorted(rules.content_types)}
        raise AttachmentRefused("attachment-type-refused", f"{filename} ({content_type}): allowed {allowed}", details)
    if size < 1 or size > rules.max_bytes_each:
        details = {"filename": filename, "size": size, "limit": rules.max_bytes_each}
        raise AttachmentRefused(
            "attachment-too-large", f"{filename}: {size:,} bytes; 1 to {rules.max_bytes_each:,}", details
        )


def check_files(rules: FileRules, files: Sequence[tuple[str, str, int]]) -> None:
    """Several files of one message: each checked, their number and total size too."""
    if len(files) > rules.max_files:
        details = {"count": len(files), "limit": rules.max_files}
        raise AttachmentRefused("too-many-attachments", f"at most {rules.max_files} files per message", details)
    for filename, content_type, size in files:
        check_file(rules, filename, content_type, size)
    total = sum(size for _, _, size in files)
    if total > rules.max_bytes_total:
        details = {"size": total, "limit": rules.max_bytes_total}
        raise AttachmentRefused(
            "attachment-too-large", f"{total:,} bytes in all; at most {rules.max_bytes_total:,}", details
        )
