"""Triage commands (issue 16): `suggest-tags`, `related`, `search save|list|remove`, and the
helpers `list`/`export` use for `--saved NAME` and `--sort for-you`.

The parser (`main.py`) calls `add_parsers`, which sets each command's handler; this
module imports only `common` and the core (lazily, so `--version` stays fast), never
the parser, so no import circle forms.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from .common import dump_json, paper_json, positive_count

if TYPE_CHECKING:
    from ..core.library import Library


def add_parsers(sub: argparse._SubParsersAction, paper_id: Callable[[str], int]) -> None:
    st = sub.add_parser("suggest-tags", help="tags of each paper's nearest tagged papers")
    st.add_argument("ids", nargs="+", type=paper_id, metavar="ID")
    st.add_argument("--limit", type=positive_count, default=3, help="at most N tags each (3)")
    st.add_argument("--json", action="store_true", help="print a JSON array")
    st.set_defaults(handler=cmd_suggest_tags)

    rel = sub.add_parser("related", help="the papers most like this one")
    rel.add_argument("id", type=paper_id, metavar="ID")
    rel.add_argument("--limit", type=positive_count, default=5, help="at most N papers (5)")
    rel.add_argument("--json", action="store_true", help="print a JSON array")
    rel.set_defaults(handler=cmd_related)

    search = sub.add_parser("search", help="saved searches: save, list, remove")
    verbs = search.add_subparsers(dest="verb", metavar="VERB", required=True)
    save = verbs.add_parser("save", help="save a query under a name (replaces that name's query)")
    save.add_argument("name", metavar="NAME")
    save.add_argument("query", metavar="QUERY")
    lst = verbs.add_parser("list", help="the saved searches with how many papers each finds")
    lst.add_argument("--json", action="store_true", help="print a JSON array")
    rm = verbs.add_parser("remove", help="forget a saved search (papers are not touched)")
    rm.add_argument("name", metavar="NAME")
    search.set_defaults(handler=cmd_search)




def _open(args: argparse.Namespace) -> Library:
    from ..core.library import Library
    from ..paths import data_dir

    return Library.open(data_dir(args.data_dir))


# -- used by `list` and `export` ---------------------------------------------------------
def query_of(lib: Library, args: argparse.Namespace) -> str | None:
    """The search to run: `--query`, a `--saved` search, or both (each must match)."""
    saved = getattr(args, "saved", None)
    if not saved:
        return args.query
    stored = lib.saved_query(saved)
    return f"({stored}) AND ({args.query})" if args.query else stored


def for_you_fields(lib: Library, ids: list[int]) -> dict[int, dict]:
    """`score` and `reasons` for each listed paper (`list --sort for-you`)."""
    ranking = lib.for_you(ids)
    if ranking.cold:
        print(f"paperdeck: {ranking.note}", file=sys.stderr)
    reasons = lib.for_you_reasons(ids)
    return {i: {"score": None if ranking.scores.get(i) is None else round(ranking.scores[i], 4),
                "reasons": reasons.get(i, [])} for i in ids}


# -- commands ----------------------------------------------------------------------------
def cmd_suggest_tags(args: argparse.Namespace) -> int:
    with _open(args) as lib:
        lib.require(args.ids)
        found = [(pid, lib.suggest_tags(pid, limit=args.limit)) for pid in args.ids]
        tagged = bool(lib.tags())
    if args.json:
        dump_json([{"id": pid, "tags": tags} for pid, tags in found])
    else:
        for pid, tags in found:
            print(f"{pid}: {', '.join(tags) if tags else '(none)'}")
    if not tagged:
        print("paperdeck: no paper has a tag yet, so there is nothing to suggest from.",
              file=sys.stderr)
    return 0


def cmd_related(args: argparse.Namespace) -> int:
    with _open(args) as lib:
        found = lib.related(args.id, limit=args.limit)
        papers = {p.id: p for p in lib.papers([i for i, _ in found])}
    if args.json:
        dump_json([{**paper_json(papers[i]), "similarity": sim} for i, sim in found])
        return 0
    for i, sim in found:
        p = papers[i]
        print(f"{p.id:>6}  {sim:.2f}  {p.status:<8}  {p.title or p.arxiv_id or p.doi}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    with _open(args) as lib:
        if args.verb == "save":
            saved = lib.save_search(args.name, args.query)
            print(f"Saved '{saved.name}': {saved.query} ({len(lib.ids(saved.query))} papers now)")
        elif args.verb == "remove":
            lib.remove_search(args.name)
            print(f"Removed the saved search '{args.name}'.")
        else:
            listed = lib.saved_searches()
            if args.json:
                dump_json([{"name": s.name, "query": s.query, "count": s.count} for s in listed])
            elif not listed:
                print("No saved searches yet: paperdeck search save NAME QUERY")
            for s in [] if args.json else listed:
                print(f"{s.name}\t{s.count}\t{s.query}")
    return 0
