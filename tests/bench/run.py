"""paperdeck performance suite (issue 7): `python tests/bench/run.py --papers N [--json]`.

Builds (once, cached in tests/bench/.cache/) a synthetic library of N realistic
papers, then measures import, search (against an FTS5 peer), cold start, rebuild,
bulk tagging, queue moves and memory. Times are median and p95 over repeated runs;
the machine is shared, so the load average is reported with them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from highlight import highlight_top  # noqa: E402
from peer import build_fts, fts_search  # noqa: E402
from queries import CLASSES, build_queries  # noqa: E402
from triage_bench import measure_triage  # noqa: E402

from paperdeck.core.library import Library  # noqa: E402

SAMPLE = corpus.SAMPLE
PY = sys.executable


def stats(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    p95 = s[min(len(s) - 1, max(0, round(0.95 * len(s)) - 1))]
    return {"median": round(statistics.median(s), 2), "p95": round(p95, 2),
            "worst": round(s[-1], 2)}


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def log(*args: object) -> None:
    print(*args, file=sys.stderr, flush=True)


def ensure_indexed(folder: Path) -> None:
    """A schema change (INDEX_SCHEMA_VERSION) makes the cached index stale: rebuild it
    here, in parallel, so the measured runs start from a current index."""
    lib = Library.open(folder, sync_index=False)
    try:
        if lib.index.index.usable_for(lib.index.library_id(), lib.store.generation()):
            return
        log("cached index is stale (schema changed?): rebuilding it ...")
        lib.index.rebuild(procs=2)
    finally:
        lib.close()


# -- search ----------------------------------------------------------------------------
def measure_search(lib: Library, fts, queries, repeats: int) -> dict:
    per_query: dict[int, list[float]] = {i: [] for i in range(len(queries))}
    per_query_fts: dict[int, list[float]] = {i: [] for i in range(len(queries))}
    hits: dict[int, tuple[int, int]] = {}
    for q in queries[:10]:  # warm both (the app warms its searcher in the background)
        lib.ids(q.whoosh)
        fts_search(fts, q.fts)
    for _ in range(repeats):
        for i, q in enumerate(queries):
            found: list[int] = []

            def run(q=q, found=found) -> None:
                found[:] = lib.ids(q.whoosh)
                highlight_top(lib, q.whoosh, found)

            per_query[i].append(timed(run))
            n_fts: list[int] = []
            per_query_fts[i].append(timed(lambda q=q, n=n_fts: n.append(len(fts_search(fts, q.fts)))))
            hits[i] = (len(found), n_fts[0])
    out: dict = {"classes": {}}
    for kind in (*CLASSES, "all"):
        # Each query's time is the median of its repeats; the class's median, p95 and
        # worst are taken over those (so one scheduler hiccup does not make a "worst").
        idx = [i for i, q in enumerate(queries) if kind in ("all", q.kind)]
        ws = stats([statistics.median(per_query[i]) for i in idx])
        fs = stats([statistics.median(per_query_fts[i]) for i in idx])
        worst = max(idx, key=lambda i: statistics.median(per_query[i]))
        out["classes"][kind] = {
            "whoosh": ws, "fts5": fs,
            "ratio_median": round(ws["median"] / max(fs["median"], 0.01), 2),
            "ratio_p95": round(ws["p95"] / max(fs["p95"], 0.01), 2),
            "worst_query": queries[worst].whoosh,
            "worst_hits": hits[worst][0],
        }
    out["queries"] = len(queries)
    return out


# -- import, edits, rebuild -------------------------------------------------------------
def measure_import(src: Path, work: Path, repeats: int) -> dict:
    """End to end (parse, dedupe, SQLite, index) as `Library.import_text` does it alone;
    then as the window does it, with a background runner: the call returns (the new
    cards show) once SQLite has the papers, and the index catches up on its own thread."""
    import threading

    text = SAMPLE.read_text("utf-8")
    times, cards, searchable, imported = [], [], [], 0
    for _ in range(repeats):
        for windowed in (False, True):
            dest = corpus.copy_of(src, work / "import")
            with Library.open(dest) as lib:
                workers: list[threading.Thread] = []
                if windowed:
                    def run(fn, workers=workers) -> None:
                        workers.append(threading.Thread(target=fn))
                        workers[-1].start()

                    lib.background = run
                t = time.perf_counter()
                report = lib.import_text(text, source="bench")
                returned = (time.perf_counter() - t) * 1000
                for w in workers:
                    w.join()
                done = (time.perf_counter() - t) * 1000
                imported = report.imported
                if windowed:
                    cards.append(returned)
                    searchable.append(done)
                else:
                    times.append(returned)
    shutil.rmtree(work / "import", ignore_errors=True)
    return {"ms": stats(times), "imported": imported, "window_cards_ms": stats(cards),
            "window_searchable_ms": stats(searchable)}


def measure_edits(lib: Library, repeats: int) -> dict:
    ids = lib.ids(view="all", sort="added")
    bulk = ids[: min(10_000, len(ids))]
    tag_s = []
    for _ in range(repeats):
        tag_s.append(timed(lambda: lib.add_tags(bulk, ["bench-bulk"])) / 1000)
        lib.undo()
    queue = lib.ids(view="queue")
    moves = []
    for k in range(20):
        pid, anchor = queue[(k * 7919) % len(queue)], queue[(k * 104729 + 3) % len(queue)]
        if pid != anchor:
            moves.append(timed(lambda p=pid, a=anchor: lib.move([p], to="before", anchor=a)))
    return {"bulk_tag_s": stats(tag_s), "tagged": len(bulk), "queue_move_ms": stats(moves)}


def measure_rebuild(lib: Library) -> float:
    """The window's rebuild: `Library.reindex` with its defaults, as IndexKeeper.ensure runs it."""
    done: list[tuple[int, int]] = []
    t = time.perf_counter()
    lib.reindex(progress=lambda d, n: done.append((d, n)))
    return time.perf_counter() - t


