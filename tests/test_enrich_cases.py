"""Case tables for metadata completion (core/enrich): reading arXiv feeds and Crossref
works, the overwrite rule, the report's wording, the settings. Inputs are shaped like
what the services and users send; expected values are written out by hand."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import socket
import sqlite3
import threading

import pytest

from enrich_fakes import FakeServices, Reply, free_port, offline_settings
from paperdeck.core.enrich import EnrichSettings, Found, LookupResult, MetadataClient, arxiv, crossref
from paperdeck.core.enrich.apply import build_completion
from paperdeck.core.enrich.cache import MISS, LookupCache
from paperdeck.core.enrich.client import best_title_match
from paperdeck.core.enrich.http import (
    Busy,
    Cancelled,
    Fetcher,
    LookupFailed,
    Malformed,
    Offline,
    RateLimiter,
    retry_after_seconds,
)
from paperdeck.core.enrich.merge import plan
from paperdeck.core.enrich.report import CompletionReport, FieldChange, PaperOutcome, short_name, show
from paperdeck.core.models import Draft, Paper

# -- records and settings ----------------------------------------------------------------


def test_found_round_trips_through_the_cache_and_ignores_unknown_keys():
    found = Found("arXiv", title="T", authors=["A B"], year=2017, arxiv_id="1706.03762",
                  arxiv_version=7)
    data = found.to_json()
    assert data["authors"] == ["A B"] and data["arxiv_version"] == 7 and data["doi"] == ""
    assert Found.from_json({**data, "cached_by": "a newer paperdeck"}) == found


def test_user_agent_names_the_contact_only_when_given():
    assert "mailto:" not in EnrichSettings().user_agent
    ua = EnrichSettings(contact_email="me@example.org").user_agent
    assert ua.startswith("paperdeck/") and ua.endswith("; mailto:me@example.org)")


def test_environment_overrides(monkeypatch, tmp_path):
    base = EnrichSettings(contact_email="gui@example.org", cache_path=tmp_path / "c.sqlite")
    for name in ("PAPERDECK_CONTACT_EMAIL", "PAPERDECK_ARXIV_API", "PAPERDECK_CROSSREF_API",
                 "PAPERDECK_NO_METADATA_CACHE"):
        monkeypatch.delenv(name, raising=False)
    assert base.with_env() == base
    monkeypatch.setenv("PAPERDECK_CONTACT_EMAIL", "cli@example.org")
    monkeypatch.setenv("PAPERDECK_ARXIV_API", "http://127.0.0.1:9/api/query")
    monkeypatch.setenv("PAPERDECK_CROSSREF_API", "http://127.0.0.1:9")
    monkeypatch.setenv("PAPERDECK_NO_METADATA_CACHE", "1")
    env = base.with_env()
    assert (env.contact_email, env.arxiv_api, env.crossref_api, env.cache_path) == (
        "cli@example.org", "http://127.0.0.1:9/api/query", "http://127.0.0.1:9", None)
    assert base.cache_path == tmp_path / "c.sqlite"  # a copy: the GUI's settings stay


def test_settings_cannot_change_under_a_running_lookup():
    with pytest.raises(dataclasses.FrozenInstanceError):
        EnrichSettings().timeout = 60.0  # type: ignore[misc]


# -- arXiv -------------------------------------------------------------------------------

def _feed(*entries: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
            'xmlns:arxiv="http://arxiv.org/schemas/atom">' + "".join(entries) + "</feed>").encode()


def _entry(id_: str = "http://arxiv.org/abs/1706.03762v7", title: str = "Attention Is All You Need",
           extra: str = "") -> str:
    return f"<entry><id>{id_}</id><title>{title}</title>{extra}</entry>"


def test_arxiv_query_urls():
    assert arxiv.id_list_url("http://h/api/query", ["1706.03762", "hep-th/9901001"]) == (
        "http://h/api/query?id_list=1706.03762%2Chep-th%2F9901001&max_results=2")
    assert arxiv.title_query_url("http://h/api/query", 'The "Attention" trick: A-B?') == (
        "http://h/api/query?search_query=ti%3A%22The+Attention+trick+A+B%22&start=0&max_results=5")


def test_arxiv_entry_fields():
    entry = _entry(extra=(
        "<published>2017-06-12T17:57:34Z</published>"
        "<summary>  The dominant sequence\n  transduction models </summary>"
        "<author><name>Ashish  Vaswani</name></author><author><name/></author><author/>"
        "<author><name>Noam Shazeer</name></author>"
        "<arxiv:journal_ref>NeurIPS\n 2017</arxiv:journal_ref>"
        "<arxiv:doi>https://doi.org/10.48550/ARXIV.1706.03762</arxiv:doi>"
        '<arxiv:primary_category term=" cs.CL " scheme="http://arxiv.org/schemas/atom"/>'))
    [found] = arxiv.parse_feed(_feed(entry))
    assert found == Found(
        "arXiv", title="Attention Is All You Need", abstract="The dominant sequence transduction models",
        authors=["Ashish Vaswani", "Noam Shazeer"], year=2017, venue="NeurIPS 2017",
        doi="10.48550/ARXIV.1706.03762", arxiv_id="1706.03762", arxiv_version=7, primary_class="cs.CL",
        url="https://arxiv.org/abs/1706.03762")


def test_arxiv_entry_that_says_little():
    [found] = arxiv.parse_feed(_feed(_entry("http://arxiv.org/abs/hep-th/9901001", "Old  paper",
                                            "<published>sometime</published>")))
    assert found == Found("arXiv", title="Old paper", arxiv_id="hep-th/9901001",
                          url="https://arxiv.org/abs/hep-th/9901001")


@pytest.mark.parametrize("entries, count", [
    ([_entry(title="")], 0),  # an older server's placeholder for an unknown id
    ([_entry("urn:not-an-arxiv-id")], 0),
    ([_entry(title=""), _entry("http://arxiv.org/abs/1207.7214v2", "Observation")], 1),
    ([], 0),
])
def test_arxiv_feed_skips_entries_without_an_id_or_a_title(entries, count):
    assert len(arxiv.parse_feed(_feed(*entries))) == count


@pytest.mark.parametrize("body, message", [
    (_feed(_entry("http://arxiv.org/api/errors#incorrect_id_format_for_2401.1", "Error",
                  "<summary>incorrect id format for 2401.1</summary>")),
     "arXiv refused the query: incorrect id format for 2401.1."),
    (_feed(_entry("http://arxiv.org/api/errors#x", "Error")), "arXiv refused the query: error."),
    (b"<feed xmlns='http://www.w3.org/2005/Atom'><entry>", "cannot be read"),
    (b"<html><body>Service unavailable</body></html>", "not an Atom feed"),
])
def test_arxiv_feed_that_is_refused(body, message):
    with pytest.raises(Malformed, match=message.replace(".", r"\.")):
        arxiv.parse_feed(body)


# -- Crossref ----------------------------------------------------------------------------

def test_crossref_urls():
    assert crossref.work_url("https://api.crossref.org/", "10.1/a b") == (
        "https://api.crossref.org/works/10.1%2Fa%20b")
    assert crossref.work_url("https://api.crossref.org", "10.1/x", "me@example.org") == (
        "https://api.crossref.org/works/10.1%2Fx?mailto=me%40example.org")
    assert crossref.search_url("https://api.crossref.org/", "Deep Residual") == (
        "https://api.crossref.org/works?query.bibliographic=Deep+Residual&rows=5")
    assert crossref.search_url("http://h", "T", rows=2, mailto="me@example.org") == (
        "http://h/works?query.bibliographic=T&rows=2&mailto=me%40example.org")


def _work(**msg) -> bytes:
    return json.dumps({"status": "ok", "message": msg}).encode()


@pytest.mark.parametrize("msg, expected", [
    ({"title": ["Deep <i>residual</i> learning"], "subtitle": ["A <jats:sub>2</jats:sub> view"],
      "DOI": "10.1109/CVPR.2016.90", "type": "proceedings-article",
      "container-title": ["2016 IEEE CVPR"], "issued": {"date-parts": [[2016, 6, 27]]},
      "author": [{"given": "Kaiming", "family": "He"}, {"family": "Curie"},
                 {"name": "ATLAS  Collaboration"}, {"affiliation": []}, "stray"],
      "abstract": "<jats:p>Abstract: Deeper networks &amp; more.</jats:p><jats:p>Second.</jats:p>"},
     Found("Crossref", title="Deep residual learning: A 2 view", abstract="Deeper networks & more. Second.",
           authors=["Kaiming He", "Curie", "ATLAS Collaboration"], year=2016, venue="2016 IEEE CVPR",
           doi="10.1109/CVPR.2016.90", url="https://doi.org/10.1109/CVPR.2016.90")),
    ({"title": ["Observation of a new particle: the Higgs boson"], "subtitle": ["The Higgs Boson"],
      "type": "posted-content", "container-title": ["bioRxiv"], "published-online": {"date-parts": [[2012]]}},
     Found("Crossref", title="Observation of a new particle: the Higgs boson", year=2012)),
    ({"title": "A title as a string", "subtitle": [], "container-title": "Nature",
      "issued": {"date-parts": [[None]]}, "created": {"date-parts": [[2019, 6, 28]]}},
     Found("Crossref", title="A title as a string", venue="Nature", year=2019)),
])
def test_crossref_work_fields(msg, expected):
    assert crossref.parse_work(_work(**msg)) == expected


@pytest.mark.parametrize("msg", [{}, {"title": []}, {"title": [""]}, {"title": None}])
def test_crossref_work_without_a_title_is_nothing(msg):
    assert crossref.parse_work(_work(**msg)) is None


@pytest.mark.parametrize("dates, year", [
    ({"issued": {"date-parts": [[2016, 6, 27]]}}, 2016),
    ({"issued": {"date-parts": [[]]}, "published-print": {"date-parts": [[2015]]}}, 2015),
    ({"issued": "2016", "published": {"date-parts": [["2014"]]}}, 2014),
    ({"issued": {"date-parts": [["soon"]]}}, None),
    ({"issued": {"date-parts": [[1000]]}, "created": {"date-parts": [[1001]]}}, 1001),
    ({"issued": {"date-parts": [[3000]]}, "created": {"date-parts": [[2999]]}}, 2999),
    ({}, None),
])
def test_crossref_year_takes_the_first_plausible_date(dates, year):
    assert crossref.parse_work(_work(title=["T"], **dates)).year == year


def test_crossref_search_keeps_works_with_titles():
    body = json.dumps({"message": {"items": [{"title": ["One"]}, {"title": []}, "junk",
                                             {"title": ["Two"], "DOI": "10.1109/CVPR.2016.90"}]}}).encode()
    assert [(f.title, f.doi) for f in crossref.parse_search(body)] == [
        ("One", ""), ("Two", "10.1109/CVPR.2016.90")]


@pytest.mark.parametrize("body, message", [
    (b'{"message": {"title": ["cut', "cannot be read"),
    (b'["a", "list"]', "without a 'message'"),
    (b'{"status": "ok", "message": "Resource not found."}', "without a 'message'"),
    (b'{"status": "ok"}', "without a 'message'"),
])
def test_crossref_answer_that_cannot_be_read(body, message):
    with pytest.raises(Malformed, match=message):
        crossref.parse_work(body)


def test_crossref_search_without_items():
    with pytest.raises(Malformed, match="without 'items'"):
        crossref.parse_search(b'{"message": {"total-results": 0}}')


# -- the overwrite rule ------------------------------------------------------------------

def _paper(**kw) -> Paper:
    return Paper(id=1, **{"title": "", **kw})


FULL = Found("arXiv", title="Attention Is All You Need", abstract="The dominant sequence models.",
             authors=["Ashish Vaswani", "Noam Shazeer"], year=2017, venue="NeurIPS 2017",
             doi="10.48550/arXiv.1706.03762", arxiv_id="1706.03762", primary_class="cs.CL",
             url="https://arxiv.org/abs/1706.03762")


def test_an_empty_paper_is_filled_from_the_answer():
    values, changes, kept = plan(_paper(), FULL)
    assert values == {"title": FULL.title, "authors": FULL.authors, "year": 2017, "venue": "NeurIPS 2017",
                      "doi": "10.48550/arXiv.1706.03762", "arxiv_id": "1706.03762",
                      "primary_class": "cs.CL", "abstract": FULL.abstract, "url": FULL.url}
    assert [(c.field, c.before) for c in changes][:3] == [("title", ""), ("authors", []), ("year", None)]
    assert kept == []


def test_a_filled_paper_keeps_what_the_user_has():
    paper = _paper(title="My title for it", authors=["A. Vaswani", "N. Shazeer"], year=2018,
                   venue="Reading group", doi="10.1/mine", arxiv_id="1207.7214", primary_class="cs.LG",
                   abstract="My own summary.", url="https://example.org/p")
    values, changes, kept = plan(paper, FULL)
    assert values == {} and changes == []
    assert [(k.field, k.before, k.after) for k in kept] == [
        ("year", 2018, 2017), ("doi", "10.1/mine", "10.48550/arXiv.1706.03762"),
        ("arxiv_id", "1207.7214", "1706.03762")]


def test_the_same_values_written_differently_are_no_disagreement():
    paper = _paper(title="Attention Is All You Need", year=2017, doi=" 10.48550/ARXIV.1706.03762 ",
                   arxiv_id="1706.03762", venue="CoRR")
    values, _, kept = plan(paper, dataclasses.replace(FULL, venue="arXiv preprint arXiv:1706.03762"))
    assert kept == [] and "venue" not in values and "doi" not in values


def test_an_answer_that_says_nothing_changes_nothing():
    paper = _paper(title="Mine", year=2018, doi="10.1/mine", arxiv_id="1207.7214", venue="arXiv")
    assert plan(paper, Found("Crossref")) == ({}, [], [])
    assert plan(_paper(), Found("Crossref")) == ({}, [], [])


@pytest.mark.parametrize("ours, theirs, replaced", [
    ("Deep Residual Learning for…", "Deep Residual Learning for Image Recognition", True),
    ("Deep Residual Learning for...", "Deep Residual Learning for Image Recognition", True),
    ("Deep Residual Learning for… ", "Deep Residual Learning for Image Recognition", True),  # pasted
    ("Attention is all you...", "Attention Is All You Need", True),
    ("Deep Residual Learning", "Deep Residual Learning for Image Recognition", False),  # no "…"
    ("Deep Learning for…", "Deep Residual Learning for Image Recognition", False),  # another title
    ("Attention Is All You Need...", "Attention Is All You Need", False),  # nothing continued
    ("…", "Attention Is All You Need", False),  # nothing to continue
])
def test_rule_for_cut_off_titles_and_abstracts(ours, theirs, replaced):
    values, _, _ = plan(_paper(title=ours, abstract=ours), Found("Crossref", title=theirs, abstract=theirs))
    assert values == ({"title": theirs, "abstract": theirs} if replaced else {})


@pytest.mark.parametrize("ours, theirs, replaced", [
    (["A Vaswani", "N Shazeer", "N Parmar", "et al."], ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"],
     True),  # as many as typed before "et al."
    (["A Vaswani", "N Shazeer", "N Parmar", "et al."], ["Ashish Vaswani", "Noam Shazeer"], False),
    (["A Vaswani", "N Shazeer", "N Parmar"], ["Ashish Vaswani", "Noam Shazeer"], False),
    (["  "], ["Ashish Vaswani"], True),
])
def test_rule_for_authors_cut_short(ours, theirs, replaced):
    values, _, _ = plan(_paper(authors=ours), Found("arXiv", authors=theirs))
    assert ("authors" in values) is replaced


@pytest.mark.parametrize("ours, theirs, replaced", [
    ("arXiv preprint arXiv:1512.03385", "CVPR", True),
    ("CoRR", "arXiv", False),  # no better
    ("Reading group", "CVPR", False),
    ("", "CVPR", True),
])
def test_rule_for_venues(ours, theirs, replaced):
    values, _, _ = plan(_paper(venue=ours), Found("Crossref", venue=theirs))
    assert values == ({"venue": theirs} if replaced else {})


# -- the report --------------------------------------------------------------------------

@pytest.mark.parametrize("column, value, text", [
    ("authors", [], "(none)"),
    ("year", None, "(none)"),
    ("title", "", "(none)"),
    ("year", 0, "0"),
    ("authors", ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"], "A. Vaswani, N. Shazeer, N. Parmar"),
    ("authors", ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit"],
     "A. Vaswani, N. Shazeer, N. Parmar, …"),
    ("title", "x" * 60, "x" * 60),
    ("title", "y" * 61, "y" * 59 + "…"),
    ("venue", "authors", "authors"),
])
def test_values_are_shown_short(column, value, text):
    assert show(column, value) == text


@pytest.mark.parametrize("author, short", [
    ("Ashish Vaswani", "A. Vaswani"),
    ("Vaswani, Ashish", "A. Vaswani"),
    ("Aidan N. Gomez", "A. N. Gomez"),
    ("ATLAS Collaboration", "ATLAS Collaboration"),
    ("The Human Genome Project", "The Human Genome Project"),
    ("Plato", "Plato"),
    ("Jean-Luc van der Berg", "J. van der Berg"),
    ("(anonymous) Smith", "Smith"),
])
def test_authors_are_shown_with_initials(author, short):
    assert short_name(author) == short


def test_outcome_lines():
    changed = PaperOutcome(3, "A" * 80, "updated", changes=[FieldChange("year", None, 2017)],
                           kept=[FieldChange("doi", "10.1/mine", "10.1/theirs")],
                           citekey_now="paper2017", citekey_suggested="vaswani2017attention")
    assert changed.line() == (
        f"3: {'A' * 70}\n    year: (none) → 2017; kept yours: doi 10.1/mine (service says 10.1/theirs)"
        "; citation key stays paper2017 (rekey would give vaswani2017attention)")
    assert PaperOutcome(4, "T", "no-confident-match").line() == "4: T\n    no confident match"
    assert PaperOutcome(5, "T", "offline", note="arXiv cannot be reached").line() == (
        "5: T\n    offline (arXiv cannot be reached)")
    assert changed.as_json() == {
        "id": 3, "status": "updated", "via": "", "source": "",
        "changes": [{"field": "year", "before": None, "after": 2017}],
        "kept": [{"field": "doi", "before": "10.1/mine", "after": "10.1/theirs"}], "note": "",
        "citekey": "paper2017", "citekey_suggested": "vaswani2017attention"}


def test_report_summary_and_counts():
    assert CompletionReport().summary() == "nothing to do"
    assert CompletionReport().as_json() == {"applied": False, "offline": False, "counts": {}, "papers": []}
    report = CompletionReport([
        PaperOutcome(1, "a", "updated"), PaperOutcome(2, "b", "not-found"), PaperOutcome(3, "c", "updated"),
        PaperOutcome(4, "d", "offline", note="Crossref cannot be reached (offline?): refused."),
        PaperOutcome(5, "e", "offline", note="Crossref cannot be reached (offline?): refused. "
                                              "(not asked again this time)"),
        PaperOutcome(6, "f", "timeout", note="arXiv did not answer within 10 s."),
    ])
    assert report.updated_ids == [1, 3] and report.offline
    assert report.counts() == {"updated": 2, "not-found": 1, "offline": 2, "timeout": 1}
    assert report.summary() == (
        "2 updated, 1 not found, 2 offline, 1 timeout; offline: Crossref cannot be reached "
        "(offline?): refused. arXiv did not answer within 10 s.")
    assert not CompletionReport([PaperOutcome(1, "a", "busy", note="busy")]).offline
    assert CompletionReport([PaperOutcome(1, "a", "busy")]).summary() == "1 busy"


# -- one polite GET ----------------------------------------------------------------------

@pytest.fixture
def services():
    fake = FakeServices().start()
    yield fake
    fake.stop()


def _fetcher(services: FakeServices, interval: float = 0.2, **kw) -> Fetcher:
    limiter = RateLimiter(interval, clock=services.clock, sleep=services.clock.sleep)
    return Fetcher("Crossref", limiter, user_agent="paperdeck/test", timeout=2.0, **kw)


def _raw_service(payload: bytes) -> str:
    """A server that answers every connection with these bytes, however broken."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(payload)

    threading.Thread(target=serve, daemon=True).start()
    return f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_a_fetcher_made_without_options_asks_three_times_then_gives_up(services):
    services.crossref("/works/x", "", Reply(503, b"busy", headers={"Retry-After": "1"}))
    with pytest.raises(Busy, match=r"^Crossref is busy \(HTTP 503\); try again later\.$"):
        _fetcher(services).get(f"{services.crossref_api}/works/x")
    assert len(services.seen) == 3 and services.clock.sleeps == [1.0, 1.0]  # none after the last


