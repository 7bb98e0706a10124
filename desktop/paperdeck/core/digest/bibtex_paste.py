"""BibTeX pasted from Google Scholar, arXiv, DBLP or someone's .bib file.

A small tolerant reader rather than a full parser: the paste is cut into
entries at ``@type{`` openings, each entry is read with brace matching bounded
by its own chunk (so one broken entry cannot swallow the rest or cost n²),
``@string`` macros are expanded, ``@comment``/``@preamble`` skipped.
"""

from __future__ import annotations

import re

from paperdeck.core import names as bibnames
from paperdeck.core.citation import ENTRY_TYPES, EXTRA_FIELDS
from paperdeck.core.models import Draft

from .identifiers import (
    MAX_TOKEN,
    find_arxiv_ids,
    normalise_arxiv_id,
    normalise_doi,
    paper_url,
    year_from_arxiv_id,
)
from .textutil import dedupe, find_year, latex_to_unicode, squash

NAME = "bibtex"
LABEL = "BibTeX entries"
SAMPLE = 200_000

_OPEN = re.compile(r"(?:^|(?<=[}\s)]))@\s*([A-Za-z]{2,30})\s*[{(]", re.M)
# A citation key as pasted, whatever it holds ("key%with#odd~chars", "Key With Space"):
# one that LaTeX cannot cite is replaced at import, and the report must name it.
_KEY_PART = r"[^,\s{}()=\"]{1,200}"
_KEY = re.compile(rf"\s*((?:{_KEY_PART}(?:[ \t]{{1,10}}{_KEY_PART}){{0,10}})?)\s*,")
_NAME = re.compile(r"\s*([A-Za-z][\w\-:.+]{0,60})\s*=\s*")
_BARE = re.compile(r"[^\s,#}{)\"]{1,200}")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_VENUE_FIELDS = (
    "journal",
    "booktitle",
    "journaltitle",
    "eventtitle",
    "howpublished",
    "school",
    "institution",
    "publisher",
)


def _read_braced(s: str, i: int, close: str) -> tuple[str, int]:
    """Text inside a balanced ``{...}`` or ``"..."`` starting after the opener at ``i``."""
    depth = 0
    start = i
    n = len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                if close == "}":
                    return s[start:i], i + 1
                return s[start:i], i  # unbalanced inside quotes: stop here
            depth -= 1
        elif c == close and depth == 0:
            return s[start:i], i + 1
        i += 1
    return s[start:], n


def _read_value(s: str, i: int, macros: dict[str, str]) -> tuple[str, int]:
    """A field value: pieces in braces, quotes, numbers or macro names joined by ``#``."""
    pieces: list[str] = []
    n = len(s)
    while i < n:
        while i < n and s[i].isspace():
            i += 1
        if i >= n:
            break
        c = s[i]
        if c == "{":
            piece, i = _read_braced(s, i + 1, "}")
        elif c == '"':
            piece, i = _read_braced(s, i + 1, '"')
        else:
            m = _BARE.match(s, i)
            if not m:
                break
            word = m.group(0)
            piece = macros.get(word.lower(), word)
            i = m.end()
        pieces.append(piece)
        while i < n and s[i].isspace():
            i += 1
        if i < n and s[i] == "#":
            i += 1
            continue
        break
    return "".join(pieces), i


def read_fields_strictly(body: str, macros: dict[str, str]) -> tuple[dict[str, str], str]:
    """``name = value`` pairs of one entry body (after its key and comma, up to and
    including its closing brace), and what is wrong with it, "" when nothing is: a
    library entry is imported whole or not at all."""
    close = _closing_brace(body)
    if close < 0:
        return {}, "no closing brace (an unbalanced { or } inside it?)"
    fields: dict[str, str] = {}
    i, n = 0, close
    while i < n:
        while i < n and body[i] in " \t\r\n,":
            i += 1
        if i >= n:
            break
        m = _NAME.match(body, i, n)
        if not m:
            return fields, f"unreadable text {squash(body[i : i + 30])!r}"
        value, i = _read_value(body[:n], m.end(), macros)
        name = m.group(1).lower()
        if name in fields:
            return fields, f"field {name!r} twice"
        fields[name] = value  # _read_value has read over the whitespace after the value
        if i < n and body[i] != ",":
            return fields, f"field {name!r}: unexpected {squash(body[i : i + 30])!r} after its value"
    return fields, ""


def _closing_brace(body: str) -> int:
    """Index of the brace closing an entry whose opening brace came before ``body``, or -1."""
    depth = 0
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                return i
            depth -= 1
        elif c == "@" and depth == 0 and _OPEN.match(body, i):
            return -1  # the next entry starts before this one closed
        i += 1
    return -1


