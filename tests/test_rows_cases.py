"""core/rows.py, models.py and bidi.py case by case: timestamps other programs wrote,
columns to and from SQLite, what a card shows of a row, labels and code links."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from paperdeck.core.bidi import without_bidi_controls
from paperdeck.core.models import Draft, Paper, is_code_link
from paperdeck.core.rows import (
    PAPER_COLUMNS,
    from_db,
    iso_or_empty,
    now_iso,
    paper_from_row,
    to_db,
)

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"


def test_now_iso_is_utc_to_the_second_and_sorts_as_text():
    before = datetime.now(UTC).replace(microsecond=0)
    stamp = now_iso()
    after = datetime.now(UTC)
    when = datetime.fromisoformat(stamp)
    assert stamp.endswith("+00:00") and "." not in stamp and len(stamp) == 25
    assert before <= when <= after


@pytest.mark.parametrize("text, expected", [
    ("2023-01-12T10:22:31", "2023-01-12T10:22:31+00:00"),  # no zone: UTC
    ("2024-02-01T10:00:00Z", "2024-02-01T10:00:00+00:00"),  # Zotero
    ("2023-01-12", "2023-01-12T00:00:00+00:00"),
    ("  2023-01-12T10:22:31.987654+02:00 ", "2023-01-12T08:22:31+00:00"),  # to UTC, whole seconds
    ("yesterday", ""),
    ("", ""),
])
def test_iso_or_empty_reads_other_programs_dates(text, expected):
    assert iso_or_empty(text) == expected


def test_a_date_without_a_zone_is_utc_wherever_the_user_is(monkeypatch):
    """Not the machine's local time: a library's dates must not move with its user."""
    import time

    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    try:
        assert iso_or_empty("2023-01-12T10:22:31") == "2023-01-12T10:22:31+00:00"
        assert iso_or_empty("2023-07-01") == "2023-07-01T00:00:00+00:00"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_iso_or_empty_refuses_the_future():
    ahead = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    assert iso_or_empty(ahead) == ""
    past = (datetime.now(UTC) - timedelta(seconds=5)).replace(microsecond=0)
    assert iso_or_empty(past.isoformat()) == past.isoformat()


def test_columns_go_to_sqlite_as_json_where_they_are_lists_or_fields():
    fields = to_db("fields", {"volume": "3", "booktitle": "Actes du colloque é"})
    assert fields == '{"booktitle": "Actes du colloque é", "volume": "3"}'  # sorted, not escaped
    assert to_db("fields", None) == "{}"
    assert to_db("authors", ["Ada Lovelace", "Émile Borel"]) == '["Ada Lovelace", "Émile Borel"]'
    assert to_db("links", None) == "[]" and to_db("links", ("https://a",)) == '["https://a"]'
    assert to_db("title", "Attention") == "Attention" and to_db("year", 2024) == 2024
    conn = sqlite3.connect(":memory:")  # what SQLite's own JSON functions read back
    assert conn.execute("SELECT json_extract(?, '$.volume')", [fields]).fetchone()[0] == "3"
    conn.close()


@pytest.mark.parametrize("column, stored, expected", [
    ("fields", '{"pages": "1--9"}', {"pages": "1--9"}),
    ("fields", None, {}),
    ("fields", "", {}),
    ("fields", "{broken", {}),
    ("fields", '["a list"]', {}),
    ("authors", '["Ada", 7]', ["Ada", "7"]),
    ("authors", None, []),
    ("links", "not json", []),
    ("links", '{"a": 1}', []),
    ("title", "Kept", "Kept"),
    ("year", None, None),
])
def test_columns_come_back_from_sqlite_whatever_was_stored(column, stored, expected):
    assert from_db(column, stored) == expected


def test_round_trip_keeps_every_value():
    for column, value in (("fields", {"b": "é", "a": "1"}), ("authors", ["Ada", "Alan"]),
                          ("links", []), ("notes", "n")):
        assert from_db(column, to_db(column, value)) == value


def test_a_card_shows_paper_text_without_bidi_controls():
    row = {c: None for c in PAPER_COLUMNS}
    row.update(id=3, title=f"Invoice {RLO}fdp.exe", abstract=f"{LRI}abs{PDI}", notes=f"n{PDF}",
               venue=f"{RLO}NeurIPS", authors=json.dumps([f"{RLO}Ada", "Alan"]), links="[]",
               fields='{"note": "x"}', doi=f"10.1/{RLO}x", status="queued", position=1.0,
               priority=0, citekey="k", added_at="a", updated_at="u")
    paper = paper_from_row(row, ["tag"])
    assert isinstance(paper, Paper) and paper.id == 3 and paper.tags == ["tag"]
    assert (paper.title, paper.abstract, paper.notes, paper.venue) == (
        "Invoice fdp.exe", "abs", "n", "NeurIPS")
    assert paper.authors == ["Ada", "Alan"] and paper.fields == {"note": "x"}
    assert paper.doi == f"10.1/{RLO}x"  # identifiers are kept as stored, never shown as prose


def test_a_row_with_only_some_columns_still_makes_a_paper():
    paper = paper_from_row({"id": 1, "title": "Only a title"}, [])
    assert paper.title == "Only a title" and paper.authors == [] and paper.status == "queued"
    bare = paper_from_row({"id": 2, "title": None, "authors": "[]"}, [])
    assert bare.title is None and bare.authors == []


def test_bidi_controls_are_dropped_and_marks_kept():
    assert without_bidi_controls(f"a{RLO}b{PDF}c{LRI}d{PDI}") == "abcd"
    kept = "\u200e\u200f\u061c\u200c\u200d"  # LRM RLM ALM ZWNJ ZWJ
    assert without_bidi_controls(f"x{kept}y") == f"x{kept}y"
    assert without_bidi_controls("") == ""


def test_a_draft_is_labelled_by_what_it_has():
    assert Draft(title="T", arxiv_id="2401.00001").label() == "T"
    assert Draft(arxiv_id="2401.00001", doi="10.1/x").label() == "2401.00001"
    assert Draft(doi="10.1/x", url="https://u").label() == "10.1/x"
    assert Draft(url="https://u").label() == "https://u"
    assert Draft().label() == "(untitled)"


def test_new_drafts_and_papers_have_normal_priority():
    assert Draft().priority == 0 and Paper(id=1, title="t").priority == 0


@pytest.mark.parametrize("url, code", [
    ("https://github.com/org/repo", True),
    ("https://GitLab.com/x", True),
    ("https://huggingface.co/spaces/x", True),
    ("https://someone.github.io/project", True),
    ("https://arxiv.org/abs/2401.00001", False),
    ("", False),
])
def test_code_links(url, code):
    assert is_code_link(url) is code
    assert Paper(id=1, title="t", links=["https://arxiv.org/abs/1", url]).has_code is code
