"""Small text judgements every parser shares: is this a title, prose, a list of names.

Parsers are only as good as these guesses, so they live in one place and are
tested on their own. Every check looks at a bounded prefix of a line, so a
1 MB line costs no more than a short one.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from paperdeck.core.bidi import BIDI_CONTROLS
from paperdeck.core.models import Draft
from paperdeck.core.names import ET_AL

from .identifiers import find_arxiv_ids, find_dois

MAX_TITLE = 300
_HYPHEN_END_RE = re.compile(r"[^\W\d_]-$")  # a letter, then the hyphen a line ends with
# A chat log's "Ann Lee 10:32 AM" or "Ann Lee — Today at 10:32": names and times, no titles.
CLOCK_RE = re.compile(r"\b\d{1,2}:\d{2}\b")
MIN_ABSTRACT = 80
_LATEX_LIMIT = 20_000


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one readable block of text."""
    return frozenset(text.split())


def phrase_set(text: str) -> frozenset[str]:
    """A set of phrases written as one block, separated by ``|``."""
    return frozenset(p.strip() for p in text.split("|") if p.strip())


# Invisible characters dropped from pastes. Not ZWNJ/ZWJ (U+200C/D): Persian, Indic scripts
# and emoji sequences are spelled with them. Also the explicit bidi controls (see bidi.py).
_ZERO_WIDTH_CHARS = ("\u200b", "\u2060", "\ufeff", "\x00", *BIDI_CONTROLS)
_SPACE_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_URL_ONLY_RE = re.compile(r"<?(?:https?://|www\.)\S*>?", re.IGNORECASE)
_MARKUP_RE = re.compile(r"</?[a-zA-Z][\w-]{0,20}(?:\s[^<>]{0,500})?/?>")
_NON_WORD_RE = re.compile(r"\W+")
_YEAR_RE = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")
# What makes such a number a size or a count, not a year: "2048kb", "1998 KB", "2000 MiB",
# "2010 bytes", "2001 pages" (a count: no page numbers after it); and before it, "pp." or
# "pages" ("pp. 2001--2010": both ends of the range).
_NOT_A_YEAR_AFTER = re.compile(
    r"\s?(?:[kKMGT]i?[bB]|[kmg]b|bytes?|kilobytes?|megabytes?)\b|[kK]\b(?!\.)"
    r"|\s*[Pp]ages?\b(?!\s*\d)",
)
_NOT_A_YEAR_BEFORE = re.compile(r"(?:\bpp?\.|\bpages?)\s*(?:\d+\s*[-\u2013\u2014]{1,2}\s*)?$", re.I)
_SENTENCE_END = re.compile(r"[.!?][\"')\]]?(?:\s|$)")

# Words of page furniture that look like short titles but never are.
UI_WORDS = word_set(
    """
    subscribe unsubscribe upvote upvotes share save cite download pdf html code next
    previous more less login sign in sign up menu home search abstract comments papers
    paper models datasets spaces docs pricing follow following view edit reply delete
    copy link links related loading back top
    """
)

# Phrases that abstracts use and ordinary prose rarely does.
_ABSTRACT_CUES = re.compile(
    r"\b(?:we propose|we present|we introduce|we show|we find|we study|we demonstrate|"
    r"this paper|this work|in this paper|in this work|our (?:method|approach|model|results|"
    r"framework|experiments)|state[- ]of[- ]the[- ]art|benchmarks?|experiments?|empirical|"
    r"outperforms?|datasets?|framework|novel|baselines?|evaluat\w+|results|models?|"
    r"algorithms?|theorem|we prove|performance|approach)\b",
    re.IGNORECASE,
)
_NAME_PARTICLES = word_set(
    """
    van von der de del della di da du le la den ter bin al el dos das
    """
)
# arXiv's affiliation convention: "A B (1 and 2), C D (2) ((1) MIT, (2) ETH)" and
# "A B (MIT), C D (ETH)": the numbered block first, then every remaining (...) group.
_AFFIL_BLOCK_RE = re.compile(r"\(\s*\(\s*\w{1,3}\s*\)(?:[^()]|\(\s*\w{1,3}\s*\))*\)")
_PAREN_RE = re.compile(r"\s*\([^()]*\)")
_NOT_SHOWN_RE = re.compile(r"\(\s*\d[\d,]*\s+additional\s+authors?\s+not\s+shown\s*\)", re.I)
# "A B, C D…" / "A B, C D..." / "A B, C D, ...": a list cut short (not "C. D." initials).
_TRAILING_ELLIPSIS = re.compile(r"(?:…|\.\.\.)[\s.,;]*$")
# What separates names: split on by split_authors, counted by looks_like_author_line.
_NAME_SEPARATOR = re.compile(r"\s*(?:,|;|\s&\s|\band\b)\s*")
_OTHERS_RE = re.compile(r"(?:,?\s*(?:and|&)\s+)?\d+\s+others?\b.*$|\bet\s+al\.?.*$", re.I)


