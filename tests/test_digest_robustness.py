"""Hostile pastes never raise and finish: huge pastes, huge lines, odd scripts, markup."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperdeck.core.digest import FORMATS, ParseResult, parse_digest

FIXTURE = Path("/work/shared/fixtures/digests/hf-trending-papers.txt")
SAMPLES = Path(__file__).parent / "samples" / "digests"


def _sane(result: ParseResult) -> None:
    assert isinstance(result, ParseResult)
    assert result.format == "none" or result.format in FORMATS
    assert (result.format == "none") == (not result.drafts)
    for d in result.drafts:
        assert len(d.title) <= 300
        assert "\x00" not in d.title + d.abstract


@pytest.mark.slow
def test_ten_megabyte_paste_of_repeated_digest() -> None:
    base = FIXTURE.read_text(encoding="utf-8") if FIXTURE.exists() else ""
    base = base or (SAMPLES / "hf-trending-with-stars.txt").read_text(encoding="utf-8")
    text = ((base + "\n") * (10_000_000 // len(base) + 1))[:10_000_000]
    result = parse_digest(text)
    _sane(result)
    assert result.format == "hf-papers"
    # Literal repeats collapse: the same papers as one copy of the page.
    assert len(result.drafts) == len(parse_digest(base).drafts)


@pytest.mark.slow
@pytest.mark.parametrize(
    "line",
    [
        "a" * 1_000_000,
        "word " * 200_000,
        "[" * 1_000_000,
        "<" * 1_000_000,
        "@a{" * 333_333,
        "2401.01234" * 100_000,
        "10.1234/" * 125_000,
        "https://x.org/" + "a" * 1_000_000,
        "<a href='https://arxiv.org/abs/2401.01234'>" * 20_000,
        "[t](https://arxiv.org/abs/2401.01234) " * 25_000,
        "| a | b " * 125_000 + "|",
        r"\'e{\"o}$\alpha$ " * 60_000,
    ],
    ids=lambda s: repr(s[:12]),
)
def test_one_megabyte_single_line(line: str) -> None:
    _sane(parse_digest(line))


@pytest.mark.parametrize(
    "text",
    [
        "\x00\x01\x02\x03" * 1000,
        "Title\x00 of a paper\nWe propose a novel framework and evaluate it on benchmarks.\x00",
        "מודלים גדולים של שפה\nאנו מציעים שיטה חדשה להערכת מודלים גדולים של שפה על מדדים.",
        "نماذج اللغة الكبيرة: مراجعة\nنقترح إطارًا جديدًا ونقيّم أداءه على مجموعات بيانات معيارية.",
        "🚀🔥 Rocket Paper 🚀\n" + "We propose 🤖 models and benchmarks 📊 with results. " * 10,
        "\\begin{document}\\section{Intro}$$\\int_0^1 f(x)\\,dx$$\\end{document}",
        "<script>alert(1)</script><style>p{}</style><p>hi</p>" * 100,
        "<<<<>>>>" * 5000,
        "@article{x, title={unclosed " * 200,
        "TY  - JOUR\n" * 5000,
        "\\\\\narXiv:2401.01234\nTitle:\n\\\\\n" * 100,
        "[1] arXiv:2401.01234\n" * 1000,
        "- [](https://arxiv.org/abs/2401.01234)\n" * 100,
        "\r\n\r\n\r" * 1000,
        "\u202e\u200b\ufeff reversed",
    ],
    ids=lambda s: repr(s[:10]),
)
def test_odd_pastes_never_raise(text: str) -> None:
    _sane(parse_digest(text))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_forced_format_survives_garbage(fmt: str) -> None:
    garbage = "\x00{[(<@" * 2000 + "\n" + "é" * 5000 + "\n\\\\\n" * 50
    result = parse_digest(garbage, fmt=fmt)
    assert result.format == fmt
