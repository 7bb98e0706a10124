"""From drafts to library rows: duplicate checks against the library, citation keys, positions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .citekeys import is_safe_citekey, make_citekey
from .dedupe import FUZZY_THRESHOLD, doi_key, title_key, title_similarity
from .digest.identifiers import normalise_arxiv_id
from .edits import Edit, clean_tag
from .errors import InputError
from .models import STATUSES, Draft
from .rows import iso_or_empty, now_iso, to_db
from .storage import Store

NEW, DUPLICATE, SIMILAR = "new", "duplicate", "similar"
NEWER_VERSION = "newer-version"  # same arXiv id as a library paper, higher version than stored


@dataclass
class PreviewItem:
    """One parsed paper and what the library already knows of it."""

    draft: Draft
    verdict: str = NEW  # new | duplicate | similar | newer-version
    match_id: int | None = None  # the library paper it duplicates or resembles
    reason: str = ""  # "same arXiv id", "same DOI", "same title", "similar title (93%)"
    score: float = 0.0

    @property
    def selected_by_default(self) -> bool:
        return self.verdict == NEW


@dataclass
class ImportReport:
    format: str
    found: int
    imported: int
    duplicates: int
    ids: list[int] = field(default_factory=list)
    message: str = ""
    skipped: list[PreviewItem] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)  # library entries not readable whole
    # Pasted citation keys we could not keep: (pasted, stored instead, why).
    rekeyed: list[tuple[str, str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "found": self.found,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "ids": self.ids,
            "broken": self.broken,
            "rekeyed": [{"pasted": p, "key": k, "reason": why} for p, k, why in self.rekeyed],
        }


def choose_keys(drafts: list[Draft], taken: set[str]) -> list[str]:
    """The citation key each draft gets, in order: its pasted key if safe and free (case
    aside), else a fresh one. `taken` (lowercased keys) grows with each key given."""
    keys = []
    for d in drafts:
        pasted = d.citekey.strip()
        key = pasted if is_safe_citekey(pasted) and pasted.lower() not in taken else ""
        key = key or make_citekey(d.authors, d.title, d.year, taken, folded=True)
        taken.add(key.lower())
        keys.append(key)
    return keys


def planned_rekeys(store: Store, drafts: list[Draft]) -> list[tuple[str, str, str]]:
    """What rekeyed() will report once these drafts are imported, worked out without
    writing anything (an import's dry run)."""
    holders = {r[0].lower(): (r[1], r[2]) for r in store.db.execute(
        "SELECT citekey, id, trashed_at FROM papers")}
    keys = choose_keys(drafts, set(holders))
    out = []
    for draft, key in zip(drafts, keys, strict=True):
        pasted = draft.citekey.strip()
        if not pasted or key == pasted:
            continue
        holder = holders.get(pasted.lower())
        if not is_safe_citekey(pasted):
            why = "it has characters LaTeX cannot cite"
        elif holder is None:
            why = "another paper in this paste has it"
        elif holder[1]:
            why = f"paper {holder[0]} in the trash has it (empty the trash, then rekey)"
        else:
            why = f"paper {holder[0]} has it"
        out.append((pasted, key, why))
    return out


def held_as(store: Store, skipped: list[PreviewItem]) -> list[tuple[str, str, str]]:
    """(pasted key, key the library holds it under, why) for each pasted entry skipped as a
    paper the library has under another key: a .tex citing the pasted key needs that one."""
    out = []
    for item in skipped:
        pasted = item.draft.citekey.strip()
        if not pasted or item.match_id is None:
            continue
        row = store.db.execute("SELECT citekey FROM papers WHERE id = ?", [item.match_id]).fetchone()
        if row is not None and row[0] != pasted:
            out.append((pasted, row[0], f"paper {item.match_id} is this paper ({item.reason})"))
    return out


def rekeyed(store: Store, drafts: list[Draft], ids: list[int]) -> list[tuple[str, str, str]]:
    """Pasted keys that were replaced at insert, with the reason, so the user hears of it
    (a .tex citing the pasted key would otherwise break without a word)."""
    out = []
    for draft, pid in zip(drafts, ids, strict=True):
        pasted = draft.citekey.strip()
        if not pasted:
            continue
        row = store.db.execute("SELECT citekey FROM papers WHERE id = ?", [pid]).fetchone()
        if row is None or row[0] == pasted:
            continue
        if not is_safe_citekey(pasted):
            why = "it has characters LaTeX cannot cite"
        else:
            other = store.db.execute(
                "SELECT id, trashed_at FROM papers WHERE citekey = ? COLLATE NOCASE AND id != ?",
                [pasted, pid],
            ).fetchone()
            # By now the paste's papers are stored too: one of them holding the key is
            # "another paper in this paste", not a paper the user had before.
            if other is None or other[0] in ids:
                why = "another paper in this paste has it"
            elif other[1]:
                why = f"paper {other[0]} in the trash has it (empty the trash, then rekey)"
            else:
                why = f"paper {other[0]} has it"
        out.append((pasted, row[0], why))
    return out


def _arxiv(draft: Draft) -> str:
    return normalise_arxiv_id(draft.arxiv_id)[0] if draft.arxiv_id else ""


def _arxiv_version(draft: Draft) -> int | None:
    """The version the parser recorded, else one still written in the id ("...v3")."""
    if draft.arxiv_version:
        return draft.arxiv_version
    return normalise_arxiv_id(draft.arxiv_id)[1] if draft.arxiv_id else None


def classify(store: Store, drafts: list[Draft], fuzzy: bool = False) -> list[PreviewItem]:
    """Mark each draft new, duplicate (same arXiv id, DOI or title) or, with `fuzzy`, similar.

    A draft with the same arXiv id as a library paper but a higher version than the one
    stored is "newer-version" (not selected by default; the user decides).

    Drafts repeated within the same paste are duplicates of their first occurrence.
    """
    db = store.db
    items: list[PreviewItem] = []
    seen: dict[tuple[str, str], int] = {}
    for i, draft in enumerate(drafts):
        item = PreviewItem(draft)
        keys = [
            ("arxiv", _arxiv(draft)),
            ("doi", doi_key(draft.doi)),
            ("title", title_key(draft.title)),
        ]
        for kind, key in keys:
            if not key:
                continue
            if (kind, key) in seen:
                item.verdict, item.reason = DUPLICATE, f"repeated in this paste (item {seen[kind, key] + 1})"
                break
            # The `!= ''` terms let SQLite use the partial indexes on these columns.
            where = {"arxiv": "arxiv_id = ? AND arxiv_id != ''",
                     "doi": "lower(doi) = ? AND doi != ''", "title": "title_key = ?"}[kind]
            row = db.execute(
                f"SELECT id FROM papers WHERE {where} AND trashed_at IS NULL LIMIT 1", [key]
            ).fetchone()
            if row:
                item.verdict, item.match_id = DUPLICATE, row[0]
                item.reason = {"arxiv": "same arXiv id", "doi": "same DOI", "title": "same title"}[kind]
                if kind == "arxiv":
                    _newer_version(store, item)
                break
        if item.verdict == NEW and fuzzy and draft.title:
            _fuzzy_match(store, item)
        for kind, key in keys:
            if key:
                seen.setdefault((kind, key), i)
        items.append(item)
    return items


def _newer_version(store: Store, item: PreviewItem) -> None:
    """Upgrade a same-arXiv-id duplicate to "newer-version" when the draft's version is higher."""
    version = _arxiv_version(item.draft)
    row = store.db.execute("SELECT arxiv_version FROM papers WHERE id = ?", [item.match_id]).fetchone()
    have = row[0] if row else None
    if version and have and version > have:
        item.verdict = NEWER_VERSION
        item.reason = f"newer arXiv version (v{version}, you have v{have})"


def build_version_update(store: Store, items: list[PreviewItem]) -> Edit:
    """Record the newer arXiv versions the user accepted on the papers they already have
    (instead of importing a second copy)."""
    edit = Edit(label="note newer arXiv versions")
    for item in items:
        version = _arxiv_version(item.draft)
        if item.verdict != NEWER_VERSION or item.match_id is None or not version:
            continue
        row = store.db.execute("SELECT arxiv_version FROM papers WHERE id = ?",
                               [item.match_id]).fetchone()
        if row is not None and (row[0] or 0) < version:
            edit.updates[item.match_id] = ({"arxiv_version": row[0]}, {"arxiv_version": version})
    n = len(edit.updates)
    edit.label = f"note newer arXiv version of {n} paper{'s' if n != 1 else ''}"
    return edit


def _fuzzy_match(store: Store, item: PreviewItem) -> None:
    """Look for a near-identical title among papers sharing a rare-ish word with it."""
    words = sorted(title_key(item.draft.title).split(), key=len, reverse=True)[:2]
    if not words:
        return
    rows = store.db.execute(
        "SELECT id, title FROM papers WHERE trashed_at IS NULL AND title_key LIKE ? LIMIT 200",
        [f"%{words[0]}%"],
    ).fetchall()
    best = max(((title_similarity(item.draft.title, t), pid) for pid, t in rows), default=None)
    if best and best[0] >= FUZZY_THRESHOLD:
        item.verdict, item.match_id, item.score = SIMILAR, best[1], best[0]
        item.reason = f"similar title ({best[0]:.0f}%)"


def build_insert(
    store: Store, drafts: list[Draft], *, raw_text: str, fmt: str, source: str, tags: list[str],
    found: int, duplicates: int,
) -> Edit:
    """An Edit that inserts `drafts` at the end of the queue, with their tags and import record."""
    db = store.db
    stamp = now_iso()
    tags = clean_tags(tags)
    next_id = (db.execute("SELECT max(id) FROM papers").fetchone()[0] or 0) + 1
    purged_max = db.execute("SELECT max(paper_id) FROM purged").fetchone()[0] or 0
    next_id = max(next_id, purged_max + 1)  # never reuse an id an undo may bring back
    position = (db.execute("SELECT max(position) FROM papers").fetchone()[0] or 0.0) + 1.0
    import_id = (db.execute("SELECT max(id) FROM imports").fetchone()[0] or 0) + 1
    taken = {r[0].lower() for r in db.execute("SELECT citekey FROM papers")}
    edit = Edit(label=f"import {len(drafts)} paper{'s' if len(drafts) != 1 else ''}")
    edit.import_row = {
        "id": import_id, "created_at": stamp, "format": fmt, "source": source,
        "raw_text": raw_text, "found": found, "imported": len(drafts), "duplicates": duplicates,
    }
    for offset, (d, key) in enumerate(zip(drafts, choose_keys(drafts, taken), strict=True)):
        pid = next_id + offset
        status = d.status if d.status in STATUSES else "queued"
        row = {
            "id": pid, "title": d.title.strip(), "abstract": d.abstract.strip(),
            "authors": to_db("authors", d.authors), "year": d.year, "arxiv_id": _arxiv(d),
            "arxiv_version": _arxiv_version(d) if _arxiv(d) else None,
            "doi": d.doi.strip(), "url": d.url.strip(), "links": to_db("links", d.links),
            "venue": d.venue, "primary_class": d.primary_class, "status": status,
            "position": position + offset, "priority": max(0, min(3, d.priority)),
            "notes": d.notes.strip(), "citekey": key,
            "title_key": title_key(d.title), "added_at": iso_or_empty(d.added_at) or stamp,
            "updated_at": stamp,
            "import_id": import_id,
            # read elsewhere before it came here, on a day we do not know: no reading
            # dates, so statistics do not count a moved-in library as read this week
            "started_at": None,
            "finished_at": None,
            "entry_type": d.entry_type,
            "fields": to_db("fields", d.fields),
        }
        edit.inserted.append(row)
        edit.history.append((pid, status, stamp))
        for name in dict.fromkeys([*tags, *_usable_tags(d.tags)]):
            edit.links_added.append((pid, name))
    return edit


def clean_tags(names: list[str]) -> list[str]:
    """Tags given for a whole import (`--tag`), cleaned; a bad one raises InputError."""
    return [clean_tag(t) for t in names]


def _usable_tags(names: list[str]) -> list[str]:
    """Tags that came with a paste (e.g. BibTeX keywords); unusable ones are dropped."""
    out = []
    for name in names:
        try:
            out.append(clean_tag(name))
        except InputError:
            continue
    return out
