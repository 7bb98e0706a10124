"""The `paperdeck` command line: a thin layer over `Library`. Never imports Qt.

Exit status: 0 success, 1 failure the user can act on (message on stderr),
2 bad usage (argparse, malformed query).
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable, Sequence

from .. import __version__
from ..core.errors import PaperdeckError, QueryError
from ..core.models import DIGEST_FORMATS, EXPORT_FORMATS, SORT_NAMES, STATUSES
from ..paths import keep_files_private
from . import triage_commands
from .common import dump_json, paper_id, read_inputs  # noqa: F401 - dump_json, read_inputs: their old home

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="paperdeck",
        description="A reading queue for research papers. Without a command, opens the window.",
    )
    p.add_argument("--version", action="version", version=f"paperdeck {__version__}")
    p.add_argument("--data-dir", metavar="DIR",
                   help="library folder (default: $PAPERDECK_DATA_DIR, else the user data dir)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    formats = textwrap.fill("digest formats (--format NAME): " + ", ".join(DIGEST_FORMATS),
                            width=78, break_on_hyphens=False)
    imp = sub.add_parser("import", help="import papers from digest files or standard input",
                         epilog=formats, formatter_class=argparse.RawDescriptionHelpFormatter)
    imp.add_argument("files", nargs="*", metavar="FILE", help="text files; '-' or none: stdin")
    imp.add_argument("--tag", action="append", default=[], help="tag every imported paper")
    imp.add_argument("--format", dest="fmt", metavar="NAME", choices=DIGEST_FORMATS,
                     help="force a digest format (the names are below)")
    imp.add_argument("--dry-run", action="store_true", help="report only; change nothing")
    imp.add_argument("--json", action="store_true", help="print one JSON object")

    for name, help_text in (("list", "list papers"), ("export", "export papers as BibTeX")):
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("--query", "-q", help="search, e.g. 'tag:robotics \"chain of thought\"'")
        cmd.add_argument("--saved", metavar="NAME", help="a saved search (with --query: both)")
        cmd.add_argument("--tag", help="only papers with this tag")
        cmd.add_argument("--status", choices=STATUSES, help="only papers with this status")
        if name == "list":
            cmd.add_argument("--limit", type=int, help="at most N papers")
            cmd.add_argument("--json", action="store_true", help="print a JSON array")
            cmd.add_argument("--sort", choices=SORT_NAMES,
                             help="order (default: queue, or relevance with --query); "
                                  "for-you adds score and reasons to --json")
        else:
            cmd.add_argument("--ids", help="comma-separated paper ids")
            cmd.add_argument("--utf8", action="store_true",
                             help="UTF-8 for biber (default: ASCII with LaTeX escapes)")
            cmd.add_argument("--format", dest="fmt", choices=EXPORT_FORMATS, default="bibtex",
                             help="bibtex (default), biblatex (UTF-8, biblatex fields), csl-json, ris")
            cmd.add_argument("-o", "--output", metavar="FILE", help="write here, not stdout")

    tag = sub.add_parser("tag", help="add or remove tags")
    tag.add_argument("ids", nargs="+", type=paper_id, metavar="ID")
    tag.add_argument("--add", action="append", default=[], metavar="TAG")
    tag.add_argument("--remove", action="append", default=[], metavar="TAG")

    st = sub.add_parser("status", help="set the reading status")
    st.add_argument("ids", nargs="+", type=paper_id, metavar="ID")
    st.add_argument("status", choices=STATUSES)

    mv = sub.add_parser("move", help="reorder the queue")
    mv.add_argument("ids", nargs="+", type=paper_id, metavar="ID")
    where = mv.add_mutually_exclusive_group(required=True)
    where.add_argument("--to-top", action="store_true")
    where.add_argument("--to-bottom", action="store_true")
    where.add_argument("--before", type=paper_id, metavar="ID")
    where.add_argument("--after", type=paper_id, metavar="ID")
    where.add_argument("--up", action="store_true", help="one place up (past its queue neighbour)")
    where.add_argument("--down", action="store_true", help="one place down")

    comp = sub.add_parser("complete", help="fill in missing metadata from arXiv and Crossref")
    comp.add_argument("ids", nargs="*", type=paper_id, metavar="ID")
    comp.add_argument("--all-missing", action="store_true",
                      help="every paper lacking title, authors, year, identifiers or category")
    comp.add_argument("--dry-run", action="store_true", help="report only; change nothing")
    comp.add_argument("--json", action="store_true", help="print one JSON object")

    rekey = sub.add_parser("rekey", help="show (and with --apply, make) regenerated citation keys")
    rekey.add_argument("ids", nargs="+", type=paper_id, metavar="ID")
    rekey.add_argument("--apply", action="store_true", help="rename the keys (one undoable edit)")

    for name, help_text in (("trash", "move papers to the trash"),
                            ("restore", "bring papers back from the trash")):
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("ids", nargs="+", type=paper_id, metavar="ID")

    bk = sub.add_parser("backup", help="back up the library database now (see backups/)")
    bk.add_argument("--list", action="store_true",
                    help="list the backups instead: date, size, papers, whether each checks out")
    rb = sub.add_parser("restore-backup",
                        help="replace the library with a backup (the current one is backed up first)")
    rb.add_argument("file", metavar="FILE")
    dump = sub.add_parser("dump", help="write everything as JSON Lines (human-readable)")
    dump.add_argument("-o", "--output", metavar="FILE", help="write here, not stdout")
    load = sub.add_parser("load", help="recreate a library from a dump (into an empty library only)")
    load.add_argument("file", metavar="FILE", help="a file written by `paperdeck dump`; '-': stdin")

    auto = sub.add_parser("autoexport", help="keep a .bib (or CSL-JSON, RIS) file up to date")
    auto_sub = auto.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = auto_sub.add_parser("add", help="link FILE and write it now; rewritten after every change")
    add.add_argument("file", metavar="FILE")
    which = add.add_mutually_exclusive_group()
    which.add_argument("--tag", default="", help="only papers with this tag (default: everything)")
    which.add_argument("--query", "-q", default="", help="only papers this search finds")
    add.add_argument("--format", dest="fmt", choices=EXPORT_FORMATS, default="bibtex")
    auto_sub.add_parser("list", help="the linked files")
    rm = auto_sub.add_parser("remove", help="stop updating FILE (the file itself is kept)")
    rm.add_argument("file", metavar="FILE")

    sub.add_parser("reindex", help="rebuild the search index from the database")
    sub.add_parser("check", help="verify the database and the search index")

    triage_commands.add_parsers(sub, paper_id)

    desk = sub.add_parser("install-desktop-entry",
                          help="add paperdeck to this user's application menu (Linux)")
    desk.add_argument("--uninstall", action="store_true", help="remove the menu entry and icons")
    return p




def main(argv: Sequence[str] | None = None) -> int:
    keep_files_private()  # every file we (and Whoosh) create is readable by the user only
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from ..app import run_gui

        return run_gui(sys.argv[:1], data_dir=args.data_dir)
    handler: Handler | None = getattr(args, "handler", None)  # set by command groups
    if handler is None:
        from . import commands

        handler = getattr(commands, "cmd_" + args.command.replace("-", "_"))
    try:
        return handler(args)
    except QueryError as exc:
        print(f"paperdeck: {exc}", file=sys.stderr)
        return 2
    except PaperdeckError as exc:
        print(f"paperdeck: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("paperdeck: interrupted; nothing half-written was kept.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
