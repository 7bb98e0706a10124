"""Personal and corporate names in BibTeX's grammar: First von Last, Jr.

The library stores an author as the name a reader sees ("Martin Luther King, Jr.",
"Vincent van Gogh", "The ATLAS Collaboration"); an exporter needs its parts. Two
ways in:

- `parse_bibtex` reads a name as BibTeX does (Patashnik's rules: "First von Last",
  "von Last, First", "von Last, Jr, First"; a braced token is one unit, so
  ``{OpenAI Team}`` is a corporate name), for pasted .bib files and RIS "Last, First".
- `parse_display` guesses the parts of a displayed name: a trailing suffix is the
  Jr part, lower-case particles before the last word are the von part, capitalised
  particles ("Van Gogh") join the last name, and a name holding a word such as
  "Collaboration", "Team" or "Consortium" is corporate (kept whole).

When a paste gives parts the guess would get wrong ("Guevara Gómez, Juan Camilo"),
the importer stores them in the paper's ``fields["names"]`` under the displayed
name (see `name_forms`), so the export writes what the paste said. "et al." as the
last author is how the library keeps a list cut short (BibTeX's ``and others``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

ET_AL = "et al."
_ET_AL_FORMS = frozenset(("others", "et al.", "et al", "et. al.", "et al..", "…", "..."))

_PARTICLES = """van von der den de del della di da dos das du la le ten ter vom zu zum zur
    al el bin ibn d' l' y"""
PARTICLES = frozenset(_PARTICLES.split())
_SUFFIXES = "jr jr. sr sr. ii iii iv v 2nd 3rd"
SUFFIXES = frozenset(_SUFFIXES.split())
_CORPORATE = """collaboration collaborations consortium team group committee project institute
    institution laboratory laboratories lab labs inc inc. ltd ltd. llc corporation corp corp.
    company association society organization organisation foundation council agency
    university network initiative alliance center centre department ministry office
    contributors community authors developers working board survey"""
_CORPORATE_WORDS = frozenset(_CORPORATE.split())


@dataclass(frozen=True)
class Name:
    """One author's parts; `corporate` names live whole in `last`."""

    first: str = ""
    von: str = ""
    last: str = ""
    jr: str = ""
    corporate: bool = False

    def display(self) -> str:
        """How the library shows the name: "First von Last, Jr"."""
        if self.first and _is_cjk(self.first + self.last) and not self.von:
            core = self.last + self.first  # 李, 明 -> 李明: family name first, no space
            return f"{core}, {self.jr}" if self.jr else core
        core = " ".join(p for p in (self.first, self.von, self.last) if p)
        return f"{core}, {self.jr}" if self.jr else core

    def family(self) -> str:
        """The family name with its particles ("van Gogh")."""
        return " ".join(p for p in (self.von, self.last) if p)

    def as_list(self) -> list[str]:
        return [self.first, self.von, self.last, self.jr, "corporate" if self.corporate else ""]

    @classmethod
    def from_list(cls, parts: object) -> Name | None:
        if not isinstance(parts, list) or len(parts) != 5 or not all(isinstance(p, str) for p in parts):
            return None
        first, von, last, jr, corporate = parts
        return cls(first, von, last, jr, corporate == "corporate")


def _is_cjk(text: str) -> bool:
    return bool(text) and all("\u2e80" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af"
                              or "\uf900" <= ch <= "\ufaff" for ch in text.replace(" ", ""))


def is_et_al(name: str) -> bool:
    """Whether an author entry stands for "and others"."""
    return " ".join(name.split()).lower() in _ET_AL_FORMS


def is_corporate(name: str) -> bool:
    """A name that is an organisation, not a person (it is never split)."""
    words = name.lower().replace(",", " ").split()
    return bool(words) and (
        words[0] == "the" or any(w in _CORPORATE_WORDS or w in ("and", "&") for w in words)
    )


def _top_level_split(text: str, sep: str) -> list[str]:
    """`text` cut at `sep` characters outside braces (whitespace when sep is " ")."""
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        if depth == 0 and (ch.isspace() if sep == " " else ch == sep):
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur).strip())
    return parts if sep != " " else [p for p in parts if p]


# Control words bibtex knows as letters, and whether each is lower case.
_FOREIGN_LETTERS = {"OE": False, "AE": False, "AA": False, "O": False, "L": False, "oe": True,
                    "ae": True, "aa": True, "o": True, "l": True, "ss": True, "i": True, "j": True}


def _special_is_lower(group: str) -> bool:
    """The case of a "special character" ``{\\'e}``, ``{\\v{S}}``, ``{\\o}`` (group opens "{\\"),
    as bibtex.web decides it: a foreign letter's own case, else the first letter after the
    command inside the group; no letter (``{\\textbackslash}``) is not lower case."""
    command = re.match(r"\{\\([A-Za-z]*)", group)
    assert command is not None  # the caller saw "{\\"
    if command.group(1) in _FOREIGN_LETTERS:
        return _FOREIGN_LETTERS[command.group(1)]
    depth = 1
    for ch in group[command.end() :]:
        if ch.isascii() and ch.isalpha():
            return ch.islower()
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth == 0:
            break
    return False


def _starts_lower(token: str) -> bool:
    """BibTeX's von test: the first letter at brace depth 0 (or of a ``{\\'e}`` special) is lower case."""
    depth = 0
    i = 0
    while i < len(token):
        ch = token[i]
        if ch == "{":
            if depth == 0 and token[i + 1 : i + 2] == "\\":
                return _special_is_lower(token[i:])
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and ch.isalpha():
            return ch.islower()
        i += 1
    return False


