"""An answer by id is refused when its title is plainly another paper's: the floor of the
title likeness (rapidfuzz's token_set_ratio of the two titles' keys), at and around it.

The titles are chosen for their scores against "Attention Is All You Need" (the paper the
local arXiv service returns for the id), computed here with rapidfuzz itself: the oracle."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz

from enrich_fakes import FakeServices, Reply
from paperdeck.core.dedupe import title_key
from paperdeck.core.enrich import EnrichSettings, MetadataClient
from paperdeck.core.enrich.client import ID_TITLE_FLOOR
from paperdeck.core.models import Draft

ATTENTION = "1706.03762"


@pytest.fixture
def services():
    fake = FakeServices().start()
    yield fake
    fake.stop()


def _likeness(title: str) -> float:
    return fuzz.token_set_ratio(title_key(title), title_key("Attention Is All You Need"))


@pytest.mark.parametrize(("ours", "score", "status"), [
    ("Rethinking Attention with Performers", 52.94, "found"),  # above the floor: kept
    ("Need for Vision", 50.0, "mismatch"),  # at the floor: refused
    ("Need for Speed", 44.44, "mismatch"),
])
def test_the_floor_refuses_titles_as_unlike_as_fifty(services, ours: str, score: float, status: str) -> None:
    """Exactly 50 is refused: titles that far apart are other papers (as "Need for Vision"
    shows), and a wrong answer would overwrite a paper with another's metadata, while a
    refusal only leaves it as it was, with a note."""
    assert ID_TITLE_FLOOR == 50.0
    assert round(_likeness(ours), 2) == score
    services.arxiv("id_list=", Reply.sample("arxiv-id-batch.xml"))
    client = MetadataClient(
        EnrichSettings(arxiv_api=services.arxiv_api, crossref_api=services.crossref_api, timeout=2.0),
        clock=services.clock, sleep=services.clock.sleep)
    result = client.lookup(Draft(title=ours, arxiv_id=ATTENTION))
    assert result.status == status
    if status == "found":
        assert result.found is not None and result.found.title == "Attention Is All You Need"
    else:
        assert result.found is None and "leads to “Attention Is All You Need”" in result.note
