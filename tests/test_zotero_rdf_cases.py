"""Zotero RDF as Zotero writes it (File > Export Library... > Zotero RDF).

The layout follows Zotero's own export translator ("Zotero RDF.js" in
zotero/translators): four-space indentation, namespaces one per line, a journal article's
DOI, volume and issue on its container (a ``bib:Journal`` written inside
``dcterms:isPartOf``, or as its own ``urn:issn:`` resource the first time an ISSN is
used), conference papers as ``rdf:Description`` with a ``bib:Journal`` container and a
``bib:presentedAt`` conference, automatic tags as ``z:AutomaticTag``, call numbers as
``dcterms:LCC`` inside ``dc:subject``, attachments as ``z:Attachment``, notes as
``bib:Memo``, collections as ``z:Collection`` with ``dcterms:hasPart``. Zotero before
its 2019 translator fix wrote ``foaf:givenname``.
"""

from __future__ import annotations

import pytest

from paperdeck.core.digest import parse_digest, zotero_rdf

HEAD = """<rdf:RDF
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns:z="http://www.zotero.org/namespaces/export#"
 xmlns:dcterms="http://purl.org/dc/terms/"
 xmlns:link="http://purl.org/rss/1.0/modules/link/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:bib="http://purl.org/net/biblio#"
 xmlns:foaf="http://xmlns.com/foaf/0.1/"
 xmlns:prism="http://prismstandard.org/namespaces/1.2/basic/"
 xmlns:vcard="http://nwalsh.com/rdf/vCard#">
"""

PREPRINT = """    <bib:Article rdf:about="http://arxiv.org/abs/1706.03762">
        <z:itemType>preprint</z:itemType>
        <dc:publisher>
            <foaf:Organization>
                <foaf:name>arXiv</foaf:name>
            </foaf:Organization>
        </dc:publisher>
        <bib:authors>
            <rdf:Seq>
                <rdf:li>
                    <foaf:Person>
                        <foaf:surname>Vaswani</foaf:surname>
                        <foaf:givenName>Ashish</foaf:givenName>
                    </foaf:Person>
                </rdf:li>
                <rdf:li>
                    <foaf:Person>
                        <foaf:surname>Shazeer</foaf:surname>
                        <foaf:givenName>Noam</foaf:givenName>
                    </foaf:Person>
                </rdf:li>
            </rdf:Seq>
        </bib:authors>
        <dcterms:isReferencedBy rdf:resource="#item_12"/>
        <link:link rdf:resource="#item_10"/>
        <dc:subject>
           <z:AutomaticTag>
              <rdf:value>Computer Science - Computation and Language</rdf:value>
           </z:AutomaticTag>
        </dc:subject>
        <dc:subject>to read</dc:subject>
        <dc:title>Attention Is All You Need</dc:title>
        <dcterms:abstract>The dominant sequence transduction models are based on complex recurrent or
convolutional neural networks.</dcterms:abstract>
        <dc:date>2023-08-01</dc:date>
        <z:libraryCatalog>arXiv.org</z:libraryCatalog>
        <dc:identifier>
            <dcterms:URI>
                <rdf:value>http://arxiv.org/abs/1706.03762</rdf:value>
            </dcterms:URI>
        </dc:identifier>
        <dcterms:dateSubmitted>2024-01-10 09:12:44</dcterms:dateSubmitted>
        <dc:description>arXiv:1706.03762 [cs]</dc:description>
        <dc:identifier>DOI 10.48550/arXiv.1706.03762</dc:identifier>
        <prism:number>arXiv:1706.03762</prism:number>
    </bib:Article>
    <z:Attachment rdf:about="#item_10">
        <z:itemType>attachment</z:itemType>
        <dc:title>arXiv Fulltext PDF</dc:title>
        <dc:identifier>
            <dcterms:URI>
                <rdf:value>https://arxiv.org/pdf/1706.03762.pdf</rdf:value>
            </dcterms:URI>
        </dc:identifier>
        <dcterms:dateSubmitted>2024-01-10 09:12:50</dcterms:dateSubmitted>
        <z:linkMode>1</z:linkMode>
        <link:type>application/pdf</link:type>
    </z:Attachment>
    <bib:Memo rdf:about="#item_12">
       <rdf:value>&lt;div data-schema-version=&quot;9&quot;&gt;&lt;p&gt;Read section 3.2 on \
&lt;strong&gt;multi-head attention&lt;/strong&gt;.&lt;/p&gt;
&lt;p&gt;Compare with the RNN baselines.&lt;/p&gt;
&lt;/div&gt;</rdf:value>
    </bib:Memo>
"""

