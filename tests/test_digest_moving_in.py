"""Moving in from JabRef and Zotero: whole libraries through `paperdeck import FILE`.

The files in tests/samples/digests (written by tests/samples/make_library_exports.py,
with their expectations taken from the generator's own records) hold hundreds of
entries with odd fields and a few broken ones. Here they go through the real command
line into a real library, and what lands there is checked field by field.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from digest_samples import SAMPLES, expected
from paperdeck.core.digest import parse_digest

JABREF = SAMPLES / "jabref-library.bib"
BBT = SAMPLES / "zotero-bbt-library.json"
CSL = SAMPLES / "zotero-csl-library.json"
RDF = SAMPLES / "zotero-library.rdf"


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "paperdeck", *args], capture_output=True, env=env,
                          timeout=120, text=True)


def papers(data_dir: Path) -> dict[str, dict]:
    out = run(data_dir, "list", "--json", "--limit", "5000")
    assert out.returncode == 0, out.stderr
    return {p["citekey"]: p for p in json.loads(out.stdout)}


def test_jabref_library_moves_in_whole(data_dir: Path) -> None:
    proc = run(data_dir, "import", str(JABREF), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    exp = expected(JABREF)
    assert report["format"] == "jabref"
    assert report["imported"] == len(exp["titles"]) == 301  # one of them without a title
    # each broken entry is named on stderr, once, and none of it is in the library
    broken = [line for line in proc.stderr.splitlines() if "broken entry skipped" in line]
    assert len(broken) == len(report["broken"]) == exp["skipped"] == 4
    assert any("Broken2020unclosed" in b and "closing brace" in b for b in broken)
    assert any("Broken2018garbage" in b for b in broken)
    lib = papers(data_dir)
    titles = {p["title"] for p in lib.values()}
    for gone in ("An Entry Whose Brace Never Closes", "An Entry Without a Key", "Half Readable Entry"):
        assert gone not in titles
    assert not [k for k in lib if k.startswith("Broken")]
    for check in exp["checks"]:
        p = lib[check["citekey"]]  # citation keys kept exactly
        assert p["authors"] == check["authors"] and p["year"] == check["year"]
        assert p["status"] == (check["status"] or "queued")
        assert p["priority"] == check["priority"]
        assert p["notes"] == check["notes"]
        assert sorted(p["tags"]) == sorted(check["tags"])
        assert p["links"] == check["links"]  # local files and URLs from `file`
        if check.get("arxiv_id"):
            assert p["arxiv_id"] == check["arxiv_id"]
        if check.get("doi"):
            assert p["doi"] == check["doi"]
        if p["status"] == "read":
            assert p["finished_at"] is None  # read in JabRef, on a day it did not record
    # the keys survive an export unchanged
    bib = run(data_dir, "export").stdout
    for check in exp["checks"][:10]:
        assert "{" + check["citekey"] + "," in bib


def test_zotero_exports_move_in(data_dir: Path) -> None:
    for path, fmt in ((BBT, "zotero-json"), (CSL, "csl-json"), (RDF, "zotero-rdf")):
        proc = run(data_dir, "import", str(path), "--json", "--tag", fmt)
        assert proc.returncode == 0, proc.stderr
        report = json.loads(proc.stdout)
        exp = expected(path)
        assert report["format"] == fmt and report["found"] == len(exp["titles"])
        assert len(report["broken"]) == exp["skipped"]
    lib = papers(data_dir)
    bbt = expected(BBT)
    for check in bbt["checks"]:
        p = lib[check["citekey"]]
        if "zotero-json" not in p["tags"]:
            continue  # the same title came in first from the other file
        assert sorted(p["tags"]) == sorted([*check["tags"], "zotero-json"])
        assert p["notes"] == check["notes"] and p["authors"] == check["authors"]
        assert p["arxiv_id"] == check["arxiv_id"] and p["doi"] == check["doi"]
    assert any("Chapter 2" in p["tags"] for p in lib.values())  # a nested collection
    rdf = [p for p in lib.values() if "zotero-rdf" in p["tags"]]
    assert rdf and any("Reading group" in p["tags"] and p["notes"] for p in rdf)


def test_cut_off_json_export_imports_nothing(data_dir: Path, tmp_path: Path) -> None:
    """A truncated export must not fall through to the id-list reader (half-empty cards)."""
    cut = tmp_path / "cut.json"
    text = BBT.read_text(encoding="utf-8")
    cut.write_text(text[: len(text) // 2], encoding="utf-8")
    proc = run(data_dir, "import", str(cut))
    assert proc.returncode == 1
    assert "not valid JSON" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert papers(data_dir) == {}


def test_old_jabref_groups_by_key_and_keyword() -> None:
    """JabRef 2.x listed a static group's members in the tree; keyword groups match a field."""
    text = (
        "@Article{Smith2009,\n  author = {Smith, John},\n  title = {Old School Grouping},\n"
        "  year = {2009},\n  keywords = {kernels, svm},\n  owner = {john},\n"
        "  timestamp = {2010.01.03},\n}\n\n"
        "@Book{Doe2001,\n  author = {Doe, Jane},\n  title = {A Book Nobody Grouped},\n  year = {2001},\n}\n\n"
        "@comment{jabref-meta: groupsversion:3;}\n\n"
        "@comment{jabref-meta: groupstree:\n0 AllEntriesGroup:;\n"
        "1 ExplicitGroup:Classics\\;0\\;Smith2009\\;;\n"
        "1 KeywordGroup:SVMs\\;0\\;keywords\\;svm\\;0\\;0\\;;\n}\n"
    )
    result = parse_digest(text)
    assert result.format == "jabref"
    smith, doe = result.drafts
    assert smith.citekey == "Smith2009" and smith.tags == ["Classics", "SVMs", "kernels", "svm"]
    assert doe.tags == [] and doe.status == "" and doe.priority == 0