def test_without_retry_after_the_fetcher_backs_off_a_little_more_each_time(services):
    services.crossref("/works/x", "", Reply(503, b""), Reply(503, b""), Reply(503, b""),
                      Reply(200, b"{}", "application/json"))
    resp = _fetcher(services, retries=3).get(f"{services.crossref_api}/works/x", "application/json")
    assert (resp.status, resp.body, resp.content_type) == (200, b"{}", "application/json")
    assert services.clock.sleeps == [2.0, 4.0, 5.0]
    assert services.seen[0].headers["Accept"] == "application/json"
    assert services.seen[0].headers["User-Agent"] == "paperdeck/test"


def test_a_retry_after_of_exactly_the_longest_wait_is_waited_here(services):
    services.crossref("/works/x", "", Reply(429, b"", headers={"Retry-After": "5"}), Reply(200, b"ok"))
    assert _fetcher(services).get(f"{services.crossref_api}/works/x").body == b"ok"
    assert services.clock.sleeps == [5.0]


def test_a_long_retry_after_holds_the_next_request_back(services):
    services.crossref("/works/x", "", Reply(429, b"", headers={"Retry-After": "3600"}), Reply(200, b"ok"))
    fetcher = _fetcher(services)
    with pytest.raises(Busy, match="asked us to wait 3600 s"):
        fetcher.get(f"{services.crossref_api}/works/x")
    assert services.clock.sleeps == []
    assert fetcher.get(f"{services.crossref_api}/works/x").body == b"ok"
    assert services.clock.sleeps == [3600.0]


