"""Every sample is detected as its own format, parses to its exact titles, and can be forced."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest_samples import check_drafts, expected, samples
from paperdeck.core.digest import FORMATS, detect_format, parse_digest

ALL = samples()


def _read(sample: Path) -> str:
    return sample.read_text(encoding="utf-8")


@pytest.mark.parametrize("sample", ALL, ids=[p.name for p in ALL])
def test_sample_detected_and_parsed_exactly(sample: Path) -> None:
    exp = expected(sample)
    result = parse_digest(_read(sample))
    assert result.format == exp["format"]
    assert result.message == ""
    assert len(result.skipped) == exp.get("skipped", 0), result.skipped
    check_drafts(result.drafts, exp)


@pytest.mark.parametrize("sample", ALL, ids=[p.name for p in ALL])
def test_forced_format_matches_detection(sample: Path) -> None:
    exp = expected(sample)
    forced = parse_digest(_read(sample), fmt=exp["format"])
    assert forced.format == exp["format"]
    check_drafts(forced.drafts, exp)


def test_every_format_has_a_sample() -> None:
    covered = {expected(p)["format"] for p in ALL}
    assert covered == set(FORMATS)


def test_detect_format_agrees_with_parse() -> None:
    for sample in ALL:
        assert detect_format(_read(sample)) == expected(sample)["format"], sample.name


def test_affiliation_markers_never_reach_citation_keys(lib) -> None:
    """`Ann Author (1 and 2)` once split into the authors "(1" and "2)" and a key "1…"."""
    sample = next(iter(samples("arxiv-email-affiliations")))
    lib.import_text(_read(sample))
    papers = lib.papers(lib.ids())
    assert len(papers) == 4
    assert all(p.citekey[0].isalpha() for p in papers)
    assert not [a for p in papers for a in p.authors if "(" in a or ")" in a or a[0].isdigit()]
    assert papers[0].citekey.startswith("author2025")
