"""HTML from the clipboard (browsers, mail clients) and saved pages, flattened to lines.

The HTML here is written the way the programs write it: Chrome's text/html on Linux
opens with a bare <meta charset>, Chrome on Windows wraps the fragment in <html><body>
and StartFragment comments with CRLF line ends, Outlook (Word's HTML) carries a <head>
with a style sheet and empty <o:p> paragraphs, LaTeXML (arXiv's HTML papers) gives every
figure alt="Refer to caption", WordPress lazy-loading repeats each image in <noscript>.
"""

from __future__ import annotations

import pytest

from paperdeck.core.digest import parse_digest
from paperdeck.core.digest.htmltext import html_to_text, looks_like_html

CHROME_LINUX_LINK = ('<meta charset=\'utf-8\'><a href="https://huggingface.co/papers/2401.04088" '
                     'class="line-clamp-3 cursor-pointer text-balance">Mixtral of Experts</a>')

OUTLOOK_MAIL = (
    '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w="urn:schemas-microsoft-com:office:word"><head><meta http-equiv=Content-Type '
    'content="text/html; charset=utf-8"><meta name=Generator content="Microsoft Word 15 (filtered '
    'medium)"><style><!--\r\n/* Font Definitions */\r\n@font-face\r\n\t{font-family:"Cambria Math";}\r\n'
    'p.MsoNormal, li.MsoNormal, div.MsoNormal\r\n\t{margin:0cm;\r\n\tfont-size:11.0pt;}\r\n--></style>'
    '<title>Reading group</title></head><body lang=EN-GB link="#0563C1" vlink="#954F72">'
    '<div class=WordSection1><p class=MsoNormal>Hi all,<o:p></o:p></p>'
    '<p class=MsoNormal><o:p>&nbsp;</o:p></p>'
    '<p class=MsoNormal>Papers for Thursday:<o:p></o:p></p>'
    '<ul style=\'margin-top:0cm\' type=disc><li class=MsoListParagraph style=\'margin-left:0cm\'>'
    '<a href="https://arxiv.org/abs/1706.03762">Attention Is All You Need</a><o:p></o:p></li>'
    '<li class=MsoListParagraph style=\'margin-left:0cm\'><a href="https://arxiv.org/abs/1810.04805">'
    'BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding</a><o:p></o:p>'
    '</li></ul><p class=MsoNormal><o:p>&nbsp;</o:p></p><p class=MsoNormal>Cheers,<o:p></o:p></p>'
    '<p class=MsoNormal>Ana<o:p></o:p></p></div></body></html>'
)


def test_chrome_on_linux_copies_a_single_link_behind_a_meta_tag() -> None:
    """Two tags only, so what makes it HTML is how it starts."""
    assert looks_like_html(CHROME_LINUX_LINK)
    assert html_to_text(CHROME_LINUX_LINK) == "Mixtral of Experts <https://huggingface.co/papers/2401.04088>"


def test_chrome_on_windows_wraps_the_fragment() -> None:
    html = ("<html>\r\n<body>\r\n<!--StartFragment--><h3 class=\"title\"><a href=\"https://arxiv.org/abs/"
            "2401.04088\">Mixtral of Experts</a></h3><p class=\"authors\">Albert Q. Jiang, Alexandre "
            "Sablayrolles, Antoine Roux</p><!--EndFragment-->\r\n</body>\r\n</html>")
    assert looks_like_html(html)
    assert html_to_text(html) == ("Mixtral of Experts <https://arxiv.org/abs/2401.04088>\n"
                                  "Albert Q. Jiang, Alexandre Sablayrolles, Antoine Roux")


def test_an_outlook_mail_loses_its_style_sheet_and_title_and_keeps_one_blank_line() -> None:
    """The <style> inside <head> is a skip inside a skip: the <title> after it is still in
    the head. Word's empty <o:p>&nbsp;</o:p> paragraphs do not stack blank lines."""
    assert html_to_text(OUTLOOK_MAIL) == (
        "Hi all,\n\nPapers for Thursday:\n\n"
        "Attention Is All You Need <https://arxiv.org/abs/1706.03762>\n"
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding "
        "<https://arxiv.org/abs/1810.04805>\n\nCheers,\n\nAna")
    assert [d.arxiv_id for d in parse_digest(OUTLOOK_MAIL).drafts] == ["1706.03762", "1810.04805"]


