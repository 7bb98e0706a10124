"""Google Scholar alerts: which lines are a result's author line, and what each result keeps.
Variants of tests/samples/digests/scholar-alert-plain.txt the way Scholar writes other results."""

from __future__ import annotations

import re
from html import escape, unescape
from urllib.parse import quote

import pytest

from digest_samples import SAMPLES
from paperdeck.core.digest import parse_digest
from paperdeck.core.digest.identifiers import find_links, unwrap_redirect

HEAD = ('From: Google Scholar Alerts <scholaralerts-noreply@google.com>\n\n'
        'Scholar Alert: [ "vision transformers" ]\n\n')
BUTTONS = ("[image: Save] <https://scholar.google.com/citations?update_op=library_add&info=abc>\n"
           "[image: Twitter] <https://scholar.google.com/scholar_share?ss=tw>\n")
FOOTER = "This message was sent by Google Scholar because you're following new results\n"


def _result(title: str, authors: str, snippet: str = "We study vision transformers at scale.") -> str:
    link = "<https://scholar.google.com/scholar_url?url=https://example.org/paper&hl=en>"
    return f"{title}\n{link}\n{authors}\n{snippet}\n\n{BUTTONS}\n"


def _papers(*results: str) -> list[tuple]:
    result = parse_digest(HEAD + "".join(results) + FOOTER)
    assert result.format == "scholar"
    return [(d.title, d.authors, d.venue, d.year) for d in result.drafts]


def test_a_title_case_title_with_a_dash_is_no_author_line() -> None:
    """ "Vision Transformers - Where Do We Stand" reads like a name, a dash and more words;
    an author line also has a year, a comma or Scholar's "…" after its dash."""
    assert _papers(
        _result("Vision Transformers - Where Do We Stand",
                "J Doe, A Smith - Pattern Recognition, 2024 - Elsevier"),
        _result("Scaling Vision Transformers",
                "X Zhai, A Kolesnikov, N Houlsby… - arXiv preprint arXiv:2106.04560, 2021"),
    ) == [
        ("Vision Transformers - Where Do We Stand", ["J Doe", "A Smith"], "Pattern Recognition", 2024),
        ("Scaling Vision Transformers", ["X Zhai", "A Kolesnikov", "N Houlsby", "et al."],
         "arXiv preprint arXiv:2106.04560", 2021),
    ]


def test_author_lines_without_a_year() -> None:
    """Online-first articles have no year: venue and publisher after two dashes, a venue cut
    short by "…", or a venue with a comma."""
    assert _papers(
        _result("Patch Sizes in Vision Transformers",
                "J Doe, A Smith - Nature Machine Intelligence - nature.com"),
        _result("Token Merging for Fast Inference",
                "B Lee, C Wu - Proceedings of the IEEE/CVF Conference on …"),
        _result("Registers in Vision Transformers",
                "M Müller, S Ødegaard - Journal of Imaging, in press"),
    ) == [
        ("Patch Sizes in Vision Transformers", ["J Doe", "A Smith"], "Nature Machine Intelligence",
         None),
        ("Token Merging for Fast Inference", ["B Lee", "C Wu"],
         "Proceedings of the IEEE/CVF Conference on …", None),
        ("Registers in Vision Transformers", ["M Müller", "S Ødegaard"], "Journal of Imaging, in press",
         None),
    ]


def test_an_author_list_with_a_consortium_still_counts() -> None:
    """Four people and a five-word consortium: four names in five is enough."""
    authors = ("J Doe, A Smith, B Lee, C Wu, International Brain Laboratory Collaboration Members"
               " - bioRxiv, 2024")
    assert _papers(_result("Brain-wide Maps of Decisions", authors)) == [
        ("Brain-wide Maps of Decisions",
         ["J Doe", "A Smith", "B Lee", "C Wu", "International Brain Laboratory Collaboration Members"],
         "bioRxiv", 2024),
    ]


def test_a_blank_line_above_the_author_line_keeps_the_title_and_its_link() -> None:
    """Some mail clients put an empty line between the link and the author line."""
    text = HEAD + _result("Scaling Vision Transformers", "X Zhai, A Kolesnikov - CVPR, 2022").replace(
        "&hl=en>\n", "&hl=en>\n\n") + FOOTER
    assert "&hl=en>\n\nX Zhai" in text
    (paper,) = parse_digest(text).drafts
    assert (paper.title, paper.url, paper.year) == ("Scaling Vision Transformers", "https://example.org/paper",
                                                    2022)


def test_a_direct_link_is_kept_as_it_is() -> None:
    """Forwarded alerts often carry the publisher's link instead of Scholar's redirect."""
    text = HEAD + ("Scaling Vision Transformers\n<https://arxiv.org/abs/2106.04560>\n"
                   "X Zhai, A Kolesnikov, N Houlsby, L Beyer - arXiv preprint, 2021\n"
                   "Attention-based neural networks such as the Vision Transformer …\n\n") + FOOTER
    (paper,) = parse_digest(text).drafts
    assert (paper.title, paper.arxiv_id, paper.url) == (
        "Scaling Vision Transformers", "2106.04560", "https://arxiv.org/abs/2106.04560")