@pytest.mark.parametrize("status", [300, 400, 500])
def test_other_statuses_are_failures(services, status):
    services.crossref("/works/x", "", Reply(status, b"no"))
    with pytest.raises(LookupFailed, match=f"^Crossref answered HTTP {status}.$"):
        _fetcher(services).get(f"{services.crossref_api}/works/x")
    assert len(services.seen) == 1


def test_404_is_an_answer_with_its_body(services):
    services.crossref("/works/x", "", Reply(404, b"Resource not found."))
    resp = _fetcher(services).get(f"{services.crossref_api}/works/x")
    assert (resp.status, resp.body) == (404, b"Resource not found.")


def test_a_cancelled_fetcher_asks_nothing_and_does_not_wait(services):
    services.crossref("/works/x", "", Reply(200, b"ok"))
    flags = [False]
    fetcher = _fetcher(services, interval=3.0, cancelled=lambda: flags[-1])
    fetcher.get(f"{services.crossref_api}/works/x")
    flags.append(True)
    with pytest.raises(Cancelled):
        fetcher.get(f"{services.crossref_api}/works/x")
    assert len(services.seen) == 1 and services.clock.sleeps == []


def test_a_cancel_during_the_rate_limit_wait_asks_nothing(services):
    answers = iter([False, False, False, True])  # the second request is cancelled while it waits
    fetcher = _fetcher(services, interval=3.0, cancelled=lambda: next(answers))
    services.crossref("/works/x", "", Reply(200, b"ok"))
    fetcher.get(f"{services.crossref_api}/works/x")
    with pytest.raises(Cancelled):
        fetcher.get(f"{services.crossref_api}/works/x")
    assert len(services.seen) == 1 and services.clock.sleeps == [3.0]


