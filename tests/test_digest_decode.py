"""Bytes from files and the clipboard become text, or a polite refusal for binaries."""

from __future__ import annotations

import codecs

import pytest

from paperdeck.core.digest import decode_paste

TEXT = "Déjà vu: Attention Is All You Need — 注意力 🚀"


def test_utf8() -> None:
    assert decode_paste(TEXT.encode("utf-8")) == TEXT


def test_utf8_with_bom() -> None:
    assert decode_paste(codecs.BOM_UTF8 + TEXT.encode("utf-8")) == TEXT


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    assert decode_paste(bom + TEXT.encode(codec)) == TEXT


def test_latin1_and_cp1252_fallback() -> None:
    assert decode_paste("Schölkopf, Müller".encode("latin-1")) == "Schölkopf, Müller"
    assert decode_paste("“quoted” – dash".encode("cp1252")) == "“quoted” – dash"


def test_nuls_are_stripped() -> None:
    assert decode_paste(b"Title\x00 one\x00") == "Title one"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        bytes(range(32)) * 50,
    ],
)
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(ValueError, match="looks like a binary file"):
        decode_paste(data)


def test_empty_bytes_are_empty_text() -> None:
    assert decode_paste(b"") == ""
