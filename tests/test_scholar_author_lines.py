"""Google Scholar alerts copied from the browser (Gmail's web page: no links, the share row as
words) and from mail clients: which lines are author lines, where a result's title and
snippet end, and which lines that merely hold a dash are no author lines."""

from __future__ import annotations

from paperdeck.core.digest import parse_digest, scholar

HEAD = 'Google Scholar Alerts\nScholar Alert: [ "vision transformers" ]\n\n'
# Gmail's web page, selected and copied: the share row is its buttons' words.
BUTTONS = "Save Twitter LinkedIn Facebook\n"
FOOTER = ("This message was sent by Google Scholar because you're following new results for "
          "[ \"vision transformers\" ].\n")


def _browser_copy(*results: tuple[str, str, str]) -> str:
    """An alert copied from the web page: title, author line, snippet, the share row."""
    body = "".join(f"{title}\n{authors}\n{snippet}\n{BUTTONS}\n" for title, authors, snippet in results)
    return HEAD + body + FOOTER


def _read(text: str) -> list[tuple]:
    result = parse_digest(text)
    assert result.format == "scholar"
    return [(d.title, d.authors, d.arxiv_id) for d in result.drafts]


SCALING = ("Scaling Vision Transformers", "X Zhai, A Kolesnikov, N Houlsby, L Beyer - CVPR, 2022",
           "Attention-based neural networks such as the Vision Transformer (ViT) have recently attained "
           "state-of-the-art results …")
REGISTERS = ("Vision Transformers Need Registers", "T Darcet, M Oquab, J Mairal, P Bojanowski - ICLR, 2024",
             "Transformers have recently emerged as a powerful tool for learning visual representations …")


def test_a_name_of_four_words_is_a_name() -> None:
    """ "A van den Oord" is four words; with one other name of three, it must count."""
    vqvae = ("Neural Discrete Representation Learning",
             "A van den Oord, O Vinyals, K Kavukcuoglu - arXiv preprint arXiv:1711.00937, 2017",
             "Learning useful representations without supervision remains a key challenge …")
    assert _read(_browser_copy(vqvae, SCALING)) == [
        ("Neural Discrete Representation Learning", ["A van den Oord", "O Vinyals", "K Kavukcuoglu"],
         "1711.00937"),
        ("Scaling Vision Transformers", ["X Zhai", "A Kolesnikov", "N Houlsby", "L Beyer"], ""),
    ]


def test_title_case_titles_with_a_dash_are_no_author_lines() -> None:
    """Titles of five capitalised words, or with a comma among capitalised words, followed by a
    dash and a year or comma, look a little like "Name, Name - Venue, 2024"; they are titles."""
    five_words = ("Masked Autoencoders Are Scalable Learners - Extended Version, 2022",
                  "K He, X Chen, S Xie, Y Li, P Dollár… - CVPR, 2022",
                  "This paper shows that masked autoencoders (MAE) are scalable self-supervised learners …")
    half_names = ("Vision, Language and Action - A Survey, 2024", "B Lee, C Wu - arXiv preprint, 2024",
                  "Robots that see and act are surveyed across forty benchmarks …")
    assert [t for t, _, _ in _read(_browser_copy(five_words, half_names, SCALING))] == [
        "Masked Autoencoders Are Scalable Learners - Extended Version, 2022",
        "Vision, Language and Action - A Survey, 2024",
        "Scaling Vision Transformers",
    ]


def test_an_arxiv_id_in_the_venue_when_the_link_is_no_arxiv_link() -> None:
    """Scholar links the publisher or OpenReview and names the preprint in the venue; a venue
    with a number shaped like an id but no "arXiv:" gives none."""
    text = (HEAD + "Scaling Vision Transformers\n"
            "<https://scholar.google.com/scholar_url?url=https://openreview.net/forum%3Fid%3Dabc&hl=en>\n"
            "X Zhai, A Kolesnikov - arXiv preprint arXiv:2106.04560, 2021\nWe scale ViT models.\n\n"
            + BUTTONS + "\nVision Transformers Need Registers\n"
            "<https://scholar.google.com/scholar_url?url=https://example.org/registers&hl=en>\n"
            "T Darcet, M Oquab - Proceedings ICASSP 2401.10446, 2024\nWe add registers.\n\n" + FOOTER)
    drafts = parse_digest(text).drafts
    assert [(d.arxiv_id, d.url) for d in drafts] == [
        ("2106.04560", "https://arxiv.org/abs/2106.04560"), ("", "https://example.org/registers")]


DEEP = ("Deep learning.", "Y LeCun, Y Bengio, G Hinton - nature, 2015 - nature.com",
        "Deep learning allows computational models that are composed of multiple processing layers …")


