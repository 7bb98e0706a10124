"""Find and normalise arXiv ids, DOIs and links in free text.

The rest of the app reuses these (dedupe, metadata completion), so they are
strict about what counts: an arXiv id must have a plausible year and month,
a DOI must start with ``10.`` and a registrant code, a link must be http(s).
All regexes here are linear: no nested quantifiers over the same characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, unquote, urlsplit

# Old-style archives (before April 2007): ``hep-th/9901001``.
OLD_ARCHIVES = (
    "acc-phys|adap-org|alg-geom|ao-sci|astro-ph|atom-ph|bayes-an|chao-dyn|chem-ph|cmp-lg|"
    "comp-gas|cond-mat|cs|dg-ga|funct-an|gr-qc|hep-ex|hep-lat|hep-ph|hep-th|math-ph|math|"
    "mtrl-th|nlin|nucl-ex|nucl-th|patt-sol|physics|plasm-ph|q-alg|q-bio|q-fin|quant-ph|"
    "solv-int|stat|supr-con"
)

_NEW_ID = r"(\d{4})\.(\d{4,5})(?:v(\d{1,3}))?"
_OLD_ID = rf"((?:{OLD_ARCHIVES})(?:\.[a-z]+(?:-[a-z]+)?)?)/(\d{{7}})(?:v(\d{{1,3}}))?"

# A new-style id anywhere: not glued to other digits, dots or letters before it.
NEW_ID_RE = re.compile(rf"(?<![\w.\-]){_NEW_ID}(?![\d])")
OLD_ID_RE = re.compile(rf"(?<![\w\-]){_OLD_ID}(?![\d])", re.IGNORECASE)
# Old ids are found from their cheap "/1234567" tail, then checked backwards:
# one big alternation tried at every position of a 10 MB paste is too slow.
_OLD_NUMBER = re.compile(r"/(\d{7})(?:v(\d{1,3}))?(?!\d)")
_OLD_ARCHIVE_TAIL = re.compile(r"(?<![\w\-])([A-Za-z][A-Za-z\-]{1,9}(?:\.[A-Za-z\-]{1,12})?)$")
_ARCHIVES = frozenset(OLD_ARCHIVES.split("|"))
_EXACT_NEW = re.compile(rf"{_NEW_ID}(?:\.pdf)?")
_EXACT_OLD = re.compile(rf"{_OLD_ID}(?:\.pdf)?", re.IGNORECASE)
# Things that say "this is about arXiv" right before an id.
_ARXIV_PREFIX = re.compile(
    r"(?:arxiv\s*:\s*|arxiv\.org/(?:abs|pdf|html|format|ps)/|huggingface\.co/papers/|"
    r"alphaxiv\.org/(?:abs|overview)/|semanticscholar\.org/arxiv/)\s*$",
    re.IGNORECASE,
)

# ``10.1234/anything-without-spaces``; the suffix is trimmed afterwards. A comma or semicolon
# ends it only where another identifier follows at once (``10.1145/x,2401.01234`` from a CSV
# row or a typed list): DOIs may hold either (``...CO;2-B``), but never glued to an id.
_NEXT_ID = rf"(?:arxiv:|doi:|https?://|10\.\d{{4,9}}/|\d{{4}}\.\d{{4,5}}|(?:{OLD_ARCHIVES})(?:\.[a-z\-]+)?/\d{{7}})"
DOI_RE = re.compile(rf"(?<![\w.])10\.\d{{4,9}}/(?:[^\s\"<>{{}}|\\^`,;]|[,;](?!{_NEXT_ID}))+", re.IGNORECASE)
LINK_RE = re.compile(r"https?://[^\s<>\"'`\u00a0\u200b]+", re.IGNORECASE)

_TRAILING = ".,;:!?'\"*_~"
_PAIRS = {")": "(", "]": "[", "}": "{"}
MAX_TOKEN = 2048  # longer "links" or "DOIs" are garbage, not identifiers


def _valid_new_id(yymm: str, number: str) -> bool:
    """arXiv new-style ids began in 0704; 5-digit numbers from 1501 on."""
    yy, mm = int(yymm[:2]), int(yymm[2:])
    if not 1 <= mm <= 12 or (yy, mm) < (7, 4):
        return False
    return len(number) == (5 if (yy, mm) >= (15, 1) else 4)


def iter_old_ids(text: str) -> Iterator[tuple[int, str, int | None]]:
    """(position, canonical id, version) for each old-style id such as ``hep-th/9901001``."""
    for m in _OLD_NUMBER.finditer(text):
        tail = _OLD_ARCHIVE_TAIL.search(text[max(0, m.start() - 24) : m.start()])
        if tail and tail.group(1).split(".")[0].lower() in _ARCHIVES:
            start = m.start() - len(tail.group(1))
            version = int(m.group(2)) if m.group(2) else None
            yield start, _canonical_old(tail.group(1), m.group(1)), version


def _canonical_old(archive: str, number: str) -> str:
    """``math.GT/0309136`` is the same paper as ``math/0309136``."""
    return f"{archive.split('.')[0].lower()}/{number}"


def normalise_arxiv_id(s: str) -> tuple[str, int | None]:
    """Return ``(id, version)`` for an id or any arXiv/HF URL, ``("", None)`` if none.

    Accepts ``2401.01234v2``, ``arXiv:2401.01234``, ``https://arxiv.org/pdf/2401.01234v2.pdf``,
    ``huggingface.co/papers/2401.01234`` and old ``hep-th/9901001v3``.
    """
    s = (s or "").strip()[:MAX_TOKEN]
    low = s.lower()
    for marker in ("/abs/", "/pdf/", "/html/", "/papers/", "/format/", "/overview/", "arxiv:"):
        pos = low.rfind(marker)
        if pos >= 0:
            s = s[pos + len(marker) :].strip()
            break
    s = s.split("?")[0].split("#")[0].rstrip("/")
    m = _EXACT_NEW.fullmatch(s)
    if m and _valid_new_id(m.group(1), m.group(2)):
        return f"{m.group(1)}.{m.group(2)}", int(m.group(3)) if m.group(3) else None
    m = _EXACT_OLD.fullmatch(s)
    if m:
        return _canonical_old(m.group(1), m.group(2)), int(m.group(3)) if m.group(3) else None
    return "", None


def find_arxiv_ids(text: str, *, bare: bool = True) -> list[str]:
    """All distinct arXiv ids in ``text``, in order, versions dropped.

    With ``bare=False`` a new-style id counts only after ``arXiv:`` or in an
    arXiv/HF URL, which avoids reading numbers like ``1203.4567`` as ids.
    """
    found: dict[str, int] = {}
    for m in NEW_ID_RE.finditer(text):
        if not _valid_new_id(m.group(1), m.group(2)):
            continue
        if not bare and not _ARXIV_PREFIX.search(text[max(0, m.start() - 40) : m.start()]):
            continue
        found.setdefault(f"{m.group(1)}.{m.group(2)}", m.start())
    for pos, old_id, _ in iter_old_ids(text):
        found.setdefault(old_id, pos)
    return sorted(found, key=found.__getitem__)


def year_from_arxiv_id(arxiv_id: str) -> int | None:
    """``2401.01234`` -> 2024, ``hep-th/9901001`` -> 1999."""
    m = re.fullmatch(r"(\d{2})\d{2}\.\d{4,5}", arxiv_id) or re.fullmatch(r"[a-z\-]+/(\d{2})\d{5}", arxiv_id)
    if not m:
        return None
    yy = int(m.group(1))
    return 1900 + yy if yy >= 91 else 2000 + yy


def arxiv_abs_url(arxiv_id: str) -> str:
    """The canonical abstract page for an id."""
    return f"https://arxiv.org/abs/{arxiv_id}"


def strip_trailing_punctuation(token: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets from a token's end."""
    while token:
        last = token[-1]
        if last in _TRAILING or last in _PAIRS and token.count(last) > token.count(_PAIRS[last]):
            token = token[:-1]
        else:
            break
    return token


