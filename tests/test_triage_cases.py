"""core/triage.py: the Library's for-you questions keep their documented defaults (three
suggested tags, five related papers), refuse unknown papers, and share one model."""

from __future__ import annotations

import pytest

from paperdeck.core.errors import UnknownPaper
from paperdeck.core.models import Draft

ROBOT = "Robot grasping with {} hands: learning dexterous manipulation of household objects"
TAGS = ["robotics", "grasping", "manipulation", "hands", "learning"]


@pytest.fixture
def robots(lib):
    """Eight robot-hand papers, the first four tagged with five tags between them."""
    drafts = [Draft(title=ROBOT.format(kind), abstract="A robot hand grasps cups, bottles and tools.")
              for kind in ("soft", "rigid", "two-finger", "tendon", "underactuated", "suction", "compliant",
                           "anthropomorphic")]
    ids = lib.add(drafts, raw_text="robots", fmt="manual")
    for n, pid in enumerate(ids[:4]):
        lib.add_tags([pid], TAGS[n:n + 2] if n < 3 else TAGS)
    return ids


def test_three_tags_are_suggested_unless_asked_for_more(lib, robots):
    assert len(lib.suggest_tags(robots[5])) == 3
    assert len(lib.suggest_tags(robots[5], limit=5)) == 5
    draft = Draft(title=ROBOT.format("new"), abstract="A robot hand grasps cups.")
    assert len(lib.suggest_tags_for_draft(draft)) == 3
    assert len(lib.suggest_tags_for_draft(draft, limit=4)) == 4


def test_five_related_papers_unless_asked_for_more(lib, robots):
    assert len(lib.related(robots[0])) == 5
    assert len(lib.related(robots[0], limit=7)) == 7


@pytest.mark.parametrize("ask", [lambda lib: lib.suggest_tags(999), lambda lib: lib.related(999)])
def test_unknown_papers_are_refused(lib, robots, ask):
    with pytest.raises(UnknownPaper, match="^No paper with id 999 in this library.$"):
        ask(lib)


def test_one_model_answers_every_question(lib, robots):
    model = lib.recommender
    lib.set_status(robots[:2], "read")
    ranking = lib.for_you(robots[2:])
    assert lib.recommender is model and not ranking.cold and sorted(ranking.ids) == robots[2:]
    reasons = lib.for_you_reasons(robots[2:3])
    assert list(reasons) == [robots[2]] and reasons[robots[2]]
    [scored] = lib.score_drafts([Draft(title=ROBOT.format("new"))])
    assert scored.score is not None
