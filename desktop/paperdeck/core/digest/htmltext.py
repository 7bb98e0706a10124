"""HTML from a rich-text clipboard, flattened to lines the text parsers understand.

Block elements become line breaks; a link becomes ``text <href>`` (the way mail
clients render links in plain text), so parsers can still find the paper's URL.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from .identifiers import unwrap_redirect
from .textutil import squash, word_set

_TAG_RE = re.compile(
    r"<(?:p|div|a|br|h[1-6]|li|ul|ol|table|tr|td|th|span|html|body|head|b|i|em|strong|img|"
    r"meta|font|article|section)\b[^<>]{0,500}>",
    re.IGNORECASE,
)
# How a page or a browser's clipboard HTML starts (Chrome's text/html opens with <meta>).
_PAGE_START_RE = re.compile(r"\s*<(?:!doctype html|html|meta|div|table)\b", re.IGNORECASE)
_BLOCK = word_set(
    """
    address article aside blockquote body br dd div dl dt figcaption figure footer form
    h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody td th thead tr
    ul title
    """
)
_PARAGRAPH = frozenset(("p", "hr", "blockquote", "pre"))
_PARA = "\x00para\x00"  # marker for a paragraph break; NULs never survive clean_text
_SKIP = frozenset(("script", "style", "head", "noscript", "template", "svg"))


def looks_like_html(text: str) -> bool:
    """Markup-heavy text: several common tags in the first 64 KB."""
    head = text[:65536]
    if _PAGE_START_RE.match(head):
        return True
    return len(_TAG_RE.findall(head)) >= 3


class _Flattener(HTMLParser):
    """Collects text, breaking lines at block elements and keeping link targets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.href_stack: list[tuple[str, int]] = []  # (href, self.inked at the <a>)
        self.inked = 0  # parts so far with visible text, and the last of them:
        self.last_ink = ""  # enough to tell an empty link, or one whose text is its URL

    def _add(self, part: str) -> None:
        self.parts.append(part)
        if visible := part.strip():
            self.inked += 1
            self.last_ink = visible

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag in _BLOCK:
            self.parts.append("\n")
        if tag == "a":
            href = next((v for k, v in attrs if k == "href" and v), "")
            self.href_stack.append((unwrap_redirect(href.strip()), self.inked))
        elif tag == "img":
            alt = next((v for k, v in attrs if k == "alt" and v), "")
            if alt and not self.skip_depth:
                self._add(f" {alt} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag == "a" and self.href_stack:
            href, inked = self.href_stack.pop()
            # Constant work per link (a hostile page of nested anchors must not cost n
            # squared): the link has text if a visible part came after its start tag.
            if href.lower().startswith(("http://", "https://")) and self.inked > inked and (
                    self.last_ink != href):
                self._add(f" <{href}>")
        elif tag in _PARAGRAPH:
            self.parts.append(f"\n{_PARA}\n")
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self._add(data.replace("\n", " "))


def html_to_text(text: str) -> str:
    """Plain text of an HTML fragment or page; never raises."""
    parser = _Flattener()
    try:
        parser.feed(text)
        parser.close()
    except Exception:  # html.parser is lenient, but be sure a paste never crashes us
        pass
    # Block edges give line breaks; only paragraphs and rules give blank lines,
    # so a heading stays next to the line under it as it would in a plain-text mail.
    lines = (squash(line) for line in "".join(parser.parts).split("\n"))
    out: list[str] = []
    for line in lines:
        if line == _PARA:
            if out and out[-1]:
                out.append("")
        elif line:
            out.append(line)
    return "\n".join(out).strip()