NATURE = """    <bib:Article rdf:about="https://www.nature.com/articles/s41586-021-03819-2">
        <z:itemType>journalArticle</z:itemType>
        <dcterms:isPartOf rdf:resource="urn:issn:1476-4687"/>
        <bib:authors>
            <rdf:Seq>
                <rdf:li>
                    <foaf:Person>
                        <foaf:surname>Jumper</foaf:surname>
                        <foaf:givenName>John</foaf:givenName>
                    </foaf:Person>
                </rdf:li>
            </rdf:Seq>
        </bib:authors>
        <dc:title>Highly accurate protein structure prediction with AlphaFold</dc:title>
        <dc:date>2021-08</dc:date>
        <z:language>en</z:language>
        <dc:identifier>
            <dcterms:URI>
                <rdf:value>https://www.nature.com/articles/s41586-021-03819-2</rdf:value>
            </dcterms:URI>
        </dc:identifier>
        <bib:pages>583-589</bib:pages>
    </bib:Article>
    <bib:Journal rdf:about="urn:issn:1476-4687">
        <prism:volume>596</prism:volume>
        <dc:title>Nature</dc:title>
        <dc:identifier>DOI 10.1038/s41586-021-03819-2</dc:identifier>
        <prism:number>7873</prism:number>
        <dc:identifier>ISSN 1476-4687</dc:identifier>
    </bib:Journal>
    <bib:Article rdf:about="#item_20">
        <z:itemType>journalArticle</z:itemType>
        <dcterms:isPartOf>
            <bib:Journal>
                <prism:volume>529</prism:volume>
                <dc:title>Nature</dc:title>
                <dc:identifier>DOI 10.1038/nature16961</dc:identifier>
                <prism:number>7587</prism:number>
                <dc:identifier>ISSN 1476-4687</dc:identifier>
            </bib:Journal>
        </dcterms:isPartOf>
        <bib:authors>
            <rdf:Seq>
                <rdf:li>
                    <foaf:Person>
                        <foaf:surname>Silver</foaf:surname>
                        <foaf:givenName>David</foaf:givenName>
                    </foaf:Person>
                </rdf:li>
            </rdf:Seq>
        </bib:authors>
        <dc:title>Mastering the game of Go with deep neural networks and tree search</dc:title>
        <dc:date>2016-01</dc:date>
        <bib:pages>484-489</bib:pages>
    </bib:Article>
"""

CONFERENCE = """    <rdf:Description rdf:about="#item_30">
        <z:itemType>conferencePaper</z:itemType>
        <dcterms:isPartOf>
            <bib:Journal>
                <dc:identifier>DOI 10.1109/CVPR.2016.90</dc:identifier>
                <dc:title>2016 IEEE Conference on Computer Vision and Pattern Recognition (CVPR)</dc:title>
            </bib:Journal>
        </dcterms:isPartOf>
        <dc:publisher>
            <foaf:Organization>
                <vcard:adr>
                    <vcard:Address>
                       <vcard:locality>Las Vegas, NV, USA</vcard:locality>
                    </vcard:Address>
                </vcard:adr>
                <foaf:name>IEEE</foaf:name>
            </foaf:Organization>
        </dc:publisher>
        <bib:authors>
            <rdf:Seq>
                <rdf:li>
                    <foaf:Person>
                        <foaf:surname>He</foaf:surname>
                        <foaf:givenName>Kaiming</foaf:givenName>
                    </foaf:Person>
                </rdf:li>
            </rdf:Seq>
        </bib:authors>
        <dc:title>Deep Residual Learning for Image Recognition</dc:title>
        <dc:date>6/2016</dc:date>
        <bib:pages>770-778</bib:pages>
        <bib:presentedAt>
            <bib:Conference>
                <dc:title>2016 IEEE Conference on Computer Vision and Pattern Recognition (CVPR)</dc:title>
            </bib:Conference>
        </bib:presentedAt>
    </rdf:Description>
    <rdf:Description rdf:about="https://openreview.net/forum?id=YicbFdNTTy">
        <z:itemType>conferencePaper</z:itemType>
        <bib:authors>
            <rdf:Seq>
                <rdf:li>
                    <foaf:Person>
                        <foaf:surname>Dosovitskiy</foaf:surname>
                        <foaf:givenName>Alexey</foaf:givenName>
                    </foaf:Person>
                </rdf:li>
            </rdf:Seq>
        </bib:authors>
        <dc:title>An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale</dc:title>
        <dc:date>2020-10-02</dc:date>
        <dc:identifier>
            <dcterms:URI>
                <rdf:value>https://openreview.net/forum?id=YicbFdNTTy</rdf:value>
            </dcterms:URI>
        </dc:identifier>
        <bib:presentedAt>
            <bib:Conference>
                <dc:title>International Conference on Learning Representations</dc:title>
            </bib:Conference>
        </bib:presentedAt>
    </rdf:Description>
"""

