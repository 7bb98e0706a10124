"""Links from pasted text at the edges of what paperdeck will open."""

from __future__ import annotations

from paperdeck.core.links import to_open_url


def test_a_url_of_2048_characters_opens_and_one_more_does_not() -> None:
    """2048 characters is the longest link browsers and servers are known to take."""
    base = "https://example.org/search?q="
    longest = base + "a" * (2048 - len(base))
    assert len(longest) == 2048
    assert to_open_url(longest) == longest
    assert to_open_url(longest + "a") is None


def test_a_backslash_in_the_host_part_is_not_opened() -> None:
    """Browsers read "\\" as "/": this link goes to evil.example while it shows arxiv.org."""
    assert to_open_url("https://evil.example\\.arxiv.org/abs/2401.10020") is None
    assert to_open_url("https://arxiv.org/abs/2401.10020\\x") == "https://arxiv.org/abs/2401.10020\\x"
