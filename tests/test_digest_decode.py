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


# --- what the mutation run (tests/mutation/core.digest.decode.toml) showed untested -----------


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_utf32_with_bom_keeps_characters_outside_the_bmp(codec: str) -> None:
    """A UTF-32 LE BOM starts with the UTF-16 LE one: read as UTF-16, every emoji and CJK
    extension character would come out as two garbage characters."""
    from paperdeck.core.digest.decode import decode_paste_noted

    bom = codecs.BOM_UTF32_LE if codec.endswith("le") else codecs.BOM_UTF32_BE
    text = "Dragons 🐉 and 𠀋 in titles\r\nAttention Is All You Need\r\n"
    assert decode_paste_noted(bom + text.encode(codec)) == (text, "")


def test_a_clean_file_with_a_bom_has_no_note() -> None:
    """Notepad saves UTF-8 with a BOM and Excel's "Unicode text" is UTF-16: nothing wrong,
    so nothing to warn about."""
    from paperdeck.core.digest.decode import decode_paste_noted

    for data in (codecs.BOM_UTF8 + TEXT.encode("utf-8"), codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")):
        assert decode_paste_noted(data) == (TEXT, "")


def test_a_utf8_bom_is_trusted_over_the_guess() -> None:
    """A file that says it is UTF-8 stays UTF-8 even when its only non-ASCII byte is a
    stray Latin-1 one (without the BOM that file would be read as cp1252)."""
    from paperdeck.core.digest.decode import decode_paste_noted

    data = codecs.BOM_UTF8 + b"Sch\xf6lkopf: Learning with kernels\r\n"
    assert decode_paste_noted(data) == (
        "Sch\ufffdlkopf: Learning with kernels\r\n",
        "1 unreadable character (not valid UTF-8) is shown as \ufffd; the rest was read as UTF-8.")
    assert decode_paste_noted(data[3:])[0] == "Schölkopf: Learning with kernels\r\n"


def test_two_bad_bytes_are_counted_in_the_plural() -> None:
    from paperdeck.core.digest.decode import decode_paste_noted

    data = "Café résumé 注意力: ".encode() + b"Sch\xf6lkopf and M\xfcller\n"
    text, note = decode_paste_noted(data)
    assert text == "Café résumé 注意力: Sch\ufffdlkopf and M\ufffdller\n"
    assert note == ("2 unreadable characters (not valid UTF-8) are shown as \ufffd; "
                    "the rest was read as UTF-8.")


def test_latin1_with_one_utf8_character_is_still_latin1() -> None:
    """A Latin-1 .bib someone pasted one UTF-8 title into: two Latin-1 letters against one
    valid UTF-8 character. More damage than valid UTF-8 means a legacy file: the Latin-1
    letters are kept and the one UTF-8 character becomes two (the smaller loss)."""
    from paperdeck.core.digest.decode import decode_paste_noted

    data = "Schölkopf and Müller: ".encode("latin-1") + "Café".encode()
    assert decode_paste_noted(data) == ("Schölkopf and Müller: CafÃ©", "")


def test_a_mac_roman_file_loses_no_byte() -> None:
    """Bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D: "ç", "è" in Mac Roman)
    fall back to Latin-1, which maps every byte: the import never fails on them."""
    data = "Françoise Lumière: Théorie des catégories\n".encode("mac_roman")
    text = decode_paste(data)
    assert text.encode("latin-1") == data
    assert text.startswith("Fran") and text.endswith(" des cat\x8egories\n")


@pytest.mark.parametrize("title", ["MZSR: Meta-Transfer Learning for Zero-Shot Super-Resolution",
                                   "MZI-based photonic neural networks with on-chip training"])
def test_text_starting_with_mz_is_not_a_windows_program(title: str) -> None:
    """"MZ" opens every Windows .exe, and also a paste whose first title is an acronym."""
    data = (title + "\nAttention Is All You Need\n").encode()
    assert decode_paste(data) == data.decode()


@pytest.mark.parametrize("data", [b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", b"MZ"])
def test_a_windows_program_is_refused(data: bytes) -> None:
    with pytest.raises(ValueError, match="a Windows program"):
        decode_paste(data)


def test_a_file_of_only_nul_bytes_is_refused() -> None:
    """What a sync client leaves when a download is cut off: the size is right, the bytes
    are all zero. Stripping NULs would make it an empty paste that silently imports nothing."""
    with pytest.raises(ValueError, match="empty binary data"):
        decode_paste(bytes(4096))


def _ligature_text(length: int, controls: int) -> bytes:
    """Text as copied from an old TeX PDF (OT1 Type 3 fonts): "ff", "ffi" and "ffl" come
    out as the control bytes 0x0B, 0x0E, 0x0F. `length` bytes holding `controls` of them."""
    words = [b"e\x0eicient ", b"di\x0berent ", b"a\x0fuent ", b"co\x0eicients ", b"e\x0bect "]
    out = bytearray()
    for i in range(controls):
        out += words[i % len(words)]
    assert len(out) <= length
    filler = b"of the network on large-scale image recognition benchmarks "
    while len(out) < length:
        out += filler[: length - len(out)]
    return bytes(out)


@pytest.mark.parametrize(("length", "controls", "is_text"), [
    (150, 8, True),     # a short paste may hold up to 8 stray controls ...
    (150, 9, False),    # ... a ninth makes it binary
    (400, 20, True),    # a longer one up to 1 in 20 ...
    (400, 21, False),   # ... and no more
])
def test_the_binary_sniff_at_its_edges(length: int, controls: int, is_text: bool) -> None:
    """The rule that tells text from binary data: more than max(8, 5 %) control bytes other
    than tab, newlines, form feed and escape. Text copied from an old PDF sits close to it."""
    data = _ligature_text(length, controls)
    assert len(data) == length and sum(data.count(b) for b in b"\x0b\x0e\x0f") == controls
    if is_text:
        assert decode_paste(data) == data.decode("ascii")
    else:
        with pytest.raises(ValueError, match=r"looks like a binary file \(binary data\)"):
            decode_paste(data)


def test_only_the_first_64_kib_are_sniffed() -> None:
    """A long paste is judged by its first 64 KiB: 5 % controls there and more after it
    is still text (the sniff stays quick on a pasted 10 MB export)."""
    head = _ligature_text(65536, 65536 // 20)
    data = head + b"\x0e" + _ligature_text(2000, 200)
    assert decode_paste(data) == data.decode("ascii")
    with pytest.raises(ValueError, match="binary data"):
        decode_paste(_ligature_text(65536, 65536 // 20 + 1))


@pytest.mark.parametrize(("text", "note"), [
    ("Clean title", ""),
    ("Sch\ufffdlkopf", "1 unreadable character (shown as \ufffd): part of the text was not valid "
                      "UTF-8. Check the titles that have one."),
    ("Sch\ufffdlkopf and M\ufffdller", "2 unreadable characters (shown as \ufffd): part of the "
                                       "text was not valid UTF-8. Check the titles that have one."),
])
def test_unreadable_note(text: str, note: str) -> None:
    from paperdeck.core.digest import unreadable_note

    assert unreadable_note(text) == note
