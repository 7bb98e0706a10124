"""`Library.complete_metadata` and `regenerate_citekeys`: one undoable edit each, the
overwrite rule, and the report; against the local fake services (no internet)."""

from __future__ import annotations

import pytest

from enrich_fakes import FakeServices, Reply, free_port, offline_settings
from paperdeck.core.enrich import EnrichSettings, Found, MetadataClient
from paperdeck.core.enrich.merge import is_preprint_venue, plan
from paperdeck.core.models import Draft, Paper

ATTENTION, HIGGS = "1706.03762", "1207.7214"


@pytest.fixture
def services():
    fake = FakeServices().start()
    fake.arxiv("id_list=", Reply.sample("arxiv-id-batch.xml"))
    fake.crossref("/works/10.18653/v1/N19-1423", "", Reply.sample("crossref-work-bert.json"))
    yield fake
    fake.stop()


@pytest.fixture
def client(services):
    settings = EnrichSettings(arxiv_api=services.arxiv_api, crossref_api=services.crossref_api)
    return MetadataClient(settings, clock=services.clock, sleep=services.clock.sleep)


def _snapshot(lib, ids):
    return [(p.title, p.authors, p.year, p.venue, p.doi, p.arxiv_id, p.primary_class, p.abstract,
             p.url, p.citekey, p.notes, p.tags, p.updated_at) for p in lib.papers(ids)]


def test_identifier_list_is_completed_in_one_undoable_edit(lib, client):
    ids = lib.import_text(f"{ATTENTION}v1\n{HIGGS}\n10.18653/v1/N19-1423\n").ids
    before = _snapshot(lib, ids)
    keys = [p.citekey for p in lib.papers(ids)]
    ticks = []
    change, report = lib.complete_metadata(ids, client=client,
                                           progress=lambda *a: ticks.append(a))
    assert change is not None and change.paper_ids == frozenset(ids)
    assert report.applied and report.counts() == {"updated": 3}
    assert [t[:2] for t in ticks] == [(1, 3), (2, 3), (3, 3)]
    att, higgs, bert = lib.papers(ids)
    assert att.title == "Attention Is All You Need" and att.authors[0] == "Ashish Vaswani"
    assert (att.year, att.primary_class, att.venue) == (2017, "cs.CL", "")
    assert higgs.doi == "10.1016/j.physletb.2012.08.020" and higgs.venue.startswith("Phys.Lett.")
    assert bert.title.startswith("BERT") and bert.year == 2019 and bert.authors[0] == "Jacob Devlin"
    assert [p.citekey for p in lib.papers(ids)] == keys  # keys never change by themselves
    assert lib.ids("authors:shazeer") == [ids[0]]  # the search index follows
    line = report.items[0].line()
    assert "authors: (none) → A. Vaswani, N. Shazeer, N. Parmar, …" in line
    assert "authors: (none) → ATLAS Collaboration;" in report.items[1].line()
    assert "title: (none) → Attention Is All You Need" in line
    assert f"citation key stays {keys[0]} (rekey would give vaswani2017attention)" in line
    assert lib.undo_label() == "complete metadata of 3 papers"
    lib.undo()
    assert _snapshot(lib, ids) == before
    assert lib.ids("authors:shazeer") == []
    lib.redo()
    assert lib.get(ids[0]).title == "Attention Is All You Need"


def test_what_the_user_typed_is_kept(lib, client):
    [pid] = lib.add([Draft(title="Attention is all you need", authors=["A. Vaswani", "et al."],
                           year=2018, venue="Reading group, week 3", arxiv_id=ATTENTION,
                           tags=["nlp"])], raw_text="x", fmt="manual")
    lib.update(pid, notes="my notes", primary_class="cs.LG")
    [higgs] = lib.add([Draft(title="Observation of a new particle", venue="arXiv preprint",
                             arxiv_id=HIGGS, authors=["ATLAS Collaboration"])],
                      raw_text="y", fmt="manual")
    change, report = lib.complete_metadata([pid, higgs], client=client)
    p = lib.get(pid)
    assert p.authors[-1] == "Illia Polosukhin" and len(p.authors) == 8  # "et al." was cut short
    assert (p.title, p.year, p.venue, p.primary_class) == (
        "Attention is all you need", 2018, "Reading group, week 3", "cs.LG")
    assert (p.notes, p.tags) == ("my notes", ["nlp"])
    assert p.abstract.startswith("The dominant")
    assert report.items[0].kept[0].field == "year"
    assert "kept yours: year 2018 (service says 2017)" in report.items[0].line()
    h = lib.get(higgs)
    assert h.venue == "Phys.Lett. B716 (2012) 1-29"  # "arXiv preprint" is clearly worse
    assert h.title == "Observation of a new particle"  # not cut off with "…": kept


