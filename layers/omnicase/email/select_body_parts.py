"""Walk a MIME tree once: pick the body text (plain preferred, HTML otherwise) and collect the attachments."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import Message

from omnicase.email.build_attachment import build_attachment, is_attachment_disposition
from omnicase.email.decode_part import part_text
from omnicase.email.defuse_mime import MAX_DEPTH, MAX_PARTS
from omnicase.email.mime_policy import sub_messages
from omnicase.email.parsed_email import ParsedAttachment

_BODY_TYPES = ("text/plain", "text/html")
_NOT_ATTACHMENTS = frozenset({"message/delivery-status", "message/global-delivery-status"})


@dataclass
class BodyParts:
    """The decoded text of body parts, in order, and every other part as an attachment."""

    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: list[ParsedAttachment] = field(default_factory=list)


def select_body_parts(message: Message, problems: list[str]) -> BodyParts:
    """Body texts and attachments of a message; alternatives not chosen contribute only their attachments."""
    walker = _Walker(problems)
    walker.walk(message, depth=0, wants_body=True)
    return walker.found


class _Walker:
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        self.found = BodyParts()
        self.parts = 0

    def walk(self, part: Message, depth: int, wants_body: bool) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS or depth > MAX_DEPTH:
            self._note("too-many-parts" if self.parts > MAX_PARTS else "mime-too-deep")
            return
        content_type = part.get_content_type()
        if content_type in _NOT_ATTACHMENTS:
            return
        if part.get_content_maintype() == "multipart" and not part.is_multipart():
            # No usable boundary: the parser left the whole payload as text; it is still what the sender wrote.
            if wants_body:
                self.found.plain.append(part_text(part, self.problems))
            return
        if part.get_content_maintype() == "multipart":
            children = sub_messages(part)
            if content_type == "multipart/alternative" and wants_body:
                self._alternative(children, depth)
            else:
                for child in children:
                    self.walk(child, depth + 1, wants_body)
            return
        if _is_body_leaf(part):
            if wants_body:
                texts = self.found.plain if content_type == "text/plain" else self.found.html
                texts.append(part_text(part, self.problems))
            return  # a body part of an alternative not chosen: another rendering, not an attachment
        number = len(self.found.attachments) + 1
        self.found.attachments.append(build_attachment(part, number, self.problems))

    def _alternative(self, children: list[Message], depth: int) -> None:
        """Non-empty text/plain wins; otherwise the richest (last) HTML or multipart rendering."""
        chosen: Message | None = None
        for child in children:
            if _is_body_leaf(child) and child.get_content_type() == "text/plain":
                attempt: list[str] = []
                text = part_text(child, attempt)
                if text.strip():
                    self.problems.extend(attempt)
                    self.found.plain.append(text)
                    chosen = child
                    break
        if chosen is None:
            rich = [c for c in children if c.get_content_maintype() == "multipart" or _is_html_leaf(c)]
            chosen = rich[-1] if rich else None
            if chosen is not None:
                self.walk(chosen, depth + 1, wants_body=True)
        for child in children:
            if child is not chosen:
                self.walk(child, depth + 1, wants_body=False)

    def _note(self, problem: str) -> None:
        if problem not in self.problems:
            self.problems.append(problem)


def _is_body_leaf(part: Message) -> bool:
    return part.get_content_type() in _BODY_TYPES and not is_attachment_disposition(part)


def _is_html_leaf(part: Message) -> bool:
    return part.get_content_type() == "text/html" and not is_attachment_disposition(part)