def test_a_figure_keeps_its_alt_text_once() -> None:
    """arXiv's HTML papers (LaTeXML) put src before alt; a lazy-loading blog repeats the
    image inside <noscript>, which a reader never sees."""
    latexml = ('<figure class="ltx_figure"><img src="x1.png" id="S3.F1.g1" class="ltx_graphics '
               'ltx_centering ltx_img_portrait" width="568" height="829" alt="Refer to caption">'
               '<figcaption class="ltx_caption">Figure 1: The Transformer - model architecture.'
               '</figcaption></figure>')
    assert html_to_text(latexml) == "Refer to caption\nFigure 1: The Transformer - model architecture."
    blog = ('<p><img class="lazyload" data-src="https://blog.example.org/fig2.png" alt="Figure 2: '
            'scaling laws"><noscript><img src="https://blog.example.org/fig2.png" alt="Figure 2: '
            'scaling laws"></noscript></p>')
    assert html_to_text(blog) == "Figure 2: scaling laws"


@pytest.mark.parametrize(("html", "text"), [
    # the link text is the URL itself: not twice
    ('<p>Preprint: <a href="https://arxiv.org/abs/2401.04088">https://arxiv.org/abs/2401.04088</a></p>',
     "Preprint: https://arxiv.org/abs/2401.04088"),
    # a mail address in a digest's footer is no paper link
    ('<p>Questions? <a href="mailto:help@arxiv.org">Contact us</a></p>', "Questions? Contact us"),
    # a PDF icon without alt text links to nothing a reader sees
    ('<li>Mixtral of Experts <a href="https://arxiv.org/pdf/2401.04088"><img src="/static/pdf.svg">'
     '</a></li>', "Mixtral of Experts"),
    # an attribute before href (Chrome writes them in the page's order)
    ('<a class="line-clamp-3" href="https://huggingface.co/papers/2401.04088">Mixtral of Experts</a>',
     "Mixtral of Experts <https://huggingface.co/papers/2401.04088>"),
    # a card: the link wraps a heading block, its URL follows the block
    ('<article><a href="https://huggingface.co/papers/2401.04088" class="block"><h3>Mixtral of '
     'Experts</h3></a><div>Published on Jan 8</div></article>',
     "Mixtral of Experts\n<https://huggingface.co/papers/2401.04088>\nPublished on Jan 8"),
    # a card with many empty blocks after the title still has text
    ('<a href="https://huggingface.co/papers/2401.04088"><h3>Mixtral of Experts</h3>'
     + "<div></div>" * 40 + "</a>", "Mixtral of Experts\n<https://huggingface.co/papers/2401.04088>"),
])
def test_links(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_a_hand_written_page_keeps_its_last_line() -> None:
    """No closing tags and a bare "&" at the end: the parser holds that text back (it
    could be the start of an entity) until it is told the input is over."""
    html = ("<h1>Reading group</h1>\n<ul>\n<li><a href=\"https://arxiv.org/abs/1706.03762\">Attention "
            "Is All You Need</a>\n</ul>\nNext meeting: Thursday, rooms 4&5")
    assert html_to_text(html).splitlines() == [
        "Reading group", "Attention Is All You Need <https://arxiv.org/abs/1706.03762>",
        "Next meeting: Thursday, rooms 4&5"]


README_HEAD = '<p align="center">\n  <img src="assets/logo.png" width="200">\n</p>\n\n# Awesome LLM Papers\n'


def test_a_markdown_readme_with_a_logo_is_not_html() -> None:
    """GitHub READMEs centre their logo with two tags: still Markdown. A third tag (a
    badge, a line break) makes it markup-heavy enough to try the HTML reading too."""
    assert not looks_like_html(README_HEAD + "- [Attention Is All You Need](https://arxiv.org/abs/1706.03762)\n")
    assert looks_like_html(README_HEAD.replace("</p>", "<br>Curated by the community</p>"))
    assert not looks_like_html("Attention Is All You Need\nBERT: Pre-training of Deep Bidirectional\n")


def test_only_the_first_64_kib_are_looked_at() -> None:
    """A long paste is judged by its start; a third tag that ends past 64 KiB is not seen."""
    start = README_HEAD
    text = start + "x" * (65536 - len(start) - 3) + "<br>" + "<br>" * 3
    assert text.index("<br>") + 3 == 65536  # the third tag's ">" is the first character past the window
    assert not looks_like_html(text)
    assert looks_like_html(text[:65532] + "<br>")
