"""Completing metadata from public services (arXiv API, Crossref): issue 6.

`MetadataClient` looks papers up (network, no database); `apply.build_completion`
turns what it found into one undoable `Edit` under the overwrite rule in `merge.py`.
Nothing here imports Qt; the GUI runs lookups on its worker thread.
"""

from __future__ import annotations

from .client import LookupResult, MetadataClient
from .records import Found
from .report import CompletionReport, FieldChange, PaperOutcome
from .settings import EnrichSettings

__all__ = [
    "CompletionReport",
    "EnrichSettings",
    "FieldChange",
    "Found",
    "LookupResult",
    "MetadataClient",
    "PaperOutcome",
]
