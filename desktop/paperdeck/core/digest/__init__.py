"""Turn pasted digests, emails and lists into drafts.

Each format is a small module with ``NAME``, ``LABEL``, ``score(text) -> float``
(0 to 1, judged by content only, on a bounded sample) and ``parse(text) ->
list[Draft]``. Detection asks every module for a score; the best that finds
papers wins. HTML pastes are also flattened to text and the better reading kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType

from paperdeck.core.models import Draft

from . import (
    arxiv_email,
    arxiv_listing,
    bibtex_paste,
    csl_json,
    hf_papers,
    identifiers_list,
    jabref,
    markdown,
    references,
    ris,
    scholar,
    title_paragraph,
    zotero_json,
    zotero_rdf,
)
from .decode import decode_paste, decode_paste_noted, unreadable_note
from .htmltext import html_to_text, looks_like_html
from .textutil import clean_text

__all__ = ["FORMATS", "ParseResult", "better_paste", "decode_paste", "decode_paste_noted",
           "detect_format", "parse_digest", "unreadable_note"]

# Order is the tie-breaker: structured formats before loose ones.
_PARSERS: tuple[ModuleType, ...] = (
    zotero_json,
    zotero_rdf,
    csl_json,
    jabref,
    bibtex_paste,
    ris,
    arxiv_email,
    arxiv_listing,
    scholar,
    hf_papers,
    markdown,
    identifiers_list,
    references,
    title_paragraph,
)
FORMATS: dict[str, str] = {p.NAME: p.LABEL for p in _PARSERS}
_BY_NAME: dict[str, ModuleType] = {p.NAME: p for p in _PARSERS}
STRONG = 0.6  # a score this high means the text carries the format's own markers
MIN_SCORE = 0.1
MAX_WEAK_TRIES = 3


@dataclass
class ParseResult:
    """What a paste turned into, and in which format it was read."""

    format: str
    drafts: list[Draft] = field(default_factory=list)
    message: str = ""
    # Entries a library export held but that could not be read whole ("entry 12
    # (key Smith2020): no closing brace"): reported, never imported in part.
    skipped: list[str] = field(default_factory=list)

    def skipped_summary(self) -> str:
        """One line naming the entries left out, or ""."""
        if not self.skipped:
            return ""
        n = len(self.skipped)
        shown = "; ".join(self.skipped[:3]) + ("; …" if n > 3 else "")
        return f"Skipped {n} broken entr{'y' if n == 1 else 'ies'}: {shown}"


def _none_message(reason: str) -> str:
    """Plain words for "nothing found", listing what we do understand."""
    labels = "; ".join(FORMATS.values())
    return (
        f"No papers recognised: {reason}. paperdeck understands: {labels}. "
        "Paste one of these (or choose the format by hand) and try again."
    )


def _quality(drafts: list[Draft]) -> int:
    """Titled cards count double: a title is what makes a card useful."""
    return sum(2 if d.title else 1 for d in drafts)


def _ranked(text: str) -> list[tuple[float, int, ModuleType]]:
    """Parsers with a score worth trying, best first (ties by registry order)."""
    ranked = []
    for order, parser in enumerate(_PARSERS):
        try:
            s = parser.score(text)
        except Exception:  # a scorer bug must not hide the other formats
            s = 0.0
        if s >= MIN_SCORE:
            ranked.append((s, order, parser))
    ranked.sort(key=lambda t: -t[0])  # stable: ties keep registry order
    return ranked


def _safe_parse(parser: ModuleType, text: str) -> list[Draft]:
    """A parser bug costs this format, never the whole paste."""
    return _safe_read(parser, text)[0]


def _safe_read(parser: ModuleType, text: str) -> tuple[list[Draft], list[str]]:
    """Drafts and the entries skipped as broken (parsers of library exports report them)."""
    try:
        if hasattr(parser, "parse_report"):
            return parser.parse_report(text)
        return parser.parse(text), []
    except Exception:
        return [], []


def _auto(text: str) -> tuple[str, list[Draft]]:
    """Best (format, drafts) for plain text, or ("none", [])."""
    ranked = _ranked(text)
    best: tuple[str, list[Draft]] = ("none", [])
    best_q = 0
    weak_tries = 0
    for s, _, parser in ranked:
        if s < STRONG:
            weak_tries += 1
            if weak_tries > MAX_WEAK_TRIES:
                break  # each try reads the whole paste: keep big pastes bounded
        drafts, skipped = _safe_read(parser, text)
        if not drafts:
            if skipped and s >= STRONG:
                return best  # a library whose entries are all broken: no looser reading of them
            continue
        if s >= STRONG:
            return parser.NAME, drafts
        if _quality(drafts) > best_q:
            best, best_q = (parser.NAME, drafts), _quality(drafts)
    return best


def _with_html(text: str, read) -> tuple[str, list[Draft]]:
    """Read the raw text and, for HTML, its flattened text; keep the better reading."""
    fmt, drafts = read(text)
    if looks_like_html(text):
        flat = html_to_text(text)
        fmt2, drafts2 = read(flat)
        if _quality(drafts2) > _quality(drafts):
            return fmt2, drafts2
    return fmt, drafts


def detect_format(text: str) -> str:
    """The machine name of the format the text is read as, "none" if nothing fits."""
    return parse_digest(text).format


def parse_digest(text: str, fmt: str | None = None) -> ParseResult:
    """Drafts from pasted text; ``fmt`` forces a format (a name from ``FORMATS``).

    Never raises on any text; raises ValueError only for an unknown ``fmt``.
    """
    if fmt is not None and fmt not in _BY_NAME:
        raise ValueError(f"unknown digest format {fmt!r}; known: {', '.join(FORMATS)}")
    text = clean_text(text or "")
    if not text.strip():
        return ParseResult(fmt or "none", [], _none_message("the text is empty"))
    if fmt is not None:
        parser = _BY_NAME[fmt]
        _, drafts = _with_html(text, lambda t: (fmt, _safe_parse(parser, t)))
        msg = "" if drafts else _none_message(f"nothing in the text read as {FORMATS[fmt]}")
        return _with_skipped(ParseResult(fmt, drafts, msg), text)
    if why := csl_json.broken_export(text):
        return ParseResult("none", [], f"This looks like a Zotero or CSL-JSON export, but {why}; "
                           "nothing was imported. Export the library again and retry.")
    found, drafts = _with_html(text, _auto)
    if not drafts:
        return _all_skipped(text) or ParseResult(
            "none", [], _none_message("the text did not match any known format")
        )
    return _with_skipped(ParseResult(found, drafts), text)


def _all_skipped(text: str) -> ParseResult | None:
    """A library export whose every entry was unreadable: say so, in its own format."""
    for s, _, parser in _ranked(text):
        if s >= STRONG and hasattr(parser, "parse_report"):
            drafts, skipped = _safe_read(parser, text)
            if skipped and not drafts:
                result = ParseResult(parser.NAME, [], skipped=skipped)
                result.message = f"No papers recognised in this {parser.LABEL}. {result.skipped_summary()}"
                return result
    return None


def _with_skipped(result: ParseResult, text: str) -> ParseResult:
    """For library exports, the entries skipped as broken (read again: a file of a
    few thousand entries takes milliseconds, and detection stays one code path)."""
    parser = _BY_NAME.get(result.format)
    if parser is not None and hasattr(parser, "parse_report"):
        drafts, skipped = _safe_read(parser, text)
        if drafts:
            result.drafts, result.skipped = drafts, skipped
    return result


def better_paste(plain: str, html: str) -> str:
    """A rich-text clipboard carries a paste twice (plain text and HTML): the text that
    reads into more (titled) papers, for the import dialog to show and parse.

    When the HTML wins, its flattened text is returned if that reads just as well
    (it is what a person can edit), else the HTML itself."""
    if not html.strip():
        return plain
    if not plain.strip():
        return html
    plain_q = _quality(parse_digest(plain).drafts)
    html_q = _quality(parse_digest(html).drafts)
    if html_q <= plain_q:
        return plain
    flat = html_to_text(html)
    return flat if _quality(parse_digest(flat).drafts) >= html_q else html

