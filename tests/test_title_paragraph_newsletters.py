"""A weekly newsletter's list pasted from an email client: a title line, then a summary of a
sentence or two (however short: "DPO: RLHF without the RL."), blocks separated by blank
lines, often under a heading, sometimes numbered, sometimes with a link under each summary.
Three such blocks in a row make each block a paper; an article's, a README's or a chat
log's blocks of the same rhythm do not."""

from __future__ import annotations

import pytest

from paperdeck.core.digest import parse_digest, title_paragraph

# (title, summary lines as the email wrapped them): long and short summaries, one of two lines
PAPERS = [
    ("Toolformer: Language Models Can Teach Themselves to Use Tools",
     ["LMs learn to call APIs on their own."]),
    ("QLoRA: Efficient Finetuning of Quantized LLMs",
     ["Finetune a 65B parameter model on a single 48GB GPU while keeping",
      "full 16-bit finetuning task performance."]),
    ("Direct Preference Optimization: Your Language Model is Secretly a Reward Model",
     ["DPO: RLHF without the RL."]),
    ("Segment Anything",
     ["Meta releases SAM, a promptable segmentation model trained on 1B masks."]),
]
EXPECTED = [(t, " ".join(lines)) for t, lines in PAPERS]


def _blocks(papers=PAPERS, sep: str = "\n\n", number: str = "") -> str:
    """The list as an email shows it; `number` is a format such as "{}. " or "{}) "."""
    return sep.join((number.format(k) if number else "") + t + "\n" + "\n".join(lines)
                    for k, (t, lines) in enumerate(papers, 1)) + "\n"


def _read(text: str) -> list[tuple[str, str]]:
    result = parse_digest(text)
    assert result.format == "title-paragraph"
    return [(d.title, d.abstract) for d in result.drafts]


def _nothing(text: str) -> None:
    """No paper anywhere: not by this format, not by the detection."""
    assert title_paragraph.parse(text) == []
    assert parse_digest(text).drafts == []


@pytest.mark.parametrize("heading", ["", "Papers of the week\n\n",
                                     "The Batch \u2014 Weekly AI Research Roundup (Issue #212)\n\n",
                                     "\U0001f525 Top papers this week\n\n"])
def test_blocks_of_a_title_and_a_short_summary_are_one_paper_each(heading) -> None:
    """With or without a heading (one line, no summary: no paper), each block is a paper,
    its summary unwrapped, however short (the shortest here is 25 characters)."""
    text = heading + _blocks()
    assert _read(text) == EXPECTED
    assert title_paragraph.score(text) == 0.3


def test_three_blocks_make_a_list_and_two_do_not() -> None:
    """Two blocks with short summaries show no shape: as before, the short summaries are not
    abstracts (the block reads as one unit). From three on, each block is a paper."""
    assert _read(_blocks(PAPERS[:3])) == EXPECTED[:3]
    two = _blocks([PAPERS[0], PAPERS[2]])
    assert title_paragraph.parse(two) == []
    assert title_paragraph.score(two) == 0.0


@pytest.mark.parametrize("number", ["{}. ", "{}) "])
@pytest.mark.parametrize("sep", ["\n\n", "\n"])
def test_numbered_titles_lose_their_number(number, sep) -> None:
    """"1. Segment Anything" and "2) Toolformer", in blocks or packed with no blank line
    (the numbers, 1, 2, 3 in turn, then split the block); summaries often indented."""
    text = "TL;DR AI \u2014 Monday edition\n\n" + _blocks(sep=sep, number=number).replace("\n", "\n   ")
    assert _read(text) == EXPECTED


@pytest.mark.parametrize("bullet", ["\u2022 ", "\u25e6 ", "\u25aa ", "\u00b7 "])
def test_an_emails_bullets_are_no_part_of_the_titles(bullet) -> None:
    """A bulleted list copied as text from Gmail or Outlook: "• Segment Anything"."""
    assert _read("Papers of the week\n\n" + _blocks(number=bullet)) == EXPECTED


def test_a_packed_numbered_list_under_a_heading_in_the_same_block() -> None:
    text = "Top papers:\n" + _blocks(sep="\n", number="{}. ")
    assert _read(text) == EXPECTED


