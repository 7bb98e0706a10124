"""Write the library-export samples (JabRef .bib, Better BibTeX JSON, CSL-JSON) and
their expectations into ``tests/samples/digests``.

The files are generated so they can hold hundreds of entries with the odd fields real
libraries have (LaTeX accents and braces, @string macros, JabRef's escaped file
links, nested Zotero collections, HTML notes, standalone notes and attachments) and
a few broken entries. The expectations come from the generator's own records, never
from paperdeck's parsers. Run ``python tests/samples/make_library_exports.py`` after
changing it; the output is committed.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).parent / "digests"

FIRST = [
    "Ann",
    "Bruno",
    "Chiara",
    "Dmitri",
    "Elena",
    "Farid",
    "Gwen",
    "Hana",
    "Ivan",
    "Jakob",
    "Karin",
    "Li",
    "Mateo",
    "Nadia",
    "Oskar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sven",
    "Tomás",
    "Ulla",
    "Wei",
]
# (as written in BibTeX, as read)
LAST = [
    ('M{\\"u}ller', "Müller"),
    ("Garc{\\'\\i}a", "García"),
    ("Nguyen", "Nguyen"),
    ("Smith", "Smith"),
    ("Ko{\\v{c}}i", "Koči"),
    ("Okafor", "Okafor"),
    ('Schr{\\"o}der', "Schröder"),
    ("Tanaka", "Tanaka"),
    ("Dubois", "Dubois"),
    ("Kowalski", "Kowalski"),
    ("{\\O}stergaard", "Østergaard"),
    ("Chen", "Chen"),
    ("Haddad", "Haddad"),
    ("Ivanova", "Ivanova"),
    ("Jensen", "Jensen"),
    ("Lef{\\`e}vre", "Lefèvre"),
]
START = [
    "",
    "Towards ",
    "On the ",
    "Rethinking ",
    "Revisiting ",
    "Learning ",
    "Scaling ",
    "Understanding ",
    "Efficient ",
    "Robust ",
]
TOPIC = [
    "Contrastive Pretraining",
    "Sparse Attention",
    "Diffusion Models",
    "Graph Neural Networks",
    "Protein Structure Prediction",
    "Speech Recognition",
    "Federated Optimization",
    "Causal Discovery",
    "Reward Modelling",
    "Mixture-of-Experts Routing",
    "Retrieval-Augmented Generation",
    "Neural Radiance Fields",
    "Tabular Deep Learning",
    "Program Synthesis",
    "Active Learning",
    "Knowledge Distillation",
    "Weather Forecasting",
    "Time-Series Anomaly Detection",
]
END = [
    " for Low-Resource Machine Translation",
    " in Robotic Manipulation",
    " with Noisy Labels",
    ": A Survey",
    " at Scale",
    " under Distribution Shift",
    " for Medical Imaging",
    " without Labels",
    " in Ten Languages",
    " and Its Limits",
    " for Edge Devices",
    "",
]
VENUES = [
    "Advances in Neural Information Processing Systems",
    "International Conference on Machine Learning",
    "Proceedings of the AAAI Conference on Artificial Intelligence",
    "Nature Machine Intelligence",
    "Journal of Machine Learning Research",
    "Findings of the Association for Computational Linguistics",
]
GROUPS = ["Thesis", "Reading group", "Baselines", "To cite", "Surveys"]
NOTES = [
    "Good baseline; code is on GitHub.",
    "Compare with Table 3 of our draft.",
    "Skimmed the method section only.",
    "Reviewer 2 asked us to cite this.",
]


def _people(rng: random.Random, n: int) -> list[tuple[str, str]]:
    out = []
    for _ in range(n):
        first = rng.choice(FIRST)
        raw, last = rng.choice(LAST)
        out.append((f"{raw}, {first}", f"{first} {last}"))
    return out


def _titles(rng: random.Random, n: int) -> list[str]:
    seen: set[str] = set()
    out = []
    while len(out) < n:
        t = rng.choice(START) + rng.choice(TOPIC) + rng.choice(END)
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out


def jabref(rng: random.Random, n: int = 300) -> None:
    """A JabRef 5 library: groups field and group tree, reading state, file links."""
    entries, titles, checks = [], [], []
    for i, title in enumerate(_titles(rng, n)):
        people = _people(rng, rng.randint(1, 5))
        year = rng.randint(1995, 2025)
        key = f"{people[0][1].split()[-1]}{year}{'abcdefghij'[i % 10]}{i}"
        key = key.encode("ascii", "ignore").decode() or f"anon{i}"
        kind = rng.choice(["Article", "InProceedings", "Misc", "article", "TechReport"])
        written = title
        exp_title = title
        if i % 7 == 0:  # protected acronyms and a LaTeX ampersand
            written, exp_title = "{BERT}-style " + title + " \\& Beyond", "BERT-style " + title + " & Beyond"
        if i % 11 == 0:  # an accent in the title
            written, exp_title = title + ' in Z{\\"u}rich', title + " in Zürich"
        fields = [("author", "{" + " and ".join(p[0] for p in people) + "}"), ("title", "{" + written + "}")]
        c: dict = {"citekey": key, "authors": [p[1] for p in people], "year": year}
        if kind.lower() == "inproceedings":
            fields.append(("booktitle", "{" + rng.choice(VENUES) + "}"))
        else:
            fields.append(("journal", "{" + rng.choice(VENUES) + "}"))
        fields.append(("year", "{" + str(year) + "}" if i % 3 else str(year)))
        if i % 4 == 0:
            fields.append(("month", rng.choice(["jan", "feb", "mar", "oct"])))  # a macro
        if i % 5 == 0:
            aid = (
                f"{(year % 100):02d}{rng.randint(1, 12):02d}.{rng.randint(10000, 99999)}"
                if year >= 2015
                else ""
            )
            if aid:
                fields += [
                    ("eprint", "{" + aid + "}"),
                    ("archiveprefix", "{arXiv}"),
                    ("primaryclass", "{cs.LG}"),
                ]
                c["arxiv_id"] = aid
        if i % 6 == 0:
            doi = f"10.{rng.randint(1000, 9999)}/j.{rng.randint(100, 999)}.{i}"
            fields.append(("doi", "{" + doi + "}"))
            c["doi"] = doi
        groups = sorted(set(rng.sample(GROUPS, rng.randint(0, 2))))
        if groups:
            fields.append(("groups", "{" + ", ".join(groups) + "}"))
        keywords = []
        if i % 8 == 0:
            keywords = ["transformers", "efficiency"]
            fields.append(("keywords", "{" + ", ".join(keywords) + "}"))
        # the keyword group "Efficient methods" matches keywords containing "efficiency"
        c["tags"] = groups + (["Efficient methods"] if keywords else []) + keywords
        status = rng.choice(["", "", "read", "skimmed"])
        if status:
            fields.append(("readstatus", "{" + status + "}"))
        c["status"] = {"": "", "read": "read", "skimmed": "reading"}[status]
        prio = rng.choice(["", "prio1", "prio2", "prio3"])
        if prio:
            fields.append(("priority", "{" + prio + "}"))
        c["priority"] = {"": 0, "prio1": 3, "prio2": 2, "prio3": 1}[prio]
        notes = []
        if i % 9 == 0:
            note = rng.choice(NOTES)
            fields.append(("comment", "{" + note + "}"))
            notes.append(note)
        if i % 13 == 0:
            fields.append(("annote", "{Printed copy on my desk.}"))
            notes.append("Printed copy on my desk.")
        rank = rng.choice(["", "", "rank3", "rank5"])
        if rank:
            fields.append(("ranking", "{" + rank + "}"))
            notes.append(f"Ranking: {rank[-1]}/5")
        c["notes"] = "\n\n".join(notes)
        links = []
        if i % 3 == 0:
            links.append(f"papers/{key}.pdf")
            file_field = f":papers/{key}.pdf:PDF"
            if i % 6 == 0:
                file_field += ";Online:https\\://example.org/pdf/" + key + ".pdf:PDF"
                links.append(f"https://example.org/pdf/{key}.pdf")
            fields.append(("file", "{" + file_field + "}"))
        c["links"] = links
        fields += [("owner", "{ann}"), ("creationdate", "{2023-0" + str(1 + i % 9) + "-12T10:22:31}")]
        body = ",\n".join(f"  {name:<13} = {value}" for name, value in fields)
        entries.append(f"@{kind}{{{key},\n{body},\n}}\n")
        titles.append(exp_title)
        if i % 10 == 0 or i < 20:
            checks.append({"index": i, **c})
    broken = [
        "@Article{Broken2020unclosed,\n  author = {Smith, Ann},\n"
        "  title = {An Entry Whose Brace Never Closes},\n  year = {2020},\n\n",
        "@Misc{,\n  title = {An Entry Without a Key},\n  year = {2021},\n}\n",
        "@Misc{Broken2019empty,\n  year = {2019},\n  owner = {ann},\n}\n",  # nothing names it
        "@Article{Broken2018garbage,\n  author = Smith, Ann,\n  title = {Half Readable Entry},\n}\n",
    ]
    for k, b in enumerate(broken):  # spread through the file
        entries.insert(40 + 60 * k, b)
    # a reference without a title (real libraries have them): kept, with an empty title
    entries.append(
        "@Article{Nguyen2019,\n  author = {Nguyen, Li},\n  journal = {Nature},\n  year = {2019},\n}\n"
    )
    titles.append("")
    checks.append(
        {
            "index": len(titles) - 1,
            "citekey": "Nguyen2019",
            "title": "",
            "authors": ["Li Nguyen"],
            "year": 2019,
            "venue": "Nature",
            "status": "",
            "priority": 0,
            "notes": "",
            "tags": [],
            "links": [],
        }
    )
    head = "% Encoding: UTF-8\n\n@String{nips = {Advances in Neural Information Processing Systems}}\n\n"
    tail = (
        "@Comment{jabref-meta: databaseType:bibtex;}\n\n"
        "@Comment{jabref-meta: grouping:\n0 AllEntriesGroup:;\n"
        + "".join(f"1 StaticGroup:{g}\\;0\\;1\\;0x8a8a8aff\\;\\;\\;;\n" for g in GROUPS)
        + "1 KeywordGroup:Efficient methods\\;0\\;keywords\\;efficiency\\;0\\;0\\;1\\;\\;\\;\\;;\n}\n"
    )
    (OUT / "jabref-library.bib").write_text(head + "\n".join(entries) + "\n" + tail, encoding="utf-8")
    exp = {"format": "jabref", "titles": titles, "checks": checks, "skipped": len(broken)}
    (OUT / "jabref-library.expected.json").write_text(json.dumps(exp, indent=1, ensure_ascii=False) + "\n")


def _zotero_items(rng: random.Random, n: int) -> list[dict]:
    """Records of a Zotero library: what the two JSON exports are written from."""
    items = []
    for i, title in enumerate(_titles(rng, n)):
        year = rng.randint(2000, 2025)
        people = [p[1] for p in _people(rng, rng.randint(0, 4))]
        it: dict = {
            "i": i,
            "title": title,
            "authors": people,
            "year": year,
            "type": rng.choice(["journalArticle", "conferencePaper", "preprint", "book", "thesis"]),
        }
        if it["type"] == "preprint" and year >= 2015:
            it["arxiv"] = f"{year % 100:02d}{rng.randint(1, 12):02d}.{rng.randint(10000, 99999)}"
        elif i % 3 == 0:
            it["doi"] = f"10.{rng.randint(1000, 9999)}/{rng.choice(['s41586', 'jmlr', 'tpami'])}.{year}.{i}"
        it["tags"] = sorted(
            set(rng.sample(["llm", "vision", "to read", "méthodes", "Read later"], rng.randint(0, 2)))
        )
        it["note"] = rng.choice(["", "", "Key result in <b>Table 2</b>.", "Follow-up of the 2019 paper."])
        it["key"] = (
            f"{(people[0].split()[-1] if people else 'anon').lower()}{year}{title.split()[0].lower()}{i}"
        )
        it["key"] = it["key"].encode("ascii", "ignore").decode()
        items.append(it)
    return items


def zotero_bbt(rng: random.Random, n: int = 250) -> None:
    """Better BibTeX JSON: collections (nested), notes, tags, attachments, odd items."""
    items = _zotero_items(rng, n)
    colls = {"AAAA1111": "Thesis", "BBBB2222": "Chapter 2", "CCCC3333": "Reading group"}
    out, titles, checks = [], [], []
    members: dict[str, list[int]] = {k: [] for k in colls}
    for it in items:
        item_id = 1000 + it["i"]
        rec: dict = {
            "itemID": item_id,
            "itemKey": f"K{it['i']:07d}",
            "itemType": it["type"],
            "title": it["title"],
            "date": f"{it['year']}-0{1 + it['i'] % 9}-15",
            "creators": [
                {"creatorType": "author", "firstName": a.split()[0], "lastName": a.split()[-1]}
                for a in it["authors"]
            ],
            "tags": [{"tag": t, "type": 1} if it["i"] % 2 else t for t in it["tags"]],
            "citationKey": it["key"],
            "dateAdded": "2024-02-01T10:00:00Z",
            "relations": {},
        }
        if it["i"] % 17 == 0:
            rec["creators"].append({"creatorType": "editor", "firstName": "Ed", "lastName": "Itor"})
        if it["i"] % 19 == 0:
            rec["creators"].append({"creatorType": "author", "name": "The OpenAI Team"})
            it["authors"] = [*it["authors"], "The OpenAI Team"]
        if "arxiv" in it:
            rec.update(
                {
                    "repository": "arXiv",
                    "archiveID": f"arXiv:{it['arxiv']}",
                    "DOI": f"10.48550/arXiv.{it['arxiv']}",
                    "url": f"http://arxiv.org/abs/{it['arxiv']}",
                    "extra": f"arXiv:{it['arxiv']} [cs]",
                }
            )
        if "doi" in it:
            rec["DOI"] = it["doi"]
        if it["type"] == "journalArticle":
            rec["publicationTitle"] = rng.choice(VENUES)
        if it["note"]:
            rec["notes"] = [
                {"note": f'<div data-schema-version="9"><p>{it["note"]}</p></div>'}
                if it["i"] % 2
                else f"<p>{it['note']}</p>"
            ]
        if it["i"] % 4 == 0:
            rec["attachments"] = [
                {"title": "Full Text PDF", "path": f"/home/ann/Zotero/storage/K{it['i']}/paper.pdf"}
            ]
        held = []
        for k, name in colls.items():
            if (it["i"] + len(k) + ord(name[0])) % 3 == 0:
                held.append(name)
                if it["i"] % 2:
                    members[k].append(item_id)  # listed by the collection
                else:
                    rec.setdefault("collections", []).append(k)  # listed on the item
        out.append(rec)
        titles.append(it["title"])
        if it["i"] % 10 == 0 or it["i"] < 15:
            exp_notes = it["note"].replace("<b>", "").replace("</b>", "")
            c = {
                "index": it["i"],
                "citekey": it["key"],
                "year": it["year"],
                "authors": it["authors"],
                "tags": list(dict.fromkeys(held + it["tags"])),
                "notes": exp_notes,
                "arxiv_id": it.get("arxiv", ""),
                "doi": it.get("doi", ""),
                "status": "",
                "priority": 0,
            }
            checks.append(c)
    extras = [
        {"itemID": 9001, "itemKey": "NOTE0001", "itemType": "note", "note": "<p>A standalone note</p>"},
        {
            "itemID": 9002,
            "itemKey": "ATT00001",
            "itemType": "attachment",
            "title": "Snapshot",
            "url": "https://x.org",
        },
    ]
    broken = [
        {"itemID": 9101, "itemKey": "BRK00001", "itemType": "journalArticle", "title": "", "date": "2020"},
        {
            "itemID": 9102,
            "itemKey": "BRK00002",
            "itemType": "journalArticle",
            "title": "Creators Gone Wrong",
            "creators": "Smith, Ann",
        },
        {"itemID": 9103, "itemKey": "BRK00003", "itemType": "book", "title": {"en": "A Title in a Map"}},
        {
            "itemID": 9104,
            "itemKey": "BRK00004",
            "itemType": "preprint",
            "title": "Tags As Text",
            "tags": "llm",
        },
    ]
    for k, rec in enumerate(extras + broken):
        out.insert(30 + 35 * k, rec)
    collections = {
        k: {
            "key": k,
            "name": name,
            "parent": "AAAA1111" if k == "BBBB2222" else False,
            "collections": ["BBBB2222"] if k == "AAAA1111" else [],
            "items": members[k],
        }
        for k, name in colls.items()
    }
    data = {
        "config": {
            "id": "36a3b0b5-bad0-4a04-b79b-441c7cef77db",
            "label": "BetterBibTeX JSON",
            "localeDateOrder": "ymd",
            "options": {"exportNotes": True},
            "preferences": {},
        },
        "version": {"zotero": "7.0.11", "bbt": "7.0.20"},
        "collections": collections,
        "items": out,
    }
    (OUT / "zotero-bbt-library.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    exp = {"format": "zotero-json", "titles": titles, "checks": checks, "skipped": len(broken)}
    (OUT / "zotero-bbt-library.expected.json").write_text(
        json.dumps(exp, indent=1, ensure_ascii=False) + "\n"
    )


def zotero_csl(rng: random.Random, n: int = 250) -> None:
    """CSL-JSON as Zotero and Better CSL JSON write it."""
    items = _zotero_items(rng, n)
    out, titles, checks = [], [], []
    for it in items:
        ctype = {
            "journalArticle": "article-journal",
            "conferencePaper": "paper-conference",
            "preprint": "article",
            "book": "book",
            "thesis": "thesis",
        }[it["type"]]
        rec: dict = {
            "id": it["key"] if it["i"] % 2 else f"http://zotero.org/users/42/items/K{it['i']:07d}",
            "type": ctype,
            "title": it["title"],
            "author": [{"family": a.split()[-1], "given": a.split()[0]} for a in it["authors"]],
        }
        if it["i"] % 2:
            rec["citation-key"] = it["key"]
        if it["i"] % 5 == 0:
            rec["issued"] = {"date-parts": [[str(it["year"]), "3"]]}  # Zotero writes strings
        elif it["i"] % 7 == 0:
            rec["issued"] = {"raw": f"{it['year']}-11"}
        else:
            rec["issued"] = {"date-parts": [[it["year"], 6, 1]]}
        if "arxiv" in it:
            rec.update(
                {
                    "number": f"arXiv:{it['arxiv']}",
                    "publisher": "arXiv",
                    "DOI": f"10.48550/arXiv.{it['arxiv']}",
                    "URL": f"http://arxiv.org/abs/{it['arxiv']}",
                }
            )
        if "doi" in it:
            rec["DOI"] = it["doi"]
        if it["tags"]:
            rec["keyword"] = ", ".join(it["tags"])
        if it["note"]:
            rec["note"] = it["note"].replace("<b>", "").replace("</b>", "")
        if it["i"] % 23 == 0:
            rec["author"].append({"literal": "ATLAS Collaboration"})
            it["authors"] = [*it["authors"], "ATLAS Collaboration"]
        out.append(rec)
        titles.append(it["title"])
        if it["i"] % 10 == 0 or it["i"] < 15:
            checks.append(
                {
                    "index": it["i"],
                    "citekey": it["key"] if it["i"] % 2 else "",
                    "year": it["year"],
                    "authors": it["authors"],
                    "tags": it["tags"],
                    "arxiv_id": it.get("arxiv", ""),
                    "doi": it.get("doi", ""),
                    "notes": rec.get("note", ""),
                }
            )
    broken = [
        {"id": "broken1", "type": "article-journal", "issued": {"date-parts": [[2020]]}},  # nothing names it
        {"id": "broken2", "type": "book", "title": "Authors Not A List", "author": "Ann Smith"},
        {
            "id": "broken3",
            "type": "article",
            "title": "Season Not Year",
            "issued": {"date-parts": [["spring"]]},
        },
    ]
    for k, rec in enumerate(broken):
        out.insert(50 + 70 * k, rec)
    (OUT / "zotero-csl-library.json").write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    exp = {"format": "csl-json", "titles": titles, "checks": checks, "skipped": len(broken)}
    (OUT / "zotero-csl-library.expected.json").write_text(
        json.dumps(exp, indent=1, ensure_ascii=False) + "\n"
    )


def zotero_rdf(rng: random.Random, n: int = 200) -> None:
    """Zotero RDF: items, their journals, memos (notes) and collections as resources."""
    from xml.sax.saxutils import escape

    items = _zotero_items(rng, n)
    parts, titles, checks, coll_members = [], [], [], []
    kinds = {
        "journalArticle": "bib:Article",
        "conferencePaper": "rdf:Description",
        "preprint": "bib:Article",
        "book": "bib:Book",
        "thesis": "bib:Thesis",
    }
    for it in items:
        about = f"http://arxiv.org/abs/{it['arxiv']}" if "arxiv" in it else f"#item_{it['i'] * 3 + 1}"
        tag = kinds[it["type"]]
        people = "".join(
            "<rdf:li><foaf:Person>"
            f"<foaf:surname>{escape(a.split()[-1])}</foaf:surname><foaf:givenName>{escape(a.split()[0])}"
            "</foaf:givenName></foaf:Person></rdf:li>"
            for a in it["authors"]
        )
        body = [f"<z:itemType>{it['type']}</z:itemType>"]
        journal = ""
        if it["type"] == "journalArticle":
            journal = VENUES[it["i"] % len(VENUES)]
            issn = f"urn:issn:1000-{VENUES.index(journal):04d}"
            body.append(f'<dcterms:isPartOf rdf:resource="{issn}"/>')
            parts.append(
                f'<bib:Journal rdf:about="{issn}"><dc:title>{escape(journal)}</dc:title></bib:Journal>'
            )
        if people:
            body.append(f"<bib:authors><rdf:Seq>{people}</rdf:Seq></bib:authors>")
        memo = ""
        if it["note"]:
            memo = f"#item_{it['i'] * 3 + 2}"
            body.append(f'<dcterms:isReferencedBy rdf:resource="{memo}"/>')
            parts.append(
                f'<bib:Memo rdf:about="{memo}"><rdf:value>{escape("<p>" + it["note"] + "</p>")}'
                "</rdf:value></bib:Memo>"
            )
        body += [f"<dc:subject>{escape(t)}</dc:subject>" for t in it["tags"]]
        body.append(f"<dc:title>{escape(it['title'])}</dc:title>")
        body.append(f"<dc:date>{it['year']}-0{1 + it['i'] % 9}-02</dc:date>")
        if "arxiv" in it:
            body.append(
                f"<dc:identifier><dcterms:URI><rdf:value>{about}</rdf:value></dcterms:URI></dc:identifier>"
            )
            body.append(f"<dc:identifier>DOI 10.48550/arXiv.{it['arxiv']}</dc:identifier>")
            body.append(f"<prism:number>arXiv:{it['arxiv']}</prism:number>")
        if "doi" in it:
            body.append(f"<dc:identifier>DOI {it['doi']}</dc:identifier>")
        parts.insert(
            len(parts) - (1 if memo else 0), f'<{tag} rdf:about="{about}">' + "".join(body) + f"</{tag}>"
        )
        held = []
        if it["i"] % 4 == 1:
            coll_members.append(about)
            held.append("Reading group")
        titles.append(it["title"])
        if it["i"] % 10 == 0 or it["i"] < 15:
            checks.append(
                {
                    "index": it["i"],
                    "year": it["year"],
                    "authors": it["authors"],
                    "tags": held + it["tags"],
                    "arxiv_id": it.get("arxiv", ""),
                    "doi": it.get("doi", ""),
                    "notes": it["note"].replace("<b>", "").replace("</b>", ""),
                    "venue": journal,
                }
            )
    parts.insert(
        70, '<bib:Book rdf:about="#item_9999"><z:itemType>book</z:itemType><dc:date>2001</dc:date></bib:Book>'
    )  # broken: no title
    parts.append(
        '<z:Attachment rdf:about="#item_9998"><z:itemType>attachment</z:itemType>'
        "<dc:title>Full Text PDF</dc:title></z:Attachment>"
    )
    has = "".join(f'<dcterms:hasPart rdf:resource="{m}"/>' for m in coll_members)
    parts.append(
        f'<z:Collection rdf:about="#collection_1"><dc:title>Reading group</dc:title>{has}</z:Collection>'
    )
    ns = (
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:z="http://www.zotero.org/namespaces/export#" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:bib="http://purl.org/net/biblio#" xmlns:foaf="http://xmlns.com/foaf/0.1/" '
        'xmlns:link="http://purl.org/rss/1.0/modules/link/" '
        'xmlns:prism="http://prismstandard.org/namespaces/1.2/basic/"'
    )
    xml = f"<rdf:RDF\n {ns}>\n    " + "\n    ".join(parts) + "\n</rdf:RDF>\n"
    (OUT / "zotero-library.rdf").write_text(xml, encoding="utf-8")
    exp = {"format": "zotero-rdf", "titles": titles, "checks": checks, "skipped": 1}
    (OUT / "zotero-library.expected.json").write_text(json.dumps(exp, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    jabref(random.Random(14))
    zotero_bbt(random.Random(1414))
    zotero_csl(random.Random(141414))
    zotero_rdf(random.Random(14141414))