def measure_reindex_cli(folder: Path) -> float:
    """`paperdeck reindex`, the whole process (its own multi-process writer)."""
    compile_bytecode()
    t = time.perf_counter()
    subprocess.run([PY, "-m", "paperdeck", "--data-dir", str(folder), "reindex"],
                   capture_output=True, check=True)
    return time.perf_counter() - t


def measure_fts_build(folder: Path) -> float:
    """The peer's build time on the same papers, beside the rebuild rows."""
    t = time.perf_counter()
    build_fts(folder / "library.db").close()
    return time.perf_counter() - t


# -- processes --------------------------------------------------------------------------
def compile_bytecode() -> None:
    """An installed paperdeck comes with its bytecode (pip compiles it); a source checkout
    run with PYTHONDONTWRITEBYTECODE (as on this VM) would recompile every module at every
    start (~0.15 s), which is not what a user waits for."""
    import paperdeck

    subprocess.run([PY, "-m", "compileall", "-q", str(Path(paperdeck.__file__).parent)],
                   check=False, capture_output=True)


def measure_cold(folder: Path, repeats: int, query: str) -> dict:
    compile_bytecode()
    runs = []
    path = os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")]))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=path)
    for _ in range(repeats):
        t0 = time.time()
        res = subprocess.run([PY, str(HERE / "coldstart.py"), str(folder), repr(t0), query],
                             capture_output=True, text=True, env=env, check=True)
        runs.append(json.loads(res.stdout.strip().splitlines()[-1]))
    keys = ("python_ms", "qt_ms", "open_ms", "cards_ms", "first_search_ms", "peak_rss_mb")
    out = {k: stats([r[k] for r in runs]) for k in keys if all(r.get(k) is not None for r in runs)}
    out["mode"] = runs[0]["mode"]
    return out


def measure_window_model(folder: Path, query: str) -> dict:
    """The window until its for-you model is built and the For you view shown, from no
    features file (issue 16): when the model was ready and the window's peak RSS then."""
    compile_bytecode()
    path = os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")]))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=path)
    res = subprocess.run([PY, str(HERE / "coldstart.py"), str(folder), repr(time.time()), query,
                          "model"], capture_output=True, text=True, env=env, check=True)
    run = json.loads(res.stdout.strip().splitlines()[-1])
    return {"model_ms": run.get("model_ms"), "peak_rss_mb": run["peak_rss_mb"]}


def measure_cli(folder: Path, repeats: int, query: str) -> dict:
    compile_bytecode()
    cli = [PY, "-m", "paperdeck", "--data-dir", str(folder)]
    out = {}
    for name, args in (("version", ["--version"]), ("list_query", ["list", "--query", query])):
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            subprocess.run(cli + args, capture_output=True, check=True)
            times.append((time.perf_counter() - t) * 1000)
        out[name + "_ms"] = stats(times)
    probe = ("import sys, paperdeck.cli.main as m\n"
             "try:\n    m.main(['--version'])\nexcept SystemExit:\n    pass\n"
             "print('PySide6' in sys.modules)")
    res = subprocess.run([PY, "-c", probe], capture_output=True, text=True)
    out["version_imports_qt"] = res.stdout.strip().endswith("True")
    return out