def test_a_result_whose_title_did_not_copy_is_skipped_not_named_after_a_button() -> None:
    """Flattened without blank lines, a result whose title line is missing sits right under
    the previous result's share buttons: the button is no title."""
    first = _result("Scaling Vision Transformers", "X Zhai, A Kolesnikov - CVPR, 2022").rstrip("\n")
    untitled = ("<https://scholar.google.com/scholar_url?url=https://example.org/other&hl=en>\n"
                "J Doe, A Smith - Pattern Recognition, 2024 - Elsevier\nA snippet of the untitled one.\n")
    text = HEAD + first + "\n" + untitled + "\n" + FOOTER
    assert "ss=tw>\n<https://scholar.google.com/scholar_url?url=https://example.org/other" in text
    assert [d.title for d in parse_digest(text).drafts] == ["Scaling Vision Transformers"]


def test_an_unbranded_copy_scores_by_its_author_lines_and_pdf_marks() -> None:
    """Results copied without the mail's header and links: three author lines are a weak
    sign, two are nothing unless Scholar's [PDF]/[HTML] marks are there too."""
    from paperdeck.core.digest import scholar

    results = [
        "Scaling Vision Transformers\nX Zhai, A Kolesnikov - CVPR, 2022\nWe scale ViT models.\n\n",
        "Patch Sizes in Vision Transformers\nJ Doe, A Smith - Nature Machine Intelligence, 2024\n"
        "We vary.\n\n",
        "Token Merging for Fast Inference\nB Lee, C Wu - ICLR, 2023\nWe merge tokens.\n\n",
    ]
    assert scholar.score("".join(results)) == 0.3
    assert scholar.score("".join(results[:2])) == 0.0
    assert scholar.score("[PDF] " + "".join(results[:2])) == 0.7


# -- links a mail reader wrapped: the same papers as the alert read straight -------------
SAFE = "https://eur01.safelinks.protection.outlook.com/?url={}&data=05%7C02%7Cme%40uni.example%7C8f%7C0&sdata=Zm9v%3D&reserved=0"
GMAIL = "https://www.google.com/url?q={}&source=gmail&ust=1733140000000&usg=AOvVaw0abc"


def _wrapped(text: str, wrapper: str, html: bool) -> str:
    """Every link of `text` behind `wrapper`, as Outlook or Gmail rewrite a mail's links."""
    if html:
        def swap(m: re.Match) -> str:
            real = unescape(m.group(1))
            return 'href="' + escape(wrapper.format(quote(real, safe=""))) + '"'
        return re.sub(r'href="([^"]+)"', swap, text)
    return re.sub(r"<(https?://[^>\s]+)>",
                  lambda m: "<" + wrapper.format(quote(m.group(1), safe="")) + ">", text)


def _kept(text: str) -> list[tuple]:
    result = parse_digest(text)
    assert result.format == "scholar"
    return [(d.title, d.url, d.arxiv_id, d.doi, d.authors, d.venue) for d in result.drafts]


OUTLOOK_AROUND_GMAIL = SAFE.replace("{}", quote(GMAIL, safe="").replace("%7B%7D", "{}"))


@pytest.mark.parametrize("wrapper", [SAFE, GMAIL, OUTLOOK_AROUND_GMAIL],
                         ids=["outlook", "gmail", "outlook-around-gmail"])
@pytest.mark.parametrize("name", ["scholar-alert-plain.txt", "scholar-alert-rich.html"])
def test_links_a_mail_reader_wrapped_give_the_papers_of_the_alert_read_straight(name, wrapper):
    text = (SAMPLES / name).read_text(encoding="utf-8")
    wrapped = _wrapped(text, wrapper, name.endswith(".html"))
    assert "://scholar.google.com/scholar_url" not in wrapped  # every link wrapped
    straight = _kept(text)
    assert any(url.startswith("https://arxiv.org/abs/") for _, url, *_ in straight)
    assert _kept(wrapped) == straight


@pytest.mark.parametrize("url, want", [
    ("https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fdoi.org%2F10.1145%2F1&data=x",
     "https://doi.org/10.1145/1"),
    ("https://www.google.co.uk/url?q=https://openreview.net/forum?id%3DPx&sa=D", "https://openreview.net/forum?id=Px"),
    ("https://scholar.google.de/scholar_url?url=https://arxiv.org/abs/2401.01234&hl=de", "https://arxiv.org/abs/2401.01234"),
    # not redirects, or not to a web page: kept as they are
    ("https://safelinks.protection.outlook.com.evil.example/?url=https://x.org", None),
    ("https://www.google.com/search?q=https://x.org", None),
    ("https://example.org/?url=https://elsewhere.org", None),
    ("https://eur01.safelinks.protection.outlook.com/?url=javascript%3Aalert(1)&data=x", None),
    ("https://eur01.safelinks.protection.outlook.com/?data=x", None),
])
def test_which_links_are_unwrapped(url, want):
    assert unwrap_redirect(url) == (want or url)


def test_links_are_unwrapped_in_other_digests_too():
    text = ("Attention Is All You Need\n"
            "<https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Farxiv.org%2Fabs%2F1706.03762&data=1>\n")
    assert find_links(text) == ["https://arxiv.org/abs/1706.03762"]
