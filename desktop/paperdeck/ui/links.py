"""Links in the window: which are clickable is decided by `core.links` (one tested policy:
http, https and doi: open; everything else is shown as text and never opened)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication

from paperdeck.core.links import to_open_url
from paperdeck.core.models import Paper


def safe_url(text: str) -> QUrl | None:
    """A QUrl to open for `text`, or None when the link may only be shown as text."""
    target = to_open_url(text)
    return QUrl(target, QUrl.ParsingMode.StrictMode) if target else None


def open_link(text: str) -> bool:
    """Open a safe link in the browser; refuse (return False) anything else."""
    url = safe_url(text)
    return bool(url) and QDesktopServices.openUrl(url)


NO_BROWSER = "No web browser could be opened for {link}; the address is copied, paste it in one."
NOT_WEB = "That link is not a web address, so paperdeck does not open it."


def open_or_explain(text: str) -> str:
    """Open a link; "" when it worked, else what to tell the user. When no browser opens,
    the address goes to the clipboard so the user can still get there."""
    url = safe_url(text)
    if not url:
        return NOT_WEB
    if QDesktopServices.openUrl(url):
        return ""
    QGuiApplication.clipboard().setText(url.toString())
    return NO_BROWSER.format(link=url.toString())


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


def breakable(text: str) -> str:
    """Escaped `text` that may wrap after / . - _ ? & = (a long address must not widen a
    narrow pane): a zero-width space after each; the link target itself is untouched."""
    out = escape(text)
    for mark in ("/", ".", "-", "_", "?", "=", "&amp;"):
        out = out.replace(mark, mark + "\u200b")
    return out


def links_html(links: list[tuple[str, str]]) -> str:
    """Rich text for a QLabel: safe links clickable, the rest plain (escaped) text."""
    parts = []
    for label, target in links:
        if safe_url(target):
            parts.append(f'<a href="{escape(target, quote=True)}">{breakable(label)}</a>')
        else:
            parts.append(f"<span>{breakable(label)}</span> <i>(not opened: not a web link)</i>")
    return "<br>".join(parts)