def test_an_answer_too_large_to_be_metadata(services):
    eight_mib = 8 * 1024 * 1024  # the documented limit, written out (not read from the module)
    services.crossref("/works/big", "", Reply(200, b"x" * (eight_mib + 1)))
    services.crossref("/works/max", "", Reply(200, b"x" * eight_mib))
    fetcher = _fetcher(services, interval=0.0)
    with pytest.raises(Malformed, match="too large"):
        fetcher.get(f"{services.crossref_api}/works/big")
    assert len(fetcher.get(f"{services.crossref_api}/works/max").body) == eight_mib


@pytest.mark.parametrize("payload, kind, note", [
    (b"HTTP/1.1 503 Busy\r\nTransfer-Encoding: chunked\r\n\r\n64\r\nonly ten b", Busy,
     "Crossref is busy (HTTP 503); try again later."),  # the body cut short
    (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n64\r\nonly ten b", LookupFailed,
     "Crossref could not be asked: IncompleteRead("),
    (b"\r\n", LookupFailed, "Crossref could not be asked: BadStatusLine."),
    (b"x" * 200 + b"\r\n", LookupFailed, f"Crossref could not be asked: {'x' * 120}."),
    (b"", Offline, "Crossref cannot be reached (offline?): Remote end closed connection without response."),
])
def test_broken_answers_are_failures_with_a_message(payload, kind, note):
    """(The message is checked up to `note`'s end: IncompleteRead's count depends on timing.)"""
    base = _raw_service(payload)
    with pytest.raises(LookupFailed) as caught:
        Fetcher("Crossref", RateLimiter(0.0), user_agent="t", timeout=2.0, retries=0).get(f"{base}/works/x")
    assert type(caught.value) is kind and str(caught.value).startswith(note)