BOOK = """    <bib:Book rdf:about="urn:isbn:978-0-262-03561-3">
        <z:itemType>book</z:itemType>
        <dcterms:isPartOf>
            <bib:Series>
                <dc:title>Adaptive computation and machine learning</dc:title>
            </bib:Series>
        </dcterms:isPartOf>
        <dc:publisher>
            <foaf:Organization>
                <vcard:adr>
                    <vcard:Address>
                       <vcard:locality>Cambridge, Massachusetts</vcard:locality>
                    </vcard:Address>
                </vcard:adr>
                <foaf:name>The MIT Press</foaf:name>
            </foaf:Organization>
        </dc:publisher>
        <bib:authors>
            <rdf:Seq>
                <rdf:li>
                    <foaf:Person>
                        <foaf:surname>Goodfellow</foaf:surname>
                        <foaf:givenName>Ian</foaf:givenName>
                    </foaf:Person>
                </rdf:li>
                <rdf:li>
                    <foaf:Person>
                        <foaf:surname>OpenAI</foaf:surname>
                    </foaf:Person>
                </rdf:li>
            </rdf:Seq>
        </bib:authors>
        <dc:subject>Machine learning</dc:subject>
        <dc:subject>
            <dcterms:LCC>
                <rdf:value>Q325.5 .G66 2016</rdf:value>
            </dcterms:LCC>
        </dc:subject>
        <dc:identifier>ISBN 978-0-262-03561-3</dc:identifier>
        <dc:title>Deep learning</dc:title>
        <dc:date>2016</dc:date>
        <z:numPages>775</z:numPages>
    </bib:Book>
"""

COLLECTIONS = """    <bib:Memo rdf:about="#item_50">
        <rdf:value>&lt;p&gt;A standalone note about the reading group.&lt;/p&gt;</rdf:value>
    </bib:Memo>
    <z:Collection rdf:about="#collection_2">
        <dc:title>Reading group</dc:title>
        <dcterms:hasPart rdf:resource="http://arxiv.org/abs/1706.03762"/>
        <dcterms:hasPart rdf:resource="#collection_3"/>
    </z:Collection>
    <z:Collection rdf:about="#collection_3">
        <dc:title>Week 2</dc:title>
        <dcterms:hasPart rdf:resource="#item_30"/>
        <dcterms:hasPart rdf:resource="http://arxiv.org/abs/1706.03762"/>
    </z:Collection>
    <z:Collection rdf:about="#collection_4">
        <dc:title></dc:title>
        <dcterms:hasPart rdf:resource="#item_20"/>
    </z:Collection>
"""

LIBRARY = HEAD + PREPRINT + NATURE + CONFERENCE + BOOK + COLLECTIONS + "</rdf:RDF>\n"


def _by_title() -> dict:
    drafts, skipped = zotero_rdf.parse_report(LIBRARY)
    assert skipped == []
    return {d.title: d for d in drafts}


