"""Citation keys: short, stable, ASCII, unique.

A key is assigned once when a paper enters the library and then stored (see
DESIGN.md), so this scheme only has to be deterministic and safe; changing it
later never renames existing keys.

Scheme (all parts lowercase ASCII letters and digits only):

- with a usable first author: ``<lastname><year><word>``, e.g. ``lee2024retask``;
- without one: ``<word><year>``, e.g. ``retask2024``;
- with neither author nor title word: ``paper<year>``, e.g. ``paper2024``;
- the year is left out when unknown.

``<lastname>`` is the first author's family name with its particles
("van der Berg" -> ``vanderberg``), transliterated to ASCII ("Müller" ->
``muller``, "Łukasz" -> ``lukasz``, Cyrillic and Greek letter by letter).
A name with no ASCII form (e.g. CJK) counts as no usable author.
``<word>`` is the first title word that is not a stop word (else the first
word), with its inner punctuation removed ("Re-TASK:" -> ``retask``). Both parts are cut to 20
characters. A key already in ``taken`` (compared case-insensitively, as
BibTeX does) gets a suffix a, b, ..., z, aa, ab, ...
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .textnorm import SPECIAL_LATIN

MAX_PART = 20

_STOP = """\
    a an the on of off to towards toward in into for and or but nor with without from
    via by at as is are be do does can what how why when where which who whose we our
    your you it its this that these those not no"""
STOP_WORDS = frozenset(_STOP.split())

# Letters NFKD does not decompose into ASCII.

# Letter-by-letter transliteration ("-" marks a letter written as nothing).
_CYRILLIC_LATIN = (
    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya i i ie g u"
)
_GREEK_LATIN = "a b g d e z e th i k l m n x o p r s s t y f ch ps o"
_SCRIPTS = {
    letter: ("" if latin == "-" else latin)
    for letters, latins in (
        ("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў", _CYRILLIC_LATIN),
        ("αβγδεζηθικλμνξοπρσςτυφχψω", _GREEK_LATIN),
    )
    for letter, latin in zip(letters, latins.split(), strict=True)
}

NAME_PARTICLES = frozenset(
    ("van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "du", "la", "le")
    + ("ten", "ter", "vom", "zu", "al", "el", "bin", "ibn")
)
NAME_SUFFIXES = frozenset(("jr", "jr.", "sr", "sr.", "ii", "iii", "iv"))

SAFE_KEY = re.compile(r"[A-Za-z0-9_:.+/-]+")


def is_safe_citekey(key: str) -> bool:
    """Whether a key (ours or one kept from a user's BibTeX) is safe for bibtex,
    biber and LaTeX's ``\\cite``; the exporter refuses any other."""
    return bool(SAFE_KEY.fullmatch(key))


def ascii_fold(text: str) -> str:
    """Best-effort ASCII spelling of `text`; characters with none are dropped."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFKD", text):
        if ch.isascii():
            out.append(ch)
        elif unicodedata.combining(ch):
            continue  # the accent of a letter already written
        elif ch in SPECIAL_LATIN:
            out.append(SPECIAL_LATIN[ch])
        elif ch.lower() in _SCRIPTS:
            out.append(_SCRIPTS[ch.lower()])
    return "".join(out)


def _slug(text: str) -> str:
    """Lowercase ASCII letters and digits of `text`, cut to MAX_PART."""
    return re.sub(r"[^a-z0-9]", "", ascii_fold(text).lower())[:MAX_PART]


def family_name(author: str) -> str:
    """The family name with its particles, from "First von Last" or "von Last, First"."""
    author = " ".join(author.split())
    head, _, tail = author.rpartition(",")
    if head and tail.strip().lower() in NAME_SUFFIXES:
        author = head  # "Martin Luther King, Jr."
    if "," in author:
        head = author.split(",", 1)[0].strip()
        if head:
            return head
    tokens = [t for t in author.split(" ") if t]
    while len(tokens) > 1 and tokens[-1].lower().strip(",") in NAME_SUFFIXES:
        tokens.pop()
    if not tokens:
        return ""
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].lower() in NAME_PARTICLES:
        start -= 1
    # "van Berg" (no given name): the particle is the first token.
    if start == 1 and tokens[0].lower() in NAME_PARTICLES:
        start = 0
    return " ".join(tokens[start:])


def title_word(title: str) -> str:
    """The first title word that is not a stop word, as a slug ("" if none)."""
    slugs = [_slug(word) for word in title.split()]
    slugs = [s for s in slugs if re.search(r"[a-z]", s)]
    for s in slugs:
        if s not in STOP_WORDS:
            return s
    return slugs[0] if slugs else ""


def _suffixes() -> Iterable[str]:
    """a, b, ..., z, aa, ab, ...: bijective base 26, so the sequence never ends."""
    n = 1
    while True:
        k, letters = n, ""
        while k:
            k, r = divmod(k - 1, 26)
            letters = chr(ord("a") + r) + letters
        yield letters
        n += 1


def make_citekey(
    authors: list[str], title: str, year: int | None, taken: set[str], *, folded: bool = False
) -> str:
    """A new key for a paper, unique against `taken` (which is not modified).

    The caller adds the result to `taken` before asking for the next key. With `folded`
    the caller promises every key in `taken` is already lower-case, which saves folding
    the whole set again on each call (an import into a big library makes many calls).
    """
    author = _slug(family_name(authors[0])) if authors else ""
    word = title_word(title or "")
    when = str(year) if isinstance(year, int) and year > 0 else ""
    if author:
        base = f"{author}{when}{word}"
    elif word:
        base = f"{word}{when}"
    else:
        base = f"paper{when}"
    lowered = taken if folded else {key.lower() for key in taken}
    if base not in lowered:
        return base
    for suffix in _suffixes():
        if base + suffix not in lowered:
            return base + suffix
    raise AssertionError("unreachable")  # pragma: no cover
