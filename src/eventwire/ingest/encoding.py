"""Bytes to Unicode for ingest: binary sniffing, encoding choice, mojibake repair, text normalisation.

Decoding policy:
- UTF-8 (with or without BOM) and UTF-16/32 with a BOM are read as such; UTF-16 without a BOM
  is recognised by its NUL bytes (mostly-Latin text) and read with a note.
- Files with NUL bytes or a known binary signature (PDF, ZIP, images, ...) are rejected.
- UTF-8 with a few damaged bytes (more well-formed multi-byte characters than bad bytes) is
  read as UTF-8 with the bad bytes replaced, and a note says so.
- Other bytes that are not valid UTF-8 are decoded with the charset the document declares
  (XML/HTML ``encoding=``/``charset=``) when there is one; otherwise as Windows-1252 if the
  result looks like text (few control characters, mostly ASCII). That fallback is reported
  back as a note so the caller can warn; anything else is rejected as undecodable.
- Common mojibake (UTF-8 read as Windows-1252, e.g. "â€™" for "’") is repaired.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

#: Leading bytes of common non-text formats, with a name for the failure message.
BINARY_SIGNATURES: dict[bytes, str] = {
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive or office document",
    b"\x1f\x8b": "gzip archive",
    b"BZh9": "bzip2 archive",
    b"7z\xbc\xaf\x27\x1c": "7z archive",
    b"\xfd7zXZ\x00": "xz archive",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\x7fELF": "executable",
    b"\xd0\xcf\x11\xe0": "legacy office document",
    b"SQLite format 3\x00": "SQLite database",
}
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED_CHARSET = re.compile(rb"""(?:encoding|charset)\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.I)
#: Windows-1252 fallback is accepted only when the text looks like text.
_MAX_CONTROL_RATIO = 0.001
_MAX_NON_ASCII_RATIO = 0.2
#: UTF-16 without a byte-order mark is recognised when this share of its characters has a NUL byte.
_UTF16_MIN_NUL_RATIO = 0.6
_UTF16_SAMPLE_BYTES = 4096


