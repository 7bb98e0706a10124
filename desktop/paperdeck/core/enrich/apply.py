"""From lookup results to one undoable Edit (built like `operations.update_fields`)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..dedupe import title_key
from ..edits import Edit
from ..rows import PAPER_COLUMNS, now_iso, paper_from_row, to_db
from ..storage import Store
from .client import FOUND, LookupResult
from .merge import plan
from .rekey import plan_citekeys
from .report import UNCHANGED, UPDATED, CompletionReport, PaperOutcome


def build_completion(store: Store, ids: Sequence[int], results: Sequence[LookupResult]
                     ) -> tuple[Edit, CompletionReport]:
    """Plan against the rows as they are now (the user may have edited during the lookup)."""
    current, title_keys = {}, {}
    for row in store.db.execute(
        f"SELECT {', '.join(PAPER_COLUMNS)}, title_key FROM papers "
        "WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(list(ids))]
    ):
        current[row[0]] = paper_from_row(dict(zip(PAPER_COLUMNS, row[:-1], strict=True)), [])
        title_keys[row[0]] = row[-1]
    stamp = now_iso()
    report = CompletionReport()
    n_changed = 0
    edit = Edit(label="complete metadata")
    for pid, result in zip(ids, results, strict=True):
        paper = current.get(pid)
        if paper is None:
            continue  # deleted meanwhile
        label = paper.title or paper.arxiv_id or paper.doi or "(untitled)"
        outcome = PaperOutcome(pid, label, result.status, via=result.via, note=result.note,
                               citekey_now=paper.citekey)
        if result.status == FOUND and result.found is not None:
            outcome.source = result.found.source
            values, outcome.changes, outcome.kept = plan(paper, result.found)
            outcome.status = UPDATED if values else UNCHANGED
            if values:
                n_changed += 1
                after = {c: to_db(c, v) for c, v in values.items()}
                if "title" in after:
                    after["title_key"] = title_key(values["title"])
                after["updated_at"] = stamp
                before = {c: to_db(c, getattr(paper, c)) for c in after if c != "title_key"}
                if "title_key" in after:
                    before["title_key"] = title_keys[pid]
                edit.updates[pid] = (before, after)
        report.items.append(outcome)
    _suggest_keys(store, edit, report)
    edit.label = f"complete metadata of {n_changed} paper{'s' if n_changed != 1 else ''}"
    return edit, report


def _suggest_keys(store: Store, edit: Edit, report: CompletionReport) -> None:
    """Keys stay as assigned; say what `rekey` would give with the new metadata."""
    overrides = {pid: {c: v for c, v in after.items() if c in ("authors", "title", "year")}
                 for pid, (_, after) in edit.updates.items()}
    overrides = {pid: {c: (json.loads(v) if c == "authors" else v) for c, v in vals.items()}
                 for pid, vals in overrides.items() if vals}
    if not overrides:
        return
    suggested = {pid: new for pid, _, new in plan_citekeys(store, list(overrides), overrides)}
    for item in report.items:
        item.citekey_suggested = suggested.get(item.id, "")
