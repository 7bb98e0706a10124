"""Shared loader for the digest samples in ``tests/samples/digests``.

Each sample ``NAME.<ext>`` sits next to ``NAME.expected.json`` holding the format
it must be detected as, the exact titles in order, and per-draft field checks.
"""

from __future__ import annotations

import json
from pathlib import Path

from paperdeck.core.models import Draft

SAMPLES = Path(__file__).parent / "samples" / "digests"


def samples(prefix: str = "") -> list[Path]:
    """Sample files (not their expectations) whose names start with ``prefix``."""
    return sorted(
        p for p in SAMPLES.iterdir() if p.name.startswith(prefix) and not p.name.endswith(".expected.json")
    )


def expected(sample: Path) -> dict:
    """The expectations stored beside a sample."""
    return json.loads(sample.with_name(sample.name.split(".")[0] + ".expected.json").read_text())


def check_drafts(drafts: list[Draft], exp: dict) -> None:
    """Titles exact and in order; listed fields equal (``abstract_start`` is a prefix)."""
    assert [d.title for d in drafts] == exp["titles"]
    for check in exp.get("checks", []):
        draft = drafts[check["index"]]
        for name, want in check.items():
            if name == "index":
                continue
            if name == "abstract_start":
                assert draft.abstract.startswith(want), (draft.title, draft.abstract[:80])
            else:
                assert getattr(draft, name) == want, (draft.title, name, getattr(draft, name))