def test_numbers_out_of_turn_do_not_split_a_block() -> None:
    """1, 3, 2: no numbered list; the block stays whole (one paper, as before)."""
    text = "1. " + PAPERS[0][0] + "\n" + PAPERS[0][1][0] + "\n3. " + PAPERS[1][0] + "\n" + \
        "\n".join(PAPERS[1][1]) + "\n2. " + PAPERS[3][0] + "\n" + PAPERS[3][1][0] + "\n"
    assert len(title_paragraph.parse(text)) <= 1


PACKED = [  # news2: no blank line at all, summaries of six to nine words
    ("Voyager: An Open-Ended Embodied Agent with Large Language Models",
     ["An LLM-powered embodied lifelong learning agent in Minecraft that continuously explores the world."]),
    ("Toolformer: Language Models Can Teach Themselves to Use Tools",
     ["LMs teach themselves to use external tools via simple APIs."]),
    ("QLoRA: Efficient Finetuning of Quantized LLMs",
     ["An efficient finetuning approach that reduces memory usage enough to finetune a 65B parameter",
      "model on a single 48GB GPU while preserving full 16-bit finetuning task performance."]),
    ("Direct Preference Optimization: Your Language Model is Secretly a Reward Model",
     ["DPO tunes for human preferences without RL."]),
]


@pytest.mark.parametrize("heading", ["", "Papers of the week\n"])
def test_a_packed_list_whose_summaries_are_sentences_under_ten_words(heading) -> None:
    """A summary packed with no blank line needs 40 characters; a finished sentence of six
    words or more will do (ten words were needed: news2 gave one paper, the heading's)."""
    assert len(PACKED[3][1][0]) >= 40 and len(PACKED[3][1][0].split()) == 7
    text = heading + _blocks(PACKED, sep="\n")
    assert _read(text) == [(t, " ".join(b)) for t, b in PACKED]
    six = [*PACKED[:3], (PACKED[3][0], ["DPO tunes preferences without reinforcement learning."])]
    assert _read(heading + _blocks(six, sep="\n"))[3] == (PACKED[3][0], six[3][1][0])
    spaced = text.replace("QLoRA: Efficient", "QLoRA:  Efficient\u00a0")  # runs of spaces squashed
    assert _read(spaced) == [(t, " ".join(b)) for t, b in PACKED]


@pytest.mark.parametrize("summary", ["Preference tuning without reinforcement learning.",  # 5 words
                                     "DPO tunes for human preferences without the RL"])  # no full stop
def test_a_packed_summary_under_ten_words_must_be_a_sentence_of_six(summary) -> None:
    assert len(summary) >= 40
    papers = [*PACKED[:3], (PACKED[3][0], [summary])]
    assert len(title_paragraph.parse(_blocks(papers, sep="\n"))) < 4


def test_a_wrapped_note_is_not_cut_where_a_line_holds_the_end_of_a_sentence() -> None:
    """A README's note with no blank line (from a Debian package): after "etc.", the line
    "standards. Also note that ..." reads as a title and the last line (eight words) as a
    summary, but a title holds no sentence's end followed by another sentence."""
    text = ("Notes about libfoo\n"
            "While libfoo tries to follow the XSLT and EXSLT standards as well as it can,\n"
            "it is likely to contain bugs which tend to disappear with newer versions.\n"
            "Note that this also applies to libbar about XML, XPath, XIncludes, etc.\n"
            "standards. Also note that while libfoo implements XSLT and EXSLT, all\n"
            "XPath or XIncludes related bugs are related to libbar.\n")
    _nothing(text)


def test_links_and_identifiers_under_a_summary_fill_the_paper_not_its_abstract() -> None:
    """Import AI's layout: a link (or an arXiv id, or a labelled DOI link) on the line under
    each summary. The abstract is the summary; the line gives the identifier."""
    refs = ["https://arxiv.org/abs/2302.04761", "arXiv:2305.14314",
            "Paper: https://doi.org/10.5555/3666122.3668460", "<https://segment-anything.com>"]
    text = "Import AI 401 \u2014 papers worth your time\n\n" + "\n\n".join(
        f"{t}\n" + "\n".join(lines) + f"\n{ref}" for (t, lines), ref in zip(PAPERS, refs, strict=True)) + "\n"
    drafts = parse_digest(text).drafts
    assert [(d.title, d.abstract) for d in drafts] == EXPECTED
    assert [(d.arxiv_id, d.doi) for d in drafts] == [
        ("2302.04761", ""), ("2305.14314", ""), ("", "10.5555/3666122.3668460"), ("", "")]
    assert [d.url for d in drafts] == ["https://arxiv.org/abs/2302.04761", "https://arxiv.org/abs/2305.14314",
                                       "https://doi.org/10.5555/3666122.3668460", ""]
    assert drafts[3].links == ["https://segment-anything.com"]


