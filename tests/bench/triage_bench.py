"""Benchmark rows for issue 16: the for-you model over the synthetic library, and the
offline evaluation's precision@10 (tests/triage_eval.py) next to them."""

from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from paperdeck.core.digest import parse_digest  # noqa: E402
from paperdeck.core.library import Library  # noqa: E402


def _ms(fn) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the for-you helper
    process that writes the features file)."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + kids.ru_utime + kids.ru_stime


def _cpu_ms(fn) -> float:
    """CPU time: on a shared machine, wall time also counts others' work."""
    t = _cpu()
    fn()
    return (_cpu() - t) * 1000


def _stats(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    return {"median": round(statistics.median(s), 1), "p95": round(s[-1], 1), "worst": round(s[-1], 1)}


def measure_triage(folder: Path, work: Path, sample: Path, repeats: int = 5) -> dict:
    """`folder` is copied by the caller into `work` first when edits are measured."""
    from triage_eval import evaluate

    out: dict = {}
    drafts = parse_digest(sample.read_text("utf-8")).drafts
    with Library.open(folder) as lib:
        rec = lib.recommender
        t = _cpu()
        out["model_build_ms"] = round(_ms(rec.refresh), 1)
        out["model_build_cpu_ms"] = round((_cpu() - t) * 1000, 1)
        out["model_built_by"] = rec.built_by
        out["features_mb"] = round((folder / "foryou-features.bin").stat().st_size / 2**20, 1)
        out["digest_score_ms"] = _stats([_ms(lambda: lib.score_drafts(drafts))
                                         for _ in range(repeats)])
        out["digest_size"] = len(drafts)
        out["for_you_view_ms"] = _stats([_ms(lambda: lib.ids(view="foryou"))
                                         for _ in range(repeats * 4)])
        out["for_you_view_cpu_ms"] = _stats([_cpu_ms(lambda: lib.ids(view="foryou"))
                                             for _ in range(repeats * 4)])
        queue = lib.ids(view="queue")
        read, tag, cpu = [], [], []
        for k in range(repeats):
            lib.set_status([queue[k]], "read")
            read.append(_ms(rec.refresh))
            lib.add_tags([queue[repeats + k]], ["bench-tag"])
            tag.append(_ms(rec.refresh))
            lib.set_priority([queue[2 * repeats + k]], 1)
            cpu.append(_cpu_ms(rec.refresh))
        out["update_after_read_ms"] = _stats(read)
        out["update_after_tag_ms"] = _stats(tag)
        out["update_cpu_ms"] = _stats(cpu)
        out["digest_score_cpu_ms"] = _stats([_cpu_ms(lambda: lib.score_drafts(drafts))
                                             for _ in range(repeats)])
        best = lib.for_you(queue).ids[:20]
        out["reasons_20_ms"] = round(_ms(lambda: lib.for_you_reasons(best)), 1)
        out["related_ms"] = _stats([_ms(lambda pid=pid: lib.related(pid)) for pid in best[:repeats]])
        out["suggest_tags_ms"] = _stats([_ms(lambda pid=pid: lib.suggest_tags(pid))
                                         for pid in best[:repeats]])
        out["papers"] = len(lib.ids(view="all"))
    out["evaluation"] = evaluate(work / "triage-eval")
    return out


if __name__ == "__main__":
    import json
    import shutil
    import tempfile

    import corpus

    papers = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    cache = Path(sys.argv[2]) if len(sys.argv) > 2 else corpus.CACHE
    src = corpus.cached(papers, cache)
    work = Path(tempfile.mkdtemp(prefix="bench-triage-", dir=cache))
    try:
        copy = corpus.copy_of(src, work / "lib")
        print(json.dumps(measure_triage(copy, work, corpus.SAMPLE), indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)