def test_an_address_without_a_scheme_is_a_failure_not_a_crash():
    fetcher = Fetcher("arXiv", RateLimiter(0.0), user_agent="t", timeout=2.0)
    with pytest.raises(LookupFailed, match="^arXiv could not be asked: unknown url type"):
        fetcher.get("export.arxiv.org/api/query?id_list=1706.03762")


def test_offline_names_the_reason():
    fetcher = Fetcher("arXiv", RateLimiter(0.0), user_agent="t", timeout=2.0)
    with pytest.raises(Offline, match=r"^arXiv cannot be reached \(offline\?\): Connection refused\.$"):
        fetcher.get(f"http://127.0.0.1:{free_port()}/api/query")


def test_rate_limiter_edges():
    now, slept = [0.0], []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    limiter = RateLimiter(3.0, clock=lambda: now[0], sleep=sleep)
    limiter.hold(1.0)  # before any request
    limiter.wait()
    assert slept == [1.0]
    now[0] += 3.0  # exactly the interval later: no wait at all
    limiter.wait()
    assert slept == [1.0]
    limiter.hold(1.0)  # a short hold never shortens the spacing
    limiter.wait()
    assert slept == [1.0, 3.0]


@pytest.mark.parametrize("value, seconds", [
    ("120", 120.0), (" 7 ", 7.0), ("-3", 0.0), ("", None), (None, None), ("soon", None),
    ("Wed, 21 Oct 2015 07:28:00 GMT", 30.0), ("  Wed, 21 Oct 2015 07:28:00 GMT ", 30.0),
    ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),  # already past
])
def test_retry_after_values(value, seconds):
    assert retry_after_seconds(value, now=1445412480.0 - 30) == seconds


# -- the lookup cache --------------------------------------------------------------------

DAY = 86400.0


def _cache(path, clock: list[float]) -> LookupCache:
    return LookupCache(path, hit_days=30, miss_days=2, now=lambda: clock[0])


def test_cache_keeps_hits_and_misses_for_their_days(tmp_path):
    clock = [1_000_000.0]
    cache = _cache(tmp_path / "c.sqlite", clock)
    cache.put("arxiv:1706.03762", {"title": "Attention Is All You Need", "authors": ["Łukasz Kaiser"]})
    cache.put("arxiv:2401.99999", None)
    assert cache.get("arxiv:1706.03762") == {"title": "Attention Is All You Need",
                                             "authors": ["Łukasz Kaiser"]}
    assert cache.get("arxiv:2401.99999") is MISS and cache.get("doi:10.1/x") is None
    fresh = _cache(tmp_path / "c.sqlite", clock)  # another run of paperdeck
    clock[0] += 2 * DAY - 1
    assert fresh.get("arxiv:2401.99999") is MISS
    clock[0] += 1  # exactly two days: the miss is forgotten
    assert fresh.get("arxiv:2401.99999") is None and fresh.get("arxiv:1706.03762") is not None
    clock[0] += 28 * DAY - 1
    assert fresh.get("arxiv:1706.03762") is not None
    clock[0] += 1  # exactly thirty days: the hit is too
    assert fresh.get("arxiv:1706.03762") is None


def test_cache_forgets_old_rows_when_it_writes(tmp_path):
    clock = [1_000_000.0]
    cache = _cache(tmp_path / "c.sqlite", clock)
    cache.put("arxiv:1", {"title": "old"})
    clock[0] += 31 * DAY
    cache.put("arxiv:2", {"title": "new"})
    with contextlib.closing(sqlite3.connect(tmp_path / "c.sqlite")) as db:
        assert [k for (k,) in db.execute("SELECT key FROM lookups")] == ["arxiv:2"]


