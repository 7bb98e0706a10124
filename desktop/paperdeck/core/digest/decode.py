"""Turn bytes from a file or the clipboard into text, refusing binary files politely."""

from __future__ import annotations

import codecs

# File signatures of things people drop by mistake: images, PDFs, archives, office files.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/Excel file)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
    (b"RIFF", "a media file"),
    (b"OggS", "an audio file"),
    (b"ID3", "an MP3 file"),
)
_TEXT_CONTROLS = frozenset(b"\t\n\r\x0c\x1b")


def _binary_kind(data: bytes) -> str:
    """Name what the bytes look like, or "" when they look like text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            if magic == b"MZ" and data[2:3].isalpha():
                continue  # "MZ" is also how some text starts
            return kind
    sample = data[:65536].replace(b"\x00", b"")
    if not sample:
        return "empty binary data" if data else ""
    controls = sum(1 for b in sample if b < 32 and b not in _TEXT_CONTROLS)
    return "binary data" if controls > max(8, len(sample) // 20) else ""


def decode_paste(data: bytes) -> str:
    """Decode pasted or dropped bytes to text (see decode_paste_noted)."""
    return decode_paste_noted(data)[0]


def decode_paste_noted(data: bytes) -> tuple[str, str]:
    """Decode pasted or dropped bytes to text, with a note for the user ('' if none).

    Tries UTF-8 (with or without BOM) and UTF-16/32 with a BOM. UTF-8 text with a few
    bytes that are not UTF-8 stays UTF-8: only those bytes become U+FFFD, and the note
    says how many (one stray byte used to turn the whole file into cp1252 mojibake).
    Text that is not UTF-8 at all (no valid multi-byte sequence outweighs the bad bytes)
    is read as cp1252, else Latin-1, so a legacy file never loses the user's paste.
    NULs are stripped. Raises ValueError for binary files (images, PDFs, archives).
    """
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        return _noted(data.decode("utf-32", errors="replace").replace("\x00", ""), data, "UTF-32")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return _noted(data.decode("utf-16", errors="replace").replace("\x00", ""), data, "UTF-16")
    kind = _binary_kind(data)
    if kind:
        raise ValueError(f"looks like a binary file ({kind}), not text: paste or open a text file")
    data = data.replace(b"\x00", b"")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
        return _noted(data.decode("utf-8", errors="replace"), data, "UTF-8")
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError:
        pass
    bad = _replaced(data, "utf-8")
    text = data.decode("utf-8", errors="replace")
    valid = sum(1 for ch in text if not ch.isascii() and ch != "\ufffd")
    if valid >= bad:  # UTF-8 with some damage, not a legacy encoding
        return text, _bad_bytes_note(bad, "UTF-8")
    try:
        return data.decode("cp1252"), ""
    except UnicodeDecodeError:
        return data.decode("latin-1"), ""


def _replaced(data: bytes, encoding: str) -> int:
    """How many U+FFFD decoding `data` with errors="replace" puts in (one per bad spot)."""
    return len(data.decode(encoding, errors="replace")) - len(data.decode(encoding, errors="ignore"))


def _noted(text: str, data: bytes, encoding: str) -> tuple[str, str]:
    """Text decoded with replacements from a file that announced its encoding (a BOM)."""
    return text, _bad_bytes_note(_replaced(data, encoding), encoding)


def _bad_bytes_note(n: int, encoding: str) -> str:
    if not n:
        return ""
    return (f"{n} unreadable character{'s' if n != 1 else ''} (not valid {encoding}) "
            f"{'are' if n != 1 else 'is'} shown as \ufffd; the rest was read as {encoding}.")


def unreadable_note(text: str) -> str:
    """A warning for text holding U+FFFD (bytes that could not be decoded), '' if none."""
    n = text.count("\ufffd")
    if not n:
        return ""
    return (f"{n} unreadable character{'s' if n != 1 else ''} (shown as \ufffd): part of the "
            "text was not valid UTF-8. Check the titles that have one.")
