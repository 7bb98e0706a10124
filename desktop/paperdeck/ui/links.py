"""Which links may be opened: only web addresses (http, https) and DOIs; everything else is text.

Pasted digests are untrusted: a `file:` or `javascript:` link must never be one click
away from running or revealing something, so such links are shown but not clickable.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from paperdeck.core.models import Paper

SAFE_SCHEMES = ("http", "https")


def safe_url(text: str) -> QUrl | None:
    """A QUrl to open for `text`, or None when it is not a web address or a DOI."""
    text = (text or "").strip()
    low = text.lower()
    if low.startswith("doi:"):
        return QUrl("https://doi.org/" + quote(text[4:].strip(), safe="/:;()._-"))
    if low.startswith("10.") and "/" in text and " " not in text:
        return QUrl("https://doi.org/" + quote(text, safe="/:;()._-"))
    url = QUrl(text, QUrl.ParsingMode.StrictMode)
    if url.isValid() and url.scheme().lower() in SAFE_SCHEMES and url.host():
        return url
    return None


def open_link(text: str) -> bool:
    """Open a safe link in the browser; refuse (return False) anything else."""
    url = safe_url(text)
    return bool(url) and QDesktopServices.openUrl(url)


def paper_links(paper: Paper) -> list[tuple[str, str]]:
    """(label, target) pairs for a paper: its URL, arXiv page, DOI and other links, deduplicated."""
    out: list[tuple[str, str]] = []
    if paper.url:
        out.append((paper.url, paper.url))
    if paper.arxiv_id:
        out.append((f"arXiv:{paper.arxiv_id}", f"https://arxiv.org/abs/{paper.arxiv_id}"))
    if paper.doi:
        out.append((f"doi:{paper.doi}", f"doi:{paper.doi}"))
    out += [(link, link) for link in paper.links]
    seen, unique = set(), []
    for label, target in out:
        if target not in seen:
            seen.add(target)
            unique.append((label, target))
    return unique


def first_link(paper: Paper) -> str:
    """The link "Next up" opens: the paper's page, else its arXiv page, else any safe link."""
    for _label, target in paper_links(paper):
        if safe_url(target):
            return target
    return ""


def links_html(links: list[tuple[str, str]]) -> str:
    """Rich text for a QLabel: safe links clickable, the rest plain (escaped) text."""
    parts = []
    for label, target in links:
        if safe_url(target):
            parts.append(f'<a href="{escape(target, quote=True)}">{escape(label)}</a>')
        else:
            parts.append(f"<span>{escape(label)}</span> <i>(not opened: not a web link)</i>")
    return "<br>".join(parts)