# -- main -------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=int, default=10_000)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--repeats", type=int, default=3, help="repeats of each search query")
    ap.add_argument("--cache", type=Path, default=corpus.CACHE)
    ap.add_argument("--skip", default="", help="comma list: import,search,cold,edits,rebuild,cli,triage")
    ap.add_argument("--out", type=Path, help="also write the full result JSON here")
    args = ap.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    load = os.getloadavg()
    t_all = time.perf_counter()
    folder = corpus.cached(args.papers, args.cache, log=log)
    ensure_indexed(folder)
    res: dict = {"papers": args.papers, "load_before": [round(x, 2) for x in load]}
    queries = build_queries()
    heavy = args.papers >= 50_000
    work = Path(tempfile.mkdtemp(prefix="bench-", dir=args.cache))
    try:
        if "import" not in skip:
            log("import ...")
            res["import"] = measure_import(folder, work, 3 if heavy else 5)
        if "search" not in skip:
            log(f"search: {len(queries)} queries x {args.repeats} (+FTS5 peer) ...")
            t = time.perf_counter()
            fts = build_fts(folder / "library.db")
            res["fts5_build_s"] = round(time.perf_counter() - t, 2)
            with Library.open(folder, read_only=True) as lib:
                res["search"] = measure_search(lib, fts, queries, args.repeats)
            fts.close()
        if "cold" not in skip:
            log("cold start ...")
            res["cold"] = measure_cold(folder, 3 if heavy else 5, "reinforcement learning")
        if "cli" not in skip:
            log("cli ...")
            res["cli"] = measure_cli(folder, 3 if heavy else 5, "reinforcement learning")
        if "triage" not in skip:
            log("for-you model, digest scoring, offline evaluation ...")
            res["triage"] = measure_triage(corpus.copy_of(folder, work / "triage"), work, SAMPLE)
            log("window with the for-you model built ...")
            res["triage"]["window"] = measure_window_model(
                corpus.copy_of(folder, work / "triage-window"), "reinforcement learning")
        if not {"edits", "rebuild"} <= skip:
            copy = corpus.copy_of(folder, work / "edits")
            with Library.open(copy) as lib:
                if "edits" not in skip:
                    log("bulk tag and queue moves ...")
                    res["edits"] = measure_edits(lib, 1 if heavy else 3)
                if "rebuild" not in skip:
                    log("full rebuild ...")
                    res["rebuild_s"] = round(measure_rebuild(lib), 1)
            if "rebuild" not in skip:
                log("paperdeck reindex ...")
                res["reindex_cli_s"] = round(measure_reindex_cli(copy), 1)
                res.setdefault("fts5_build_s", round(measure_fts_build(folder), 2))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    res["load_after"] = [round(x, 2) for x in os.getloadavg()]
    res["total_s"] = round(time.perf_counter() - t_all, 1)
    summary = summarize(res)
    if args.out:
        args.out.write_text(json.dumps({"summary": summary, "detail": res}, indent=1), "utf-8")
    if args.json:
        print(json.dumps(summary))
    else:
        print(report(res))
    return 0


def summarize(res: dict) -> dict:
    s = res.get("search", {}).get("classes", {})

    def pick(kind: str, engine: str) -> dict | None:
        return s.get(kind, {}).get(engine)

    cold = res.get("cold", {})
    edits = res.get("edits", {})
    return {
        "papers": res["papers"],
        "import_digest_ms": res.get("import", {}).get("ms"),
        "import_window_cards_ms": res.get("import", {}).get("window_cards_ms"),
        "search_ms": pick("all", "whoosh"),
        "fts5_search_ms": pick("all", "fts5"),
        "search_prefix_ms": pick("prefix", "whoosh"),
        "fts5_search_prefix_ms": pick("prefix", "fts5"),
        "cold_start_ms": cold.get("cards_ms", {}).get("median"),
        "first_search_ms": cold.get("first_search_ms", {}).get("median"),
        "rebuild_s": res.get("rebuild_s"),
        "reindex_cli_s": res.get("reindex_cli_s"),
        "fts5_build_s": res.get("fts5_build_s"),
        "import_window_searchable_ms": res.get("import", {}).get("window_searchable_ms"),
        "list_query_ms": res.get("cli", {}).get("list_query_ms"),
        "bulk_tag_10k_s": edits.get("bulk_tag_s", {}).get("median"),
        "queue_move_ms": edits.get("queue_move_ms", {}).get("median"),
        "gui_peak_rss_mb": cold.get("peak_rss_mb", {}).get("median"),
        "gui_with_model_peak_rss_mb": res.get("triage", {}).get("window", {}).get("peak_rss_mb"),
        "for_you_view_ms": res.get("triage", {}).get("for_you_view_ms", {}).get("median"),
        "for_you_digest_score_ms": res.get("triage", {}).get("digest_score_ms", {}).get("median"),
        "for_you_update_ms": res.get("triage", {}).get("update_after_read_ms", {}).get("median"),
        "for_you_p10": res.get("triage", {}).get("evaluation", {}).get("digest_p10_for_you"),
        "recency_p10": res.get("triage", {}).get("evaluation", {}).get("digest_p10_recency"),
    }


