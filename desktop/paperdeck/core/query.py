"""The search language: Whoosh's query syntax over our fields, checked before it runs.

Whoosh's parser is lenient: it turns an unclosed quote or `year:soon` into a silently
different search. A user deserves to be told instead, so `check()` rejects what the
parser would misread, with a message that says how to fix it. What people paste is
text, though: a colon after a word that is not a field (`Choreographer: Learning...`)
is punctuation, not an error, and a pasted page of text is cut to MAX_TERMS words.
"""

from __future__ import annotations

import re

from whoosh import query as wq
from whoosh.qparser import FuzzyTermPlugin, Plugin, syntax

from .errors import QueryError
from .models import STATUSES
from .textnorm import fold, names_analyzer, text_analyzer

# Field name a user types -> index field.
FIELDS: dict[str, str] = {
    "title": "title",
    "abstract": "abstract",
    "authors": "authors",
    "author": "authors",
    "tag": "tag",
    "tags": "tag",
    "notes": "notes",
    "note": "notes",
    "status": "status",
    "year": "year",
    "arxiv": "arxiv",
    "doi": "doi",
}
FIELD_NAMES = "title, abstract, authors, tag, notes, status, year, arxiv, doi"

MAX_TERMS = 64  # words a search reads (parsing costs grow with the count: 1,500 took 9 s)

_QUOTED = re.compile(r'"[^"]*"')
_CHUNK = re.compile(r"\S+")  # a word, for the cap (a phrase's words count one by one)
_FIELD = re.compile(r"(?<![\w.\-/])(\w+):(?!//)")
_RANGE = re.compile(r"[\[{][^\]}]*[\]}]")  # a field's range value, to its first closing bracket
_VALUE = re.compile(r"[^\s()]*")  # a field's other values, to a space or parenthesis
_YEAR_VALUE = re.compile(
    r"^(?:[<>]=?)?\d{1,4}$|^[\[{]\s*(?:\d{1,4}\s+)?(?:to|TO)(?:\s+\d{1,4})?\s*[\]}]$")


def _unquoted(text: str) -> str:
    """The query with quoted phrases blanked out, so their contents are not checked."""
    return _QUOTED.sub(lambda m: " " * len(m.group(0)), text)


def cap_terms(text: str) -> tuple[str, int]:
    """The query cut to its first MAX_TERMS words, and how many words it had; a phrase
    or a group the cut leaves open is closed."""
    chunks = list(_CHUNK.finditer(text))
    if len(chunks) <= MAX_TERMS:
        return text, len(chunks)
    kept = text[: chunks[MAX_TERMS - 1].end()]
    if kept.count('"') % 2:
        kept += '"'
    depth = _unquoted(kept).count("(") - _unquoted(kept).count(")")
    return kept + ")" * max(depth, 0), len(chunks)


def cap_notice(text: str) -> str | None:
    """What to tell the user when their query was longer than MAX_TERMS words, else None."""
    _kept, count = cap_terms(text)
    if count <= MAX_TERMS:
        return None
    return f"Searched for the first {MAX_TERMS} of the {count} words typed."


_QUESTION = re.compile(r"(?<=\w)\?+(?=[\s\"'),.;:!]|$)")  # "Mirage?": a question mark
_DANGLING = re.compile(r"(?<!\S)[-+]+(?=\s|$)")  # "Experts -- Behavior": a dash, not NOT
_SIGN = re.compile(r"(?:^|(?<=[\s(]))[-+]")  # "-walk", "+robots": NOT, must