def test_a_cache_row_that_cannot_be_read_is_unknown(tmp_path):
    clock = [1_000_000.0]
    cache = _cache(tmp_path / "c.sqlite", clock)
    cache.put("arxiv:1", {"title": "x"})
    with contextlib.closing(sqlite3.connect(tmp_path / "c.sqlite")) as db, db:
        db.execute("UPDATE lookups SET data = '{\"title\": \"cut'")
    assert cache.get("arxiv:1") is None


def test_no_cache_path_means_no_cache():
    cache = LookupCache(None, hit_days=30, miss_days=2)
    cache.put("arxiv:1", {"title": "x"})
    assert cache.get("arxiv:1") is None


def test_a_damaged_cache_file_is_removed_and_rebuilt(tmp_path, caplog):
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    clock = [1_000_000.0]
    cache = _cache(path, clock)
    with caplog.at_level(logging.WARNING, logger="paperdeck.core.enrich.cache"):
        assert cache.get("arxiv:1") is None
        cache.put("arxiv:1", {"title": "x"})
        assert cache.get("arxiv:1") is None  # given up for this run
    assert not path.exists()
    assert [r.getMessage().split(" unusable")[0] for r in caplog.records] == [f"metadata cache {path}"]
    again = _cache(path, clock)
    again.put("arxiv:1", {"title": "x"})
    assert again.get("arxiv:1") == {"title": "x"}


def test_a_malformed_cache_file_is_removed(tmp_path):
    path = tmp_path / "c.sqlite"
    clock = [1_000_000.0]
    _cache(path, clock).put("arxiv:1", {"title": "x" * 5000})
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page overwritten
    path.write_bytes(bytes(data))
    assert _cache(path, clock).get("arxiv:1") is None
    assert not path.exists()


def test_a_cache_busy_in_another_window_is_left_alone(tmp_path):
    path = tmp_path / "c.sqlite"
    clock = [1_000_000.0]
    _cache(path, clock).put("arxiv:1", {"title": "x"})
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        cache = _cache(path, clock)
        assert cache.get("arxiv:1") is None  # locked: given up after the 2 s timeout
        assert path.exists()
    finally:
        other.close()
    assert _cache(path, clock).get("arxiv:1") == {"title": "x"}


def test_a_cache_path_that_is_a_folder_is_tried_once(tmp_path, caplog):
    clock = [1_000_000.0]
    cache = _cache(tmp_path, clock)
    with caplog.at_level(logging.WARNING, logger="paperdeck.core.enrich.cache"):
        assert cache.get("arxiv:1") is None
        cache.put("arxiv:1", None)
        assert cache.get("arxiv:1") is None
    assert len(caplog.records) == 1 and tmp_path.is_dir()


# -- looking papers up -------------------------------------------------------------------

ATTENTION, HIGGS = "1706.03762", "1207.7214"


def _client(services: FakeServices, **settings) -> MetadataClient:
    values = dict(arxiv_api=services.arxiv_api, crossref_api=services.crossref_api, timeout=2.0)
    values.update(settings)
    return MetadataClient(EnrichSettings(**values), clock=services.clock, sleep=services.clock.sleep,
                          now=lambda: 1_000_000.0)


def test_default_client_settings():
    assert MetadataClient().settings == EnrichSettings()


def test_default_settings_ask_a_busy_service_three_times(services):
    services.crossref("/works/10.1109/CVPR.2016.90", "", Reply(503, b"", headers={"Retry-After": "1"}))
    client = MetadataClient(EnrichSettings(crossref_api=services.crossref_api), clock=services.clock,
                            sleep=services.clock.sleep)
    assert client.lookup(Draft(doi="10.1109/CVPR.2016.90")).status == "busy"
    assert len(services.seen) == 3


def test_default_settings_ask_arxiv_twenty_ids_at_a_time(services):
    services.arxiv("id_list=", Reply.sample("arxiv-empty.xml"))
    client = MetadataClient(EnrichSettings(arxiv_api=services.arxiv_api), clock=services.clock,
                            sleep=services.clock.sleep)
    ids = [f"2401.{n:05d}" for n in range(1, 22)]
    results = client.lookup_many([Draft(arxiv_id=i) for i in ids])
    assert [r.status for r in results] == ["not-found"] * 21
    assert [s.query["id_list"].split(",") for s in services.seen] == [ids[:20], ids[20:]]
    assert [s.query["max_results"] for s in services.seen] == ["20", "1"]


def test_the_same_id_twice_is_asked_once_and_answered_twice(services):
    services.arxiv("id_list=", Reply.sample("arxiv-id-batch.xml"))
    results = _client(services).lookup_many([Draft(arxiv_id=ATTENTION + "v1"), Draft(arxiv_id=ATTENTION)])
    assert [r.found.arxiv_id for r in results] == [ATTENTION, ATTENTION]
    assert services.seen[0].query["id_list"] == ATTENTION


def test_an_arxiv_doi_is_looked_up_by_its_arxiv_id(services):
    services.arxiv("id_list=", Reply.sample("arxiv-id-batch.xml"))
    result = _client(services).lookup(Draft(doi=" 10.48550/ARXIV.1706.03762 "))
    assert (result.status, result.via, result.found.title) == (
        "found", "arXiv id", "Attention Is All You Need")
    assert services.seen[0].query["id_list"] == ATTENTION


def test_a_paper_with_a_doi_and_a_title_is_looked_up_by_doi(services):
    services.crossref("/works/10.18653/v1/N19-1423", "", Reply.sample("crossref-work-bert.json"))
    result = _client(services).lookup(Draft(doi="10.18653/v1/N19-1423", title="BERT"))
    assert (result.status, result.via, result.cached) == ("found", "DOI", False)
    assert [s.path for s in services.seen] == ["/crossref/works/10.18653/v1/N19-1423"]


def test_a_paper_with_nothing_to_go_on(services):
    [result] = _client(services).lookup_many([Draft(title="  ", doi=" ")])
    assert (result.status, result.note, result.failed) == ("nothing-to-look-up", "no arXiv id, DOI or title",
                                                           False)
    assert services.seen == []