def test_an_email_copy_with_unicode_spaces_dashes_and_windows_line_ends() -> None:
    """Outlook and Gmail copies: CRLF line ends, "blank" lines holding a no-break space,
    trailing spaces, no-break spaces and dashes inside titles and summaries, curly quotes."""
    papers = [
        ("Mamba \u2013 Linear-Time Sequence Modeling with Selective State Spaces",
         ["A state space model that matches Transformers \u2014 at linear cost."]),
        ("Scaling\u00a0Laws for Neural Language Models",
         ["\u201cBigger is better\u201d, with a power law for loss vs. compute."]),
        ("Chain-of-Thought Prompting Elicits Reasoning in Large Language Models",
         ["Generating a chain of thought \u2014 a series of intermediate reasoning steps \u2014",
          "improves complex reasoning."]),
    ]
    text = "Weekly digest \u2014 week 12\r\n\u00a0\r\n" + "\r\n\u00a0\r\n".join(
        f"{t} \r\n" + "\r\n".join(f"{line}  " for line in lines) for t, lines in papers) + "\r\n"
    assert _read(text) == [
        ("Mamba \u2013 Linear-Time Sequence Modeling with Selective State Spaces",
         "A state space model that matches Transformers \u2014 at linear cost."),
        ("Scaling Laws for Neural Language Models",
         "\u201cBigger is better\u201d, with a power law for loss vs. compute."),
        ("Chain-of-Thought Prompting Elicits Reasoning in Large Language Models",
         "Generating a chain of thought \u2014 a series of intermediate reasoning steps \u2014 "
         "improves complex reasoning."),
    ]


def test_a_section_name_between_blocks_and_a_sign_off_are_no_papers() -> None:
    """A one-line section name ("Language models") does not break the list; the sign-off
    blocks after it ("Thanks for reading!", a sentence-case line) are not papers."""
    text = ("This week in ML\n\nLanguage models\n\n" + _blocks(PAPERS[:3]) + "\nVision\n\n"
            + _blocks(PAPERS[3:]) + "\nThanks for reading!\nSee you next week.\n\n"
            "That's all for this week\nReply to this email to tell us what you read.\n")
    assert _read(text) == EXPECTED


def test_a_greeting_above_the_list_is_no_papers_abstract() -> None:
    """"Hi all, ..." under the heading is prose of 100 characters or more, which a shown shape
    would make the heading's abstract: above a list's first paper, only an abstract with the
    usual cues is one (as with no list), so a paper above the list is still found."""
    greeting = ("Hi all, five papers this week: two on tool use, one on preference tuning\n"
                "and two classics we keep coming back to.\n\n")
    cues = (" We show that our method outperforms strong baselines on three benchmarks, and we"
            " release the code and the models.")
    abstracts = [(t, [" ".join(b) + cues]) for t, b in PAPERS]  # the shape shows with no list too
    for papers in (PAPERS, abstracts):
        assert _read("The Reading Group Weekly\n\n" + greeting + _blocks(papers)) == [
            (t, " ".join(b)) for t, b in papers]
    above = ("Denoising Diffusion Probabilistic Models\nWe present high quality image synthesis results "
             "using diffusion probabilistic models, and our best results come from a novel weighted "
             "variational bound; experiments show state-of-the-art performance.\n\n")
    found = _read("The Reading Group Weekly\n\n" + above + _blocks())
    assert [t for t, _ in found] == ["Denoising Diffusion Probabilistic Models", *(t for t, _ in EXPECTED)]


def test_long_abstracts_and_short_summaries_in_one_list() -> None:
    """news4's shape: abstracts (with the usual cues) and one-line summaries alternate."""
    voyager = ("Voyager: An Open-Ended Embodied Agent with Large Language Models",
               ["We introduce Voyager, the first LLM-powered embodied lifelong learning agent in "
                "Minecraft that continuously explores the world, acquires diverse skills, and makes "
                "novel discoveries."])
    papers = [voyager, PAPERS[0], PAPERS[1], PAPERS[2]]
    assert _read("This week in ML\n\n" + _blocks(papers)) == [(t, " ".join(b)) for t, b in papers]