def report(res: dict) -> str:
    lines = [f"paperdeck bench: {res['papers']} papers; load average {res['load_before']} -> "
             f"{res['load_after']}; {os.cpu_count()} CPUs; total {res['total_s']} s"]
    if "import" in res:
        i = res["import"]
        lines.append(f"import of the sample digest ({i['imported']} new): {fmt(i['ms'])} ms")
        if "window_cards_ms" in i:
            lines.append(f"  as the window does it: cards {fmt(i['window_cards_ms'])} ms, "
                         f"searchable {fmt(i['window_searchable_ms'])} ms")
    if "search" in res:
        lines.append(f"search ({res['search']['queries']} queries, ids + highlight of 20; "
                     f"FTS5 built in {res['fts5_build_s']} s), ms:")
        lines.append(f"  {'class':<8} {'whoosh med/p95/worst':>24} {'fts5 med/p95/worst':>24}"
                     "  ratio med/p95  worst query")
        for kind, c in res["search"]["classes"].items():
            lines.append(f"  {kind:<8} {fmt(c['whoosh']):>24} {fmt(c['fts5']):>24}  "
                         f"{c['ratio_median']:>5} / {c['ratio_p95']:<5}  "
                         f"{c['worst_query']!r} ({c['worst_hits']} hits)")
    if "cold" in res:
        c = res["cold"]
        lines.append(f"cold start ({c['mode']}), ms since launch (median/p95/worst):")
        for k, v in c.items():
            if k != "mode":
                lines.append(f"  {k:<16} {fmt(v)}")
    if "cli" in res:
        c = res["cli"]
        lines.append(f"cli: --version {fmt(c['version_ms'])} ms (imports Qt: "
                     f"{c['version_imports_qt']}); list --query {fmt(c['list_query_ms'])} ms")
    if "edits" in res:
        e = res["edits"]
        lines.append(f"bulk tag {e['tagged']} papers: {fmt(e['bulk_tag_s'])} s")
        lines.append(f"queue move of one paper: {fmt(e['queue_move_ms'])} ms")
    if "triage" in res:
        t = res["triage"]
        lines.append(f"for-you model: built in {t['model_build_ms']} ms; score the {t['digest_size']}-paper "
                     f"digest {fmt(t['digest_score_ms'])} ms; update after a read "
                     f"{fmt(t['update_after_read_ms'])} ms, a tag {fmt(t['update_after_tag_ms'])} ms")
        lines.append(f"  CPU time: build {t['model_build_cpu_ms']} ms, digest "
                     f"{fmt(t['digest_score_cpu_ms'])} ms, update {fmt(t['update_cpu_ms'])} ms")
        if "window" in t:
            lines.append(f"  window with the model built: peak RSS {t['window']['peak_rss_mb']} MB "
                         f"(model ready {t['window']['model_ms']} ms after launch)")
        lines.append(f"  features file {t.get('features_mb')} MB, written by {t.get('model_built_by')}; "
                     f"for-you view CPU {fmt(t['for_you_view_cpu_ms'])} ms")
        lines.append(f"  for-you view {fmt(t['for_you_view_ms'])} ms; reasons of 20 "
                     f"{t['reasons_20_ms']} ms; related {fmt(t['related_ms'])} ms; suggested tags "
                     f"{fmt(t['suggest_tags_ms'])} ms")
        lines.append(f"  offline evaluation: {t['evaluation']}")
    if "rebuild_s" in res:
        lines.append(f"full index rebuild (Library.reindex): {res['rebuild_s']} s")
    if "reindex_cli_s" in res:
        lines.append(f"`paperdeck reindex` (whole process): {res['reindex_cli_s']} s; "
                     f"FTS5 peer built in {res['fts5_build_s']} s")
    return "\n".join(lines)


def fmt(s: dict) -> str:
    return f"{s['median']:g} / {s['p95']:g} / {s['worst']:g}"


if __name__ == "__main__":
    sys.exit(main())