def test_new_formats_are_offered_by_name() -> None:
    from paperdeck.core.digest import FORMATS

    assert FORMATS["jabref"] == "JabRef library (.bib)"
    assert FORMATS["zotero-json"] == "Zotero library (Better BibTeX JSON)"
    assert FORMATS["csl-json"].startswith("CSL-JSON")
    assert FORMATS["zotero-rdf"] == "Zotero library (Zotero RDF)"


def test_rdf_with_entity_declarations_is_not_expanded() -> None:
    """Zotero never declares entities; a file that does is refused before expat sees it."""
    from paperdeck.core.digest import zotero_rdf

    lol = '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    text = lol + (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:z="http://www.zotero.org/namespaces/export#" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<rdf:Description><z:itemType>book</z:itemType><dc:title>&b;</dc:title></rdf:Description></rdf:RDF>"
    )
    assert zotero_rdf.score(text) == 0.0 and zotero_rdf.parse(text) == []


def test_group_tree_written_on_one_line_and_automatic_groups() -> None:
    """Some tools write the whole tree on one line; automatic keyword groups add nothing
    beyond the keywords, which become tags anyway."""
    text = (
        "@Article{Ng2020,\n  author = {Ng, Li},\n  title = {Refereed Things},\n  year = {2020},\n"
        "  keywords = {journal, refereed},\n}\n\n"
        "@comment{jabref-meta: grouping: 0 AllEntriesGroup:; 1 KeywordGroup:Journal papers\\;0\\;keywords\\;"
        "journal\\;0\\;0\\;1\\;; 1 AutomaticKeywordGroup:Keywords\\;2\\;keywords\\;\\\\\\;\\;>\\;0\\;"
        "0x8a8a8aff\\;\\;\\;; 1 StaticGroup:Unused\\;2\\;1\\;\\;\\;\\;; }\n"
    )
    (draft,) = parse_digest(text).drafts
    assert draft.tags == ["Journal papers", "journal", "refereed"]


def test_library_of_only_broken_entries_says_so_and_imports_nothing(data_dir: Path, tmp_path: Path) -> None:
    """The tolerant BibTeX reader must not pick up what the JabRef reader refused."""
    bib = tmp_path / "broken.bib"
    bib.write_text(
        "@Article{A2020,\n  author = {Smith, Ann},\n  title = {Half an Entry},\n\n"
        "@comment{jabref-meta: grouping:\n0 AllEntriesGroup:;\n1 StaticGroup:X\\;0\\;1\\;\\;\\;\\;;\n}\n",
        encoding="utf-8",
    )
    proc = run(data_dir, "import", str(bib))
    assert proc.returncode == 1 and papers(data_dir) == {}
    assert "JabRef library" in proc.stderr and "A2020" in proc.stderr and "closing brace" in proc.stderr
    result = parse_digest(bib.read_text(encoding="utf-8"))
    assert (result.format, result.drafts, len(result.skipped)) == ("jabref", [], 1)


def test_paragraph_separators_inside_json_strings_survive_the_paste() -> None:
    """Zotero abstracts carry U+2029; the paste clean-up makes it a newline inside a JSON
    string, which strict JSON refuses."""
    text = json.dumps(
        [{"id": "a1", "type": "article-journal", "title": "Analytic Continuation",
          "abstract": "First line\u2029second line", "author": [{"family": "Fu", "given": "C.-L."}]}],
        ensure_ascii=False,
    )
    result = parse_digest(text)
    assert result.format == "csl-json" and result.drafts[0].authors == ["C.-L. Fu"]
    assert result.drafts[0].abstract.startswith("First line")


def test_untitled_library_entries_are_kept_when_something_names_them() -> None:
    text = json.dumps([
        {"id": "k1", "type": "article-journal", "author": [{"family": "Gross", "given": "E. F."}],
         "container-title": "Doklady", "issued": {"date-parts": [[1952]]}},
        {"id": "k2", "type": "book", "issued": {"date-parts": [[2001]]}},
    ])
    result = parse_digest(text)
    assert [(d.title, d.authors, d.year) for d in result.drafts] == [("", ["E. F. Gross"], 1952)]
    assert result.skipped == ["item 2 (k2): no title, authors, identifier or link"]


def test_moved_in_dates_keep_statistics_honest(data_dir: Path) -> None:
    """A tester's JabRef library made 70 papers "read this week": now a paper keeps the day
    the old manager added it, and papers read there are read on no day we know."""
    from datetime import date

    from paperdeck.core.library import Library
    from paperdeck.ui.stats_data import compute_stats

    with Library.open(data_dir, backup=False) as lib:
        report = lib.import_text(JABREF.read_text(encoding="utf-8"))
        shown = lib.papers(report.ids)
        by_key = {p.citekey: p for p in shown}
        assert by_key["Okafor2008a140"].added_at.startswith("2023-06-12T10:22:31")
        read = [p for p in shown if p.status == "read"]
        assert read and all(p.finished_at is None for p in read)
        stats = compute_stats(shown, today=date.today(), weeks=12)
        assert sum(r for *_, r in stats.weeks) == 0  # nothing was read in these 12 weeks
        assert stats.read_total == len(read) and stats.median_days_to_read is None
    with Library.open(data_dir.parent / "zotero", backup=False) as lib:
        report = lib.import_text(BBT.read_text(encoding="utf-8"))
        assert any(p.added_at.startswith("2024-02-01T10:00:00") for p in lib.papers(report.ids))
