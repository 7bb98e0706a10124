"""Looking papers up against a local stand-in for arXiv and Crossref (no internet)."""

from __future__ import annotations

import time

import pytest

from enrich_fakes import FakeServices, Reply, offline_settings
from paperdeck.core.enrich import EnrichSettings, MetadataClient
from paperdeck.core.enrich.http import RateLimiter, retry_after_seconds
from paperdeck.core.models import Draft

ATTENTION, HIGGS = "1706.03762", "1207.7214"


@pytest.fixture
def services():
    fake = FakeServices().start()
    yield fake
    fake.stop()


def client_for(services: FakeServices, *, real_clock: bool = False, **settings) -> MetadataClient:
    values = dict(arxiv_api=services.arxiv_api, crossref_api=services.crossref_api,
                  contact_email="tests@example.invalid", timeout=2.0)
    values.update(settings)
    if real_clock:
        return MetadataClient(EnrichSettings(**values))
    return MetadataClient(EnrichSettings(**values), clock=services.clock,
                          sleep=services.clock.sleep)


def test_arxiv_ids_are_looked_up_in_one_request(services):
    services.arxiv("id_list=", Reply.sample("arxiv-id-batch.xml"))
    client = client_for(services)
    results = client.lookup_many([Draft(arxiv_id=ATTENTION + "v1"), Draft(arxiv_id=HIGGS)])
    assert [r.status for r in results] == ["found", "found"]
    assert len(services.seen) == 1
    assert services.seen[0].query["id_list"] == f"{ATTENTION},{HIGGS}"
    ua = services.seen[0].headers["User-Agent"]
    assert ua.startswith("paperdeck/") and "mailto:tests@example.invalid" in ua
    att, higgs = results[0].found, results[1].found
    assert att.title == "Attention Is All You Need" and att.year == 2017
    assert att.authors[:2] == ["Ashish Vaswani", "Noam Shazeer"] and len(att.authors) == 8
    assert (att.primary_class, att.arxiv_id, att.arxiv_version) == ("cs.CL", ATTENTION, 7)
    assert att.abstract.startswith("The dominant sequence") and "\n" not in att.abstract
    assert higgs.title.startswith("Observation of a new particle") and "  " not in higgs.title
    assert (higgs.venue, higgs.doi) == ("Phys.Lett. B716 (2012) 1-29",
                                        "10.1016/j.physletb.2012.08.020")
    assert higgs.authors == ["ATLAS Collaboration"] and higgs.primary_class == "hep-ex"


def test_crossref_by_doi_uses_the_polite_pool(services):
    services.crossref("/works/10.18653/v1/N19-1423", "", Reply.sample("crossref-work-bert.json"))
    result = client_for(services).lookup(Draft(doi="10.18653/v1/N19-1423"))
    assert result.status == "found" and result.via == "DOI"
    found = result.found
    assert found.title.startswith("BERT: Pre-training") and found.year == 2019
    assert found.authors == ["Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova"]
    assert found.venue.startswith("Proceedings of the 2019 Conference of the North American")
    assert found.doi == "10.18653/v1/n19-1423"
    assert services.seen[0].query["mailto"] == "tests@example.invalid"


@pytest.mark.parametrize("reply, status, note", [
    (Reply.sample("arxiv-empty.xml"), "not-found", "arXiv has no paper 2401.99999"),
    (Reply.sample("arxiv-error.xml"), "malformed", "incorrect id format"),
    (Reply.sample("arxiv-truncated.xml"), "malformed", "cannot be read"),
    (Reply(200, b"<html><body>Service unavailable</body></html>", "text/html"), "malformed",
     "not an Atom feed"),
    (Reply(500, b"oops"), "error", "HTTP 500"),
])
def test_arxiv_not_found_and_broken_answers(services, reply, status, note):
    services.arxiv("id_list=", reply)
    result = client_for(services).lookup(Draft(arxiv_id="2401.99999"))
    assert result.status == status and result.found is None
    assert note in result.note


@pytest.mark.parametrize("reply, status", [
    (Reply.sample("crossref-404.txt", 404), "not-found"),
    (Reply.sample("crossref-truncated.json"), "malformed"),
    (Reply(200, b'{"status": "ok", "message": "no"}', "application/json"), "malformed"),
])
def test_crossref_not_found_and_broken_answers(services, reply, status):
    services.crossref("/works/10.1/nothing", "", reply)
    result = client_for(services).lookup(Draft(doi="10.1/nothing"))
    assert result.status == status and result.found is None