def clean_text(text: str) -> str:
    """Normalise newlines, drop NULs, zero-width spaces and bidi controls."""
    for ch in _ZERO_WIDTH_CHARS:  # str.translate is slow on megabytes; replace is not
        if ch in text:
            text = text.replace(ch, "")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\u2028", "\n").replace("\u2029", "\n")


def squash(line: str) -> str:
    """Collapse runs of spaces (including exotic ones) and strip."""
    return _SPACE_RE.sub(" ", line).strip()


def unwrap(lines: Iterable[str]) -> str:
    """Wrapped lines as one line. A line that ends in a word's hyphen ("state-of-the-") goes
    on without a space: a mail or a window wraps after a hyphen, and "state-of-the- art"
    would be neither the word nor searchable as it."""
    parts: list[str] = []
    for line in lines:
        line = line.strip()
        if line:
            if parts and not (_HYPHEN_END_RE.search(parts[-1]) and line[:1].isalpha()):
                parts.append(" ")
            parts.append(line)
    return squash("".join(parts))


@functools.lru_cache(maxsize=8192)
def is_url_only(line: str) -> bool:
    """True for a line that is nothing but a link."""
    return bool(_URL_ONLY_RE.fullmatch(line.strip()[:4096]))


def letter_ratio(s: str) -> float:
    """Share of letters among non-space characters (any script), judged on a prefix."""
    head = s[:600]
    visible = len(head) - sum(map(str.isspace, head))
    if visible <= 0:
        return 0.0
    return sum(map(str.isalpha, head)) / visible


@functools.lru_cache(maxsize=8192)
def is_title_like(line: str, *, allow_period: bool = False) -> bool:
    """Could this line be a paper title? Short, wordy, not a link, not page furniture."""
    s = line.strip()
    if not 3 <= len(s) <= MAX_TITLE or is_url_only(s):
        return False
    words = s.split()
    if len(words) > 45:
        return False
    if len(words) == 1 and not _is_cjk_heavy(s):
        # One-word titles exist, but in loose text a lone word is almost always a button.
        return False
    if s.lower().strip(" .!:") in UI_WORDS or letter_ratio(s) < 0.5:
        return False
    if "<" in s and _MARKUP_RE.search(s):
        return False
    if not allow_period and s.endswith(".") and not s.endswith(("..", "al.", "vs.", "etc.")):
        return False
    return not s.endswith((",", ";", ":")) and s[0] not in "-*|>#,;.)]}"


def title_cased(line: str) -> bool:
    """Most words of four letters or more capitalised, as titles are in many lists."""
    long = [w for w in line.split() if sum(c.isalpha() for c in w) >= 4]
    return len(long) >= 2 and sum(w[0].isupper() for w in long) >= 0.6 * len(long)


def _is_cjk_heavy(s: str) -> bool:
    """CJK titles have no spaces; judge them by script, not word count."""
    return sum(1 for c in s if unicodedata.east_asian_width(c) == "W") >= 4


@functools.lru_cache(maxsize=8192)
def is_prose(line: str, min_len: int = MIN_ABSTRACT) -> bool:
    """A sentence-like paragraph: long enough, several words, mostly letters."""
    s = line.strip()
    if len(s) < min_len:
        return False
    head = s[:2000]
    if len(head.split()) < 10 and not _is_cjk_heavy(head):
        return False
    return letter_ratio(head) >= 0.6


