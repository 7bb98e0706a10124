"""A JabRef library (.bib): BibTeX plus JabRef's own fields and its group tree.

JabRef keeps reading state in fields (``readstatus = {read|skimmed}``, ``priority =
{prio1..prio3}``, ``ranking = {rank1..rank5}``), notes in ``comment`` (and
``comment-<user>``) and ``annote``, attached files in ``file`` as
``description:path:type`` triples separated by ``;`` (``\\:`` and ``\\;`` escaped),
and groups both as the ``groups`` field of each entry (static groups, JabRef 3.x+)
and as a tree in ``@Comment{jabref-meta: grouping: ...}`` whose lines read
``<level> <Kind>:<name>\\;<context>\\;...``. Old libraries list a static group's
keys in the tree (``ExplicitGroup:name\\;0\\;key1\\;key2\\;``); keyword groups
match a word in a field. Groups become tags. An entry that cannot be read whole is
reported and skipped: a half-read library entry would silently lose data.
"""

from __future__ import annotations

import re

from paperdeck.core.models import Draft

from .bibtex_paste import _KEY, _MONTHS, _OPEN, _read_fields, draft_from_fields, read_fields_strictly
from .csl_json import identifiable
from .textutil import latex_to_unicode, squash

NAME = "jabref"
LABEL = "JabRef library (.bib)"
SAMPLE = 200_000

_META = re.compile(r"@comment\s*\{\s*jabref-meta:\s*([\w-]+)\s*:(.*?)\}\s*(?=@|\Z)", re.I | re.S)
_JABREF_FIELDS = re.compile(
    r"^\s*(?:readstatus|ranking|groups|owner|timestamp|creationdate|modificationdate|"
    r"qualityassured|printed|relevance)\s*=|^\s*priority\s*=\s*\{prio|^\s*file\s*=\s*\{[^{}\n]*:[^{}\n]*:",
    re.I | re.M,
)
_STATUS = {"read": "read", "skimmed": "reading"}
_PRIORITY = {"prio1": 3, "prio2": 2, "prio3": 1}  # JabRef's prio1 is the highest
_NOTE_FIELDS = re.compile(r"^(?:comment(?:-.+)?|annote|review)$")


def _unescape_meta(s: str) -> str:
    """JabRef escapes ``;`` (and ``\\``) inside group definitions with a backslash."""
    return re.sub(r"\\(.)", r"\1", s)


def _meta_parts(s: str) -> list[str]:
    """Split a group definition at its ``\\;`` separators."""
    return [_unescape_meta(p) for p in s.split("\\;")]


class _Groups:
    """The group tree: which keys each static group lists, which keyword each keyword group
    matches. Static groups that list no keys rely on the entries' ``groups`` field."""

    def __init__(self, text: str) -> None:
        self.by_key: dict[str, list[str]] = {}
        self.keyword: list[tuple[str, str, str, bool]] = []  # (name, field, word, case-sensitive)
        for kind, body in _META.findall(text):
            if kind.lower() in ("grouping", "groupstree"):
                # nodes end at an unescaped ";" (one per line, or all on one line)
                for line in re.split(r"(?<!\\);", body):
                    self._line(line.strip())

    def _line(self, line: str) -> None:
        m = re.match(r"^\d+\s+(\w+):(.*)$", line)
        if not m:
            return
        kind, parts = m.group(1), _meta_parts(m.group(2))
        name = squash(parts[0]) if parts else ""
        if not name or kind == "AllEntriesGroup":
            return
        if kind == "ExplicitGroup":  # old libraries: the keys follow the context flag
            for key in parts[2:]:
                if key.strip():
                    self.by_key.setdefault(key.strip(), []).append(name)
        elif kind == "KeywordGroup" and len(parts) >= 5 and parts[5:6] != ["1"]:
            field, word = parts[2].strip().lower(), parts[3].strip()
            if field and word:
                self.keyword.append((name, field, word, parts[4].strip() == "1"))

    def tags(self, key: str, fields: dict[str, str]) -> list[str]:
        out = list(self.by_key.get(key, []))
        for name, field, word, case in self.keyword:
            value = fields.get(field, "")
            hay, needle = (value, word) if case else (value.lower(), word.lower())
            if needle and needle in hay:
                out.append(name)
        return out


