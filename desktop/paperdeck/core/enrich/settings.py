"""Where the services are, who we say we are, how long we wait and remember."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from ... import __version__

ARXIV_API = "http://export.arxiv.org/api/query"
CROSSREF_API = "https://api.crossref.org"
PROJECT_URL = "https://example.invalid/paperdeck"

# Environment overrides (the CLI reads them; the GUI passes its preferences instead).
ENV_CONTACT = "PAPERDECK_CONTACT_EMAIL"
ENV_ARXIV = "PAPERDECK_ARXIV_API"
ENV_CROSSREF = "PAPERDECK_CROSSREF_API"
ENV_NO_CACHE = "PAPERDECK_NO_METADATA_CACHE"


@dataclass(frozen=True)
class EnrichSettings:
    """Everything a lookup needs to know; one table of defaults."""

    contact_email: str = ""  # sent as mailto: in the User-Agent and to Crossref (polite pool)
    arxiv_api: str = ARXIV_API
    crossref_api: str = CROSSREF_API
    timeout: float = 10.0  # seconds, for connecting and for each read
    arxiv_interval: float = 3.0  # arXiv asks for at most one request every 3 s
    crossref_interval: float = 0.2  # well under Crossref's public-pool limit
    retries: int = 2  # after a 429/503, try again this many times
    max_retry_wait: float = 5.0  # a longer Retry-After means "later", not "wait here"
    cache_path: Path | None = None  # None: no cache
    cache_days: float = 30.0  # answers that found a paper
    cache_miss_days: float = 2.0  # answers that found nothing (the paper may appear soon)
    arxiv_batch: int = 20  # arXiv ids per id_list request

    @property
    def user_agent(self) -> str:
        contact = f"; mailto:{self.contact_email}" if self.contact_email else ""
        return f"paperdeck/{__version__} ({PROJECT_URL}{contact})"

    def with_env(self) -> EnrichSettings:
        """These settings with the PAPERDECK_* environment overrides applied."""
        env = os.environ
        return replace(
            self,
            contact_email=env.get(ENV_CONTACT, self.contact_email),
            arxiv_api=env.get(ENV_ARXIV, self.arxiv_api),
            crossref_api=env.get(ENV_CROSSREF, self.crossref_api),
            cache_path=None if env.get(ENV_NO_CACHE) else self.cache_path,
        )