def _read_fields(body: str, macros: dict[str, str]) -> dict[str, str]:
    """``name = value`` pairs of one entry body; stops quietly at garbage."""
    fields: dict[str, str] = {}
    i = 0
    n = len(body)
    while i < n:
        m = _NAME.match(body, i)
        if not m:
            nxt = body.find(",", i)
            if nxt < 0:
                break
            i = nxt + 1
            continue
        value, i = _read_value(body, m.end(), macros)
        fields.setdefault(m.group(1).lower(), value)
        while i < n and body[i] in " \t\n,":
            i += 1
    return fields


def split_names(value: str) -> list[str]:
    """Display names of an author field ("others" kept as a trailing "et al.")."""
    return split_names_with_forms(value)[0]


def split_names_with_forms(value: str) -> tuple[list[str], dict[str, list[str]]]:
    """Split an author field on top-level " and ", each name read with BibTeX's grammar.

    Returns the display names and the parts a display guess would get wrong
    (`names.name_forms`), so the export writes "Guevara Gómez, Juan Camilo" again."""
    raws: list[str] = []
    depth = 0
    start = 0
    low = value.lower()
    i = 0
    while i < len(value):
        c = value[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
        elif (
            depth == 0
            and c.isspace()
            and low.startswith("and", i + 1)
            and (i + 4 < len(value) and value[i + 4].isspace())
        ):
            raws.append(value[start:i])
            start = i + 5  # "and" is read over: "A and and B" splits twice (an empty name)
        i += 1
    raws.append(value[start:])
    shown: list[str] = []
    parsed: list[bibnames.Name] = []
    et_al = False
    for raw in raws:
        raw = squash(raw)
        if not raw:
            continue  # "A and and B", a trailing " and ": no name there
        if bibnames.is_et_al(raw):
            et_al = True
            continue
        name = bibnames.parse_bibtex(raw)
        display = squash(name.display())
        if display:  # two authors may share a name (Wei Wang and Wei Wang): keep both
            shown.append(display)
            parsed.append(name)
    forms = bibnames.name_forms(shown, parsed)
    if et_al and shown:
        shown.append(bibnames.ET_AL)
    return shown, forms


_HELD = "\ue012"  # around a held formula's number: a private-use character no paste writes


def keep_math(text: str) -> str:
    """TeX to Unicode outside ``$...$``; valid math kept as TeX, as arXiv and JabRef do
    (braces around it, ``{$x$}`` or ``{H$_2$O}``, go the way of other braces)."""
    from paperdeck.core.bibtex import math_segments  # the exporter's notion of valid math

    held: list[str] = []
    pieces = []
    for math, piece in math_segments(text):
        if math:
            held.append(piece)
            pieces.append(f"{_HELD}{len(held) - 1}{_HELD}")
        else:
            pieces.append(piece)
    if not held:  # the same as below with nothing held, read faster
        return squash(bibnames.decode_tex(text))
    out = bibnames.decode_tex("".join(pieces))
    return squash(re.sub(f"{_HELD}(\\d+){_HELD}", lambda m: held[int(m.group(1))], out))


_IN, _OUT = "\ue010", "\ue011"  # stand-ins around a shielding group's text, through the decoding
_BEFORE_ARGUMENT = re.compile(r"\\(?:[A-Za-z]+|[^A-Za-z])\s*(?=\{)")  # `\emph {`, `\'{`


def _mark_shields(title: str) -> str:
    """`title` with `_IN`/`_OUT` inside each brace group that shields its text from a
    style's case change: one at the top level that is no special character (``{\\"O}``,
    recased by bibtex) and no macro's argument (``\\'{E}``, ``\\emph{...}``)."""
    arguments = {m.end() for m in _BEFORE_ARGUMENT.finditer(title)}  # braces opening an argument
    out = []
    depth = 0
    shield = False
    i = 0
    while i < len(title):
        c = title[i]
        if c == "\\":
            out.append(title[i : i + 2])
            i += 2
            continue
        if c == "{":
            depth += 1
            if depth == 1 and not title.startswith("{\\", i) and i not in arguments:
                shield = True
                c += _IN
        elif c == "}" and depth > 0:
            depth -= 1
            if depth == 0 and shield:
                shield = False
                c = _OUT + c
        out.append(c)
        i += 1
    return "".join(out)


def _braced_words(title: str) -> list[str]:
    """Words the paste shielded with braces, to shield again: a capital inside braces
    shields its word (``{Higgs}``, ``{GAN}s``), or only its part of a hyphenated word
    (``{X}-Ray`` gives "X", ``{U}-{N}et`` gives "U" and "Net"), the way bibtex reads it."""
    text = re.sub(r"(?<!\\)\$[^$]*\$", " ", title)  # math is kept whole, braced on export
    plain = latex_to_unicode(_mark_shields(text))
    words: list[list[tuple[str, bool]]] = [[]]
    inside = False
    for ch in plain:
        if ch in (_IN, _OUT):
            inside = ch == _IN
        elif ch.isspace():
            words.append([])
        else:
            words[-1].append((ch, inside))
    found: list[str] = []
    for word in words:
        parts: list[list[tuple[str, bool]]] = [[]]
        for ch, shielded in word:
            if ch in "-/":
                parts.append([])
            else:
                parts[-1].append((ch, shielded))
        kept = [any(shielded and ch.isupper() for ch, shielded in part) for part in parts]
        text_of = ["".join(ch for ch, _ in part) for part in parts]
        if all(kept[k] for k, t in enumerate(text_of) if re.search(r"\w", t)):
            candidates = ["".join(ch for ch, _ in word)] if any(kept) else []
        else:
            candidates = [t for k, t in enumerate(text_of) if kept[k]]
        for candidate in candidates:
            core = re.sub(r"^\W+|\W+$", "", candidate)
            if core and core not in found:
                found.append(core)
    return found


def field_doi(value: str) -> str:
    """A DOI field's value whole (SICI DOIs hold ``<>``), else the DOI found in it."""
    bare = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", squash(value), flags=re.I)
    if re.fullmatch(r"10\.\d{4,9}/\S+", bare):
        return bare
    return normalise_doi(value)


# Fields where an entry names its arXiv id in words: Google Scholar's
# "journal={arXiv preprint arXiv:2001.08361}", a note or howpublished "arXiv:2001.08361v2"
# or "\\url{https://arxiv.org/abs/...}", an eprint field written "arXiv:...", ADS's eid.
_ARXIV_TEXT_FIELDS = ("journal", "journaltitle", "note", "howpublished", "eprint", "eid", "volume",
                      "number")


def _arxiv_written(fields: dict[str, str], prefix: str) -> tuple[str, int | None]:
    """The one arXiv id the entry's text fields name (with its version if written), as in any
    other text: after "arXiv:" or in an arXiv link. Semantic Scholar's and DBLP's
    ``journal = {ArXiv}``/``{CoRR}`` with ``volume = {abs/2001.08361}`` name it too."""
    found: dict[str, int | None] = {}
    for name in _ARXIV_TEXT_FIELDS:
        value = squash(fields.get(name, ""))[:MAX_TOKEN]
        if not value or (name == "eprint" and prefix not in ("", "arxiv")):
            continue
        # "arXiv preprint 2001.08361": a field that opens with "arXiv" names it bare too
        for arxiv_id in find_arxiv_ids(value, bare=value[:5].lower() == "arxiv"):
            version = re.search(re.escape(arxiv_id) + r"v(\d{1,3})(?!\d)", value, re.IGNORECASE)
            if found.get(arxiv_id) is None:
                found[arxiv_id] = int(version.group(1)) if version else None
    venue = squash(fields.get("journal", "") or fields.get("journaltitle", ""))
    abs_volume = re.fullmatch(r"abs/(\S+)", squash(fields.get("volume", "")))
    if not found and abs_volume and re.fullmatch(r"(?i)arxiv|corr", venue):
        arxiv_id, version = normalise_arxiv_id(abs_volume.group(1))
        if arxiv_id:
            found[arxiv_id] = version
    if len(found) != 1:  # none, or two papers named: no guess
        return "", None
    return next(iter(found.items()))


_URL_ONLY = re.compile(r"\\url\s*\{\s*(https?://[^\s{}]+)\s*\}", re.IGNORECASE)  # a field that is a link


def draft_from_fields(key: str, fields: dict[str, str], kind: str = "", *,
                      untitled: bool = False) -> Draft | None:
    """A draft from one entry's fields; entries without a title are skipped (kept with an
    empty title when ``untitled``: a library's reference is data even without one)."""
    title = squash(keep_math(squash(fields.get("title", ""))).replace("\n", " "))  # TeX's \\ too
    if not title and not untitled:
        return None
    d = Draft(title=title, citekey=key)
    d.authors, forms = split_names_with_forms(fields.get("author", "") or fields.get("editor", ""))
    d.abstract = keep_math(squash(fields.get("abstract", "")))
    d.entry_type = kind if kind in ENTRY_TYPES else ""
    d.fields = {name: bibnames.decode_tex(squash(fields[name])) for name in EXTRA_FIELDS
                if name != "editor" and squash(fields.get(name, ""))}
    if fields.get("author") and squash(fields.get("editor", "")):
        d.fields["editor"] = " and ".join(split_names(fields["editor"]))
    if forms:
        d.fields["names"] = forms
    protect = _braced_words(fields.get("title", ""))
    if protect:
        d.fields["protect"] = protect
    linked = {f: m.group(1) for f in _VENUE_FIELDS
              if (m := _URL_ONLY.fullmatch(squash(fields.get(f, ""))))}  # `howpublished={\url{...}}`
    d.venue = next((bibnames.decode_tex(squash(fields[f])) for f in _VENUE_FIELDS
                    if fields.get(f) and f not in linked), "")
    d.doi = field_doi(fields.get("doi", ""))
    eprint = fields.get("eprint", "")
    prefix = fields.get("archiveprefix", fields.get("eprinttype", "")).lower()
    if eprint and (prefix in ("", "arxiv")):
        d.arxiv_id, d.arxiv_version = normalise_arxiv_id(eprint)
    url = squash(fields.get("url", "")) or next(iter(linked.values()), "")
    if not d.arxiv_id and "arxiv.org" in url:
        d.arxiv_id, d.arxiv_version = normalise_arxiv_id(url)
    if not d.arxiv_id:
        d.arxiv_id, d.arxiv_version = _arxiv_written(fields, prefix)
    if not d.doi and "doi.org/" in url:
        d.doi = normalise_doi(url)
    d.primary_class = squash(fields.get("primaryclass", "") or fields.get("eprintclass", ""))
    d.url = url if url.startswith(("http://", "https://")) else paper_url(d.arxiv_id, d.doi)
    d.links = [link for link in dict.fromkeys(linked.values()) if link != d.url]
    d.year = find_year(fields.get("year", "") or fields.get("date", ""))
    dated = re.match(r"\s*\d{4}-(\d{2})\b", fields.get("date", ""))
    if dated and "month" not in d.fields and 1 <= int(dated.group(1)) <= 12:
        d.fields["month"] = _MONTHS[int(dated.group(1)) - 1].capitalize()
    if d.year is None and d.arxiv_id:
        d.year = year_from_arxiv_id(d.arxiv_id)
    if d.arxiv_id and _only_names_arxiv(d.fields.get("note", ""), d.arxiv_id):
        del d.fields["note"]  # the id's own note (ours, Zotero's): the export writes it anew
    return d


def _only_names_arxiv(note: str, arxiv_id: str) -> bool:
    """A note that says only the paper's arXiv id: `arXiv:2401.01234`, `{arXiv}:2401.01234`,
    Zotero's `arXiv:2401.01234 [cs]`."""
    pattern = rf"\s*\{{?arxiv\}}?\s*:?\s*{re.escape(arxiv_id)}(?:v\d+)?(?:\s*\[[^\]]*\])?\.?\s*"
    return bool(note) and re.fullmatch(pattern, note, re.IGNORECASE) is not None


def parse(text: str) -> list[Draft]:
    """Every titled entry, in order."""
    opens = list(_OPEN.finditer(text))
    macros: dict[str, str] = {m: m.capitalize() for m in _MONTHS}
    drafts: list[Draft] = []
    seen: set[str] = set()
    for k, m in enumerate(opens):
        kind = m.group(1).lower()
        end = opens[k + 1].start() if k + 1 < len(opens) else len(text)
        chunk = text[m.end() : end]
        if kind in ("comment", "preamble"):
            continue
        if kind == "string":
            fields = _read_fields(chunk, macros)
            macros.update({name: latex_to_unicode(v) for name, v in fields.items()})
            seen.clear()  # an entry repeated after this may read otherwise (a macro changed)
            continue
        if kind + chunk in seen:
            continue  # a literal repeat, with the same macros, reads the same: skip the work
        seen.add(kind + chunk)
        km = _KEY.match(chunk)
        key = km.group(1) if km else ""
        body = chunk[km.end() :] if km else chunk
        d = draft_from_fields(key, _read_fields(body, macros), kind)
        if d is not None:
            drafts.append(d)
    return dedupe(drafts)


def score(text: str) -> float:
    """Strong when entries open with ``@type{key,`` and have ``field =`` lines."""
    head = text[:SAMPLE]
    entries = len(re.findall(r"@\s*[A-Za-z]{2,30}\s*[{(]\s*[^,\s{}]*\s*,", head))
    fields = len(re.findall(r"^\s*(?:title|author|year|journal|booktitle)\s*=", head, re.M | re.I))
    if entries and fields >= entries:
        return 0.95
    return 0.4 if entries else 0.0