# The escapes our export writes that pylatexenc's reader drops; braces go through
# private-use stand-ins so that they are not taken for TeX grouping.
_OWN_ESCAPES = {"textbraceleft": "\ue000", "textbraceright": "\ue001", "textless": "<",
                "textgreater": ">", "textbar": "|", "textasciicircum": "\ue002"}
_HELD = {"\ue000": "{", "\ue001": "}", "\ue002": "^"}
_OWN_ESCAPE = re.compile(r"\{\\(%s)\}|\\(%s)(?![A-Za-z])(?:\{\})?" % (("|".join(_OWN_ESCAPES),) * 2))


def _decode_held(text: str) -> str:
    """`decode_tex` with literal braces still held as stand-ins."""
    from paperdeck.core.digest.textutil import latex_to_unicode  # parsing helper, no circle

    text = _OWN_ESCAPE.sub(lambda m: _OWN_ESCAPES[m.group(1) or m.group(2)], text)
    text = re.sub(r"\\textcommabelow\s*\{\s*([A-Za-z])\s*\}", "\\1\u0326", text)
    return unicodedata.normalize("NFC", latex_to_unicode(text))


def decode_tex(text: str) -> str:
    """TeX to Unicode, including the escapes our own export writes (``{\\textbraceleft}``,
    ``{\\textless}``, the comma below of ș and ț) that pylatexenc's reader drops."""
    return _release(_decode_held(text))


def _release(text: str) -> str:
    for held, literal in _HELD.items():
        text = text.replace(held, literal)
    return text


def _unbrace(text: str) -> str:
    """Plain text of a name part: TeX accents decoded, grouping braces removed."""
    plain = _decode_held(text).replace("{", "").replace("}", "")
    return " ".join(_release(plain).split())


def _one_group(raw: str) -> bool:
    """``{OpenAI Team}``: one brace group, closed by the last character (not
    ``{\\textbackslash}input...{\\textbraceright}``, which only starts and ends with braces)."""
    if not (raw.startswith("{") and raw.endswith("}")):
        return False
    depth = 0
    for i, ch in enumerate(raw):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth == 0:
            return i == len(raw) - 1
    return False


def parse_bibtex(raw: str) -> Name:
    """One name as BibTeX reads it (text may hold TeX accents and braces)."""
    raw = " ".join(raw.split())
    if _one_group(raw):
        return Name(last=_unbrace(raw[1:-1]), corporate=True)
    commas = _top_level_split(raw, ",")
    if len(commas) == 1:
        tokens = _top_level_split(raw, " ")
        lower = [i for i, t in enumerate(tokens[:-1]) if _starts_lower(t)]
        if lower:
            start, end = lower[0], lower[-1] + 1
        else:
            start = end = len(tokens) - 1
        first, von, last = tokens[:start], tokens[start:end], tokens[end:]
        return Name(" ".join(map(_unbrace, first)), " ".join(map(_unbrace, von)),
                    " ".join(map(_unbrace, last)))
    head, jr, first = commas[0], (commas[1] if len(commas) > 2 else ""), commas[-1]
    tokens = _top_level_split(head, " ")
    lower = [i for i, t in enumerate(tokens[:-1]) if _starts_lower(t)]
    split = lower[-1] + 1 if lower else 0
    von, last = tokens[:split], tokens[split:]
    return Name(_unbrace(first), " ".join(map(_unbrace, von)), " ".join(map(_unbrace, last)),
                _unbrace(jr))


def parse_display(name: str) -> Name:
    """Best guess at the parts of a displayed name (rules in the module doc)."""
    name = " ".join(name.split())
    if is_corporate(name):
        return Name(last=name, corporate=True)
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2 and parts[1].lower() in SUFFIXES and parts[0]:
        inner = parse_display(parts[0])
        return Name(inner.first, inner.von, inner.last, parts[1], inner.corporate)
    if len(parts) == 3 and all(parts) and parts[2].lower() in SUFFIXES:
        return parse_bibtex(f"{parts[0]}, {parts[2]}, {parts[1]}")  # RIS "Doe, J., Jr."
    if len(parts) in (2, 3) and all(parts):
        return parse_bibtex(name)  # already "Last, First" / "Last, Jr, First"
    tokens = name.replace(",", " ").split()
    jr = ""
    if len(tokens) > 2 and tokens[-1].lower() in SUFFIXES:
        jr = tokens.pop()
    family_start = len(tokens) - 1
    while family_start > 1 and tokens[family_start - 1].lower() in PARTICLES:
        family_start -= 1  # particles before the last word belong to the family name
    first, rest = tokens[:family_start], tokens[family_start:]
    # Lower-case particles open it as the von part; "Vincent Van Gogh" keeps Van in the last name.
    k = 0
    while k < len(rest) - 1 and rest[k][0].islower() and rest[k].lower() in PARTICLES:
        k += 1
    return Name(" ".join(first), " ".join(rest[:k]), " ".join(rest[k:]), jr)


def name_forms(authors: list[str], parsed: list[Name]) -> dict[str, list[str]]:
    """The parts a display guess would get wrong, keyed by display name (for ``fields``)."""
    return {
        shown: name.as_list()
        for shown, name in zip(authors, parsed, strict=True)
        if parse_display(shown) != name
    }


def resolve(author: str, forms: dict | None) -> Name:
    """The parts of a stored author: what the paste said, else the display guess."""
    stored = Name.from_list((forms or {}).get(author))
    return stored or parse_display(author)