def test_timeout_is_short_and_the_service_is_not_asked_again(services):
    services.arxiv("id_list=", Reply.sample("arxiv-id-batch.xml", delay=1.5))
    client = client_for(services, timeout=0.3, arxiv_batch=1)
    start = time.monotonic()
    results = client.lookup_many([Draft(arxiv_id=ATTENTION), Draft(arxiv_id=HIGGS)])
    assert time.monotonic() - start < 1.4
    assert [r.status for r in results] == ["timeout", "timeout"]
    assert "did not answer within 0.3 s" in results[0].note
    assert "not asked again" in results[1].note
    assert len(services.seen) == 1


def test_offline_is_a_clear_note_without_waiting():
    client = MetadataClient(offline_settings(timeout=2.0))
    start = time.monotonic()
    results = client.lookup_many([Draft(arxiv_id=ATTENTION), Draft(doi="10.1/x"),
                                  Draft(title="Some title")])
    assert time.monotonic() - start < 2.0
    assert [r.status for r in results] == ["offline"] * 3
    assert "cannot be reached" in results[0].note


@pytest.mark.parametrize("status", [429, 503])
def test_busy_answer_is_retried_after_retry_after(services, status):
    services.arxiv("id_list=", Reply(status, b"slow down", headers={"Retry-After": "1"}),
                   Reply.sample("arxiv-id-batch.xml"))
    client = client_for(services)
    result = client.lookup(Draft(arxiv_id=ATTENTION))
    assert result.status == "found"
    assert len(services.seen) == 2
    assert 1.0 in services.clock.sleeps  # Retry-After honoured ...
    assert services.seen[1].at - services.seen[0].at >= 3.0  # ... and arXiv's spacing kept


def test_busy_gives_up_after_the_retries(services):
    services.crossref("/works/10.1/x", "", Reply(503, b"", headers={"Retry-After": "1"}))
    result = client_for(services, retries=2).lookup(Draft(doi="10.1/x"))
    assert result.status == "busy" and "HTTP 503" in result.note
    assert len(services.seen) == 3


def test_a_long_retry_after_means_later_not_now(services):
    services.crossref("/works/10.1/x", "", Reply(429, b"", headers={"Retry-After": "3600"}))
    client = client_for(services)
    result = client.lookup(Draft(doi="10.1/x"))
    assert result.status == "busy" and "3600 s" in result.note
    assert len(services.seen) == 1 and max(services.clock.sleeps, default=0) < 5


def test_retry_after_really_waits(services):
    services.crossref("/works/10.1/x", "", Reply(429, b"", headers={"Retry-After": "1"}),
                      Reply.sample("crossref-work-bert.json"))
    client = client_for(services, real_clock=True, crossref_interval=0.0)
    start = time.monotonic()
    assert client.lookup(Draft(doi="10.1/x")).status == "found"
    assert time.monotonic() - start >= 1.0


def test_arxiv_requests_are_three_seconds_apart(services):
    services.arxiv("id_list=", Reply.sample("arxiv-empty.xml"))
    services.crossref("/works", "", Reply.sample("crossref-search-nomatch.json"))
    client = client_for(services, arxiv_batch=1)
    client.lookup_many([Draft(arxiv_id=f"2401.0000{n}") for n in range(1, 4)])
    times = [s.at for s in services.seen]
    assert len(times) == 3
    assert [b - a for a, b in zip(times, times[1:], strict=False)] == [3.0, 3.0]
    assert services.clock.sleeps == [3.0, 3.0]


def test_rate_limiter_counts_time_already_passed():
    now = [0.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    limiter = RateLimiter(3.0, clock=lambda: now[0], sleep=sleep)
    limiter.wait()
    now[0] += 1.0
    limiter.wait()
    now[0] += 5.0
    limiter.wait()
    assert slept == [2.0]


def test_retry_after_forms():
    assert retry_after_seconds("2") == 2.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480.0 - 30) == 30.0