@pytest.mark.parametrize("status, failed", [
    ("found", False), ("not-found", False), ("no-confident-match", False), ("mismatch", False),
    ("offline", True), ("timeout", True), ("busy", True), ("malformed", True), ("cancelled", True),
])
def test_which_results_are_failures(status, failed):
    assert LookupResult(status).failed is failed


def test_arxiv_answering_404_means_no_such_paper(services):
    services.arxiv("id_list=", Reply(404, b"Not Found"))
    services.arxiv("ti:", Reply(404, b"Not Found"))
    services.crossref("/works", "", Reply.sample("crossref-search-nomatch.json"))
    by_id, by_title = _client(services).lookup_many([Draft(arxiv_id="2401.99999"), Draft(title="Nothing")])
    assert (by_id.status, by_id.note) == ("not-found", "arXiv has no paper 2401.99999")
    assert (by_title.status, by_title.note) == ("no-confident-match", "")


def test_doi_answers_are_cached_hits_and_misses(services, tmp_path):
    services.crossref("/works/10.18653/v1/N19-1423", "", Reply.sample("crossref-work-bert.json"))
    services.crossref("/works/10.1/nothing", "", Reply.sample("crossref-404.txt", 404))
    drafts = [Draft(doi="10.18653/v1/N19-1423"), Draft(doi="10.1/nothing")]
    client = _client(services, cache_path=tmp_path / "c.sqlite")
    first = client.lookup_many(drafts)
    assert [(r.status, r.cached) for r in first] == [("found", False), ("not-found", False)]
    second = client.lookup_many([Draft(doi="10.18653/V1/N19-1423"), Draft(doi="10.1/nothing")])
    assert [(r.status, r.cached) for r in second] == [("found", True), ("not-found", True)]
    assert second[0].found == first[0].found and second[1].note == "Crossref has no DOI 10.1/nothing"
    assert len(services.seen) == 2


def test_title_answers_are_cached_per_service(services, tmp_path):
    services.arxiv("ti:", Reply.sample("arxiv-empty.xml"))
    services.crossref("/works", "query.bibliographic=Deep Residual",
                      Reply.sample("crossref-search-resnet.json"))
    paper = Draft(title="Deep Residual Learning for Image Recognition", authors=["Kaiming He"])
    client = _client(services, cache_path=tmp_path / "c.sqlite")
    first = client.lookup(paper)
    second = client.lookup(paper)
    assert [(r.status, r.via, r.cached) for r in (first, second)] == [
        ("found", "title (Crossref)", False), ("found", "title (Crossref)", True)]
    assert second.found == first.found and len(services.seen) == 2  # arXiv's miss is cached too


def test_arxiv_id_answers_are_cached(services, tmp_path):
    services.arxiv("id_list=", Reply.sample("arxiv-id-batch.xml"))
    client = _client(services, cache_path=tmp_path / "c.sqlite")
    first = client.lookup(Draft(arxiv_id=HIGGS))
    second = client.lookup(Draft(arxiv_id=HIGGS))
    assert (first.cached, second.cached, second.found) == (False, True, first.found)
    assert len(services.seen) == 1


def test_a_cache_without_an_injected_clock_uses_the_real_one(services, tmp_path):
    services.arxiv("id_list=", Reply.sample("arxiv-id-batch.xml"))
    client = MetadataClient(EnrichSettings(arxiv_api=services.arxiv_api, cache_path=tmp_path / "c.sqlite"),
                            clock=services.clock, sleep=services.clock.sleep)
    assert [client.lookup(Draft(arxiv_id=HIGGS)).cached for _ in range(2)] == [False, True]


def test_one_service_failing_while_the_other_has_nothing(services):
    services.arxiv("ti:", Reply(500, b"oops"))
    services.crossref("/works", "", Reply.sample("crossref-search-nomatch.json"))
    result = _client(services).lookup(Draft(title="Deep Residual Learning for Image Recognition"))
    assert (result.status, result.via, result.note) == (
        "no-confident-match", "title", "arXiv answered HTTP 500.")


def test_both_services_failing_reports_the_first():
    client = MetadataClient(offline_settings(timeout=2.0))
    result = client.lookup(Draft(title="Deep Residual Learning for Image Recognition"))
    assert result.status == "offline" and result.note.startswith("arXiv cannot be reached")


def test_a_service_found_down_is_asked_again_in_the_next_lookup(services):
    services.arxiv("id_list=", Reply.sample("arxiv-id-batch.xml", delay=1.0),
                   Reply.sample("arxiv-id-batch.xml"))
    client = _client(services, timeout=0.3)
    assert client.lookup(Draft(arxiv_id=ATTENTION)).status == "timeout"
    assert client.lookup(Draft(arxiv_id=ATTENTION)).status == "found"


def test_a_cancel_does_not_carry_over_to_the_next_lookup(services):
    services.arxiv("id_list=", Reply.sample("arxiv-id-batch.xml"))
    client = _client(services)
    client.cancel()
    assert client.lookup(Draft(arxiv_id=ATTENTION)).status == "found"


def test_after_a_cancel_an_offline_service_is_cancelled_not_offline():
    client = MetadataClient(offline_settings(timeout=2.0))
    results = client.lookup_many([Draft(title=f"Paper {n}") for n in range(3)],
                                 lambda done, total, label: client.cancel())
    assert [r.status for r in results] == ["offline", "cancelled", "cancelled"]


def test_progress_labels_are_cut_at_80_characters(services):
    services.crossref("/works/10.1109/CVPR.2016.90", "", Reply.sample("crossref-404.txt", 404))
    labels = []
    _client(services).lookup_many([Draft(doi="10.1109/CVPR.2016.90", title="Long " * 20),
                                   Draft(doi="10.1109/CVPR.2016.90")],
                                  lambda done, total, label: labels.append(label))
    assert labels == ["Long " * 16, "10.1109/CVPR.2016.90"]