def test_a_summary_over_four_lines_or_four_hundred_characters_is_no_list_entry() -> None:
    """A list's summary is a sentence or two: a fifth line, or a 401st character, makes the
    block no entry (it is still a paper when its prose reads as an abstract)."""
    five = ("Segment Anything", ["Meta releases SAM,", "a promptable", "segmentation model",
                                 "trained on", "1B masks."])
    assert [t for t, _ in _read(_blocks([*PAPERS[:3], five]))] == [t for t, _ in EXPECTED[:3]]
    four = ("Segment Anything", five[1][:3] + ["trained on 1B masks."])
    assert [t for t, _ in _read(_blocks([*PAPERS[:3], four]))] == [t for t, _ in EXPECTED]
    words = "Meta releases SAM, a promptable segmentation model trained on one billion masks; "
    long = words * 4 + "a" * (400 - len(words) * 4 - 1) + "."
    assert len(long) == title_paragraph.LIST_SUMMARY_MAX
    assert len(_read(_blocks([*PAPERS[:3], ("Segment Anything", [long])]))) == 4
    longer = long[:-1] + "a."
    blocks = [[t, *b] for t, b in [*PAPERS[:3], ("Segment Anything", [longer])]]
    assert sorted(title_paragraph._list_blocks(blocks)[1]) == [0, 1, 2]  # the fourth: no entry


# --- Garbage of the same rhythm: no papers ----------------------------------------------

ARTICLE = """\
How we rebuilt our search

Last year our search was slow. Queries over the whole archive took
seconds, and users told us so in every survey we ran.

The old system
It was built in 2012 on a single server. Every query scanned the table.

What we changed
We moved the index to a new engine and added a cache in front of it.

The results so far
Queries now take fifty milliseconds. Nobody has complained since.

What comes next
We will add search by author, and then by venue, before the summer.
"""

README = """\
paperdeck
A reading queue for research papers.

Installation
pip install paperdeck

Quick Start
Run paperdeck and paste a digest into the window.

Running the Tests
Use pytest from the root of the repository.

Building the Documentation
Run make html in the docs folder.

Reporting Bugs and Asking Questions
Open an issue on GitHub with the text you pasted.

License
MIT.
"""

CHAT_WITH_TIMES = """\
Maria Garcia  10:32 AM
I read the new preference optimisation paper last night.

Jonas Becker  10:33 AM
Yes. It is RLHF without the RL, more or less.

Priya Raman  10:36 AM
I will bring the slides from last term.
"""

CHAT = """\
Maria Garcia
I read the new preference optimisation paper last night.

Jonas Becker
It is RLHF without the RL, more or less.

Priya Raman Kumar
I will bring the slides from last term.
"""

THREAD = """\
Re: Reading Group Papers for Next Week
Sounds good to me, I will read the first two.

Re: Reading Group Papers for Next Week
I added two more to the shared document.

Re: Reading Group Papers for Next Week
Thanks, the room is booked for Friday at noon.
"""

FAQ = """\
How Do I Import a Paper?
Paste the digest into the window and press Import.

Where Is My Library Stored?
In the data folder, which you can choose with --data-dir.

Can I Export My Papers to BibTeX?
Yes, with the export command or from the File menu.
"""


@pytest.mark.parametrize("text", [ARTICLE, README, CHAT_WITH_TIMES, CHAT, THREAD, FAQ],
                         ids=["article", "readme", "chat-with-times", "chat", "thread", "faq"])
def test_blocks_of_the_same_rhythm_that_are_no_list_of_papers(text) -> None:
    """An article's sentence-case subheadings; a README's sections (Title Case, most of them
    shorter than four words); a chat log's names (with clock times; or short); an email
    thread's one subject again and again; an FAQ's questions."""
    _nothing(text)


