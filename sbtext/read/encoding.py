"""Bytes -> text: byte-order marks, UTF-16, per-line UTF-8/cp1252, and mojibake repair.

Files reach sbtext re-saved by editors, exported by Windows tools and scraped from the web: a
UTF-8 byte-order mark that was itself encoded twice ("ï»¿"), a newline before `<?xml`, UTF-16
without a mark, a text file whose lines were pasted from UTF-8 and cp1252 sources, and text that
was UTF-8 decoded as cp1252 and encoded again ("efficiÃ«nt"). Decoding never raises on such
input; mojibake is repaired with ftfy where ftfy sees it, and left alone elsewhere.
"""

from __future__ import annotations

import codecs
import re

import ftfy
from ftfy.badness import is_bad

UTF8_BOM = b"\xef\xbb\xbf"
# The UTF-8 mark read as cp1252 and written again as UTF-8, once or twice.
DOUBLE_BOMS = (b"\xc3\xaf\xc2\xbb\xc2\xbf", b"\xc3\x83\xc2\xaf\xc3\x82\xc2\xbb\xc3\x82\xc2\xbf")
CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
DECLARED = re.compile(rb"""(?:<\?xml[^>]*encoding|<meta[^>]*charset)\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
MOJIBAKE_HINT = re.compile("[ÃÂâ€ï]")


def strip_leading(data: bytes) -> bytes:
    """Drop whitespace and byte-order marks (also double-encoded ones) before the content."""
    while True:
        stripped = data.lstrip(b" \t\r\n")
        for mark in (UTF8_BOM, *DOUBLE_BOMS):
            if stripped.startswith(mark):
                stripped = stripped[len(mark) :]
        if stripped == data:
            return data
        data = stripped


def utf16_codec(data: bytes) -> str | None:
    """'utf-16' (with a mark), 'utf-16-le' or '-be' (without one, by the zero bytes), else None."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = data[:4096]
    if len(head) < 4 or head.count(0) < len(head) // 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > 0.6 * len(head[1::2]) and even < 0.1 * len(head[0::2]):
        return "utf-16-le"
    if even > 0.6 * len(head[0::2]) and odd < 0.1 * len(head[1::2]):
        return "utf-16-be"
    return None


def declared_encoding(data: bytes) -> str | None:
    """The encoding an XML declaration or HTML meta tag names, if Python knows it."""
    found = DECLARED.search(data[:4096])
    if not found:
        return None
    try:
        return codecs.lookup(found.group(1).decode("ascii")).name
    except LookupError:
        return None


def decode_lines(data: bytes) -> tuple[str, str]:
    """UTF-8 where a line is valid UTF-8, else cp1252 (latin-1 where cp1252 has no character).

    Returns the text and the encodings used ('utf-8', 'cp1252' or 'utf-8+cp1252').
    """
    parts: list[str] = []
    used: set[str] = set()
    for line in data.splitlines(keepends=True):
        try:
            parts.append(line.decode("utf-8"))
            used.add("utf-8" if not line.isascii() else "")
        except UnicodeDecodeError:
            codec = "latin-1" if CP1252_UNDEFINED.intersection(line) else "cp1252"
            parts.append(line.decode(codec))
            used.add("cp1252")
    used.discard("")
    return "".join(parts), "+".join(sorted(used, key=["utf-8", "cp1252"].index)) or "utf-8"


def decode_bytes(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Decode without raising: UTF-16, UTF-8, the declared encoding, or per line UTF-8/cp1252.

    Mojibake in the result is repaired line by line (see `repair_mojibake`).
    """
    codec = utf16_codec(data)
    if codec:
        return data.decode(codec, errors="replace").lstrip("\ufeff"), codec
    data = strip_leading(data) if data.startswith((UTF8_BOM, *DOUBLE_BOMS)) else data
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        if declared and declared not in ("utf-8", "utf-16", "utf-16-le", "utf-16-be"):
            text, encoding = data.decode(declared, errors="replace"), declared
        else:
            text, encoding = decode_lines(data)
    return repair_mojibake(text), encoding


def repair_mojibake(text: str) -> str:
    """Repair UTF-8 read as cp1252 or latin-1 ("efficiÃ«nt" -> "efficiënt") where ftfy sees it."""
    if not MOJIBAKE_HINT.search(text):
        return text
    return "".join(_repair_line(line) for line in text.splitlines(keepends=True))


def _repair_line(line: str) -> str:
    if MOJIBAKE_HINT.search(line) and is_bad(line):
        return ftfy.fix_encoding(line)
    return line