def _as_text(text: str) -> str:
    """Pasted punctuation made plain text (same length, so positions hold): a `?` that
    ends a word, a `-`/`+` standing alone, and parentheses opened right after a word
    (`f(x)`, `Evaluator(PAE)`) with their closing partner, which group nothing."""
    bare = _unquoted(text)
    chars = list(text)
    dangling = [m for m in _DANGLING.finditer(bare) if text[m.end():m.end() + 1] != '"']
    for m in [*_QUESTION.finditer(bare), *dangling]:  # (`-"a phrase"` is NOT a phrase)
        chars[m.start():m.end()] = " " * (m.end() - m.start())
    opened: list[tuple[int, bool]] = []
    for i, ch in enumerate(bare):
        if ch == "(":
            opened.append((i, i > 0 and (bare[i - 1].isalnum() or bare[i - 1] == "(")
                           and _glued(opened, bare, i)))
        elif ch == ")" and opened:
            start, glued = opened.pop()
            if glued:
                chars[start] = chars[i] = " "
    return "".join(chars)


def _signs_as_operators(text: str) -> str:
    """A `-` that starts a word, phrase or group is NOT, a `+` is dropped (words are all
    required already): `robots -walk` is `robots NOT walk`. Whoosh's parser as we
    configure it reads neither, so `-walk` was the word walk, required: the opposite of
    what was typed. A dash inside a word (`fine-tuning`) or standing alone is text."""
    bare = _unquoted(text)
    out, last = [], 0
    for m in _SIGN.finditer(bare):
        after = text[m.end():m.end() + 1]  # from the text: a phrase's quote may follow
        if not after or after.isspace() or after in ")+-":
            continue
        out.append(text[last:m.start()])
        out.append("NOT " if m.group(0) == "-" else "")
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def _glued(opened: list[tuple[int, bool]], bare: str, i: int) -> bool:
    """A `(` right after a word, or right after another glued `(`, is text."""
    return bare[i - 1].isalnum() or bool(opened and opened[-1][1] and opened[-1][0] == i - 1)


_VERSIONED = re.compile(r"(?<![\w./])((?:arxiv:)?\d{4}\.\d{4,5})v\d{1,3}(?![\w.])", re.IGNORECASE)
_LINK = re.compile(r"(?<!\S)https?://\S+", re.IGNORECASE)
_PLAIN_DOI = re.compile(r"10\.\d{4,9}/[\w.\-;/<>]+")  # one the parser reads as one value


def _ids_as_indexed(text: str) -> str:
    """Identifiers as the index holds them: a version dropped (`2503.01234v1`, as arXiv
    stamps its PDFs), a pasted arXiv or DOI link made its id (`arxiv.org/abs/X` is X,
    `doi.org/10.1145/x` is doi:10.1145/x). Quoted phrases are left as typed."""
    bare = _unquoted(text)
    edits = [(m.start(), m.end(), m.group(1)) for m in _VERSIONED.finditer(bare)]
    links = list(_LINK.finditer(bare))
    if links:
        from .digest.identifiers import find_dois, normalise_arxiv_id  # only for links: slow import

        for m in links:
            arxiv_id, _version = normalise_arxiv_id(m.group(0))
            dois = find_dois(m.group(0))
            if arxiv_id:
                edits.append((m.start(), m.end(), arxiv_id))
            elif dois and _PLAIN_DOI.fullmatch(dois[0]):
                edits.append((m.start(), m.end(), f"doi:{dois[0]}"))
    for start, end, value in sorted(edits, reverse=True):
        text = text[:start] + value + text[end:]
    return text