def _split_list(value: str) -> list[str]:
    """A JabRef list field ("Transformers, Reading group"): JabRef separates with commas."""
    return [t for t in (squash(latex_to_unicode(p)) for p in re.split(r"\s*[,;]\s*", value)) if t]


def _file_links(value: str) -> list[str]:
    """Paths and URLs from ``description:path:type;...``."""
    out = []
    for triple in re.split(r"(?<!\\);", value):
        parts = re.split(r"(?<!\\):", triple)
        path = parts[1] if len(parts) >= 3 else parts[0]
        path = _unescape_meta(path).strip()
        if path:
            out.append(path)
    return out


def _notes(fields: dict[str, str]) -> str:
    """Comments and annotations, and a ranking (it has no column of its own)."""
    notes = [latex_to_unicode(fields[n]).strip() for n in fields if _NOTE_FIELDS.match(n)]
    rank = re.fullmatch(r"\s*rank([1-5])\s*", fields.get("ranking", ""))
    if rank:
        notes.append(f"Ranking: {rank.group(1)}/5")
    return "\n\n".join(n for n in notes if n)


def _entry(key: str, kind: str, fields: dict[str, str], groups: _Groups) -> Draft | None:
    d = draft_from_fields(key, fields, kind, untitled=True)
    if d is None or not identifiable(d):
        return None
    d.status = _STATUS.get(fields.get("readstatus", "").strip().lower(), "")
    d.priority = _PRIORITY.get(fields.get("priority", "").strip().lower(), 0)
    d.notes = _notes(fields)
    d.added_at = fields.get("creationdate", "") or fields.get("timestamp", "")
    tags = _split_list(fields.get("groups", "")) + groups.tags(key, fields)
    tags += _split_list(fields.get("keywords", ""))
    d.tags = list(dict.fromkeys(tags))
    d.links = [link for link in _file_links(fields.get("file", "")) if link != d.url]
    return d


def parse_report(text: str) -> tuple[list[Draft], list[str]]:
    """Every entry read whole, in file order, and a line for each one skipped."""
    groups = _Groups(text)
    macros: dict[str, str] = {m: m.capitalize() for m in _MONTHS}
    drafts: list[Draft] = []
    skipped: list[str] = []
    keys: set[str] = set()
    opens = list(_OPEN.finditer(text))
    for k, m in enumerate(opens):
        kind = m.group(1).lower()
        end = opens[k + 1].start() if k + 1 < len(opens) else len(text)
        chunk = text[m.end() : end]
        line = text.count("\n", 0, m.start()) + 1
        if kind in ("comment", "preamble"):
            continue
        if kind == "string":
            macros.update({n: latex_to_unicode(v) for n, v in _read_fields(chunk, macros).items()})
            continue
        km = _KEY.match(chunk)
        key = km.group(1) if km else ""
        where = f"line {line}" + (f" ({key})" if key else "")
        if not key:
            skipped.append(f"{where}: no citation key")
            continue
        fields, problem = read_fields_strictly(chunk[km.end() :], macros)
        if not problem and key in keys:
            problem = "citation key used twice"
        draft = None if problem else _entry(key, kind, fields, groups)
        if draft is None:
            skipped.append(f"{where}: {problem or 'no title, authors, identifier or link'}")
            continue
        keys.add(key)
        drafts.append(draft)
    return drafts, skipped


def parse(text: str) -> list[Draft]:
    return parse_report(text)[0]


def score(text: str) -> float:
    """JabRef's meta comments or its own fields, in a file of BibTeX entries."""
    head = text[:SAMPLE]
    if not re.search(r"@\s*[A-Za-z]{2,30}\s*\{\s*[^,\s{}]+\s*,", head):
        return 0.0
    if re.search(r"@comment\s*\{\s*jabref-meta:\s*(?:grouping|groupstree)\s*:", text, re.I):
        return 0.97
    return 0.96 if len(_JABREF_FIELDS.findall(head)) >= 2 else 0.0
