"""Hugging Face papers pages: the shared trending fixture and other shapes we wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SHARED_DIGESTS
from paperdeck.core.digest import parse_digest

# The team's shared fixture sits beside the repository; the repo keeps copies of
# both files (resources/sample-digest.txt, tests/samples/) so the test never skips.
_REPO = Path(__file__).resolve().parents[1]
FIXTURES = SHARED_DIGESTS if SHARED_DIGESTS.exists() else _REPO / "tests" / "samples" / "hf-fixture"
SAMPLES = Path(__file__).parent / "samples" / "digests"
_shared = pytest.mark.skipif(not FIXTURES.exists(), reason="shared fixtures missing")


@_shared
def test_trending_fixture_gives_exact_titles_and_abstracts() -> None:
    text = (FIXTURES / "hf-trending-papers.txt").read_text(encoding="utf-8")
    expected = json.loads((FIXTURES / "hf-trending-papers.expected.json").read_text())
    result = parse_digest(text)
    assert result.format == "hf-papers"
    assert len(result.drafts) == 119
    assert [d.title for d in result.drafts] == [e["title"] for e in expected]
    for draft, exp in zip(result.drafts, expected, strict=True):
        assert draft.abstract.startswith(exp["abstract_start"]), draft.title


@_shared
def test_trending_fixture_links_come_from_abstracts() -> None:
    text = (FIXTURES / "hf-trending-papers.txt").read_text(encoding="utf-8")
    drafts = {d.title: d for d in parse_digest(text).drafts}
    assert drafts[
        "Re-TASK: Revisiting LLM Tasks from Capability, Skill, and Knowledge Perspectives"
    ].links == ["https://github.com/Uylee/Re-TASK"]
    assert drafts["Skill Expansion and Composition in Parameter Space"].links == [
        "https://ltlhuuu.github.io/PSEC/"
    ]
    assert drafts["Tool Learning with Foundation Models"].links == []
    assert not any(d.title.startswith("Subscribe") for d in drafts.values())


@_shared
def test_trending_fixture_without_header_still_reads_as_title_paragraphs() -> None:
    text = (FIXTURES / "hf-trending-papers.txt").read_text(encoding="utf-8")
    body = text.split("\n", 2)[2].removeprefix("Subscribe")
    result = parse_digest(body)
    assert result.format == "title-paragraph"
    assert len(result.drafts) == 119