def test_an_id_leading_to_another_title_names_it_cut_short(services):
    services.arxiv("id_list=", Reply.sample("arxiv-id-batch.xml"))
    result = _client(services).lookup(Draft(title="Learning to walk with quadruped robots", arxiv_id=HIGGS))
    assert (result.status, result.found, result.via) == ("mismatch", None, "arXiv id")
    assert result.note == ("arXiv id leads to “Observation of a new particle in the search for the Standard "
                           "Model Higgs boson w”, not this paper; left alone")


@pytest.mark.parametrize("ours, candidates, pick", [
    # the first of two equally good candidates (the list's own order: the service's ranking)
    (Draft(title="Attention Is All You Need"),
     [Found("arXiv", title="Attention is all you need", arxiv_id="1"),
      Found("arXiv", title="Attention Is All You Need.", arxiv_id="2")], "1"),
    # the better title first, wherever it is listed
    (Draft(title="Attention Is All You Need"),
     [Found("arXiv", title="Attention Is All You Needs", arxiv_id="1"),
      Found("arXiv", title="Attention Is All You Need", arxiv_id="2"),
      Found("arXiv", title="Attention is all you need in speech separation", arxiv_id="3")], "2"),
    # a spelling variant exactly at the threshold (95) is the same paper
    (Draft(title="Generalised networks"),
     [Found("Crossref", title="Generalized Networks", doi="10.1/a")], "10.1/a"),
    # "et al." names nobody: any authors agree
    (Draft(title="Deep Residual Learning", authors=["et al."]),
     [Found("Crossref", title="Deep residual learning", authors=["Kaiming He"], doi="10.1/a")], "10.1/a"),
    (Draft(title="Deep Residual Learning", authors=["Y. LeCun", "et al."]),
     [Found("Crossref", title="Deep residual learning", authors=["Kaiming He"], doi="10.1/a")], None),
    (Draft(title="Deep Residual Learning", authors=["K. He"]),
     [Found("Crossref", title="Deep residual learning", authors=["Y. LeCun"], doi="10.1/a"),
      Found("Crossref", title="Deep residual learning", authors=["Kaiming He", "X. Zhang"], doi="10.1/b")],
     "10.1/b"),
    (Draft(title="Deep Residual Learning", authors=["K. He"]),
     [Found("Crossref", title="Deep residual learning", doi="10.1/a")], "10.1/a"),  # they name nobody
    (Draft(title="Deep Residual Learning"), [], None),
])
def test_best_title_match(ours, candidates, pick):
    best = best_title_match(ours, candidates)
    assert (best and (best.arxiv_id or best.doi)) == pick


# -- from lookups to one edit ------------------------------------------------------------

def test_completion_plans_against_the_rows_as_they_are_now(lib):
    ids = lib.add([Draft(title="Attention is all you…"), Draft(arxiv_id=HIGGS), Draft(doi="10.1/gone"),
                   Draft(title="Already complete", year=2017, authors=["A B"])], raw_text="x", fmt="manual")
    lib.trash([ids[2]])
    lib.empty_trash()  # deleted while the lookup ran
    attention = Found("arXiv", title="Attention Is All You Need", authors=["Ashish Vaswani"], year=2017)
    results = [LookupResult("found", attention, via="title (arXiv)"),
               LookupResult("not-found", via="arXiv id", note=f"arXiv has no paper {HIGGS}"),
               LookupResult("found", Found("Crossref", title="Gone"), via="DOI"),
               LookupResult("found", Found("Crossref", title="Already complete", year=2017), via="DOI")]
    edit, report = build_completion(lib.store, ids, results)
    assert edit.label == "complete metadata of 1 paper" and list(edit.updates) == [ids[0]]
    before, after = edit.updates[ids[0]]
    assert before == {"title": "Attention is all you…", "authors": "[]", "year": None,
                      "title_key": "attention is all you", "updated_at": before["updated_at"]}
    assert after["title_key"] == "attention is all you need" and after["authors"] == '["Ashish Vaswani"]'
    assert [(it.id, it.label, it.status, it.source, it.via) for it in report.items] == [
        (ids[0], "Attention is all you…", "updated", "arXiv", "title (arXiv)"),
        (ids[1], HIGGS, "not-found", "", "arXiv id"),
        (ids[3], "Already complete", "unchanged", "Crossref", "DOI")]
    assert report.items[1].note == f"arXiv has no paper {HIGGS}"
    assert [it.citekey_suggested for it in report.items] == ["vaswani2017attention", "", ""]


def test_completion_without_a_new_title_keeps_the_title_key(lib):
    ids = lib.add([Draft(title="Attention Is All You Need"), Draft()], raw_text="x", fmt="manual")
    results = [LookupResult("found", Found("arXiv", title="Attention Is All You Need",
                                           abstract="The dominant")),
               LookupResult("found", Found("arXiv", abstract="Only an abstract."))]
    edit, report = build_completion(lib.store, ids, results)
    assert edit.label == "complete metadata of 2 papers"
    assert [set(after) for _, after in edit.updates.values()] == [{"abstract", "updated_at"}] * 2
    assert [set(before) for before, _ in edit.updates.values()] == [{"abstract", "updated_at"}] * 2
    assert [it.label for it in report.items] == ["Attention Is All You Need", "(untitled)"]
    assert [it.citekey_suggested for it in report.items] == ["", ""]  # nothing a key is made of changed


def test_completion_needs_one_result_per_paper(lib):
    ids = lib.add([Draft(title="One"), Draft(title="Two")], raw_text="x", fmt="manual")
    with pytest.raises(ValueError):
        build_completion(lib.store, ids, [LookupResult("not-found")])


def test_a_damaged_cache_found_on_writing_is_removed_too(tmp_path, caplog):
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with caplog.at_level(logging.WARNING, logger="paperdeck.core.enrich.cache"):
        _cache(path, [1_000_000.0]).put("arxiv:1", {"title": "x"})
    assert not path.exists() and len(caplog.records) == 1