def test_dry_run_and_nothing_to_change(lib, client, services):
    ids = lib.import_text(f"{ATTENTION}\n").ids
    before = _snapshot(lib, ids)
    change, report = lib.complete_metadata(ids, client=client, dry_run=True)
    assert change is None and not report.applied and report.items[0].changes
    assert _snapshot(lib, ids) == before and lib.undo_label() == "import 1 paper"
    lib.complete_metadata(ids, client=client)
    change, report = lib.complete_metadata(ids, client=client)
    assert change is None and report.counts() == {"unchanged": 1}


def test_offline_changes_nothing_and_says_so(lib):
    ids = lib.import_text(f"{ATTENTION}\n").ids
    client = MetadataClient(offline_settings())
    change, report = lib.complete_metadata(ids, client=client)
    assert change is None and report.offline
    assert "offline: arXiv cannot be reached" in report.summary()
    assert report.as_json()["offline"] is True


def test_regenerate_citekeys_shows_then_applies_one_undoable_edit(lib, client):
    ids = lib.import_text(f"{ATTENTION}\n{HIGGS}\n").ids
    lib.complete_metadata(ids, client=client)
    old = [p.citekey for p in lib.papers(ids)]
    mapping = lib.regenerate_citekeys(ids)
    assert mapping == [(ids[0], old[0], "vaswani2017attention"),
                       (ids[1], old[1], "collaboration2012observation")]
    assert [p.citekey for p in lib.papers(ids)] == old  # dry run by default
    assert lib.regenerate_citekeys(ids, dry_run=False) == mapping
    assert [p.citekey for p in lib.papers(ids)] == [new for _, _, new in mapping]
    assert lib.regenerate_citekeys(ids) == []
    lib.undo()
    assert [p.citekey for p in lib.papers(ids)] == old


def test_regenerated_keys_never_collide(lib):
    drafts = [Draft(title="Something", citekey="vaswani2017attention"),
              Draft(title="Attention is all you need", authors=["Ashish Vaswani"], year=2017),
              Draft(title="Attention in speech", authors=["A. Vaswani"], year=2017)]
    ids = lib.add(drafts, raw_text="z", fmt="manual")
    assert [p.citekey for p in lib.papers(ids)][1:] == ["vaswani2017attentiona",
                                                        "vaswani2017attentionb"]
    lib.update(ids[2], citekey="mykey")
    mapping = lib.regenerate_citekeys(ids, dry_run=False)
    assert mapping == [(ids[0], "vaswani2017attention", "something"),
                       (ids[2], "mykey", "vaswani2017attentionb")]
    keys = [p.citekey for p in lib.papers(ids)]
    assert keys == ["something", "vaswani2017attentiona", "vaswani2017attentionb"]
    lib.undo()
    assert [p.citekey for p in lib.papers(ids)] == [
        "vaswani2017attention", "vaswani2017attentiona", "mykey"]


def test_ids_missing_metadata(lib, client):
    ids = lib.import_text(f"{ATTENTION}\n{HIGGS}\n").ids
    full = lib.add([Draft(title="T", authors=["A B"], year=2020, doi="10.1/x")],
                   raw_text="w", fmt="manual")
    assert lib.ids_missing_metadata() == ids
    lib.complete_metadata(ids, client=client)
    assert lib.ids_missing_metadata() == [] and full


def _paper(**kw) -> Paper:
    return Paper(id=1, **{"title": "", **kw})


