"""Only http(s) and doi: links are ever opened; everything else stays text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperdeck.core.links import is_openable, to_open_url


@pytest.mark.parametrize("url, expected", [
    ("https://arxiv.org/abs/2401.01234", "https://arxiv.org/abs/2401.01234"),
    ("http://example.org/paper.pdf", "http://example.org/paper.pdf"),
    ("  HTTPS://GitHub.com/x/y  ", "HTTPS://GitHub.com/x/y"),
    ("doi:10.1145/3290605.3300233", "https://doi.org/10.1145/3290605.3300233"),
    ("DOI:10.1000/xyz(123)", "https://doi.org/10.1000/xyz(123)"),
    ("doi:10.1000/a b", None),
])
def test_web_and_doi_links_open(url, expected):
    assert to_open_url(url) == expected
    assert is_openable(url) is (expected is not None)


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "FILE:///C:/Windows/System32/calc.exe",
    "javascript:alert(1)",
    " JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox",
    "smb://server/share",
    "ftp://example.org/file",
    "mailto:someone@example.org",
    "ms-msdt:/id PCWDiagnostic",
    "/etc/passwd",
    "~/paper.pdf",
    "C:\\Users\\me\\paper.pdf",
    "\\\\server\\share\\x.exe",
    "https://",
    "https:///etc/passwd",
    "https://arxiv.org@evil.example/",
    "https://user:pw@example.org/",
    "https://example.org:99999/",
    "https://exa mple.org/",
    "https://example.org/\u202egpj.exe",
    "https://example.org/\x00",
    "doi:",
    "doi:not-a-doi",
    "https://example.org/" + "a" * 3000,
    "",
])
def test_everything_else_is_text(url):
    assert to_open_url(url) is None
    assert not is_openable(url)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_fuzzed_links_open_only_as_web_urls(text):
    out = to_open_url(text)
    assert out is None or out.lower().startswith(("http://", "https://"))


def test_non_strings_are_not_openable():
    assert to_open_url(None) is None  # type: ignore[arg-type]
    assert not is_openable(b"https://x.org")  # type: ignore[arg-type]
