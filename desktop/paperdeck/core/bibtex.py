"""BibTeX export: one entry per paper, safe for bibtex, biber and LaTeX.

Two flavours. ASCII (default) is for classic ``bibtex``: non-ASCII characters
become LaTeX commands that compile with a bare ``\\documentclass{article}``.
UTF-8 (``utf8=True``) is for ``biber``: Unicode is kept as is.

Rules shared by both flavours (each exists because the tools showed a need):

- Every text field is plain text, never LaTeX: ``\\ { } % & $ # _ ^ ~ < > |``
  are written as commands in their own braces (``{\\textbackslash}``, ``{\\%}``,
  ...); ``@`` and ``=`` go in braces too (bibtexparser takes ``@misc{`` as a new
  entry, and biber warns of a "runaway string" when a wrapped line reads
  ``name =``), so a title like ``\\input{/etc/passwd}`` prints as literal text, braces
  in the output are always balanced, and ``^^5c``-style TeX escapes cannot form.
- Whitespace runs (newlines, tabs, Unicode spaces) become one space; control and
  bidi-override characters are dropped; long values are wrapped at spaces.
- Titles keep the capitalisation the user sees: every word containing an
  uppercase letter is braced (``{LLM}``, ``{Re-TASK:}``, ``{Minecraft}``), except
  the first word when only its first letter is uppercase. We cannot tell proper
  nouns from Title Case, and a style lowercasing "Bayesian" is worse than one
  keeping "Skill Expansion" capitalised.
- Names are joined with " and ". "Last, First" and "Last, Jr, First" are kept as
  BibTeX reads them; a name containing the word "and" or any other comma is
  braced whole, so it is one name and never splits.
- ``url``, ``doi`` and ``eprint`` are verbatim fields for biblatex and ``\\url``:
  they are not escaped, characters outside RFC 3986 are percent-encoded instead.
- Personal notes go to ``annote`` (ignored by standard styles, so they never
  print in someone's references); tags to ``keywords``, commas inside a tag
  becoming spaces; abstracts are kept whole (bibtex handles 5,000+ characters).

In the ASCII flavour a character is written with the LaTeX form from
``pylatexenc`` when every command in it is on our list of forms that compile
in a default (OT1) document; otherwise as its accent-stripped ASCII letters
("ą" -> "a", "ț" -> "t"); otherwise as "?" (CJK, emoji, RTL scripts: use UTF-8).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from pylatexenc.latexencode import UnicodeToLatexEncoder

from paperdeck.core.citekeys import is_safe_citekey
from paperdeck.core.models import Paper

SPECIALS = {
    "\\": r"{\textbackslash}", "{": r"{\textbraceleft}", "}": r"{\textbraceright}",
    "%": r"{\%}", "&": r"{\&}", "$": r"{\$}", "#": r"{\#}", "_": r"{\_}",
    "^": r"{\textasciicircum}", "~": r"{\textasciitilde}", "<": r"{\textless}",
    ">": r"{\textgreater}", "|": r"{\textbar}", "@": "{@}", "=": "{=}",
}  # fmt: skip

# Commands in pylatexenc's output that compile in a default article (checked by
# tests/test_bibtex.py over every character pylatexenc knows).
_TEXT_NAMES = """\
    ! " ' , - . ; = ^ ` ~ AE OE IJ L O H ae oe ij i l o ss c r u v textacutedbl
    textasciiacute textasciibreve textasciicaron textasciicircum textasciidieresis
    textasciimacron textasciitilde textasteriskcentered textbaht textbigcircle textblank
    textbrokenbar textbullet textcelsius textcent textcircledP textcolonmonetary
    textcompwordmark textcopyright textcurrency textdagger textdaggerdbl textdegree
    textdiscount textdiv textdong textdownarrow textellipsis textemdash textendash
    textestimated texteuro textexclamdown textflorin textfractionsolidus textinterrobang
    textleftarrow textlira textlnot textmho textmu textmusicalnote textnaira textnumero
    textonehalf textonequarter textonesuperior textopenbullet textordfeminine
    textordmasculine textparagraph textperiodcentered textpertenthousand textperthousand
    textpeso textquestiondown textquotedblleft textquotedblright textquoteleft
    textquoteright textrecipe textreferencemark textregistered textrightarrow textsection
    textservicemark textsterling textthreequarters textthreesuperior texttimes
    texttrademark texttwosuperior textuparrow textvisiblespace textwon textyen"""
_TEXT_COMMANDS = frozenset(_TEXT_NAMES.split())
# Allowed only inside \ensuremath{...}.
_MATH_NAMES = """\
    ensuremath Delta Gamma Lambda Omega Phi Pi Psi Sigma Theta Upsilon Xi alpha beta
    gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi
    varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Downarrow
    Leftarrow Leftrightarrow Longleftarrow Longleftrightarrow Longrightarrow Rightarrow
    Uparrow Updownarrow Vert aleph amalg angle approx asymp bigcap bigcirc bigcup
    bigtriangledown bigtriangleup bigvee bigwedge bowtie bullet cap cdot cdots circ cong
    coprod cup dashv ddots diamond doteq ell equiv exists forall frown geq gg hbar
    hookleftarrow hookrightarrow in infty int langle lceil leftharpoondown leftharpoonup
    leftrightarrow leq lfloor ll longleftarrow longleftrightarrow longmapsto longrightarrow
    mapsto mid mp nabla nearrow neq ni notin nwarrow odot oint ominus oplus oslash otimes
    parallel partial perp pm prec preceq prod propto rangle rceil rfloor rightharpoondown
    rightharpoonup rightleftharpoons searrow sim simeq smile sqcap sqcup sqsubseteq
    sqsupseteq star subset subseteq succ succeq sum supset supseteq swarrow times top
    triangleleft triangleright updownarrow uplus vdash vdots vee wedge wp wr"""
_MATH_COMMANDS = frozenset(_MATH_NAMES.split())
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_UNKNOWN = "\x00"
_ENCODER = UnicodeToLatexEncoder(
    non_ascii_only=True, unknown_char_policy=lambda _ch: _UNKNOWN, unknown_char_warning=False
)
# RFC 3986 unreserved + reserved characters, plus "%" (kept only as %XX).
_URL_SAFE = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]")
_ARXIV_VENUES = re.compile(r"\s*(arxiv|corr)\b", re.IGNORECASE)
WRAP = 79
INDENT = "    "


def clean_text(text: str) -> str:
    """NFC text with one space for any whitespace run and no control characters."""
    out = []
    for ch in unicodedata.normalize("NFC", text or ""):
        cat = unicodedata.category(ch)
        if ch.isspace() or cat == "Zs":
            out.append(" ")
        elif cat != "Cc" and ch not in _BIDI_CONTROLS:
            out.append(ch)
    return " ".join("".join(out).split())


def _ascii_form(ch: str) -> str:
    """How the ASCII flavour writes one non-ASCII character (see module rules)."""
    latex = _ENCODER.unicode_to_latex(ch)
    if latex != _UNKNOWN and _UNKNOWN not in latex:
        names = set(_COMMAND.findall(latex))
        allowed = _MATH_COMMANDS if latex.startswith(r"\ensuremath") else _TEXT_COMMANDS
        if names <= allowed:
            one_group = re.fullmatch(r"\{[^{}]*\}", latex)
            return latex if one_group else "{" + latex + "}"
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if c.isascii() and c.isprintable())
    return "".join(SPECIALS.get(c, c) for c in base) if base.strip() else "?"


def latex_escape(text: str, utf8: bool = False) -> str:
    """`text` as BibTeX field content that LaTeX prints literally (already cleaned)."""
    out = []
    for ch in text:
        if ch in SPECIALS:
            out.append(SPECIALS[ch])
        elif ch.isascii() or utf8:
            out.append(ch)
        else:
            out.append(_ascii_form(ch))
    return "".join(out)


def _needs_braces(word: str, first: bool) -> bool:
    """Whether a title word must be shielded from the style's case changes."""
    uppers = [i for i, ch in enumerate(word) if ch.isupper()]
    if not uppers:
        return False
    first_letter = next(i for i, ch in enumerate(word) if ch.isupper() or ch.islower())
    return not (first and uppers == [first_letter])