def test_a_title_ending_with_a_period() -> None:
    """Some Scholar records keep the period of the publisher's title."""
    assert [t for t, _, _ in _read(_browser_copy(DEEP, SCALING))] == ["Deep learning.",
                                                                      "Scaling Vision Transformers"]


def test_a_copy_that_starts_at_the_first_title() -> None:
    """Only the results selected: the first line is the first title."""
    text = "\n".join(f"{t}\n{a}\n{s}\n{BUTTONS}" for t, a, s in (SCALING, REGISTERS))
    assert text.startswith("Scaling Vision Transformers\n")
    assert scholar.score(text) == 0.0  # two author lines, no brand, no [PDF]: this is for parse
    drafts = parse_digest(text, fmt="scholar").drafts
    assert [d.title for d in drafts] == ["Scaling Vision Transformers", "Vision Transformers Need Registers"]


def test_results_without_snippets_or_buttons() -> None:
    """Citation-only results ([CITATION]) have no snippet: a title sits right under the
    previous result's author line."""
    text = HEAD + "".join(f"{t}\n{a}\n" for t, a, _ in (SCALING, REGISTERS)) + "\n" + FOOTER
    assert _read(text) == [
        ("Scaling Vision Transformers", ["X Zhai", "A Kolesnikov", "N Houlsby", "L Beyer"], ""),
        ("Vision Transformers Need Registers", ["T Darcet", "M Oquab", "J Mairal", "P Bojanowski"], ""),
    ]


def test_an_author_line_whose_title_did_not_copy() -> None:
    """A result whose title was not selected: its author line follows two blank lines, or sits
    first in the paste, or under three lines of bare links; the text further up belongs to
    another result and names nothing."""
    first_snippet_end = "grounding answers in retrieved guidelines reduces unsupported claims"
    links = ("<https://scholar.google.com/scholar_url?url=https://example.org/a>\n"
             "<https://arxiv.org/pdf/2106.04560>\n<https://scholar.google.com/scholar?cluster=1>\n")
    untitled = "J Doe, A Smith - Pattern Recognition, 2024 - Elsevier\nA snippet of the untitled one.\n\n"
    two_blank = (HEAD + f"{SCALING[0]}\n{SCALING[1]}\n{first_snippet_end}\n\n\n" + untitled + FOOTER)
    assert [t for t, _, _ in _read(two_blank)] == ["Scaling Vision Transformers"]
    under_links = (HEAD + f"{SCALING[0]}\n{SCALING[1]}\n{first_snippet_end}\n" + links + untitled + FOOTER)
    assert [t for t, _, _ in _read(under_links)] == ["Scaling Vision Transformers"]
    no_snippet = HEAD + f"{SCALING[0]}\n{SCALING[1]}\n" + untitled + FOOTER  # right under the last one
    assert [t for t, _, _ in _read(no_snippet)] == ["Scaling Vision Transformers"]
    first = untitled + f"{REGISTERS[0]}\n{REGISTERS[1]}\n{REGISTERS[2]}\n\n" + FOOTER
    assert [d.title for d in parse_digest(first, fmt="scholar").drafts] == [REGISTERS[0]]


def test_a_link_glued_before_the_names_is_never_an_author() -> None:
    """A mail client that joined the link line to the author line: no author is a link."""
    text = (HEAD + "Scaling Vision Transformers\n"
            "<https://scholar.google.com/scholar_url?url=https://example.org/p> X Zhai, A Kolesnikov, "
            "N Houlsby, L Beyer, M Dehghani - CVPR, 2022\nWe scale ViT models.\n\n"
            + "".join(f"{t}\n{a}\n{s}\n{BUTTONS}\n" for t, a, s in (REGISTERS,)) + FOOTER)
    drafts = parse_digest(text).drafts
    assert [d.title for d in drafts] == ["Vision Transformers Need Registers"]
    assert not [a for d in drafts for a in d.authors if "http" in a]


def test_a_snippet_keeps_at_most_31_lines() -> None:
    """A copy with no blank line or share row after the last result: its snippet stops after
    31 lines instead of swallowing the rest of the page."""
    rest = [f"Line {k} of the page that follows the last result" for k in range(1, 41)]
    text = HEAD + f"{SCALING[0]}\n{SCALING[1]}\n" + "\n".join(rest) + "\n"
    (paper,) = parse_digest(text).drafts
    assert paper.abstract == " ".join(rest[:31])


def test_lines_with_a_dash_that_are_no_author_lines_score_nothing() -> None:
    """Reading notes and nested lists have dashes, commas and years; none is Scholar's."""
    notes = (
        " - Attention Is All You Need, 2017\n"  # a list item indented by one space
        "  - Scaling Vision Transformers, 2022\n"  # by two
        "    - Vision Transformers Need Registers, 2024\n"  # by four
        "Reading group - we meet on Friday, 3 May 2024\n"
        "Alice, Bob and me - met on 3 May 2024\n"
        "Vision, Language and Action - A Survey, 2024\n"
    )
    assert scholar.score(notes) == 0.0
    assert scholar.score("[PDF] " + notes) == 0.0


