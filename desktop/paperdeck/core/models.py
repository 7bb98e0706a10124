"""Plain data classes shared by the parsers, the library and the exporters."""

from __future__ import annotations

from dataclasses import dataclass, field

STATUSES: tuple[str, ...] = ("queued", "reading", "read", "archived")
QUEUE_STATUSES: tuple[str, ...] = ("queued", "reading")
EXPORT_FORMATS: tuple[str, ...] = ("bibtex", "biblatex", "csl-json", "ris")
# The names `import --format` takes: `digest.FORMATS`' keys, in its order (a test holds them
# equal), written out here so that the command line lists them without importing the parsers.
DIGEST_FORMATS: tuple[str, ...] = (
    "zotero-json", "zotero-rdf", "csl-json", "jabref", "bibtex", "ris", "arxiv-email",
    "arxiv-listing", "scholar", "hf-papers", "markdown", "identifiers", "references",
    "title-paragraph",
)  # fmt: skip
# Every order a list of papers can take (`Library.ids(sort=...)`, `paperdeck list --sort`).
SORT_NAMES: tuple[str, ...] = ("queue", "relevance", "for-you", "added", "year", "title", "author")


@dataclass
class Draft:
    """A paper as a parser found it, before it is in the library.

    Every field but the title may be empty: digests often lack authors and years,
    and an identifier list has no title until metadata is completed.
    """

    title: str = ""
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    arxiv_id: str = ""
    arxiv_version: int | None = None  # the version the text named (2401.01234v3 -> 3), if any
    doi: str = ""
    url: str = ""
    links: list[str] = field(default_factory=list)
    venue: str = ""
    primary_class: str = ""
    tags: list[str] = field(default_factory=list)
    citekey: str = ""  # kept from a BibTeX paste so the user's LaTeX keeps working
    # Reading state brought along from another reference manager (JabRef, Zotero);
    # digests leave them empty and the paper is queued.
    status: str = ""
    priority: int = 0
    notes: str = ""
    added_at: str = ""  # when the other manager got it (ISO 8601); empty: now
    entry_type: str = ""  # "inproceedings", "article"... when the paste said so
    fields: dict = field(default_factory=dict)  # other bibliographic fields (see storage.py)

    def label(self) -> str:
        """A short human name for messages: the title, else an identifier."""
        return self.title or self.arxiv_id or self.doi or self.url or "(untitled)"


@dataclass
class Paper:
    """A paper in the library: a draft plus its identity, reading state and history."""

    id: int
    title: str
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    arxiv_id: str = ""
    doi: str = ""
    url: str = ""
    links: list[str] = field(default_factory=list)
    venue: str = ""
    primary_class: str = ""
    status: str = "queued"
    position: float = 0.0
    priority: int = 0
    notes: str = ""
    citekey: str = ""
    tags: list[str] = field(default_factory=list)
    added_at: str = ""
    updated_at: str = ""
    started_at: str | None = None
    finished_at: str | None = None
    trashed_at: str | None = None
    import_id: int | None = None
    arxiv_version: int | None = None  # the arXiv version imported, when the paste named one
    entry_type: str = ""
    fields: dict = field(default_factory=dict)

    @property
    def has_code(self) -> bool:
        """True when one of the links points at code or a project page."""
        return any(is_code_link(link) for link in self.links)


CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "github.io")


def is_code_link(url: str) -> bool:
    """Code or project page links get an icon on the card."""
    low = url.lower()
    return any(host in low for host in CODE_HOSTS)
