"""Fuzzing: any text, and text stitched from digest-looking pieces, parses without error."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.core.digest import FORMATS, ParseResult, detect_format, parse_digest

PIECES = [
    "\\\\\n",
    "arXiv:2401.01234\n",
    "Title: A Study of Things\n",
    "Authors: Jane Doe, John Smith\n",
    "Categories: cs.CL cs.AI\n",
    "@article{key2024,\n  title = {A {B} c},\n  author = {Doe, Jane and Roe, R.},\n}\n",
    "TY  - JOUR\nTI  - A title\nER  - \n",
    "[PDF] A Scholar Title\nJ Doe, A Smith - Nature, 2021\n",
    "- [A Paper Title Here](https://arxiv.org/abs/2401.01234)\n",
    "| Paper | Code |\n|---|---|\n| A Title Here | [x](https://doi.org/10.1/x) |\n",
    "Submitted by\nakhaliq\n",
    "Get trending papers in your email inbox!\n",
    "We propose a novel framework and evaluate it on standard benchmarks with strong results.\n",
    "<div><a href='https://arxiv.org/abs/2401.01234'>T</a></div>",
    "https://huggingface.co/papers/2401.01234\n",
    "10.1145/3292500.3330701\n",
    "\n",
    "\x00",
    "ش",
    "🚀",
]

_fast = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)


def _sane(result: ParseResult) -> None:
    assert isinstance(result, ParseResult)
    assert result.format == "none" or result.format in FORMATS
    assert isinstance(result.drafts, list)
    assert isinstance(result.message, str)
    for d in result.drafts:
        assert isinstance(d.title, str) and len(d.title) <= 300


@_fast
@given(st.text(max_size=2000))
def test_any_text(text: str) -> None:
    _sane(parse_digest(text))


@_fast
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=40), max_size=40))
def test_stitched_digest_pieces(pieces: list[str]) -> None:
    text = "".join(pieces)
    _sane(parse_digest(text))
    assert detect_format(text) in {*FORMATS, "none"}


@settings(max_examples=30, deadline=None, database=None)
@given(st.sampled_from(sorted(FORMATS)), st.lists(st.sampled_from(PIECES), max_size=30))
def test_forced_formats(fmt: str, pieces: list[str]) -> None:
    result = parse_digest("".join(pieces), fmt=fmt)
    assert result.format == fmt
    _sane(result)