def test_an_articles_wrapped_paragraphs_are_no_papers() -> None:
    """Paragraphs wrapped at 72 columns: the first line of each is title-like, the next one
    may open with a capital (a name), the last one ends a sentence."""
    text = ("The committee met on Tuesday to discuss the budget for the coming\n"
            "Year. Members agreed that the library needs more funding.\n\n"
            "After a long debate about the new building the chair asked\n"
            "Professor Lee to draft a proposal by the end of the month.\n\n"
            "Several members raised concerns about the timeline and asked\n"
            "Dr. Chen to consult the architects before the next meeting.\n\n"
            "The meeting closed at noon with thanks to the organisers and\n"
            "All agreed to meet again in March.\n")
    _nothing(text)


# -- the list's rules at their bounds (found by the mutation run) ---------------------------
TITLES4 = ["Robots Learn Grasping Fast", "Agents Plan Long Tasks", "Models Read Tables Well",
           "Vision Models See Depth"]  # four words each, no subtitle
SUMMARIES = ["They grasp cups and bowls from a single camera image.",
             "Planning over hours of steps with a learned world model.",
             "Tables of numbers are read as well as prose by these models.",
             "Depth comes from one image, with no second camera at all."]


def test_titles_of_four_words_make_a_list_and_of_three_words_do_not() -> None:
    """Most titles of a list of papers have a subtitle or four words or more (a chat log's
    names have fewer): four words count, three do not."""
    four = list(zip(TITLES4[:3], [[s] for s in SUMMARIES[:3]], strict=True))
    assert _read(_blocks(four)) == [(t, s[0]) for t, s in four]
    three = [(" ".join(t.split()[:3]), s) for t, s in four]
    assert title_paragraph.parse(_blocks(three)) == []


def test_a_list_needs_more_than_half_of_its_titles_to_look_like_papers() -> None:
    """Four entries, two of them with titles of three words: half is not most, no list;
    three of four is."""
    entries = list(zip(TITLES4, [[s] for s in SUMMARIES], strict=True))
    half = [(" ".join(t.split()[:3]) if k % 2 else t, s) for k, (t, s) in enumerate(entries)]
    assert title_paragraph.parse(_blocks(half)) == []
    most = [(" ".join(t.split()[:3]) if k == 1 else t, s) for k, (t, s) in enumerate(entries)]
    assert [d.title for d in title_paragraph.parse(_blocks(most))] == [t for t, _s in most]


def test_a_summary_of_three_words_and_one_of_four_hundred_characters_are_entries() -> None:
    short = "DPO beats RLHF."  # three words
    long = ("We study " + "very " * 77 + "long summaries.")[:399] + "."
    assert len(short.split()) == 3 and len(long) == title_paragraph.LIST_SUMMARY_MAX
    papers = [(PAPERS[0][0], [short]), (PAPERS[1][0], [long]), PAPERS[3]]
    assert _read(_blocks(papers)) == [(t, " ".join(s)) for t, s in papers]
    two_words = [(PAPERS[0][0], ["DPO wins."]), (PAPERS[1][0], [long]), PAPERS[3]]
    assert [d.title for d in title_paragraph.parse(_blocks(two_words))] != [
        t for t, _s in two_words]


def test_entries_apart_are_two_runs_not_one_list() -> None:
    """Two entries, a paragraph of prose, two entries: neither run has three, so no list
    (the run starts again after the paragraph)."""
    prose = ("This week was quiet, and we read fewer papers than usual because of the\n"
             "conference deadline that kept everyone busy until Friday night.")  # wrapped
    text = _blocks(PAPERS[:2]) + "\n" + prose + "\n\n" + _blocks(PAPERS[2:])
    assert [d.title for d in title_paragraph.parse(text)] != [t for t, _s in PAPERS]


def test_two_numbered_entries_in_one_block_and_a_third_below_make_a_list() -> None:
    text = _blocks(PAPERS[:2], sep="\n", number="{}. ") + "\n" + _blocks(PAPERS[2:3])
    assert _read(text) == EXPECTED[:3]


def test_a_numbered_abstract_stays_the_abstract_of_its_title() -> None:
    """A block of numbered sentences that are no papers (an abstract's contributions) is
    read whole, as before: it is the abstract of the title above it."""
    points = ["1. We propose a network of attention alone, without recurrence or convolution.",
              "2. It trains faster and reaches a new state of the art on machine translation."]
    text = "Attention Is All You Need\n\n" + "\n".join(points) + "\n"
    [draft] = parse_digest(text, fmt="title-paragraph").drafts
    assert draft.title == "Attention Is All You Need"
    assert draft.abstract == " ".join(points)