def test_title_lookup_takes_only_the_near_identical_title(services):
    services.arxiv('ti:"Attention is all you need"', Reply.sample("arxiv-title-attention.xml"))
    result = client_for(services).lookup(Draft(title="Attention is all you need."))
    assert result.status == "found" and result.via == "title (arXiv)"
    assert result.found.arxiv_id == ATTENTION  # not "... in Speech Separation"
    assert services.seen[0].query["search_query"] == 'ti:"Attention is all you need"'


def test_title_lookup_falls_back_to_crossref(services):
    services.arxiv("ti:", Reply.sample("arxiv-empty.xml"))
    services.crossref("/works", "query.bibliographic=Deep Residual",
                      Reply.sample("crossref-search-resnet.json"))
    paper = Draft(title="Deep Residual Learning for Image Recognition", authors=["Kaiming He"])
    result = client_for(services).lookup(paper)
    assert result.status == "found" and result.via == "title (Crossref)"
    assert result.found.doi == "10.1109/cvpr.2016.90" and result.found.year == 2016
    assert [s.path for s in services.seen] == ["/api/query", "/crossref/works"]


@pytest.mark.parametrize("sample, authors", [
    ("crossref-search-nomatch.json", []),  # only loosely similar titles
    ("crossref-search-resnet.json", ["Yann LeCun"]),  # same title, other people
])
def test_no_confident_match_attaches_nothing(services, sample, authors):
    services.arxiv("ti:", Reply.sample("arxiv-title-attention.xml"))
    services.crossref("/works", "", Reply.sample(sample))
    paper = Draft(title="Deep Residual Learning for Image Recognition", authors=authors)
    result = client_for(services).lookup(paper)
    assert result.status == "no-confident-match" and result.found is None
    assert result.note == ""


def test_an_id_leading_to_another_title_is_refused(services):
    services.arxiv("id_list=", Reply.sample("arxiv-id-batch.xml"))
    paper = Draft(title="Learning to walk with quadruped robots", arxiv_id=ATTENTION)
    result = client_for(services).lookup(paper)
    assert result.status == "mismatch" and "Attention Is All You Need" in result.note


def test_answers_are_cached_hits_and_misses(services, tmp_path):
    services.arxiv("id_list=1706", Reply.sample("arxiv-id-batch.xml"))
    services.arxiv("id_list=2401", Reply.sample("arxiv-empty.xml"))
    drafts = [Draft(arxiv_id=ATTENTION), Draft(arxiv_id="2401.99999")]
    clock = [1_000_000.0]
    client = MetadataClient(
        EnrichSettings(arxiv_api=services.arxiv_api, cache_path=tmp_path / "c.sqlite",
                       cache_miss_days=1),
        clock=services.clock, sleep=services.clock.sleep, now=lambda: clock[0])
    first = client.lookup_many(drafts)
    second = client.lookup_many(drafts)
    assert [r.status for r in second] == [r.status for r in first] == ["found", "not-found"]
    assert all(r.cached for r in second) and len(services.seen) == 1  # one batch, then none
    assert second[0].found == first[0].found
    clock[0] += 2 * 86400  # the miss is now too old, the hit is not
    third = client.lookup_many(drafts)
    assert third[0].cached and not third[1].cached and len(services.seen) == 2
    assert services.seen[1].query["id_list"] == "2401.99999"


def test_a_damaged_cache_is_ignored(services, tmp_path):
    services.arxiv("id_list=", Reply.sample("arxiv-id-batch.xml"))
    cache = tmp_path / "c.sqlite"
    cache.write_bytes(b"this is not a database" * 100)
    client = client_for(services, cache_path=cache)
    assert client.lookup(Draft(arxiv_id=ATTENTION)).status == "found"


def test_cancel_stops_the_rest(services):
    services.crossref("/works", "", Reply.sample("crossref-search-nomatch.json"))
    services.arxiv("ti:", Reply.sample("arxiv-empty.xml"))
    client = client_for(services)
    seen = []

    def progress(done: int, total: int, label: str) -> None:
        seen.append((done, total, label))
        client.cancel()

    results = client.lookup_many([Draft(title=f"Paper {n}") for n in range(3)], progress)
    assert [r.status for r in results] == ["no-confident-match", "cancelled", "cancelled"]
    assert [s[:2] for s in seen] == [(1, 3), (2, 3), (3, 3)] and seen[0][2] == "Paper 0"
    assert len(services.seen) == 2