@pytest.mark.parametrize("ours, theirs, replaced", [
    ([], ["A B"], True),
    (["A. Vaswani", "et al."], ["Ashish Vaswani", "Noam Shazeer"], True),
    (["Vaswani et al."], ["Ashish Vaswani", "Noam Shazeer"], True),
    (["Ashish Vaswani"], ["Ashish Vaswani", "Noam Shazeer"], True),  # a prefix of the list
    (["Noam Shazeer"], ["Ashish Vaswani", "Noam Shazeer"], False),  # not a prefix: typed
    (["A. Vaswani", "N. Shazeer"], ["Ashish Vaswani", "Noam Shazeer"], False),  # as long
])
def test_rule_for_authors(ours, theirs, replaced):
    values, _, _ = plan(_paper(title="T", authors=ours), Found("arXiv", title="T", authors=theirs))
    assert ("authors" in values) is replaced


def test_rule_for_cut_off_titles_and_preprint_venues():
    found = Found("Crossref", title="Deep Residual Learning for Image Recognition",
                  venue="2016 IEEE Conference on Computer Vision and Pattern Recognition (CVPR)")
    values, changes, _ = plan(_paper(title="Deep Residual Learning for…", venue="CoRR"), found)
    assert values == {"title": found.title, "venue": found.venue}
    assert [c.field for c in changes] == ["title", "venue"]
    values, _, _ = plan(_paper(title="Deep Residual Learning", venue="CVPR"), found)
    assert values == {}
    assert is_preprint_venue("arXiv preprint arXiv:1512.03385") and is_preprint_venue("CoRR")
    assert not is_preprint_venue("Phys.Lett. B716 (2012) 1-29")


def test_cli_complete_and_rekey(data_dir, services, monkeypatch):
    import json

    from test_cli import ok, run

    monkeypatch.setenv("PAPERDECK_ARXIV_API", services.arxiv_api)
    monkeypatch.setenv("PAPERDECK_CROSSREF_API", services.crossref_api)
    ok(data_dir, "import", "-", stdin=f"{ATTENTION}\n{HIGGS}\n".encode())
    dry = json.loads(ok(data_dir, "complete", "--all-missing", "--dry-run", "--json"))
    assert dry["applied"] is False and dry["counts"] == {"updated": 2}
    assert json.loads(ok(data_dir, "list", "--json"))[0]["title"] == ""
    text = ok(data_dir, "complete", "1", "2")
    assert "authors: (none) → A. Vaswani, N. Shazeer, N. Parmar, …" in text
    assert "Changed: 2 updated" in text
    rows = json.loads(ok(data_dir, "list", "--json"))
    assert rows[0]["title"] == "Attention Is All You Need" and rows[0]["citekey"] == "paper2017"
    assert "1: paper2017 -> vaswani2017attention" in ok(data_dir, "rekey", "1")
    assert json.loads(ok(data_dir, "list", "--json"))[0]["citekey"] == "paper2017"
    assert "Renamed 1 citation key" in ok(data_dir, "rekey", "1", "--apply")
    assert json.loads(ok(data_dir, "list", "--json"))[0]["citekey"] == "vaswani2017attention"
    assert len(services.seen) == 1  # the dry run's answers came from the cache
    proc = run(data_dir, "complete")
    assert proc.returncode == 1 and "--all-missing" in proc.stderr.decode()


def test_cli_complete_offline_exits_1_and_changes_nothing(data_dir, monkeypatch):
    from test_cli import ok, run

    monkeypatch.setenv("PAPERDECK_ARXIV_API", f"http://127.0.0.1:{free_port()}/api/query")
    ok(data_dir, "import", "-", stdin=f"{ATTENTION}\n".encode())
    before = ok(data_dir, "list", "--json")
    proc = run(data_dir, "complete", "--all-missing")
    assert proc.returncode == 1
    assert "offline: arXiv cannot be reached" in proc.stdout.decode()
    assert "check the network" in proc.stderr.decode() and "Traceback" not in proc.stderr.decode()
    assert ok(data_dir, "list", "--json") == before