def abstract_cue_count(text: str) -> int:
    """How many abstract-style phrases a paragraph uses (bounded work)."""
    return len(_ABSTRACT_CUES.findall(text[:5000]))


def looks_like_abstract(text: str) -> bool:
    """Prose that reads like a paper abstract, not like an email or a blog post."""
    return is_prose(text, 150) and abstract_cue_count(text) >= 2


def find_year(text: str) -> int | None:
    """The last plausible publication year in a short string (venue lines end with it).

    A number that is a size or a page number is none: "(2048kb,D)" on an arXiv date
    line, "1998 KB", "pp. 2001--2010" (a "2019 pages 1-10" venue keeps its 2019)."""
    head = text[:1000]
    years = [m.group(1) for m in _YEAR_RE.finditer(head)
             if not _NOT_A_YEAR_AFTER.match(head, m.end())
             and not _NOT_A_YEAR_BEFORE.search(head[max(0, m.start() - 24) : m.start()])]
    return int(years[-1]) if years else None


def _looks_like_name(part: str) -> bool:
    """ "Jane Q. Doe", "J Doe", "van der Berg, A." - a few capitalised tokens."""
    tokens = part.replace(".", ". ").split()
    if not 1 <= len(tokens) <= 6 or ":" in part or len(part) > 60:
        return False
    caps = 0
    for tok in tokens:
        first = tok.lstrip("(\"'")[:1]
        if tok.lower() in _NAME_PARTICLES:
            continue
        if not first.isalpha():
            return False
        if first.isupper() or not first.isascii():
            caps += 1
        else:
            return False
    return caps >= 1


def split_authors(line: str) -> list[str]:
    """Split "A B, C D and E F, and 3 others" into names. A list that says it is cut short
    ("et al.", "and 3 others", "(2900 additional authors not shown)", a trailing "…") ends
    with the marker `names.ET_AL`, which exports write as BibTeX's ``and others``."""
    return list(_split_authors(line))


@functools.lru_cache(maxsize=8192)
def _split_authors(line: str) -> tuple[str, ...]:
    """Cached worker for ``split_authors`` (a tuple, so callers cannot alter the cache)."""
    s = squash(line)
    s = re.sub(r"^(?:authors?|by)\s*:?\s+", "", s, flags=re.I)
    cut = bool(_NOT_SHOWN_RE.search(s))
    if "(" in s:
        s = _PAREN_RE.sub("", _AFFIL_BLOCK_RE.sub("", s))
    s, others = _OTHERS_RE.subn("", s)
    cut = cut or bool(others) or _TRAILING_ELLIPSIS.search(s) is not None
    s = s.replace("…", "").replace("...", "")
    parts = _NAME_SEPARATOR.split(s)
    names = tuple(n for n in (squash(p).strip(" .,;·") for p in parts) if n)
    return (*names, ET_AL) if cut and names else names


@functools.lru_cache(maxsize=8192)
def looks_like_author_line(line: str) -> bool:
    """A line listing people: most parts are short capitalised names, two or more."""
    s = squash(line)
    if not s or len(s) > 3000:
        return False
    if re.match(r"^(?:authors?)\s*:", s, re.I):
        return True
    # the separators split_authors splits on ("&" too: "Ann Lee & Bo Chen" is two names)
    commas = len(_NAME_SEPARATOR.findall(s))
    if len(s.split()) > 6 * (commas + 1) and not _OTHERS_RE.search(s):
        return False  # prose: far more words than separators
    names = [n for n in split_authors(s) if n != ET_AL]
    if len(names) < 2:  # one name (no separator) only with a marker: "A B et al." is names
        return bool(names) and _OTHERS_RE.search(s) is not None and _looks_like_name(names[0])
    good = sum(1 for n in names if _looks_like_name(n))
    multi = sum(1 for n in names if len(n.split()) >= 2)
    return good >= 0.8 * len(names) and multi >= 0.5 * len(names)


@functools.cache
def _latex_converter():  # -> LatexNodes2Text; imported lazily, it is slow to import
    """One converter that also knows the logo macros BibTeX titles use."""
    from pylatexenc import latex2text

    db = latex2text.get_default_latex_context_db()
    logos = [latex2text.MacroTextSpec(n, simplify_repl=n) for n in ("TeX", "LaTeX", "BibTeX")]
    db.add_context_category("paperdeck-logos", prepend=True, macros=logos)
    return latex2text.LatexNodes2Text(latex_context=db, math_mode="text", strict_latex_spaces=True)


