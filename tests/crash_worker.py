"""A process for the kill tests: open a library, say "ready", run one operation, say "done".

    python crash_worker.py DATA_DIR OP [--digest FILE] [--index] [--die-at-sql N]
                           [--die-at-file N] [--count]

OP is `import` (the digest FILE), `tag` (tag every paper "bulk"), `reorder` (the whole
queue reversed in one move) or `reindex` (rebuild the search index and swap it in).
Without `--index` the search index is left alone, so a run is all SQLite; with it the
operation also brings the index up to date, as the app does.

The test kills this process from outside after a random delay, or the process kills
itself (SIGKILL, no clean-up) at an exact point: just before its N-th SQL statement on
the write connection (`--die-at-sql`), or before its N-th file write, rename or delete in
the library folder (`--die-at-file`). `--count` prints how many of each there were, so the
test can spread its kill points over the whole operation.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from paperdeck.core.library import Library

_FILE_EVENTS = {"os.rename", "os.replace", "os.remove", "os.unlink", "os.rmdir", "shutil.rmtree",
                "os.truncate"}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("op", choices=("import", "tag", "reorder", "reindex"))
    ap.add_argument("--digest", type=Path)
    ap.add_argument("--index", action="store_true")
    ap.add_argument("--die-at-sql", type=int, default=0)
    ap.add_argument("--die-at-file", type=int, default=0)
    ap.add_argument("--count", action="store_true")
    args = ap.parse_args()

    lib = Library.open(args.data_dir, sync_index=args.index)
    if not args.index:
        lib.index.ready = False  # SQLite only: the index is not touched
    text = args.digest.read_text("utf-8") if args.digest else ""
    ids = lib.ids(view="all") if args.op != "import" else []
    counts = {"sql": 0, "file": 0}
    root = str(args.data_dir.resolve())

    def on_sql(_statement: str) -> None:
        counts["sql"] += 1
        if counts["sql"] == args.die_at_sql:
            os.kill(os.getpid(), signal.SIGKILL)

    def on_event(event: str, event_args: tuple) -> None:
        if event == "open":
            path, mode = event_args[0], event_args[1]
            writing = isinstance(mode, str) and any(c in mode for c in "wax+")
            if not (writing and isinstance(path, str | os.PathLike) and
                    str(os.path.abspath(path)).startswith(root)):
                return
        elif event not in _FILE_EVENTS:
            return
        counts["file"] += 1
        if counts["file"] == args.die_at_file:
            os.kill(os.getpid(), signal.SIGKILL)

    lib.store.db.conn.set_trace_callback(on_sql)
    sys.addaudithook(on_event)
    print("ready", flush=True)
    if args.op == "import":
        lib.import_text(text, source="crash test")
    elif args.op == "tag":
        lib.add_tags(ids, ["bulk"])
    elif args.op == "reindex":
        lib.reindex()
    else:
        lib.move(list(reversed(ids)), to="top")
    print("done", flush=True)
    if args.count:
        print(f"counts {counts['sql']} {counts['file']}", flush=True)
    lib.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
