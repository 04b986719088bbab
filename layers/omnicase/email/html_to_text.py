"""HTML mail to readable plain text: parsed (never rendered or executed), structure kept as line breaks."""

from __future__ import annotations

import re
from html import unescape

from selectolax.lexbor import LexborHTMLParser, LexborNode

_DROPPED = ["script", "style", "head", "template", "noscript", "title", "object", "embed", "iframe", "svg"]
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt", "fieldset", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol",
        "p", "pre", "section", "table", "tbody", "thead", "tfoot", "tr", "ul", "body", "html",
    }
)  # fmt: skip
_CELL = frozenset({"td", "th"})
_INLINE_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u200b\ufeff]+")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
_MAX_NODES = 200_000
# Lexbor's tree building is quadratic in nesting depth (40k nested divs take seconds): deeper HTML is hostile.
_MAX_NESTING = 1_000
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]{0,20})[^<>]{0,4000}?(/?)>")
_NOT_NESTING = frozenset(
    {"br", "img", "hr", "meta", "link", "input", "wbr", "col", "area", "base", "source", "p", "li", "td", "tr", "th"}
)


def html_to_text(html: str) -> str:
    """Visible text of an HTML document: blocks and <br> become line breaks, whitespace collapsed."""
    if not html.strip():
        return ""
    if _nests_deeper_than(html, _MAX_NESTING):
        return _strip_tags(html)
    tree = LexborHTMLParser(html)
    tree.strip_tags(_DROPPED)
    root = tree.body or tree.root
    if root is None:
        return ""
    chunks: list[str] = []
    _walk(root, chunks)
    lines = (" ".join(line.split()) for line in "".join(chunks).split("\n"))
    return _MANY_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _walk(root: LexborNode, chunks: list[str]) -> None:
    """Depth-first without recursion: hostile HTML nests deeper than Python's stack."""
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    seen = 0
    while stack and seen < _MAX_NODES:
        node, leaving = stack.pop()
        seen += 1
        tag = node.tag or ""
        if leaving:
            chunks.append(_closing(tag))
            continue
        if tag == "-text":
            chunks.append(_INLINE_SPACE.sub(" ", node.text_content or ""))
            continue
        if tag.startswith("-") or tag.startswith("#"):
            continue
        chunks.append(_opening(tag))
        stack.append((node, True))
        children: list[LexborNode] = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, False) for c in reversed(children))


def _opening(tag: str) -> str:
    if tag == "br":
        return "\n"
    if tag == "li":
        return "\n- "
    if tag in _BLOCK:
        return "\n"
    return ""


def _closing(tag: str) -> str:
    if tag == "li":
        return ""
    if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol"):
        return "\n\n"
    if tag in _BLOCK:
        return "\n"
    if tag in _CELL:
        return " "
    return ""


def _nests_deeper_than(html: str, limit: int) -> bool:
    """A linear estimate of element nesting that never builds a tree."""
    depth = 0
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.groups()
        if name.lower() in _NOT_NESTING or self_closing:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        if depth > limit:
            return True
    return False


def _strip_tags(html: str) -> str:
    """The crude fallback for hostile HTML: tags removed, entities decoded, whitespace collapsed."""
    text = unescape(re.sub(r"<[^<>]*>", "\n", html))
    return _MANY_BLANK_LINES.sub("\n\n", "\n".join(" ".join(line.split()) for line in text.split("\n"))).strip()