def format_title(title: str, utf8: bool = False) -> str:
    """The escaped title with case-protecting braces (rule in the module doc)."""
    words = clean_text(title).split(" ")
    out = []
    for i, word in enumerate(words):
        escaped = latex_escape(word, utf8)
        out.append("{" + escaped + "}" if _needs_braces(word, i == 0) else escaped)
    return " ".join(out)


def format_name(name: str, utf8: bool = False) -> str:
    """One author for the ``author`` list ("" for a blank name)."""
    name = clean_text(name)
    escaped = latex_escape(name, utf8)
    parts = [part.strip() for part in name.split(",")]
    has_and = re.search(r"(^|\s)and(\s|$)", name, re.IGNORECASE)
    odd_commas = len(parts) > 3 or (len(parts) > 1 and not all(parts))
    return "{" + escaped + "}" if has_and or odd_commas else escaped


def format_verbatim(value: str) -> str:
    """A URL-like value, percent-encoded where it is not plain RFC 3986 ASCII."""
    value = "".join(value.split())
    out = []
    for i, ch in enumerate(value):
        if _URL_SAFE.match(ch) or (ch == "%" and re.fullmatch(r"[0-9A-Fa-f]{2}", value[i + 1 : i + 3])):
            out.append(ch)
        else:
            out.extend(f"%{byte:02X}" for byte in ch.encode("utf-8"))
    return "".join(out)


