"""One function per `paperdeck` subcommand. Each opens the library, acts, prints, returns."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..core.errors import InputError
from ..core.library import Library
from ..core.query import cap_notice
from ..paths import data_dir
from . import triage_commands
from .common import dump_json, paper_json, read_inputs


def _open(args: argparse.Namespace, *, sync_index: bool = True, backup: bool = True) -> Library:
    return Library.open(data_dir(args.data_dir), sync_index=sync_index, backup=backup)


def cmd_import(args: argparse.Namespace) -> int:
    inputs = read_inputs(args.files)
    with _open(args) as lib:
        totals = {"format": None, "found": 0, "imported": 0, "duplicates": 0, "ids": [], "broken": [],
                  "rekeyed": []}
        formats = []
        for source, text in inputs:
            report = lib.import_text(text, tags=args.tag, fmt=args.fmt, source=source,
                                     dry_run=args.dry_run)
            formats.append(report.format)
            for key in ("found", "imported", "duplicates"):
                totals[key] += getattr(report, key)
            totals["ids"] += report.ids
            totals["broken"] += [f"{source}: {why}" for why in report.broken]
            totals["rekeyed"] += report.as_json()["rekeyed"]  # README: `--json` lists them
            for why in report.broken:  # a library entry that could not be read whole
                print(f"{source}: broken entry skipped, {why}", file=sys.stderr)
            if not args.json:
                verb = "Would import" if args.dry_run else "Imported"
                print(f"{source}: {report.format}: found {report.found}, {verb.lower()} "
                      f"{report.imported}, {report.duplicates} already in the library")
                for item in report.skipped:
                    print(f"  skipped: {item.draft.label()[:80]} ({item.reason})")
                stored = "would be stored" if args.dry_run else "is stored"
                for pasted, key, why in report.rekeyed:
                    print(f"  key {pasted} {stored} as {key}: {why}")
        totals["format"] = formats[0] if len(set(formats)) == 1 else "mixed"
        if args.json:
            dump_json(totals)
    return 0


def _select(lib: Library, args: argparse.Namespace, limit: int | None = None) -> list[int]:
    query = triage_commands.query_of(lib, args)
    notice = cap_notice(query) if query else None
    if notice:  # a pasted page of text: say that only its start was searched
        print(f"paperdeck: {notice}", file=sys.stderr)
    return lib.ids(query, tag=args.tag, status=args.status, limit=limit,
                   sort=getattr(args, "sort", None))


def cmd_list(args: argparse.Namespace) -> int:
    with _open(args) as lib:
        ids = _select(lib, args, args.limit)
        extra = triage_commands.for_you_fields(lib, ids) if args.sort == "for-you" else {}
        if args.json:
            papers = lib.papers(ids)
        else:  # a line a paper: no need to build whole papers (see Library.listing)
            lines = lib.listing(ids)
    if args.json:
        dump_json([{**paper_json(p), **extra.get(p.id, {})} for p in papers])
        return 0
    out = []
    for pid, status, citekey, name, tags in lines:
        shown = f"  [{', '.join(tags)}]" if tags else ""
        out.append(f"{pid:>6}  {status:<8}  {citekey:<24}  {name}{shown}\n")
    sys.stdout.write("".join(out))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    with _open(args) as lib:
        if args.ids:
            try:
                ids = [int(x) for x in args.ids.split(",") if x.strip()]
            except ValueError:
                raise InputError("--ids takes numbers separated by commas, like 1,2,3.") from None
            lib.require(ids)
            if args.query or args.saved or args.tag or args.status:
                allowed = set(_select(lib, args))
                ids = [i for i in ids if i in allowed]
        else:
            ids = _select(lib, args)
        fmt = getattr(args, "fmt", "bibtex")
        if args.utf8 and fmt != "bibtex":
            raise InputError("--utf8 is for the BibTeX format; the other formats are always UTF-8.")
        text = lib.export(ids, fmt, utf8=args.utf8)
    if args.output:
        _write_text(Path(args.output), text)
        print(f"Wrote {len(ids)} entries to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    from ..core.bibtex import kept_characters  # pylatexenc: slow to import, export only

    kept = kept_characters(text) if fmt == "bibtex" and not args.utf8 else []
    if kept:
        shown = "".join(kept[:20]) + ("…" if len(kept) > 20 else "")
        print(f"Kept {len(kept)} character{'s' if len(kept) != 1 else ''} with no LaTeX form as "
              f"they are ({shown}): load a font for them, or use --utf8 with biber.", file=sys.stderr)
    return 0


def cmd_autoexport(args: argparse.Namespace) -> int:
    with _open(args) as lib:
        links = lib.autoexports
        if args.action == "add":
            n = links.add(Path(args.file), tag=args.tag, query=args.query, fmt=args.fmt)
            print(f"Wrote {n} entries to {Path(args.file).expanduser().resolve()}; it is rewritten "
                  "after every change to those papers.", file=sys.stderr)
        elif args.action == "list":
            for link in links.links():
                print(link.describe())
        elif not links.remove(Path(args.file)):
            raise InputError(f"{args.file} is not kept up to date (see `autoexport list`).")
    return 0


def _write_text(path: Path, text: str) -> None:
    """Write via a temporary file, so a failure never leaves half a .bib behind."""
    from ..core.autoexport import write_atomically

    write_atomically(path, text)


def cmd_tag(args: argparse.Namespace) -> int:
    if not args.add and not args.remove:
        raise InputError("Say what to do: --add TAG and/or --remove TAG.")
    with _open(args) as lib:
        lib.require(args.ids)
        if args.add:
            lib.add_tags(args.ids, args.add)
        if args.remove:
            lib.remove_tags(args.ids, args.remove)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    with _open(args) as lib:
        lib.set_status(args.ids, args.status)
    return 0


def cmd_move(args: argparse.Namespace) -> int:
    with _open(args) as lib:
        if args.to_top or args.to_bottom:
            lib.move(args.ids, to="top" if args.to_top else "bottom")
            note = lib.ahead_by_priority(args.ids) if args.to_top else ""
            if note:
                print(f"paperdeck: {note}", file=sys.stderr)
        elif args.up or args.down:
            for pid in lib.require(args.ids):  # in the order given, a step each
                if lib.move_step(pid, -1 if args.up else +1) is None:
                    edge = "top" if args.up else "bottom"
                    print(f"paperdeck: paper {pid} is already at the {edge} of its place in "
                          "the queue (queued and reading papers of its priority)",
                          file=sys.stderr)
        else:
            anchor = args.before or args.after
            lib.require([anchor])
            lib.move(args.ids, to="before" if args.before else "after", anchor=anchor)
    return 0


def cmd_trash(args: argparse.Namespace) -> int:
    with _open(args) as lib:
        lib.trash(args.ids)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    with _open(args) as lib:
        lib.restore(args.ids)
    return 0


def cmd_complete(args: argparse.Namespace) -> int:
    """Look papers up on arXiv / Crossref and fill in what is missing (issue 6)."""
    with _open(args) as lib:
        ids = list(dict.fromkeys([*args.ids, *(lib.ids_missing_metadata() if args.all_missing
                                               else [])]))
        if not ids:
            if args.all_missing and not args.ids:
                print("No paper is missing metadata.", file=sys.stderr)
                if args.json:
                    dump_json({"applied": False, "offline": False, "counts": {}, "papers": []})
                return 0
            raise InputError("Name the papers to complete (ID...) or use --all-missing.")
        if not args.json:
            print(f"Looking up {len(ids)} paper{'s' if len(ids) != 1 else ''} "
                  "(arXiv asks for 3 s between requests)...", file=sys.stderr)
        _, report = lib.complete_metadata(ids, dry_run=args.dry_run)
    if args.json:
        dump_json(report.as_json())
    else:
        for item in report.items:
            print(item.line())
        verb = "Would change" if args.dry_run else "Changed"
        print(f"{verb}: {report.summary()}")
    failed = [it for it in report.items if it.status in ("offline", "timeout", "busy")]
    if failed and len(failed) == len(report.items):
        if not args.json:
            print("paperdeck: nothing could be looked up; check the network and try again.",
                  file=sys.stderr)
        return 1
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    """Show regenerated citation keys; rename them only with --apply."""
    with _open(args) as lib:
        mapping = lib.regenerate_citekeys(args.ids, dry_run=not args.apply)
    for pid, old, new in mapping:
        print(f"{pid}: {old} -> {new}")
    if not mapping:
        print("No citation key would change.")
    elif args.apply:
        print(f"Renamed {len(mapping)} citation key{'s' if len(mapping) != 1 else ''}.")
    else:
        print("Nothing changed: run again with --apply to rename these keys "
              "(LaTeX documents citing the old keys will need updating).")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    if args.list:
        return _list_backups(data_dir(args.data_dir))
    with _open(args, sync_index=False, backup=False) as lib:
        path = lib.backup()
    print(f"Backed up the library to {path}")
    return 0


def _list_backups(folder: Path) -> int:
    """Oldest first: date (local time), size, papers, whether it checks out, the file.
    Works whatever state the library itself is in."""
    from datetime import datetime

    from ..core.backup import describe_backups

    found = describe_backups(folder)
    if not found:
        print(f"No backups yet in {folder / 'backups'}.", file=sys.stderr)
        return 0
    for info in found:
        when = datetime.fromtimestamp(info.made).strftime("%Y-%m-%d %H:%M")
        papers = "?" if info.papers is None else str(info.papers)
        print(f"{when}  {info.size / 1e6:8.1f} MB  {papers:>7} papers  "
              f"{info.state:<10}  {info.path}")
    return 0


def cmd_restore_backup(args: argparse.Namespace) -> int:
    from ..core.backup import restore_unreadable
    from ..core.errors import LibraryCorrupt

    folder = data_dir(args.data_dir)
    try:
        lib = _open(args, sync_index=False, backup=False)
    except LibraryCorrupt:  # the very case a restore is for: swap the unreadable file out
        before = restore_unreadable(folder, Path(args.file))
        lib = _open(args, sync_index=False, backup=False)
        lib.index.ensure()
    else:
        try:
            before = lib.restore_backup(Path(args.file))
        except BaseException:
            lib.close()
            raise
    with lib:
        n = len(lib.ids(view="all")) + len(lib.ids(view="trash"))
    print(f"Restored {n} papers from {args.file}.")
    print(f"The library as it was is saved in {before}; "
          f"`paperdeck restore-backup {before}` brings it back.")
    return 0


def cmd_dump(args: argparse.Namespace) -> int:
    import io

    with _open(args, sync_index=False) as lib:
        if not args.output:
            lib.dump(sys.stdout)
            return 0
        buf = io.StringIO()
        n = lib.dump(buf)
    _write_text(Path(args.output), buf.getvalue())
    print(f"Wrote {n} papers to {args.output}", file=sys.stderr)
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    if args.file == "-":
        lines = sys.stdin.read().split("\n")
    else:
        try:
            lines = Path(args.file).read_text("utf-8").split("\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"Cannot read {args.file}: {getattr(exc, 'strerror', None) or exc}.") from None
    notes: list[str] = []
    with _open(args, sync_index=False, backup=False) as lib:
        n = lib.load(lines, notes)
    for note in notes:
        print(f"paperdeck: {note}", file=sys.stderr)
    print(f"Loaded {n} papers" + (f" ({len(notes)} repaired, see above)." if notes else "."))
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    with _open(args, sync_index=False) as lib:
        n = lib.reindex(procs=min(2, os.cpu_count() or 1))
    print(f"Indexed {n} papers.")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    with _open(args, sync_index=False) as lib:
        problems = lib.check(catch_up=True)
    if problems:
        for line in problems:
            print(f"problem: {line}", file=sys.stderr)
        return 1
    print("Library is healthy: database intact, search index matches.")
    return 0


def cmd_install_desktop_entry(args: argparse.Namespace) -> int:
    from .. import desktop_entry

    home = desktop_entry.data_home()
    if args.uninstall:
        removed = desktop_entry.uninstall(home)
        print(f"Removed {len(removed)} files: paperdeck is no longer in the application menu."
              if removed else "Nothing to remove: no paperdeck menu entry was installed.")
        return 0
    if sys.platform != "linux":
        raise InputError("install-desktop-entry is for Linux desktops; on Windows and macOS, "
                         "pin or drag the paperdeck app where you like.")
    command = desktop_entry.launcher_command()
    written = desktop_entry.install(home, command)
    print(f"Installed {written[-1]} and {len(written) - 1} icons.\n"
          f"paperdeck is now in the application menu; it runs: {' '.join(command)}")
    return 0
