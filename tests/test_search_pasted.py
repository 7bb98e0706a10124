"""What people paste into the search: every title of the sample digest finds its paper
first from the command line, and a pasted page of text is cut short, saying so."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from paperdeck.cli.main import main
from paperdeck.core.query import MAX_TERMS, cap_notice, check
from ui_helpers import QT_LOG_IGNORE, import_sample, wait_idle


def _cli(data_dir, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--data-dir", str(data_dir), *args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def sample_library(tmp_path_factory):
    from conftest import SAMPLE

    folder = tmp_path_factory.mktemp("pasted") / "library"
    code, _out, err = _cli(folder, "import", str(SAMPLE))
    assert code == 0, err
    return folder


def test_every_sample_title_pasted_finds_its_paper_first(sample_library):
    code, out, _err = _cli(sample_library, "list", "--json")
    papers = json.loads(out)
    assert len(papers) == 119 and sum(":" in p["title"] for p in papers) > 40
    missed = []
    for p in papers:
        code, out, err = _cli(sample_library, "list", "--json", "--limit", "1",
                              "--query", p["title"])
        hits = json.loads(out) if code == 0 else []
        if not hits or hits[0]["id"] != p["id"]:
            missed.append(f"{p['title']!r}: exit {code} {err.strip()}")
    assert not missed, f"{len(missed)} of 119:\n" + "\n".join(missed)


def test_a_long_paste_is_cut_and_the_cli_says_so(sample_library, sample_text):
    words = sample_text.split()[:1500]
    text = " ".join(words)
    assert len(check(text).split()) <= MAX_TERMS
    assert cap_notice(text) == f"Searched for the first {MAX_TERMS} of the 1500 words typed."
    code, _out, err = _cli(sample_library, "list", "--query", text)
    assert code == 0 and f"first {MAX_TERMS} of the 1500 words" in err
    assert cap_notice("chain of thought") is None


@pytest.mark.parametrize("text", ['"a b ' + "c " * 100 + '"', "(" + "robot " * 100 + ")",
                                  "x " * 63 + '"chain of thought"'])
def test_the_cut_keeps_a_query_well_formed(text):
    out = check(text)
    assert out.count('"') % 2 == 0 and out.count("(") == out.count(")")
    assert len(out.split()) <= MAX_TERMS


@QT_LOG_IGNORE
@pytest.mark.slow  # ~15 s: 119 searches through the window's worker
def test_every_sample_title_pasted_in_the_window_shows_its_card_first(qtbot, win, sample_text):
    import_sample(qtbot, win, sample_text)
    papers = win.lib.papers(win.lib.ids(view="all"))
    assert len(papers) == 119
    missed = []
    for p in papers:
        win.search.set_query(p.title)
        wait_idle(qtbot, win)
        if win.hint.isVisible() or not win.model.rowCount() or win.model.ids()[0] != p.id:
            missed.append(p.title)
    assert not missed, f"{len(missed)} of 119: {missed[:5]}"


def test_a_versioned_id_or_a_link_finds_its_paper(tmp_path):
    """arXiv stamps its PDFs `arXiv:2503.01234v1`; people paste links. Both find the paper
    from the command line (they found nothing: the index holds ids without versions)."""
    from paperdeck.core.library import Library
    from paperdeck.core.models import Draft

    folder = tmp_path / "library"
    with Library.open(folder, backup=False) as lib:
        lib.add([Draft(title="Robots", arxiv_id="2503.01234"),
                 Draft(title="Stochastic Parrots", doi="10.1145/3442188.3445922"),
                 Draft(title="Strings", arxiv_id="hep-th/9901001")], raw_text="x", fmt="test")
    for query, title in [("2503.01234v1", "Robots"), ("arXiv:2503.01234v2", "Robots"),
                         ("https://arxiv.org/pdf/2503.01234v3", "Robots"),
                         ("https://doi.org/10.1145/3442188.3445922", "Stochastic Parrots"),
                         ("https://arxiv.org/abs/hep-th/9901001", "Strings")]:
        code, out, err = _cli(folder, "list", "--json", "--query", query)
        assert code == 0 and [p["title"] for p in json.loads(out)] == [title], (query, err)