def test_author_lists_longer_than_forty_names_are_not_scholars() -> None:
    """Scholar shows a few names and "…"; a full collaboration list of 41 names pasted from a
    publisher's page is something else. Three author lines score 0.3, as three lists of
    40 names do."""
    def line(n: int) -> str:
        names = ", ".join(f"{chr(65 + k % 26)} {surname}" for k, surname in
                          enumerate(f"Member{chr(97 + k // 26)}{chr(97 + k % 26)}" for k in range(n)))
        return f"{names} - Physical Review D, 2020\n"
    assert scholar.score(line(40) * 3) == 0.3
    assert scholar.score(line(41) * 3) == 0.0


def test_only_the_first_200000_characters_are_weighed() -> None:
    """Three author lines, the last one cut by the end of the head: two are no sign."""
    lines = "".join(f"{t}\n{a}\n\n" for t, a, _ in (SCALING, REGISTERS))
    third = "B Lee, C Wu - ICLR 2023"
    pad = "x" * (200_000 - len(lines) - len(third)) + "\n"
    text = lines + pad + third + "\n"
    assert text[:200_000].endswith("B Lee, C Wu - ICLR 202")  # no year in the head's copy
    assert scholar.score(text) == 0.0
    assert scholar.score(text.replace("xx", "x", 1)) == 0.3


def test_each_snippet_ends_where_its_result_ends() -> None:
    """At the share row, at the footer, at a blank line, or (copies with neither blank lines
    nor share rows) at the next result's title; a blank line right under the author line
    does not end a snippet that has not begun."""
    wanted = [(SCALING[0], SCALING[2]), (REGISTERS[0], REGISTERS[2])]
    browser = _browser_copy(SCALING, REGISTERS)
    three = HEAD + "".join(f"{t}\n{a}\n{s}\n" for t, a, s in (SCALING, REGISTERS, DEEP)) + FOOTER
    assert [(d.title, d.abstract) for d in parse_digest(three).drafts] == [*wanted, (DEEP[0], DEEP[2])]
    footer_next = HEAD + f"{SCALING[0]}\n{SCALING[1]}\n{SCALING[2]}\n\n{REGISTERS[0]}\n{REGISTERS[1]}\n" \
        f"{REGISTERS[2]}\n" + FOOTER
    packed = HEAD + "".join(f"{t}\n{a}\n{s}\n" for t, a, s in (SCALING, REGISTERS)) + FOOTER
    gap = HEAD + "".join(f"{t}\n{a}\n\n{s}\n\n" for t, a, s in (SCALING, REGISTERS)) + FOOTER
    for text in (browser, footer_next, packed, gap):
        assert [(d.title, d.abstract) for d in parse_digest(text).drafts] == wanted, text


def test_a_full_author_list_longer_than_600_characters_costs_nothing_else() -> None:
    """A user pasted a publisher's full list of 40 names above a result: its dash lies past the
    first 600 characters, so it is no author line, and the alert around it still reads."""
    names = ", ".join(f"Alexandra {surname}" for surname in (f"Kolesnikova{k:02d}" for k in range(40)))
    assert len(names) > 600
    text = _browser_copy(SCALING) + f"{names} - Physical Review D, 2020\n\n" + _browser_copy(REGISTERS)
    assert [t for t, _, _ in _read(text)] == [SCALING[0], REGISTERS[0]]


def test_line_reading_is_bounded() -> None:
    """Work per line is bounded: an author line is read by its first 600 characters (a dash
    that ends past them does not split it), a share row by its first 400 (a word past them
    does not stop it being one)."""
    def alert(dash_end: int) -> str:
        names = ", ".join(f"A Kolesnikov{k:02d}" for k in range(30))
        tail = " - Nature Machine Intelligence - nature.com"
        pad = "x" * (dash_end - len(names) - len(", J Doe") - tail.index(" nature.com"))
        line = f"{names}, J Doe{pad}{tail}"
        assert line.index(" nature.com") == dash_end  # the second dash's last space
        return _browser_copy(SCALING) + f"Registers Everywhere\n{line}\nWe add registers.\n\n" + FOOTER
    assert [t for t, _, _ in _read(alert(600))] == [SCALING[0]]  # its 601st character
    assert [t for t, _, _ in _read(alert(599))] == [SCALING[0], "Registers Everywhere"]
    row = "Save " * 80 + "Subscribe"
    assert row.index("Subscribe") == 400
    text = HEAD + f"{SCALING[0]}\n{SCALING[1]}\nWe scale ViT models.\n{row}\nShared by a friend.\n\n" + FOOTER
    assert parse_digest(text).drafts[0].abstract == "We scale ViT models."