def normalise_doi(s: str) -> str:
    """The bare DOI from ``doi:10.x/y``, ``https://doi.org/10.x/y`` or ``10.x/y.``; "" if none."""
    found = find_dois(s or "")
    return found[0] if found else ""


# bioRxiv and medRxiv (prefix 10.1101): `10.1101/2023.06.01.543210` or an old `10.1101/123456`;
# their pages' links add `v2`, `.full`, `.full.pdf`, `.abstract`..., which no DOI has.
_PREPRINT_DOI = re.compile(r"10\.1101/(?:\d{4}\.\d{2}\.\d{2}\.)?\d{6,8}")
_PREPRINT_TAIL = re.compile(r"(?:v\d{1,3})?(?:\.[a-z][\w.+-]*)?", re.IGNORECASE)


def find_dois(text: str) -> list[str]:
    """All distinct DOIs in ``text`` in order (compared case-insensitively)."""
    seen: set[str] = set()
    out: list[str] = []
    for m in DOI_RE.finditer(text):
        doi = m.group(0)[:MAX_TOKEN]
        if "%" in doi:  # copied from a link: 10.1000%2F182, (SICI) DOIs' %3C and %3E
            doi = unquote(doi)
        doi = strip_trailing_punctuation(doi)
        for stop in ("&", "?"):  # query strings of the page that linked it
            doi = doi.split(stop)[0]
        if doi.lower().endswith((".pdf", ".html")) and doi.count("/") > 1:
            doi = doi.rsplit("/", 1)[0]  # a publisher's file of the paper, not the DOI
        preprint = _PREPRINT_DOI.match(doi)  # bioRxiv/medRxiv pages add a version and a view
        if preprint and _PREPRINT_TAIL.fullmatch(doi[preprint.end():]):
            doi = preprint.group(0)
        # a link's closing slash goes too (`doi.org/10.1000/abc/` is 10.1000/abc)
        doi = strip_trailing_punctuation(strip_trailing_punctuation(doi).rstrip("/"))
        if "/" not in doi:  # nothing after the prefix: "10.1145/?page=2"
            continue
        key = doi.lower()
        if key not in seen:
            seen.add(key)
            out.append(doi)
    return out


