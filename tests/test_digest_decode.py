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


def test_one_bad_byte_keeps_the_file_utf8_and_says_so() -> None:
    """Issue 13 item 14 / issue 14 item 7: one invalid byte in a UTF-8 file used to turn the
    whole file into cp1252 mojibake ("CafÃ© rÃ©sumÃ©"), silently."""
    from paperdeck.core.digest.decode import decode_paste_noted

    text = "Café résumé: naïve Bayes for Ørsted's 注意力 🚀\nSecond paper title\n"
    data = text.encode("utf-8")
    cut = data.index(b"Second")
    damaged = data[:cut] + b"\xe9" + data[cut:]  # a stray Latin-1 'é' in the middle
    decoded, note = decode_paste_noted(damaged)
    assert decoded == text[: text.index("Second")] + "\ufffd" + text[text.index("Second"):]
    assert "Ã" not in decoded
    assert note.startswith("1 unreadable character ") and "UTF-8" in note
    assert decode_paste(damaged) == decoded


def test_a_truncated_utf8_sequence_at_the_end_is_one_replacement() -> None:
    from paperdeck.core.digest.decode import decode_paste_noted

    data = "Résumé of 注意力".encode()
    decoded, note = decode_paste_noted(data[:-1])
    assert decoded == "Résumé of 注意\ufffd" and note


@pytest.mark.parametrize("codec", ["latin-1", "cp1252"])
def test_a_legacy_file_is_still_read_as_legacy_without_a_warning(codec: str) -> None:
    from paperdeck.core.digest.decode import decode_paste_noted

    text = "Schölkopf, Müller: “Kernel” methods – Café résumé ß" if codec == "cp1252" else (
        "Schölkopf, Müller: Kernel methods, Café résumé ß")
    assert decode_paste_noted(text.encode(codec)) == (text, "")


def test_clean_utf8_has_no_note() -> None:
    from paperdeck.core.digest.decode import decode_paste_noted

    assert decode_paste_noted(TEXT.encode("utf-8")) == (TEXT, "")


def test_cli_import_keeps_utf8_and_warns_about_the_bad_byte(tmp_path) -> None:
    import json
    import os
    import subprocess
    import sys

    digest = tmp_path / "digest.txt"
    digest.write_bytes("@article{a, title = {Café résumé networks for ranking}, year = {2024}}\n"
                       "@article{b, title = {Naïve Bayes revisited}, note = {a stray ".encode()
                       + b"Latin-1 \xe9 here}, year = {2023}}\n")
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(tmp_path / "lib")}
    proc = subprocess.run([sys.executable, "-m", "paperdeck", "import", str(digest)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "(not valid UTF-8)" in proc.stderr and "digest.txt" in proc.stderr
    listed = subprocess.run([sys.executable, "-m", "paperdeck", "list", "--json"],
                            capture_output=True, text=True, env=env, timeout=120)
    titles = [p["title"] for p in json.loads(listed.stdout)]
    assert "Café résumé networks for ranking" in titles, titles


def test_the_import_result_carries_the_warning(tmp_path) -> None:
    """What the window shows comes from the same place as the CLI's note: the parse and
    the import report say how many characters could not be read."""
    from paperdeck.core.library import Library

    data = ("@article{a, title = {Caf\\'e networks}, year = {2024}}\n"
            "@article{b, title = {Naïve Bayes revisited}, note = {a stray ".encode()
            + b"\xe9 byte}, year = {2023}}\n")
    text = decode_paste(data)
    with Library.open(tmp_path / "lib", backup=False) as lib:
        assert "1 unreadable character" in lib.parse(text).message
        report = lib.import_text(text)
        assert report.imported == 2 and "1 unreadable character" in report.message
        clean = lib.import_text("@article{c, title = {Clean title here}, year = {2022}}")
        assert clean.message == ""