def test_a_zotero_7_library_export() -> None:
    result = parse_digest(LIBRARY)
    assert result.format == "zotero-rdf"
    assert [d.title for d in result.drafts] == [
        "Attention Is All You Need", "Highly accurate protein structure prediction with AlphaFold",
        "Mastering the game of Go with deep neural networks and tree search",
        "Deep Residual Learning for Image Recognition",
        "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale", "Deep learning"]
    attention = result.drafts[0]
    assert attention.authors == ["Ashish Vaswani", "Noam Shazeer"]
    assert (attention.arxiv_id, attention.doi, attention.year) == ("1706.03762", "", 2023)
    assert attention.url == "http://arxiv.org/abs/1706.03762"
    assert attention.abstract == ("The dominant sequence transduction models are based on complex "
                                  "recurrent or\nconvolutional neural networks.")
    assert attention.tags == ["Reading group", "Week 2", "Computer Science - Computation and Language",
                              "to read"]
    assert attention.notes == "Read section 3.2 on multi-head attention.\n\nCompare with the RNN baselines."
    assert attention.venue == ""


def test_a_journal_articles_doi_and_venue_are_on_its_container() -> None:
    """Both ways Zotero writes the journal: its own urn:issn resource (first use of the
    ISSN) and inside the article (every later article of that journal)."""
    papers = _by_title()
    alphafold = papers["Highly accurate protein structure prediction with AlphaFold"]
    assert (alphafold.doi, alphafold.venue, alphafold.year) == ("10.1038/s41586-021-03819-2", "Nature", 2021)
    assert alphafold.url == "https://www.nature.com/articles/s41586-021-03819-2"
    go = papers["Mastering the game of Go with deep neural networks and tree search"]
    assert (go.doi, go.venue, go.year) == ("10.1038/nature16961", "Nature", 2016)
    assert go.authors == ["David Silver"]
    assert go.url == "https://doi.org/10.1038/nature16961"
    assert go.tags == []  # the collection without a name adds no tag


def test_conference_papers() -> None:
    papers = _by_title()
    resnet = papers["Deep Residual Learning for Image Recognition"]
    assert resnet.doi == "10.1109/CVPR.2016.90" and resnet.year == 2016
    assert resnet.venue == "2016 IEEE Conference on Computer Vision and Pattern Recognition (CVPR)"
    assert resnet.tags == ["Week 2"]
    vit = papers["An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale"]
    assert vit.venue == "International Conference on Learning Representations"  # no proceedings title
    assert (vit.doi, vit.arxiv_id, vit.url) == ("", "", "https://openreview.net/forum?id=YicbFdNTTy")


def test_a_book_in_a_series_with_a_call_number() -> None:
    """The series is not where the book was published, and a library catalogue's call
    number is not a tag; a one-field creator (an organisation) keeps its name."""
    book = _by_title()["Deep learning"]
    assert (book.venue, book.doi, book.url, book.year) == ("", "", "", 2016)
    assert book.tags == ["Machine learning"]
    assert book.authors == ["Ian Goodfellow", "OpenAI"]


def test_an_export_from_zotero_5_before_2019() -> None:
    """Zotero wrote foaf:givenname (lower-case n) until its translator was fixed in 2019:
    libraries exported then still have given names."""
    old = LIBRARY.replace("foaf:givenName", "foaf:givenname")
    assert "givenName" not in old
    assert _by_title()["Attention Is All You Need"].authors == [
        d.authors for d in zotero_rdf.parse(old) if d.title == "Attention Is All You Need"][0]


ITEM = """    <bib:Article rdf:about="{about}">
        <z:itemType>{kind}</z:itemType>
        {fields}
    </bib:Article>
"""


def _one(about: str, kind: str, fields: str) -> str:
    return HEAD + ITEM.format(about=about, kind=kind, fields=fields) + "</rdf:RDF>\n"


@pytest.mark.parametrize(("fields", "year"), [
    ("<dc:date>2019-12-31</dc:date>", 2019),
    ("<dc:date>Summer 1998</dc:date>", 1998),
    ("<dc:date>n.d.</dc:date><prism:number>arXiv:2401.04088</prism:number>", 2024),  # from the arXiv id
    ("<dc:date>2021</dc:date><prism:number>arXiv:1706.03762</prism:number>", 2021),  # the date wins
])
def test_years(fields: str, year: int) -> None:
    (draft,) = zotero_rdf.parse(_one("#item_1", "preprint", "<dc:title>A paper</dc:title>" + fields))
    assert draft.year == year