def doi_url(doi: str) -> str:
    """The resolver URL for a DOI."""
    return f"https://doi.org/{doi}"


def find_links(text: str) -> list[str]:
    """Distinct http(s) links in order, trailing punctuation and stray brackets removed."""
    seen: set[str] = set()
    out: list[str] = []
    for m in LINK_RE.finditer(text):
        link = strip_trailing_punctuation(m.group(0))
        # ``https://x.org/a.)`` leaves ``https://x.org/a.`` after the bracket goes.
        link = unwrap_redirect(strip_trailing_punctuation(link))
        if len(link) > MAX_TOKEN or "." not in _host(link):  # "https://", "http://localhost"
            continue
        if link not in seen:
            seen.add(link)
            out.append(link)
    return out


def _host(link: str) -> str:
    try:
        return urlsplit(link).hostname or ""
    except ValueError:  # "https://[broken": no host to speak of
        return ""


# Links mail readers and alert services wrap around the real one, with the query
# parameter that holds it: Outlook's Safe Links, Gmail's and Google's redirects, Scholar's.
_REDIRECTS = (
    (re.compile(r"(?:[\w-]+\.)*safelinks\.protection\.outlook\.com"), "url"),
    (re.compile(r"(?:www\.)?google\.[a-z.]{2,6}", re.I), "q"),
    (re.compile(r"scholar\.google\.[a-z.]{2,6}", re.I), "url"),
)
_REDIRECT_PATHS = {"url": ("/", "", "/scholar_url"), "q": ("/url",)}


def unwrap_redirect(url: str, depth: int = 3) -> str:
    """The link a redirect wraps (Outlook Safe Links around a Scholar link around the paper:
    all three unwrapped), else the link as given. Only an http(s) target is taken."""
    for _ in range(depth):
        try:
            parts = urlsplit(url.strip())
        except ValueError:
            return url
        host = (parts.hostname or "").lower()
        param = next((p for pattern, p in _REDIRECTS if pattern.fullmatch(host)), None)
        if param is None or parts.path not in _REDIRECT_PATHS[param]:
            return url
        target = parse_qs(parts.query).get(param, [""])[0].strip()
        if not target.lower().startswith(("http://", "https://")):
            return url
        url = target
    return url


def paper_url(arxiv_id: str = "", doi: str = "", fallback: str = "") -> str:
    """The URL a card opens: arXiv abstract page, else DOI resolver, else what we had."""
    if arxiv_id:
        return arxiv_abs_url(arxiv_id)
    if doi:
        return doi_url(doi)
    return fallback


PAPER_HOSTS = (
    "arxiv.org",
    "doi.org",
    "openreview.net",
    "aclanthology.org",
    "aclweb.org",
    "papers.nips.cc",
    "neurips.cc",
    "mlr.press",
    "openaccess.thecvf.com",
    "ieeexplore.ieee.org",
    "dl.acm.org",
    "link.springer.com",
    "nature.com",
    "science.org",
    "sciencedirect.com",
    "biorxiv.org",
    "medrxiv.org",
    "semanticscholar.org",
    "huggingface.co/papers",
    "ojs.aaai.org",
    "ijcai.org",
    "jmlr.org",
    "iclr.cc",
    "ssrn.com",
    "pubmed",
    "ncbi.nlm.nih.gov",
    "openalex.org",
    "proceedings.",
    "researchgate.net/publication",
    "papers.ssrn",
    "alphaxiv.org",
)


def is_paper_url(url: str) -> bool:
    """Links that point at a paper rather than code, tweets or videos."""
    low = url.lower()
    return any(h in low for h in PAPER_HOSTS) or low.split("?")[0].endswith(".pdf")
