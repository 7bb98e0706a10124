"""Title F1 of the digest parsers over every sample in ``tests/samples/digests``.

Run ``python tests/score_titles.py [--json]``: per sample, the titles found are matched
exactly (after collapsing whitespace) against the expected ones, as multisets, and
precision, recall and F1 are printed, with the micro-averaged F1 over all samples.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from digest_samples import expected, samples  # noqa: E402
from paperdeck.core.digest import parse_digest  # noqa: E402


def _norm(title: str) -> str:
    return " ".join(title.split())


def score(found: list[str], wanted: list[str]) -> tuple[int, int, int]:
    """(true positives, found, wanted) with exact multiset matching."""
    hits = Counter(map(_norm, found)) & Counter(map(_norm, wanted))
    return sum(hits.values()), len(found), len(wanted)


def f1(tp: int, n_found: int, n_wanted: int) -> float:
    if n_found == 0 and n_wanted == 0:
        return 1.0
    return 2 * tp / (n_found + n_wanted)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows, tot = [], [0, 0, 0]
    for sample in samples():
        exp = expected(sample)
        result = parse_digest(sample.read_text(encoding="utf-8"))
        tp, nf, nw = score([d.title for d in result.drafts], exp["titles"])
        tot = [tot[0] + tp, tot[1] + nf, tot[2] + nw]
        rows.append({"sample": sample.name, "format_ok": result.format == exp["format"],
                     "found": nf, "wanted": nw, "f1": round(f1(tp, nf, nw), 3)})
    overall = round(f1(*tot), 3)
    if args.json:
        print(json.dumps({"f1": overall, "samples": rows}))
    else:
        for r in rows:
            flag = "" if r["format_ok"] else "  WRONG FORMAT"
            print(f"{r['sample']:45} {r['found']:4}/{r['wanted']:<4} F1 {r['f1']:.3f}{flag}")
        print(f"title F1 over {len(rows)} samples: {overall:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
