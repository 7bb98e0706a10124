"""Explicit bidi controls in paper text: dropped, so no title can reorder what is shown.

A right-to-left override (U+202E) in a title turns "fdp.exe" into "exe.pdf" on a card or
in `paperdeck list`, and an unclosed embedding or isolate drags the text after it along.
Real right-to-left text needs none of them (Unicode's bidi algorithm orders Arabic and
Hebrew by itself), so they are removed. The marks (LRM, RLM, ALM) and the joiners that
Persian, Indic scripts and emoji need (ZWNJ, ZWJ) are kept.
"""

from __future__ import annotations

import re

# LRE RLE PDF LRO RLO (embeddings, overrides) and LRI RLI FSI PDI (isolates)
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CONTROLS_RE = re.compile(f"[{BIDI_CONTROLS}]")


def without_bidi_controls(text: str) -> str:
    """`text` without explicit bidi embeddings, overrides and isolates."""
    return _CONTROLS_RE.sub("", text) if text else text