# Accent macros (``\\^``, ``\\v``...) stacked without braces, ``{\\~\\^e}``, and their letter:
# TeX reads the first accent's argument as the whole rest, pylatexenc as the next macro
# only (the marks then land on the wrong letter), so they are braced first.
_ACCENT = r"\\(?:[`'^\"~=.]|[uvHcdbrk](?![A-Za-z]))"
_STACKED_ACCENTS = re.compile(
    rf"(?<!\\)((?:{_ACCENT}\s*){{2,}})(\\[ij](?![A-Za-z])|[A-Za-z]|\{{[^{{}}]*\}})"
)


def _brace_stacked_accents(m: re.Match[str]) -> str:
    r"""``\~\^e`` -> ``\~{\^{e}}``."""
    base = m.group(2).strip()
    out = base[1:-1] if base.startswith("{") else base
    for accent in reversed(re.findall(_ACCENT, m.group(1))):
        out = accent + "{" + out + "}"
    return out


@functools.lru_cache(maxsize=4096)
def latex_to_unicode(s: str) -> str:
    """Turn ``Mazar\\'e`` or ``$\\alpha$`` into Unicode (NFC); plain strings pass through untouched."""
    if not s or not any(c in s for c in "\\{}$~") or len(s) > _LATEX_LIMIT:
        return s
    protected = re.sub(r"(?<!\\)%", r"\\%", s)
    protected = _STACKED_ACCENTS.sub(_brace_stacked_accents, protected)
    try:
        out = _latex_converter().latex_to_text(protected)
    except Exception:  # pylatexenc raises assorted errors on malformed input
        return s
    return unicodedata.normalize("NFC", squash(out)) or s


def attach_identifiers(draft: Draft, text: str) -> None:
    """Fill a draft's arXiv id / DOI from its own block when it names exactly one."""
    if not draft.arxiv_id:
        ids = find_arxiv_ids(text, bare=False)
        if len(ids) == 1:
            draft.arxiv_id = ids[0]
    if not draft.doi:
        dois = find_dois(text)
        if len(dois) == 1:
            draft.doi = dois[0]


def title_key(title: str) -> str:
    """A title reduced to lowercase letters and digits, for spotting repeats."""
    return _NON_WORD_RE.sub("", title.casefold()).replace("_", "")


def dedupe(drafts: list[Draft]) -> list[Draft]:
    """Keep the first of literal repeats (same arXiv id, DOI, or same title with no clash).

    Later copies only fill fields the first one lacked; two papers that share a
    title but carry different identifiers are both kept.
    """
    out: list[Draft] = []
    by_key: dict[tuple[str, str], Draft] = {}
    for d in drafts:
        keys = []
        if d.arxiv_id:
            keys.append(("arxiv", d.arxiv_id.lower()))
        if d.doi:
            keys.append(("doi", d.doi.lower()))
        tk = title_key(d.title)
        if tk:
            keys.append(("title", tk))
        first = next((by_key[k] for k in keys if k in by_key), None)
        if first is not None and not _clash(first, d):
            _fill(first, d)
            for k in keys:
                by_key.setdefault(k, first)
            continue
        out.append(d)
        for k in keys:
            by_key.setdefault(k, d)
    return out


def _clash(a: Draft, b: Draft) -> bool:
    """Two drafts with different ids of the same kind are different papers."""
    return bool(
        (a.arxiv_id and b.arxiv_id and a.arxiv_id.lower() != b.arxiv_id.lower())
        or (a.doi and b.doi and a.doi.lower() != b.doi.lower())
    )


def _fill(a: Draft, b: Draft) -> None:
    """Copy into ``a`` the fields only ``b`` has."""
    for name in ("title", "abstract", "year", "arxiv_id", "doi", "url", "venue", "primary_class"):
        if not getattr(a, name) and getattr(b, name):
            setattr(a, name, getattr(b, name))
    if not a.authors and b.authors:
        a.authors = list(b.authors)
    for link in b.links:
        if link not in a.links:
            a.links.append(link)