def check(text: str) -> str:
    """Return the query normalised (Unicode folded, field names as the index spells them,
    a colon that does not follow a field turned into a space, identifiers as indexed, cut
    to MAX_TERMS words), or raise QueryError."""
    text, _count = cap_terms(fold(text, lower=False))
    text = _ids_as_indexed(text)
    if text.count('"') % 2:
        raise QueryError('Unbalanced quote: close the phrase with another ".')
    text = _signs_as_operators(_as_text(text))
    bare = _unquoted(text)
    depth = 0
    for ch in bare:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise QueryError("Unbalanced parentheses: a ')' has no matching '('.")
    if depth:
        raise QueryError("Unbalanced parentheses: a '(' is never closed.")
    spans: list[tuple[int, int, str]] = []
    for m in _FIELD.finditer(bare):
        name = m.group(1)
        after = text[m.end():m.end() + 1]  # from the text: a quote may follow
        if name.lower() not in FIELDS or (after.isspace() and after):
            spans.append((m.end(1), m.end(), " "))  # text: "Choreographer: Learning ..."
            continue
        if not after:
            raise QueryError(f"{name}: needs a value after the colon, like title:robots. "
                             f"Fields you can search: {FIELD_NAMES}.")
        target = FIELDS[name.lower()]
        spans.append((m.start(1), m.end(1), target))  # `author:` is `authors:`
        value = _field_value(bare, m.end())
        shown = " ".join(value.split())[:60]  # a message is one line, however the value runs
        if target == "year" and not _YEAR_VALUE.match(value):
            raise QueryError(
                f"year: needs a number, like year:2024 or year:[2020 TO 2024] (got '{shown}')."
            )
        if target == "status" and value and value.lower() not in STATUSES:
            raise QueryError(f"status: is one of {', '.join(STATUSES)} (got '{shown}').")
    for start, end, name in reversed(spans):
        text = text[:start] + name + text[end:]
    return text


_OPERATOR = re.compile(r"\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b|[*?~]")
_ID_FIELDS = ("arxiv", "doi")
_WORD = re.compile(r"\w+(?:['’.\-]\w+)*")


def any_words(text: str) -> str | None:
    """The query's words joined by OR, for when no paper has them all: a reference line
    pasted whole (`Vaswani, A. (2017). Attention is all you need. In NeurIPS.`) or a title
    with its venue (`... (NeurIPS 2017)`) has words no card holds. Ranked by relevance, the
    papers with the most of them come first. None for a query in the search language
    (operators, signs, wildcards, fields other than the ids a reference cites as
    `arXiv:2401.00001` or `doi:10.1145/...`: their meaning is deliberate), a malformed
    one, or one with fewer than two words that count (stop words and single letters do not)."""
    try:
        checked = check(text)
    except QueryError:
        return None
    bare = _unquoted(checked)
    if _OPERATOR.search(bare):
        return None
    ids = []
    for m in reversed(list(_FIELD.finditer(bare))):
        if m.group(1) not in _ID_FIELDS:  # check() spelled the field as the index does
            return None
        value = _field_value(bare, m.end()).rstrip(".,;")  # `arXiv:2401.00001.` ends a sentence
        ids.insert(0, f"{m.group(1)}:{value}")
        checked = checked[:m.start()] + " " * (m.end() - m.start() + len(value)) + checked[
            m.end() + len(value):]
    words = {i.lower(): i for i in ids}
    for word in _WORD.findall(checked.replace('"', " ")):
        if any(True for _t in _TEXT(word, mode="query")):
            words.setdefault(word.lower(), word)
    return " OR ".join(words.values()) if len(words) >= 2 else None


def _field_value(bare: str, start: int) -> str:
    """The value after `field:` (a bracketed range, or up to the next space)."""
    rest = bare[start:]
    if rest.startswith(("[", "{")):
        if not (m := _RANGE.match(rest)):
            raise QueryError("A range is not closed: write it like year:[2020 TO 2024].")
        return m.group(0)
    return _VALUE.match(rest).group(0)


class _Ignored(syntax.SyntaxNode):
    """A stop word left out of the search (it parses to nothing). It takes a boost
    (`of^2`) and drops it, so the `^2` does not become a word of its own."""

    has_boost = True

    def __init__(self, node: syntax.SyntaxNode) -> None:
        self.startchar, self.endchar = node.startchar, node.endchar

    def set_boost(self, boost: float) -> None:
        pass

    def query(self, parser) -> wq.Query:
        return wq.NullQuery


def _drop_beside_operators(group: syntax.GroupNode) -> None:
    """An ignored word between a word and an operator goes, so the operator joins the
    words the user meant: `zebra . OR attention` and `(2017). OR attention` (a pasted
    reference's punctuation) are `zebra OR attention`, not `zebra AND attention`. An
    ignored word with no word on its other side is left for drop_ignored."""
    for node in group:
        if isinstance(node, syntax.GroupNode):
            _drop_beside_operators(node)
    nodes = list(group)
    gone = set()
    for i, node in enumerate(nodes):
        if isinstance(node, _Ignored):
            left, right = _beside(nodes, i, -1), _beside(nodes, i, +1)
            if (isinstance(left, syntax.Operator) and _is_word(right)
                    or _is_word(left) and isinstance(right, syntax.Operator)):
                gone.add(i)
    for i in sorted(gone, reverse=True):
        del group[i]


