"""JabRef libraries read field by field: reading state, groups from the group tree, and
which pastes count as a JabRef file at all. Entries are written the way JabRef 5 saves them."""

from __future__ import annotations

from paperdeck.core.digest import jabref, parse_digest


def _entry(key: str, *fields: str) -> str:
    body = "".join(f"  {f},\n" for f in fields)
    return f"@Article{{{key},\n  author = {{Smith, John}},\n  title = {{A Paper Called {key}}},\n{body}}}\n\n"


def test_jabref_priorities_map_prio1_to_the_highest() -> None:
    text = (_entry("P1", "priority = {prio1}", "owner = {ann}") + _entry("P2", "priority = {prio2}")
            + _entry("P3", "priority = {prio3}") + _entry("P0", "readstatus = {read}"))
    result = parse_digest(text)
    assert result.format == "jabref"
    assert [(d.citekey, d.priority, d.status) for d in result.drafts] == [
        ("P1", 3, ""), ("P2", 2, ""), ("P3", 1, ""), ("P0", 0, "read")]


TREE_HEAD = ("@comment{jabref-meta: groupsversion:3;}\n\n"
             "@comment{jabref-meta: groupstree:\n0 AllEntriesGroup:;\n")


def test_a_case_sensitive_keyword_group_needs_the_exact_case() -> None:
    """JabRef 2.x keyword groups: name; context; field; word; case-sensitive; regex."""
    text = (
        _entry("Lower2009", "keywords = {svm, kernels}", "owner = {ann}", "timestamp = {2010.01.03}")
        + _entry("Upper2010", "keywords = {SVM}")
        + TREE_HEAD
        + "1 KeywordGroup:SVM exact\\;0\\;keywords\\;SVM\\;1\\;0\\;;\n"
        + "1 KeywordGroup:svm any case\\;0\\;keywords\\;Svm\\;0\\;0\\;;\n}\n"
    )
    lower, upper = parse_digest(text).drafts
    assert lower.tags == ["svm any case", "svm", "kernels"]
    assert upper.tags == ["SVM exact", "svm any case", "SVM"]


def test_a_group_without_a_name_adds_no_tag() -> None:
    """A hand-edited tree can hold a group whose name is empty (or only spaces): its
    members get no empty tag, and the named group beside it still counts."""
    text = (
        _entry("Smith2009", "owner = {ann}", "timestamp = {2010.01.03}")
        + TREE_HEAD
        + "1 ExplicitGroup:\\;0\\;Smith2009\\;;\n"
        + "1 ExplicitGroup: \\;0\\;Smith2009\\;;\n"
        + "1 ExplicitGroup:Classics\\;0\\;Smith2009\\;;\n}\n"
    )
    (smith,) = parse_digest(text).drafts
    assert smith.tags == ["Classics"]


def test_only_the_first_200000_characters_are_weighed_for_jabref_fields() -> None:
    """Without a group tree, two of JabRef's own fields in the head of the file make it a
    JabRef library; a field whose '=' lies past the head does not count."""
    head = "@Article{Big2020,\n  author = {Smith, John},\n  title = {A Long One},\n  owner = {ann},\n"
    abstract = "  abstract = {" + "x" * 100 + "},\n"
    filler = "  note = {" + "y" * (200_000 - len(head) - len(abstract) - len("  note = {},\n")
                                 - len("  readstatus ")) + "},\n"
    text = head + abstract + filler + "  readstatus = {read},\n}\n"
    assert text.index("readstatus = ") + len("readstatus ") == 200_000  # its '=' is the 200001st character
    assert jabref.score(text) == 0.0
    inside = text.replace("x" * 100, "x" * 99, 1)
    assert jabref.score(inside) == 0.96


def test_a_regex_keyword_group_is_not_guessed_at() -> None:
    """A keyword group whose regex flag is set matches by a Java regular expression: it adds
    no tag rather than a wrong one (the entry's own keywords still do)."""
    text = (
        _entry("Lower2009", "keywords = {svm}", "owner = {ann}", "timestamp = {2010.01.03}")
        + TREE_HEAD
        + "1 KeywordGroup:Regex\\;0\\;keywords\\;svm\\;0\\;1\\;;\n}\n"
    )
    (lower,) = parse_digest(text).drafts
    assert lower.tags == ["svm"]


def test_a_keyword_group_without_its_regex_flag_still_matches() -> None:
    """Name, context, field, word and case flag are enough: a tree written by another tool
    may stop there."""
    text = (
        _entry("Lower2009", "keywords = {svm}", "owner = {ann}", "timestamp = {2010.01.03}")
        + TREE_HEAD
        + "1 KeywordGroup:SVMs\\;0\\;keywords\\;svm\\;0;\n}\n"
    )
    (lower,) = parse_digest(text).drafts
    assert lower.tags == ["SVMs", "svm"]


def test_a_skipped_entry_is_named_by_its_line_counting_a_leading_blank_line() -> None:
    """A paste that starts with an empty line: the broken entry opens on line 2."""
    text = ("\n@Article{Half2020,\n  author = {Smith, Ann},\n  title = {Half an Entry},\n  owner = {ann},\n\n"
            "@Article{Whole2021,\n  author = {Doe, Jane},\n  title = {A Whole Entry},\n  owner = {ann},\n"
            "  readstatus = {read},\n}\n")
    drafts, skipped = jabref.parse_report(text)
    assert [d.citekey for d in drafts] == ["Whole2021"]
    assert skipped == ["line 2 (Half2020): no closing brace (an unbalanced { or } inside it?)"]


def test_string_macros_name_the_venue() -> None:
    """JabRef keeps journal names as @String macros and writes the bare name in the entry."""
    text = ("@String{nips = {Advances in Neural Information Processing Systems}}\n\n"
            "@InProceedings{Vaswani2017,\n  author = {Vaswani, Ashish and Shazeer, Noam},\n"
            "  title = {Attention Is All You Need},\n  booktitle = nips,\n  year = {2017},\n"
            "  owner = {ann},\n  readstatus = {read},\n}\n")
    (paper,) = parse_digest(text).drafts
    assert (paper.venue, paper.status) == ("Advances in Neural Information Processing Systems", "read")


def test_a_citation_key_used_twice_keeps_the_first_entry_only() -> None:
    """Two entries under one key (two libraries pasted together): the second is reported,
    not merged into the first or imported under the same key."""
    text = (_entry("Smith2009", "owner = {ann}", "readstatus = {read}")
            + _entry("Smith2009", "owner = {bob}", "readstatus = {skimmed}"))
    drafts, skipped = jabref.parse_report(text)
    assert [(d.citekey, d.status) for d in drafts] == [("Smith2009", "read")]
    assert skipped == ["line 8 (Smith2009): citation key used twice"]


def test_a_group_tree_without_entries_is_no_jabref_library() -> None:
    """The tail of a .bib file pasted alone (its group tree, no entry) is nothing to import."""
    tail = TREE_HEAD + "1 ExplicitGroup:Classics\\;0\\;Smith2009\\;;\n}\n"
    assert jabref.score(tail) == 0.0
    assert jabref.score(_entry("Smith2009") + tail) == 0.97


def test_parse_gives_the_entries_read_whole() -> None:
    whole = _entry("Whole2021", "owner = {ann}", "readstatus = {read}")
    text = whole + "@Article{Half2020,\n  title = {Half\n"
    assert [d.citekey for d in jabref.parse(text)] == ["Whole2021"]