def test_a_list_of_short_summaries_shows_the_shape_in_its_score() -> None:
    """Short summaries have no abstract cues: the list itself is the evidence (0.3)."""
    assert title_paragraph.score(_blocks()) == 0.3


def test_numbers_skipping_one_do_not_split_a_block() -> None:
    """1, 2, 4, 3: out of turn at 4, the block stays whole; reading on from there would
    make 1, 2, 3 a list whose second paper holds the fourth."""
    order = [(1, PAPERS[0]), (2, PAPERS[1]), (4, PAPERS[2]), (3, PAPERS[3])]
    text = "".join(f"{n}. {t}\n" + "\n".join(lines) + "\n" for n, (t, lines) in order)
    assert len(title_paragraph.parse(text)) <= 1


def test_a_summary_of_exactly_sixty_percent_letters_is_an_entry() -> None:
    summary = "Top 123 abc."  # 6 letters of 10 visible characters
    from paperdeck.core.digest.textutil import letter_ratio

    assert letter_ratio(summary) == 0.6
    papers = [PAPERS[0], (PAPERS[1][0], [summary]), PAPERS[3]]
    assert [d.title for d in title_paragraph.parse(_blocks(papers))] == [t for t, _s in papers]


def test_a_packed_block_lets_a_short_summary_elsewhere_count() -> None:
    """Papers packed in one block show the digest's shape, and summaries are short in such
    a digest: a title, then a summary of 40 to 99 characters in its own paragraph, elsewhere
    is a paper too (it would need 100 without the packed block)."""
    packed = "".join(f"{t}\n" + "\n".join(lines) + "\n" for t, lines in PACKED)
    other = ("Segment Anything in Medical Images",
             "A promptable model segments organs in CT scans without retraining.")
    assert 40 <= len(other[1]) < 100
    titles = [d.title for d in title_paragraph.parse(packed + "\n" + "\n\n".join(other) + "\n")]
    assert titles == [t for t, _l in PACKED] + [other[0]]


def test_a_long_first_title_of_a_list_is_not_the_abstract_of_the_heading() -> None:
    """A heading over a list whose first title is long enough to read as prose (over 100
    characters): the title stays the first paper's, not the heading's abstract."""
    long_title = ("Learning Transferable Visual Models From Natural Language Supervision At Scale "
                  "For Zero Shot Transfer Across Many Tasks")
    assert len(long_title) > 100
    papers = [(long_title, ["CLIP learns visual concepts from captions."]), *PAPERS[1:]]
    text = "Papers of the week\n\n" + _blocks(papers)
    assert [d.title for d in title_paragraph.parse(text)] == [t for t, _s in papers]


def test_a_section_name_over_a_long_title_in_a_list_takes_no_paper() -> None:
    """A section's name between entries ("Robot Learning") over an entry whose title is
    long enough to read as prose: the title is its entry's, not the section name's abstract."""
    long_title = ("Learning Transferable Visual Models From Natural Language Supervision At Scale "
                  "For Zero Shot Transfer Across Many Tasks")
    text = _blocks(PAPERS[:2]) + "\nRobot Learning\n\n" + _blocks(
        [(long_title, ["CLIP learns visual concepts from captions."]), PAPERS[3]])
    assert [d.title for d in title_paragraph.parse(text)] == [
        PAPERS[0][0], PAPERS[1][0], long_title, PAPERS[3][0]]


@pytest.mark.parametrize("summary", [
    "LMs teach themselves to use tools today.",  # 40 characters exactly, seven words
    "Scores 1234567 and 5678 beat the 90 of GPT.",  # 60 % letters exactly, nine words
])
def test_a_packed_summary_at_its_bounds_is_a_paper(summary) -> None:
    from paperdeck.core.digest.textutil import is_prose, letter_ratio

    assert len(summary) >= title_paragraph.SUMMARY_MIN and not is_prose(summary, 40)
    assert len(summary) == title_paragraph.SUMMARY_MIN or letter_ratio(summary) == 0.6
    papers = [PACKED[0], (PACKED[1][0], [summary]), *PACKED[2:]]
    text = "".join(f"{t}\n" + "\n".join(lines) + "\n" for t, lines in papers)
    assert [d.title for d in title_paragraph.parse(text)] == [t for t, _l in papers]