def test_an_item_with_nothing_to_name_it_is_reported_and_skipped() -> None:
    long_about = "file:///home/ana/Zotero/storage/ABCD1234/lecture-notes-on-optimal-transport-final.pdf"
    text = (HEAD + ITEM.format(about="#item_7", kind="document", fields="<dc:date>2020</dc:date>")
            + ITEM.format(about=long_about, kind="document", fields="<z:language>en</z:language>")
            + '    <bib:Article><z:itemType>report</z:itemType></bib:Article>\n'
            + ITEM.format(about="#item_9", kind="report", fields="<dc:title>Kept</dc:title>")
            + "</rdf:RDF>\n")
    drafts, skipped = zotero_rdf.parse_report(text)
    assert [d.title for d in drafts] == ["Kept"]
    assert skipped == [
        "item 1 (#item_7): no title, authors, identifier or link",
        f"item 2 ({long_about[:60]}): no title, authors, identifier or link",
        "item 3: no title, authors, identifier or link"]
    assert len(long_about) > 61


def test_notes_attachments_journals_and_collections_are_not_papers() -> None:
    """A resource is a paper when it has an item type or a title and is none of those:
    a stray bib:Journal with a title is still a journal."""
    text = (HEAD + '    <bib:Journal rdf:about="urn:issn:0028-0836"><dc:title>Nature</dc:title>'
            '</bib:Journal>\n'
            '    <z:Attachment rdf:about="#item_3"><z:itemType>attachment</z:itemType>'
            '<dc:title>Full Text PDF</dc:title></z:Attachment>\n'
            '    <bib:Document rdf:about="#item_4"><dc:title>A web page without a type</dc:title>'
            '</bib:Document>\n'
            '    <rdf:Description rdf:about="#item_5"><z:itemType>note</z:itemType>'
            '<dc:title>Note title</dc:title></rdf:Description>\n'
            '    <rdf:Description rdf:about="#item_6"><z:itemType>attachment</z:itemType>'
            '<dc:title>Snapshot</dc:title></rdf:Description>\n'
            '    <rdf:Description rdf:about="#item_8"><dc:description>no type, no title</dc:description>'
            '</rdf:Description>\n' + "</rdf:RDF>\n")
    assert [d.title for d in zotero_rdf.parse(text)] == ["A web page without a type"]


@pytest.mark.parametrize("text", [
    "",
    "Attention Is All You Need\nhttp://www.zotero.org/namespaces/export#\n",  # not XML
    HEAD + "<bib:Article>",  # cut off
    HEAD.replace("<rdf:RDF", "<rdf:Bag") + "</rdf:Bag>",  # XML in the namespace, not an RDF document
    '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>Papers</title></feed>',
])
def test_what_is_not_a_zotero_rdf_export(text: str) -> None:
    assert zotero_rdf.score(text) == 0.0 and zotero_rdf.parse_report(text) == ([], [])


def test_rdf_from_another_program_is_not_a_zotero_export() -> None:
    """A library catalogue's record (the German National Library's RDF): RDF/XML, but
    not in Zotero's namespace."""
    text = ('<?xml version="1.0" encoding="utf-8" ?>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"\n'
            '         xmlns:bibo="http://purl.org/ontology/bibo/"\n'
            '         xmlns:dc11="http://purl.org/dc/elements/1.1/">\n'
            '  <bibo:Book rdf:about="http://d-nb.info/1054873992">\n'
            '    <dc11:title>Das Adam-Smith-Projekt</dc11:title>\n'
            '  </bibo:Book>\n</rdf:RDF>')
    assert zotero_rdf.score(text) == 0.0


def test_score_of_an_export() -> None:
    assert zotero_rdf.score("\n\n" + LIBRARY) == 0.97
    assert zotero_rdf.score('<?xml version="1.0" encoding="UTF-8"?>\n' + LIBRARY) == 0.97


def test_entity_declarations_are_refused_after_a_long_comment() -> None:
    """The refusal looks at the whole file, not only its start."""
    lol = '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
    text = "<!--" + " padding" * 40_000 + " -->\n" + lol + LIBRARY.replace("Attention Is All", "&b; Is All")
    assert zotero_rdf.score(text) == 0.0 and zotero_rdf.parse_report(text) == ([], [])
    assert zotero_rdf.parse(text.replace(lol, "").replace("&b;", "Attention"))  # without them it reads
