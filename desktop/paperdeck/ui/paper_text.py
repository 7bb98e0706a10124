"""How a paper's fields read on screen: short author lists, the byline, and simple TeX.

Display only: the library keeps the text exactly as pasted (BibTeX export needs the TeX),
and the results here are plain text, never markup (see plain.py).
"""

from __future__ import annotations

import re
from datetime import datetime

from paperdeck.core.models import Paper

from .highlight import match_spans


def count(n: int, noun: str = "paper") -> str:
    """"1 paper", "2 papers", "12,000 papers"."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


# -- authors ------------------------------------------------------------------------------
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "bin",
              "ibn", "al", "el", "ter", "ten", "dos", "das"}


def short_name(name: str) -> str:
    """"Zhihu Wang" and "Wang, Zhihu" both read "Z. Wang"; "Ludwig van Beethoven" keeps "van"."""
    name = " ".join(name.split())
    if "," in name:
        family, _, given = name.partition(",")
        parts, family_parts = given.split(), family.split()
    else:
        words = name.split()
        if len(words) < 2:
            return name
        cut = len(words) - 1
        while cut > 1 and words[cut - 1].lower() in _PARTICLES:
            cut -= 1
        parts, family_parts = words[:cut], words[cut:]
    initials = []
    for word in parts:
        pieces = [p for p in word.split("-") if p]
        if pieces and all(p[0].isalpha() for p in pieces):
            initials.append("-".join(p[0].upper() + "." for p in pieces))
        else:
            initials.append(word)
    return " ".join(initials + family_parts) if family_parts else name


def short_authors(authors: list[str], terms: tuple[str, ...] = (), keep: int = 2) -> str:
    """"A. Author, B. Author … +12": the first `keep` authors, the count of the rest; an author
    a search matched further down the list is shown too, so the card says why it matched."""
    names = [a for a in authors if a.strip()]
    if len(names) <= keep + 1:
        return ", ".join(short_name(a) for a in names)
    shown = [short_name(a) for a in names[:keep]]
    matched = next((a for a in names[keep:] if match_spans(a, terms)), None)
    rest = len(names) - keep
    if matched is not None:
        return f"{', '.join(shown)} … {short_name(matched)} +{rest - 1}"
    return f"{', '.join(shown)} … +{rest}"


def venue_year(paper: Paper) -> str:
    """Where and when: "NeurIPS 2024"; the year only once when the venue already says it
    ("Class. Quantum Grav. 38 (2021) 065012")."""
    venue, year = tex_to_text(paper.venue), str(paper.year or "")
    if year and re.search(rf"(?<!\d){year}(?!\d)", venue):
        year = ""
    return " ".join(x for x in (venue, year) if x)


def byline(paper: Paper, terms: tuple[str, ...] = ()) -> str:
    """Who, where and when: "Z. Wang, S. Zhao · NeurIPS 2024" (empty when nothing is known)."""
    where = venue_year(paper)
    return " · ".join(x for x in (short_authors(paper.authors, terms), where) if x)


def added_on(paper: Paper) -> str:
    try:
        return "Added " + datetime.fromisoformat(paper.added_at).strftime("%-d %b %Y")
    except (ValueError, TypeError):
        return ""


# -- simple TeX -----------------------------------------------------------------------------
_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ",
    "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ",
    "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ",
    "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ",
    "Omega": "Ω", "times": "×", "cdot": "·", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥",
    "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼", "pm": "±", "infty": "∞", "to": "→",
    "rightarrow": "→", "leftarrow": "←", "ell": "ℓ", "partial": "∂", "nabla": "∇", "sum": "∑",
    "prod": "∏", "in": "∈", "log": "log", "exp": "exp", "sqrt": "√", "ldots": "…", "dots": "…",
    "cdots": "⋯", "mathcal": "", "mathbb": "", "mathrm": "", "text": "", "mathbf": "",
}
_SUP = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_MATH = re.compile(r"(?<!\\)\$(?!\$)([^$\n]{1,120}?)(?<!\\)\$")
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_SCRIPT = re.compile(r"([\^_])(?:\{([^{}]*)\}|(\w))")
_URL = re.compile(r"(\b(?:https?|ftp)://\S+)")
_FONT = re.compile(r"\\(?:emph|textit|textbf|texttt|textsc|textrm|mbox)\{([^{}]*)\}")


def _script(match: re.Match[str]) -> str:
    body = match.group(2) if match.group(2) is not None else match.group(3)
    table = _SUP if match.group(1) == "^" else _SUB
    converted = body.translate(table)
    if all(c != o or not c.isalnum() for c, o in zip(converted, body, strict=True)):
        return converted
    return ("^" if match.group(1) == "^" else "_") + body


def _math(match: re.Match[str]) -> str:
    body = _COMMAND.sub(lambda m: _SYMBOLS.get(m.group(1), m.group(0)), match.group(1))
    body = _SCRIPT.sub(_script, body)
    return body.replace("{", "").replace("}", "")


def tex_to_text(text: str) -> str:
    """Dashes, quotes, font commands and simple inline math as the reader means them:
    "Value--at--Risk" → "Value–at–Risk", ``x'' → “x”, $\\alpha$ → α, $O(n^2)$ → O(n²)."""
    if not text or not any(c in text for c in "-`'$\\"):
        return text
    if "://" in text:  # web addresses are shown exactly as they are
        parts = _URL.split(text)
        return "".join(p if i % 2 else tex_to_text(p) for i, p in enumerate(parts))
    text = _MATH.sub(_math, text)
    text = _FONT.sub(r"\1", text)
    text = text.replace("---", "—").replace("--", "–")
    text = text.replace("``", "“").replace("''", "”")
    return text.replace(r"\&", "&").replace(r"\%", "%").replace(r"\_", "_").replace(r"\$", "$")
