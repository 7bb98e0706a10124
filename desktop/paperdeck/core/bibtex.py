"""BibTeX export: one entry per paper, safe for bibtex, biber and LaTeX.

Three flavours. ASCII (default) is for classic ``bibtex``: non-ASCII characters
become LaTeX commands that compile with a bare ``\\documentclass{article}``.
UTF-8 (``utf8=True``) keeps Unicode, with BibTeX's field names. BibLaTeX
(``biblatex=True``, UTF-8) uses biblatex's own: ``@online`` for a preprint,
``journaltitle``, ``date``, ``eprinttype``, ``eprintclass``, and no arXiv ``note``.
What a paper is as a citation (type, venue, kept fields) comes from `citation.py`.

Rules shared by the flavours (each exists because the tools showed a need):

- Every text field is plain text, never LaTeX: ``\\ { } % & $ # _ ^ ~ < > |``
  are written as commands in their own braces (``{\\textbackslash}``, ``{\\%}``,
  ...); ``@`` and ``=`` go in braces too (bibtexparser takes ``@misc{`` as a new
  entry, and biber warns of a "runaway string" when a wrapped line reads
  ``name =``), so a title like ``\\input{/etc/passwd}`` prints as literal text, braces
  in the output are always balanced, and ``^^5c``-style TeX escapes cannot form.
  The one exception is ``$...$`` math in titles and abstracts, kept as math (as
  arXiv's export and JabRef do) when it is balanced and uses only math commands
  of LaTeX's default fonts (`_valid_math`); "$5 and $6" stays money.
- Whitespace runs (newlines, tabs, Unicode spaces) become one space; control and
  bidi-override characters are dropped; long values are wrapped at spaces.
- Titles brace only what a sentence-case style must not lowercase: acronyms and
  inner capitals (``{LLM}``, ``{Re-TASK}:``, ``{GPT-4}``, ``{3D}``), lone capitals,
  also in a hyphenated word (``{X}-Ray``), proper names on a short list
  (``{Bayesian}``), words and word parts the paste braced (``{U}-{Net}``), and a
  word holding math (``{H$_2$O}``); "Economic Consequences" stays unbraced
  (Better BibTeX's rule). Punctuation around a word stays outside its braces
  (``{BERT}: Pre-training``: plain keeps a capital after a colon it can see).
  "TeX" and "LaTeX" are written as the logos (``{\\TeX}book``).
- Names are written "von Last, Jr, First" from `names.py`; corporate names are
  braced whole (``{The ATLAS Collaboration}``), "et al." becomes ``and others``. In
  the non-biblatex flavours a given name opening with a multi-byte letter is a
  ``{\\relax ...}`` group, so bibtex's byte-wise abbreviation keeps it whole.
- No ``key`` field (a copy of the title broke natbib labels; Better BibTeX and
  JabRef write none): sorting styles note "need author or key" for author-less
  entries.
- ``url``, ``doi`` and ``eprint`` are verbatim fields for biblatex and ``\\url``:
  they are not escaped, characters outside RFC 3986 are percent-encoded instead
  (whitespace too); a DOI keeps SICI's ``<`` and ``>``.
- Personal notes go to ``annote`` (ignored by standard styles, so they never
  print in someone's references); tags to ``keywords``, commas inside a tag
  becoming spaces; abstracts are kept whole (bibtex handles 5,000+ characters).

In the ASCII flavour a character is written with the LaTeX form from
``pylatexenc`` when every command in it is on our list of forms that compile
in a default (OT1) document, else composed from its accents (``ễ`` ->
``{\\~{\\^{e}}}``), else as math (``𝒪`` -> ``\\ensuremath{\\mathcal{O}}``); a
character with none of these (CJK, emoji, "ą" whose ``\\k`` needs T1) is kept
as it is, never "?", and `kept_characters` lets the caller say so. Math-only
characters (α, ≤, √) are ``\\ensuremath`` in every flavour: pdflatex has no
text glyph for them. Text is NFC; a combining mark NFC cannot fold into its letter
(``x̂``, or marks an older import put on the wrong letter) is written as the accent
command on that letter in every flavour (``{\\^{x}}``), never as a lone mark, which
pdflatex rejects ("Unicode character ̂ (U+0302) not set up").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from pylatexenc.latexencode import UnicodeToLatexEncoder

from paperdeck.core import names
from paperdeck.core.citation import EXTRA_FIELDS, MONTHS, citation_record, clean_text
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
    textquoteright textrecipe textreferencemark textregistered textrightarrow textsection textcommabelow
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
_UNKNOWN = "\x00"
_ENCODER = UnicodeToLatexEncoder(
    non_ascii_only=True, unknown_char_policy=lambda _ch: _UNKNOWN, unknown_char_warning=False
)
# RFC 3986 unreserved + reserved characters, plus "%" (kept only as %XX).
_URL_SAFE = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]")
WRAP = 79
INDENT = "    "


# Combining marks LaTeX can put on any letter in a default (OT1) document.
_ACCENTS = {
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=", "\u0306": "u",
    "\u0307": ".", "\u0308": '"', "\u030a": "r", "\u030b": "H", "\u030c": "v", "\u0327": "c",
    "\u0323": "d", "\u0331": "b", "\u0326": "textcommabelow",
}  # fmt: skip
_MATH_STYLES = (("SCRIPT", "mathcal"), ("BOLD", "mathbf"), ("ITALIC", "mathit"))
_MATH_FIXES = {"\u221a": r"\ensuremath{\surd}"}


def _composed_form(ch: str) -> str:
    r"""``ễ`` -> ``\~{\^{e}}`` from its decomposition, when every mark is in `_ACCENTS`."""
    base, *marks = unicodedata.normalize("NFD", ch)
    if not marks or not base.isascii() or not base.isalpha() or any(m not in _ACCENTS for m in marks):
        return ""
    out = base
    for mark in marks:
        command = _ACCENTS[mark]
        out = f"\\{command}{{{out}}}"
    return "{" + out + "}"


def _math_letter(ch: str) -> str:
    r"""Mathematical alphanumerics (𝒪, 𝐱) as ``\ensuremath{\mathcal{O}}``."""
    name = unicodedata.name(ch, "")
    base = unicodedata.normalize("NFKD", ch)
    if not name.startswith("MATHEMATICAL") or not (base.isascii() and base.isalnum()):
        return ""
    style = next((cmd for word, cmd in _MATH_STYLES if word in name), "mathrm")
    if style == "mathcal" and not base.isupper():
        style = "mathit"
    return f"\\ensuremath{{\\{style}{{{base}}}}}"


def _ascii_form(ch: str) -> str:
    """How the ASCII flavour writes one non-ASCII character (see module rules): a LaTeX
    form that compiles in a default document, else the character itself (never "?")."""
    if ch in _MATH_FIXES:
        return "{" + _MATH_FIXES[ch] + "}"
    latex = _ENCODER.unicode_to_latex(ch)
    if _UNKNOWN not in latex:
        names = set(_COMMAND.findall(latex))
        allowed = _MATH_COMMANDS if latex.startswith(r"\ensuremath") else _TEXT_COMMANDS
        if names <= allowed:
            one_group = re.fullmatch(r"\{[^{}]*\}", latex)
            return latex if one_group else "{" + latex + "}"
    composed = _composed_form(ch)
    if composed:
        return composed
    math = _math_letter(ch)
    return "{" + math + "}" if math else ch


def _is_math_char(ch: str) -> bool:
    r"""Characters only math mode has (α, ≤, √, 𝒪): written as ``\ensuremath`` in UTF-8 too."""
    return ch in _MATH_FIXES or _ascii_form(ch).startswith(r"{\ensuremath")


def _escape_char(ch: str, utf8: bool) -> str:
    if ch in SPECIALS:
        return SPECIALS[ch]
    if ch.isascii():
        return ch
    if utf8:
        return _ascii_form(ch) if _is_math_char(ch) else ch
    return _ascii_form(ch)


def _escape_marked(cluster: str, utf8: bool) -> str:
    r"""A letter with combining marks that NFC cannot fold into one character (``r̂``,
    or a mark with no letter before it): each mark as its accent command (``{\^{r}}``,
    ``{\^{}}``), as pdflatex has no glyph for a lone combining character in either
    flavour. A mark with no command in a default document is kept (`kept_characters`)."""
    base, marks = (cluster[0], cluster[1:]) if not unicodedata.combining(cluster[0]) else ("", cluster)
    body = _escape_char(base, utf8) if base else ""
    known = [m for m in marks if m in _ACCENTS]
    for mark in known:
        body = f"\\{_ACCENTS[mark]}{{{body}}}"
    return ("{" + body + "}" if known else body) + "".join(m for m in marks if m not in _ACCENTS)


def latex_escape(text: str, utf8: bool = False) -> str:
    """`text` as BibTeX field content that LaTeX prints literally (already cleaned)."""
    out = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", text[i:j])
        i = j
        if len(cluster) == 1 and not unicodedata.combining(cluster):
            out.append(_escape_char(cluster, utf8))
        else:
            out.append(_escape_marked(cluster, utf8))
    return "".join(out)


def kept_characters(bib: str) -> list[str]:
    """Non-ASCII characters an ASCII-flavour export had to keep as they are."""
    return sorted({ch for ch in bib if not ch.isascii()})


# Commands allowed inside a title's $...$ (all in LaTeX's default math fonts).
_MATH_EXTRA = """\
    sqrt frac mathcal mathrm mathbf mathit mathsf mathtt log ln exp sin cos tan min max
    arg det dim lim sup inf big Big ldots dots cdot cdots prime hat tilde bar vec
    dot ddot overline underline textrm quad qquad mid vert
    varepsilon epsilon to gets colon Re Im surd backslash"""
# Commands that take one argument (``frac`` takes two): without it LaTeX stops.
_MATH_ARG1_NAMES = """sqrt mathcal mathrm mathbf mathit mathsf mathtt hat tilde bar vec dot
    ddot overline underline textrm"""
_MATH_ARG1 = frozenset(_MATH_ARG1_NAMES.split())
_MATH_ATOM = r"(?:\{[^{}]*\}|\\[A-Za-z]+|[^\s{}])"
_DOUBLE_SCRIPT = re.compile(rf"_\s*{_MATH_ATOM}\s*_|\^\s*{_MATH_ATOM}\s*\^")
_MATH_OK = frozenset(_MATH_NAMES.split()) | frozenset(_MATH_EXTRA.split()) | set(",;:!{}|")
# Pandoc's rule: no space inside either dollar, no digit right after the closing one.
_MATH_SEGMENT = re.compile(r"\$([^$]{1,300})\$(?!\d)")
_MATH_CHARS = re.compile(r"[A-Za-z0-9\s+\-*/=<>()\[\]|,.;:'!^_{}\\]*")


def _valid_math(body: str) -> bool:
    """A ``$...$`` body we can hand to LaTeX as math: balanced, known commands only."""
    if not _MATH_CHARS.fullmatch(body) or body != body.strip():
        return False  # "$5 and $6" is money, not math
    depth = 0
    for ch in body:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    if depth or body.strip() == "" or body.rstrip().endswith("\\"):
        return False
    if not all(name in _MATH_OK for name in _COMMAND.findall(body)):
        return False
    return _math_structure_ok(body)


def _skip_argument(rest: str) -> str | None:
    """`rest` after one macro argument (``{...}`` or one letter/digit), None if there is none."""
    rest = rest.lstrip()
    if rest[:1].isalnum():
        return rest[1:]
    if rest[:1] != "{":
        return None
    depth = 0
    for i, ch in enumerate(rest):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth == 0:
            return rest[i + 1 :]
    return None


def _math_structure_ok(body: str) -> bool:
    """What would stop LaTeX: a command without its arguments, a script with nothing to
    raise (``x^``), a double subscript or superscript (``x_a_b``)."""
    for m in re.finditer(r"\\([A-Za-z]+)", body):
        rest: str | None = body[m.end() :]
        for _ in range(2 if m.group(1) == "frac" else 1 if m.group(1) in _MATH_ARG1 else 0):
            rest = _skip_argument(rest or "")
            if rest is None:
                return False
    for m in re.finditer(r"[\^_]", body):
        following = body[m.end() :].lstrip()
        if not following or following[0] in "^_}":
            return False
    return not _DOUBLE_SCRIPT.search(body)


def math_segments(text: str) -> list[tuple[bool, str]]:
    """`text` cut into (is_math, piece); math pieces keep their dollars."""
    out: list[tuple[bool, str]] = []
    pos = 0
    for m in _MATH_SEGMENT.finditer(text):
        if _valid_math(m.group(1)):
            if m.start() > pos:
                out.append((False, text[pos : m.start()]))
            out.append((True, m.group(0)))
            pos = m.end()
    if pos < len(text):
        out.append((False, text[pos:]))
    return out


def escape_with_math(text: str, utf8: bool = False) -> str:
    """Like `latex_escape`, but a valid ``$...$`` stays math (braced, so no style recases it)."""
    return "".join("{" + piece + "}" if math else latex_escape(piece, utf8)
                   for math, piece in math_segments(text))


# Proper names a sentence-case style must not lowercase (Title Case cannot tell them).
_PROPER_NAMES = """\
    bayesian gaussian markov markovian laplacian hessian jacobian boltzmann wasserstein
    langevin riemannian euclidean newton newtonian lipschitz fourier hilbert banach
    kalman monte carlo nash turing shapley pareto poisson bernoulli dirichlet lyapunov
    hamiltonian lagrangian schrodinger schrödinger einstein maxwell hebbian boolean
    kolmogorov bellman hopfield gibbs metropolis hastings lanczos krylov fisher wishart
    cauchy laplace english chinese french german japanese korean spanish arabic hindi
    russian african european american asian indian wikipedia minecraft atari python java
    github reddit twitter youtube google microsoft openai amazon facebook"""
_PROPER = frozenset(_PROPER_NAMES.split())


def _needs_braces(word: str, first: bool) -> bool:
    """Whether a title word must be shielded from the style's case changes: an acronym
    or inner capital (``LLM``, ``LoRA``, ``GPT-4``, ``3D``), a lone capital, a proper
    name we recognise. Ordinary capitalised words stay unbraced (Better BibTeX's rule)."""
    for part in re.split(r"[-/]", word):
        letters = [i for i, ch in enumerate(part) if ch.isalpha()]
        if not letters:
            continue
        if any(ch.isupper() for ch in part[letters[0] + 1 :]) or any(
            ch.isupper() and i > 0 and part[i - 1].isalnum() for i, ch in enumerate(part)
        ):
            return True
    core = re.sub(r"^\W+|\W+$", "", word)
    if len(core) == 1 and core.isupper() and core != "A" and not first:
        return True
    return core[:1].isupper() and core.lower() in _PROPER


# TeX's logos, which a default document has: a title's "TeX" and "LaTeX" (TeXbook too) print
# as the logos, braced so no style recases them, as the paste's ``{\\TeX}book`` did.
_LOGO = re.compile(r"(?<![A-Za-z])((?:La)?TeX)(?=[a-z]*(?:[-/]|$))")


def _format_word(word: str, first: bool, utf8: bool, protect: frozenset[str]) -> str:
    """One title word, escaped, with braces around what must keep its case: the word's
    letters (``{BERT}:``: punctuation outside, so a style still sees the colon that keeps
    the next word's capital), else a part of a hyphenated word (``{X}-Ray``, ``{U}-{Net}``)
    that is a lone capital or was braced in the paste."""
    lead = re.match(r"\W*", word).group(0)  # a combining mark stays with the letter before it
    trail = re.search(r"(?:(?![\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])\W)*$",
                      word[len(lead) :]).group(0)
    core = word[len(lead) : len(word) - len(trail)]

    def escape(text: str) -> str:
        pieces = _LOGO.split(text)  # text, logo, text...
        return "".join("{\\" + p + "}" if k % 2 else latex_escape(p, utf8) for k, p in enumerate(pieces))

    if not core:
        return latex_escape(word, utf8)
    if core in protect or _needs_braces(word, first):
        return latex_escape(lead, utf8) + "{" + escape(core) + "}" + latex_escape(trail, utf8)
    pieces = re.split(r"([-/])", core)
    out = []
    for k, piece in enumerate(pieces):
        lone_capital = len(pieces) > 1 and len(piece) == 1 and piece.isupper()
        shielded = k % 2 == 0 and piece and (piece in protect or lone_capital)
        out.append("{" + escape(piece) + "}" if shielded else escape(piece))
    return latex_escape(lead, utf8) + "".join(out) + latex_escape(trail, utf8)


def format_title(title: str, utf8: bool = False, protect: frozenset[str] = frozenset()) -> str:
    """The escaped title with case-protecting braces (rules in `_needs_braces` and
    `_format_word`); a word holding ``$...$`` math is braced whole (``{H$_2$O}``)."""
    maths: list[str] = []

    def hold(m: re.Match[str]) -> str:
        if not _valid_math(m.group(1)):
            return m.group(0)
        maths.append(m.group(0))
        return f"\x00{len(maths) - 1}\x00"

    held = _MATH_SEGMENT.sub(hold, clean_text(title))
    out = []
    for i, word in enumerate(held.split(" ")):
        if "\x00" in word:
            pieces = re.split(r"\x00(\d+)\x00", word)
            text = "".join(maths[int(p)] if k % 2 else latex_escape(p, utf8)
                           for k, p in enumerate(pieces))
            out.append("{" + text + "}")
            continue
        out.append(_format_word(word, i == 0, utf8, protect))
    return " ".join(out)


def _protect_part(text: str, utf8: bool) -> str:
    """One name part, escaped; braced whole when it holds "and" or a comma."""
    escaped = latex_escape(text, utf8)
    if re.search(r"(^|\s)and(\s|$)", text, re.IGNORECASE) or "," in text:
        return "{" + escaped + "}"
    return escaped


def format_name(
    name: str, utf8: bool = False, forms: dict | None = None, biblatex: bool = False
) -> str:
    """One author for the ``author`` list, "von Last, Jr, First" ("" for a blank name;
    ``others`` for "et al."; a corporate name braced whole)."""
    name = clean_text(name)
    if names.is_et_al(name):
        return "others"
    parts = names.resolve(name, forms)
    last_tokens = parts.last.split()
    if parts.corporate or (len(last_tokens) > 1 and not parts.first and not parts.von and not parts.jr):
        return "{" + latex_escape(parts.last, utf8) + "}"
    last = _protect_part(parts.last, utf8)
    if any(t[:1].islower() for t in last_tokens):
        last = "{" + latex_escape(parts.last, utf8) + "}"  # lower-case words are the last name
    von = " ".join(latex_escape(t, utf8) for t in parts.von.split())
    head = f"{von} {last}" if von else last
    first = _protect_part(parts.first, utf8)
    if not biblatex:
        # bibtex abbreviates byte-wise: a first name opening with a multi-byte letter
        # becomes a "special character" group, which it keeps whole ("{\relax 明}.").
        first = " ".join("{\\relax " + t + "}" if not t[:1].isascii() else t for t in first.split(" "))
    if parts.jr:
        return f"{head}, {_protect_part(parts.jr, utf8)}, {first}"
    if parts.first:
        return f"{head}, {first}"
    return head


def format_names(
    authors: list[str], utf8: bool = False, forms: dict | None = None, biblatex: bool = False
) -> str:
    """The whole ``author`` value; "et al." anywhere becomes one trailing ``and others``."""
    formatted = [format_name(a, utf8, forms, biblatex) for a in authors]
    people = [f for f in formatted if f and f != "others"]
    if "others" in formatted and people:
        people.append("others")
    return " and ".join(people)


def format_verbatim(value: str, url: bool = True) -> str:
    """A URL-like value, percent-encoded where it is not plain RFC 3986 ASCII.

    Whitespace inside becomes ``%20``; a DOI or eprint (``url=False``) keeps ``<``, ``>``
    (SICI DOIs have them) and encodes only what would break the field or ``\\url``."""
    value = "%20".join(value.split())
    out = []
    for i, ch in enumerate(value):
        if _URL_SAFE.match(ch) or (not url and ch in "<>") or (
            ch == "%" and re.fullmatch(r"[0-9A-Fa-f]{2}", value[i + 1 : i + 3])
        ):
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


def _fields(paper: Paper, utf8: bool, biblatex: bool) -> tuple[str, list[tuple[str, str]]]:
    """The entry type and its (name, value) pairs, values already formatted."""
    rec = citation_record(paper)
    kind = rec.kind
    fields: list[tuple[str, str]] = []
    author = format_names(rec.authors, utf8, rec.forms, biblatex)
    if author:
        fields.append(("author", author))
    fields.append(("title", format_title(rec.title, utf8, rec.protect)))
    if rec.venue:
        name = ("journaltitle" if biblatex else "journal") if kind == "article" else "howpublished"
        fields.append((name, latex_escape(rec.venue, utf8)))
    for name in EXTRA_FIELDS:
        value = rec.extra.get(name)
        if not value or name == "note":  # written below, with the arXiv id's
            continue
        if name == "editor":
            editors = [v.strip() for v in value.split(" and ")]
            fields.append((name, format_names(editors, utf8, biblatex=biblatex)))
        elif name == "pages":
            fields.append((name, latex_escape(re.sub(r"\s*[-–—]+\s*", "--", value), utf8)))
        else:
            renamed = _BIBLATEX_FIELDS.get(name, name) if biblatex else name
            fields.append((renamed, latex_escape(value, utf8)))
    if rec.year and biblatex:
        fields.append(("date", f"{rec.year}-{rec.month:02d}" if rec.month else rec.year))
    elif rec.year:
        fields.append(("year", rec.year))
        if rec.month:
            fields.append(("month", MONTHS[rec.month - 1]))
    if rec.arxiv:
        fields.append(("eprint", format_verbatim(rec.arxiv, url=False)))
        fields.append(("eprinttype" if biblatex else "archivePrefix", "arXiv"))
        if rec.primary_class:
            fields.append(("eprintclass" if biblatex else "primaryClass",
                           latex_escape(rec.primary_class, utf8)))
    if rec.doi:
        fields.append(("doi", format_verbatim(rec.doi, url=False)))
    if rec.url:
        fields.append(("url", format_verbatim(rec.url)))
    notes = [latex_escape(rec.extra["note"], utf8)] if rec.extra.get("note") else []
    if rec.arxiv and not biblatex and rec.arxiv not in rec.extra.get("note", ""):
        # plain, unsrt and abbrv print no eprint field: say it in a note, as Zotero does.
        notes.append("{arXiv}:" + latex_escape(rec.arxiv, utf8))
    if notes:  # a pasted note first ("To appear in ICML"), then the id
        fields.append(("note", ". ".join(n.rstrip(".") for n in notes)))
    if rec.tags:
        fields.append(("keywords", ", ".join(latex_escape(t, utf8) for t in rec.tags)))
    if rec.abstract:
        fields.append(("abstract", escape_with_math(rec.abstract, utf8)))
    if rec.notes:
        fields.append(("annote", latex_escape(rec.notes, utf8)))
    if biblatex and kind == "misc" and rec.url and not rec.venue:
        kind = "online"
    if biblatex and kind in _BIBLATEX_TYPES:
        kind, subtype = _BIBLATEX_TYPES[kind]
        fields.insert(2, ("type", subtype))
    return kind, fields


# BibTeX's names that biblatex keeps only as aliases: its own type (with ``type``) and fields.
_BIBLATEX_TYPES = {"phdthesis": ("thesis", "phdthesis"), "mastersthesis": ("thesis", "mathesis"),
                   "techreport": ("report", "techreport")}
_BIBLATEX_FIELDS = {"address": "location", "school": "institution"}


def paper_entry(paper: Paper, utf8: bool = False, biblatex: bool = False) -> str:
    """One ``@article``/``@misc`` entry under the paper's stored citation key.

    Raises ValueError when the key is empty or unsafe: keys are assigned once by
    the library, and silently inventing another would break users' documents.
    """
    key = paper.citekey
    if not key:
        raise ValueError(f"paper {paper.id} has no citation key")
    if not is_safe_citekey(key):
        raise ValueError(f"paper {paper.id} has an unsafe citation key: {key!r}")
    kind, fields = _fields(paper, utf8 or biblatex, biblatex)
    lines = [f"@{kind}{{{key},"]
    for name, value in fields:
        if name == "month" and value in MONTHS:
            lines.append(f"  {name} = {value},")  # the style's own month macro
            continue
        head = f"  {name} = {{"
        body = ("\n" + INDENT).join(_wrap(value, WRAP - len(head), WRAP - len(INDENT)))
        lines.append(f"{head}{body}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_bibtex(papers: Iterable[Paper], utf8: bool = False, biblatex: bool = False) -> str:
    """A whole .bib file; raises ValueError on a repeated key (bibtex would too)."""
    seen: set[str] = set()
    entries = []
    for paper in papers:
        folded = paper.citekey.lower()
        if folded in seen:
            raise ValueError(f"repeated citation key: {paper.citekey!r}")
        seen.add(folded)
        entries.append(paper_entry(paper, utf8, biblatex))
    return "\n".join(entries)