def _beside(nodes: list, i: int, step: int):
    """The nearest node from `i` in direction `step` that is not a space or ignored."""
    i += step
    while 0 <= i < len(nodes) and (nodes[i].is_ws() or isinstance(nodes[i], _Ignored)):
        i += step
    return nodes[i] if 0 <= i < len(nodes) else None


def _is_word(node) -> bool:
    return node is not None and not isinstance(node, (syntax.Operator, syntax.MarkerNode))


class StopWordsPlugin(Plugin):
    """Bare words that the text fields ignore (stop words, single letters, punctuation)
    are ignored when the query has other words: `theory of mind` is `theory mind`, and
    `f(x):` is `f x :` is nothing. Otherwise `of` would be a required term over the
    default fields whose analyzers keep every word (authors, tag, arxiv, doi) and match
    nearly nothing. Such a word after a field (`authors:May`), in quotes, or alone is
    searched for."""

    def filters(self, parser) -> list:
        # after field names (100), before multifield (110); then after the operators (600)
        return [(self.do_stopwords, 105), (self.drop_ignored, 605)]

    def do_stopwords(self, parser, group):
        leaves = list(_leaves(group))
        stops = [(g, i) for g, i, node in leaves if _is_stop(node)]
        if stops and len(stops) < len(leaves):
            for g, i in stops:
                g[i] = _Ignored(g[i])
            _drop_beside_operators(group)
        return group

    def drop_ignored(self, parser, group):
        """An operator with an ignored word on one side reads as if the word were not
        typed: `the ANDNOT mind` is `NOT mind`, `the ANDMAYBE robots` is `robots` (an
        empty side would otherwise empty the whole query)."""
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                node = group[i] = self.drop_ignored(parser, node)
            if isinstance(node, syntax.BinaryGroup) and len(node.nodes) == 2:
                left, right = node.nodes
                if isinstance(right, _Ignored):
                    group[i] = left
                elif isinstance(left, _Ignored):
                    negated = isinstance(node, syntax.AndNotGroup)
                    group[i] = syntax.NotGroup([right]) if negated else right
        return group


_TEXT = text_analyzer()


def _is_stop(node: syntax.SyntaxNode) -> bool:
    """A bare word the title/abstract analysis drops entirely."""
    return (type(node) is syntax.WordNode and node.fieldname is None
            and not any(True for _t in _TEXT(node.text, mode="query")))


def _leaves(group: syntax.GroupNode):
    """(group, index, node) of every searchable leaf (not operators or spaces)."""
    for i, node in enumerate(group):
        if isinstance(node, syntax.GroupNode):
            yield from _leaves(node)
        elif not (node.is_ws() or isinstance(node, (syntax.Operator, syntax.MarkerNode))):
            yield group, i, node


class TypedFuzzyTermPlugin(FuzzyTermPlugin):
    """Whoosh's `word~`, each FuzzyTerm also keeping the word as typed (folded, not
    stemmed) in `typed`: in a stemmed field the term holds only the stem, and ranking
    weighs each expansion by how close the word it stands for is to what was typed
    (see dense_search.typo_weights). Whoosh builds the node as `self.FuzzyTermNode`."""

    class FuzzyTermNode(FuzzyTermPlugin.FuzzyTermNode):
        def query(self, parser):
            q = super().query(parser)
            words = [t.text for t in _NAMES(self.text, mode="query")]
            if len(words) == 1:
                for leaf in [q] if q.is_leaf() else q.leaves():
                    if isinstance(leaf, wq.FuzzyTerm):
                        leaf.typed = words[0]
            return q


_NAMES = names_analyzer()
