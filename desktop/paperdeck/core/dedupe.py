"""Recognising the same paper twice: by arXiv id, DOI, or a normalised title."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
FUZZY_THRESHOLD = 90.0


def title_key(title: str) -> str:
    """Case-, accent-, punctuation- and whitespace-insensitive form of a title."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text.casefold()).strip()


def doi_key(doi: str) -> str:
    """DOIs are case-insensitive by definition."""
    return doi.strip().lower()


def title_similarity(a: str, b: str) -> float:
    """0-100: how alike two titles are, ignoring case, accents and punctuation."""
    return float(fuzz.token_sort_ratio(title_key(a), title_key(b)))
