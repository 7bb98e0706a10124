"""A rich-text clipboard offers a paste as plain text and as HTML; the better reading wins."""

from __future__ import annotations

from pathlib import Path

from paperdeck.core.digest import better_paste, parse_digest

RICH = Path(__file__).parent / "samples" / "digests" / "scholar-alert-rich.html"


def test_html_wins_when_the_plain_text_lost_the_structure():
    html = RICH.read_text("utf-8")
    # some mail clients put the visible text on the clipboard as one run-on line
    plain = " ".join(parse_digest(html).drafts[0].title.split()) + " J Ho, A Jain - 2020 We present"
    chosen = better_paste(plain, html)
    result = parse_digest(chosen)
    assert result.format == "scholar"
    assert [d.title for d in result.drafts] == [
        "Denoising Diffusion Probabilistic Models",
        "Score-Based Generative Modeling through Stochastic Differential Equations",
    ]
    assert "<h3" not in chosen  # the flattened, editable text reads as well as the markup


def test_plain_text_is_kept_when_it_reads_as_well():
    plain = "arXiv:2401.01234\narXiv:2402.05678\n"
    html = "<html><body><p>arXiv:2401.01234<br>arXiv:2402.05678</p></body></html>"
    assert better_paste(plain, html) == plain
    assert better_paste(plain, "") == plain
    assert better_paste("", html) == html