def _wrap(value: str, first_width: int, width: int) -> list[str]:
    """Greedy wrap at spaces (no word is ever split, so values keep their text)."""
    words = value.split(" ")
    lines, current = [], words[0]
    for word in words[1:]:
        if len(current) + 1 + len(word) <= (width if lines else first_width):
            current += " " + word
        else:
            lines.append(current)
            current = word
    return [*lines, current]


def _is_preprint_venue(venue: str) -> bool:
    return bool(_ARXIV_VENUES.match(venue))


def _fields(paper: Paper, utf8: bool) -> tuple[str, list[tuple[str, str]]]:
    """The entry type and its (name, value) pairs, values already formatted."""
    title = clean_text(paper.title or paper.arxiv_id or paper.doi or paper.url) or "Untitled"
    authors = [formatted for a in paper.authors if (formatted := format_name(a, utf8))]
    venue = clean_text(paper.venue)
    year = str(paper.year) if isinstance(paper.year, int) and paper.year > 0 else ""
    is_article = bool(venue and not _is_preprint_venue(venue) and authors and year)

    fields: list[tuple[str, str]] = []
    if authors:
        fields.append(("author", " and ".join(authors)))
    fields.append(("title", format_title(title, utf8)))
    if venue and not _is_preprint_venue(venue):
        fields.append(("journal" if is_article else "howpublished", latex_escape(venue, utf8)))
    if year:
        fields.append(("year", year))
    elif utf8:
        # biblatex's data model requires a date; EDTF "XXXX" means "year unknown",
        # passes `biber --validate-datamodel` and prints nothing in the bibliography.
        fields.append(("date", "XXXX"))
    if paper.arxiv_id.strip():
        fields.append(("eprint", format_verbatim(paper.arxiv_id)))
        fields.append(("archivePrefix", "arXiv"))
        if paper.primary_class.strip():
            fields.append(("primaryClass", format_verbatim(paper.primary_class)))
    if paper.doi.strip():
        fields.append(("doi", format_verbatim(paper.doi)))
    url = paper.url.strip() or (
        f"https://arxiv.org/abs/{paper.arxiv_id.strip()}" if paper.arxiv_id.strip() else ""
    )
    if url:
        fields.append(("url", format_verbatim(url)))
    tags = [clean_text(tag.replace(",", " ")) for tag in paper.tags]
    if any(tags):
        fields.append(("keywords", ", ".join(latex_escape(t, utf8) for t in tags if t)))
    if clean_text(paper.abstract):
        fields.append(("abstract", latex_escape(clean_text(paper.abstract), utf8)))
    if clean_text(paper.notes):
        fields.append(("annote", latex_escape(clean_text(paper.notes), utf8)))
    if not authors and not utf8:
        # plain.bst and friends sort by author, else by `key`; biblatex uses the title.
        fields.append(("key", latex_escape(title, utf8)))
    return ("article" if is_article else "misc"), fields


def paper_entry(paper: Paper, utf8: bool = False) -> str:
    """One ``@article``/``@misc`` entry under the paper's stored citation key.

    Raises ValueError when the key is empty or unsafe: keys are assigned once by
    the library, and silently inventing another would break users' documents.
    """
    key = paper.citekey
    if not key:
        raise ValueError(f"paper {paper.id} has no citation key")
    if not is_safe_citekey(key):
        raise ValueError(f"paper {paper.id} has an unsafe citation key: {key!r}")
    kind, fields = _fields(paper, utf8)
    lines = [f"@{kind}{{{key},"]
    for name, value in fields:
        head = f"  {name} = {{"
        body = ("\n" + INDENT).join(_wrap(value, WRAP - len(head), WRAP - len(INDENT)))
        lines.append(f"{head}{body}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_bibtex(papers: Iterable[Paper], utf8: bool = False) -> str:
    """A whole .bib file; raises ValueError on a repeated key (bibtex would too)."""
    seen: set[str] = set()
    entries = []
    for paper in papers:
        folded = paper.citekey.lower()
        if folded in seen:
            raise ValueError(f"repeated citation key: {paper.citekey!r}")
        seen.add(folded)
        entries.append(paper_entry(paper, utf8))
    return "\n".join(entries)
