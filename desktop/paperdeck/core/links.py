"""Which links paperdeck may open: web pages and DOIs only.

Pasted digests are untrusted text. A link to `file:`, `javascript:`, `data:`, a
custom URL scheme or a local path is shown as text and never handed to the
system's opener, which would run or reveal whatever it points at.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

OPENABLE_SCHEMES = ("http", "https")
DOI_RESOLVER = "https://doi.org/"
MAX_URL_LENGTH = 2048

# Control characters, spaces and bidi/zero-width marks hide what a link really is.
_HIDDEN = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def to_open_url(url: str) -> str | None:
    """The URL to hand to the browser, or None when the link must only be shown as text.

    `http(s)://host/...` is returned as given (trimmed); `doi:10.x/y` becomes
    `https://doi.org/10.x/y`. Everything else (other schemes, no host, user:password@,
    hidden characters, over-long text) gives None.
    """
    if not isinstance(url, str):
        return None
    text = url.strip()
    if not text or len(text) > MAX_URL_LENGTH or _HIDDEN.search(text):
        return None
    if text[:4].lower() == "doi:":
        doi = text[4:].lstrip("/")
        if not _DOI.match(doi):
            return None
        return DOI_RESOLVER + quote(doi, safe="/:;()._-<>[]")
    try:
        parts = urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme.lower() not in OPENABLE_SCHEMES or not host:
        return None
    if parts.username is not None or parts.password is not None:
        return None  # "https://arxiv.org@evil.example/" hides where it really goes
    if "\\" in parts.netloc:
        return None
    return text


def is_openable(url: str) -> bool:
    """True for http(s) links with a host and for `doi:` links; False for all else."""
    return to_open_url(url) is not None
