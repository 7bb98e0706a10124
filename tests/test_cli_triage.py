"""The triage commands (`list --sort`, `--saved`, `suggest-tags`, `related`, `search`), run as
real processes against a real library; and the CLI's modules import one another in no circle."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from test_cli import ok, run

CLI = Path(__file__).resolve().parents[1] / "desktop" / "paperdeck" / "cli"


@pytest.fixture
def imported(data_dir: Path) -> Path:
    from conftest import SAMPLE

    ok(data_dir, "import", str(SAMPLE))
    return data_dir


def _list(data_dir: Path, *args: str) -> list[dict]:
    return json.loads(ok(data_dir, "list", "--json", *args))


def test_for_you_cold_start_then_ranked_with_scores_and_reasons(imported):
    cold = run(imported, "list", "--sort", "for-you", "--json", "--limit", "3")
    assert cold.returncode == 0 and "No reading signal yet" in cold.stderr.decode()
    papers = json.loads(cold.stdout)
    assert [p["score"] for p in papers] == [None, None, None]
    assert [p["id"] for p in papers] == [p["id"] for p in _list(imported, "--sort", "added",
                                                               "--limit", "3")]
    skills = [p["id"] for p in _list(imported, "--query", "title:skill")]
    ok(imported, "status", *map(str, skills[:3]), "read")
    ranked = _list(imported, "--sort", "for-you")
    unread = [p for p in ranked if p["status"] == "queued"]
    assert ranked[: len(unread)] == unread  # papers not yet read come first
    scores = [p["score"] for p in unread]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] < scores[0] < 1
    top = unread[0]
    assert "skill" in (top["title"] + top["abstract"]).lower()
    assert any(r.startswith("like “") and r.endswith("(read)") for r in top["reasons"])
    assert any(r.startswith("terms: ") for r in top["reasons"])
    plain = ok(imported, "list", "--sort", "for-you", "--limit", "1")
    assert plain.split()[0] == str(top["id"])


def test_sorts_by_year_and_author(imported):
    years = [p["year"] or 0 for p in _list(imported, "--sort", "year")]
    assert years == sorted(years, reverse=True)
    assert len(_list(imported, "--sort", "author")) == 119
    bad = run(imported, "list", "--sort", "shoe-size")
    assert bad.returncode == 2 and b"invalid choice" in bad.stderr


def test_suggest_tags_and_related(imported):
    skills = [p["id"] for p in _list(imported, "--query", "title:skill")]
    assert len(skills) >= 4
    ok(imported, "tag", *map(str, skills[:3]), "--add", "skills")
    out = json.loads(ok(imported, "suggest-tags", str(skills[3]), "--json"))
    assert out == [{"id": skills[3], "tags": ["skills"]}]
    assert ok(imported, "suggest-tags", str(skills[0])).strip() == f"{skills[0]}: (none)"
    related = json.loads(ok(imported, "related", str(skills[0]), "--limit", "3", "--json"))
    assert len(related) == 3 and skills[0] not in [p["id"] for p in related]
    sims = [p["similarity"] for p in related]
    assert sims == sorted(sims, reverse=True) and sims[0] > 0
    text = ok(imported, "related", str(skills[0]))
    assert len(text.strip().splitlines()) == 5
    missing = run(imported, "related", "9999")
    assert missing.returncode == 1 and b"No paper with id 9999" in missing.stderr


def test_saved_searches_from_the_command_line(imported):
    assert "Saved 'Skills': skill*" in ok(imported, "search", "save", "Skills", "skill*")
    listed = json.loads(ok(imported, "search", "list", "--json"))
    count = len(_list(imported, "--query", "skill*"))
    assert listed == [{"name": "Skills", "query": "skill*", "count": count}]
    assert _list(imported, "--saved", "skills") == _list(imported, "--query", "skill*")
    both = _list(imported, "--saved", "Skills", "--query", "year:2023")
    assert both == _list(imported, "--query", "(skill*) AND (year:2023)")
    bib = ok(imported, "export", "--saved", "Skills")
    assert sum(line.startswith("@") for line in bib.splitlines()) == count
    bad = run(imported, "search", "save", "Typo", "year:[2020 TO")
    assert bad.returncode == 2 and b"A range is not closed" in bad.stderr
    gone = run(imported, "list", "--saved", "nope")
    assert gone.returncode == 1 and b"No saved search named 'nope'. Saved searches: Skills" in gone.stderr
    ok(imported, "search", "remove", "Skills")
    assert "No saved searches yet" in ok(imported, "search", "list")


def _cli_imports(path: Path) -> set[str]:
    """Sibling modules of the cli package a module imports, anywhere in it (lazy ones too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names.update([node.module] if node.module else [a.name for a in node.names])
    return names


def test_the_cli_modules_import_each_other_in_no_circle():
    graph = {p.stem: _cli_imports(p) for p in CLI.glob("*.py")}

    def visit(name: str, path: list[str]) -> None:
        assert name not in path, f"import circle: {' -> '.join([*path, name])}"
        for nxt in graph.get(name, ()):
            visit(nxt, [*path, name])

    for module in graph:
        visit(module, [])
