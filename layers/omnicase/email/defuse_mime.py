"""Make hostile MIME cheap before the stdlib parser sees it.

The stdlib parser recurses once per nesting level (RecursionError near 1000), checks every line against
every open boundary, and parses Content-Type / Content-Disposition parameters in quadratic time. So: cut the
mail where nesting or the part count goes over the cap, and shorten over-long structural headers.
"""

from __future__ import annotations

import re

MAX_DEPTH = 20
MAX_PARTS = 500
MAX_STRUCTURAL_HEADER = 8 * 1024

_BOUNDARY = re.compile(rb'boundary\s*=\s*(?:"([^"\r\n]{1,200})"|([^\s;"]{1,200}))', re.IGNORECASE)
# Every message/* payload is parsed as a nested message: one more level each.
_MESSAGE_PART = re.compile(rb"content-type\s*:\s*message/", re.IGNORECASE)
_STRUCTURAL = re.compile(rb"content-(type|disposition)\s*:", re.IGNORECASE)


def defuse_mime(raw: bytes) -> tuple[bytes, list[str]]:
    """The raw mail, possibly cut or with shortened structural headers, and what was done to it."""
    problems: list[str] = []
    out: list[bytes] | None = None  # only built once something has to change
    open_levels: list[bytes | None] = []  # boundaries (None for message/* levels), innermost last
    parts = structural_length = offset = 0
    for line in raw.splitlines(keepends=True):
        start = offset
        offset += len(line)
        kept = line
        if structural_length and line[:1] in (b" ", b"\t"):
            structural_length += len(line)
            kept = line if structural_length <= MAX_STRUCTURAL_HEADER else b""
        else:
            structural_length = len(line) if _STRUCTURAL.match(line) else 0
            if structural_length > MAX_STRUCTURAL_HEADER:
                kept = line[:MAX_STRUCTURAL_HEADER].rstrip(b"\r\n") + b"\r\n"
        if kept is not line and out is None:
            out = [raw[:start]]
            problems.append("header-too-long")
        cut = _track_nesting(kept, open_levels)
        if cut:
            parts += cut == "part"
            if (cut == "deeper" and len(open_levels) > MAX_DEPTH) or parts > MAX_PARTS:
                problems.append("mime-too-deep" if cut == "deeper" else "too-many-parts")
                return (b"".join(out) if out is not None else raw[:start]), problems
        if out is not None:
            out.append(kept)
    return (b"".join(out) if out is not None else raw), problems


def _track_nesting(line: bytes, open_levels: list[bytes | None]) -> str:
    """Update the open levels for one line: "part" for a new part, "deeper" for a new level, else ""."""
    if line.startswith(b"--"):
        return "part" if open_levels and _close_or_delimit(line.rstrip(), open_levels) else ""
    if _MESSAGE_PART.match(line):
        open_levels.append(None)
        return "deeper"
    declared = _BOUNDARY.search(line) if b"=" in line else None
    if declared:
        open_levels.append(declared.group(1) or declared.group(2))
        return "deeper"
    return ""


def _close_or_delimit(line: bytes, open_levels: list[bytes | None]) -> bool:
    """Pop the levels a delimiter line ends; True when the line opens a new part."""
    for index in range(len(open_levels) - 1, -1, -1):
        boundary = open_levels[index]
        if boundary is None:
            continue
        if line == b"--" + boundary + b"--":
            del open_levels[index:]
            return False
        if line == b"--" + boundary:
            del open_levels[index + 1 :]
            return True
    return False