class UnreadableInput(Exception):
    """An input that cannot be turned into text; the message is one line for a Failure."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Decoded:
    """Decoded text plus an optional note when a fallback encoding was used."""

    text: str
    encoding: str
    note: str | None = None


def decode_bytes(data: bytes) -> Decoded:
    """Decode an input's bytes to normalised text, or raise UnreadableInput saying why not."""
    if not data.strip():
        raise UnreadableInput("empty file" if not data else "empty file (only whitespace)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decoded(_decode_with(data, encoding), encoding)
    unmarked = _utf16_without_bom(data)
    if unmarked is not None:
        return unmarked
    _reject_binary(data)
    try:
        return _decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        return _decode_legacy(data, error)


def _decode_with(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        message = f"not valid {encoding} text despite its byte-order mark ({error.reason})"
        raise UnreadableInput(message) from None


def _reject_binary(data: bytes) -> None:
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise UnreadableInput(f"binary file ({kind}), not text")
    if b"\x00" in data:
        raise UnreadableInput("binary file (contains NUL bytes), not text")


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 text saved without a byte-order mark: mostly-Latin text has a NUL in every other byte.

    The side of the NULs gives the byte order; the result must still look like text.
    """
    sample = data[:_UTF16_SAMPLE_BYTES]
    pairs = len(sample) // 2
    if pairs < 2 or len(data) % 2:
        return None
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    for nuls, other, encoding in ((odd_nuls, even_nuls, "utf-16-le"), (even_nuls, odd_nuls, "utf-16-be")):
        if nuls >= _UTF16_MIN_NUL_RATIO * pairs and other == 0:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            if looks_like_text(text):
                return _decoded(text, encoding, note=f"no byte-order mark; read as {encoding.upper()}")
    return None


def _decode_legacy(data: bytes, error: UnicodeDecodeError) -> Decoded:
    where = f"byte 0x{data[error.start]:02x} at offset {error.start}"
    declared = declared_charset(data)
    if declared and declared not in ("utf-8", "utf8"):
        try:
            return _decoded(data.decode(declared), declared)
        except (LookupError, UnicodeDecodeError):
            pass
    damaged = _damaged_utf8(data)
    if damaged is not None:
        return damaged
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if text and looks_like_text(text):
        return _decoded(text, "cp1252", note=f"not valid UTF-8 ({where}); read as Windows-1252")
    raise UnreadableInput(f"not valid UTF-8 text ({where}) and not readable as Windows-1252 text")


def _damaged_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few bad bytes (a cut or corrupted character): keep it, replacing the bad bytes.

    It counts as UTF-8 when it has more well-formed multi-byte characters than bad bytes.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    well_formed = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    if well_formed <= bad:
        return None
    note = f"{bad} invalid UTF-8 byte sequence(s) replaced with U+FFFD"
    return _decoded(text, "utf-8", note=note)


def declared_charset(data: bytes) -> str | None:
    """The charset an XML/HTML document declares in its first kilobytes, normalised, if Python knows it."""
    match = _DECLARED_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None


def looks_like_text(text: str) -> bool:
    """True when a decoded string has (almost) no control characters and is mostly ASCII."""
    if not text:
        return False
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    return controls / len(text) <= _MAX_CONTROL_RATIO and non_ascii / len(text) <= _MAX_NON_ASCII_RATIO


def _decoded(text: str, encoding: str, note: str | None = None) -> Decoded:
    return Decoded(normalise_text(text), encoding, note)


# --- mojibake -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _cp1252_byte_of() -> dict[str, int]:
    """Map each character Windows-1252 produces back to its byte (undefined bytes map to C1 controls)."""
    table: dict[str, int] = {}
    for byte in range(256):
        try:
            table[bytes([byte]).decode("cp1252")] = byte
        except UnicodeDecodeError:
            table[chr(byte)] = byte
    return table


@lru_cache(maxsize=1)
def _mojibake_pattern() -> re.Pattern[str]:
    """UTF-8 multi-byte sequences as they look after being decoded as Windows-1252."""
    table = _cp1252_byte_of()
    continuation = "".join(re.escape(ch) for ch, byte in table.items() if 0x80 <= byte <= 0xBF)
    lead2 = "".join(re.escape(ch) for ch, byte in table.items() if 0xC2 <= byte <= 0xDF)
    lead3 = "".join(re.escape(ch) for ch, byte in table.items() if 0xE0 <= byte <= 0xEF)
    lead4 = "".join(re.escape(ch) for ch, byte in table.items() if 0xF0 <= byte <= 0xF4)
    cont = f"[{continuation}]"
    return re.compile(f"[{lead4}]{cont}{{3}}|[{lead3}]{cont}{{2}}|[{lead2}]{cont}")


def _redecode(match: re.Match[str]) -> str:
    table = _cp1252_byte_of()
    chunk = match.group(0)
    try:
        repaired = bytes(table[ch] for ch in chunk).decode("utf-8")
    except UnicodeDecodeError:
        return chunk
    if any(unicodedata.category(ch) in ("Cc", "Cn", "Co") for ch in repaired):
        return chunk
    return repaired


def fix_mojibake(text: str) -> str:
    """Repair UTF-8 text that was decoded as Windows-1252 (e.g. "â€™" → "’", "Ã©" → "é").

    Lost bytes are guessed: "â€" followed by U+FFFD (byte 0x9D lost) becomes "”", and "Â"
    before U+FFFD or a space (a mangled no-break space or soft hyphen) is dropped.
    """
    if text.isascii():
        return text
    text = text.replace("â€\ufffd", "”")
    for _ in range(2):  # text mangled twice needs two passes
        repaired = _mojibake_pattern().sub(_redecode, text)
        if repaired == text:
            break
        text = repaired
    return re.sub("Â\ufffd|Â(?=[ \u00a0])", "", text)


_CONTROL_CHARS = re.compile("[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f\u200b\ufeff]")
_LONE_SURROGATES = re.compile("[\ud800-\udfff]")


def normalise_text(text: str) -> str:
    """Unify newlines, drop control and zero-width characters, repair mojibake, compose to NFC.

    Lone surrogates (half of a character, e.g. from a JSON ``"\\ud83d"`` escape) become U+FFFD:
    no UTF-8 writer accepts them.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _LONE_SURROGATES.sub("\ufffd", _CONTROL_CHARS.sub("", fix_mojibake(text)))
    return unicodedata.normalize("NFC", text)
