"""Plain text and Markdown -> pages of lines.

UTF-8 (with or without BOM) and UTF-16 (with BOM, or recognised by its zero bytes); a file that is
not valid UTF-8 is decoded line by line, UTF-8 where a line is valid and cp1252 (the usual Windows
export) elsewhere, so that a file pasted together from both is read without mojibake; text that
was double-encoded is repaired with ftfy (`sbtext.read.encoding`). A form feed starts a new page. Markdown
markup (headings, emphasis, links, <sup> footnote numbers) is reduced to its text.
"""

from __future__ import annotations

import re
from pathlib import Path

from sbtext.read.encoding import decode_bytes
from sbtext.records import Block, Page

MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
MD_FOOTNOTE = re.compile(r"^\s*(?:<sup>\s*(\d{1,3})\s*</sup>|\[\^(\d{1,3})\]:)\s*(.*)$")
MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
MD_INLINE_NOTE = re.compile(r"<sup>\s*\d{1,3}\s*</sup>|\[\^\d{1,3}\]")
MD_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
MD_EMPHASIS = re.compile(r"(\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*]))")
MD_AUTOLINK = re.compile(r"<(https?://[^>]+)>")
MD_ESCAPE = re.compile(r"\\+([\\_()\[\]*#`])")


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """Decode a text file (never raises on bad bytes); return the text and the encoding found."""
    return decode_bytes(data)


MD_MARKS = re.compile(r"^\s{0,3}#{1,6}\s|\*\*\S.*\S\*\*|<sup>|\]\([^)]*\)", re.M)


def looks_like_markdown(text: str) -> bool:
    """Plain-text exports of web pages are often Markdown; three marks are enough to tell."""
    return len(MD_MARKS.findall(text[:200_000])) >= 3


def read_text(path: Path, data: bytes, *, markdown: bool | None = None) -> tuple[list[Page], dict[str, str]]:
    """Read a text or Markdown file into pages of lines; form feeds separate pages.

    `markdown=None` decides from the content.
    """
    text, encoding = decode_text(path, data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if markdown is None:
        markdown = looks_like_markdown(text)
    pages = []
    for i, chunk in enumerate(text.split("\f"), start=1):
        lines = chunk.split("\n")
        blocks = [_markdown_block(line) for line in lines] if markdown else [Block(line) for line in lines]
        pages.append(Page(index=i, label=str(i), blocks=tuple(blocks)))
    return pages, {"encoding": encoding}


def _markdown_block(line: str) -> Block:
    heading = MD_HEADING.match(line)
    if heading:
        return Block(_strip_markdown(heading.group(1)), kind="heading")
    note = MD_FOOTNOTE.match(line)
    if note:
        return Block(_strip_markdown(note.group(3)), kind="footnote")
    return Block(_strip_markdown(line))


def _strip_markdown(line: str) -> str:
    line = MD_LINK.sub(r"\1", line)
    line = MD_AUTOLINK.sub(r"\1", line)
    line = MD_INLINE_NOTE.sub("", line)
    line = MD_TAG.sub("", line)
    line = MD_EMPHASIS.sub("", line)
    return MD_ESCAPE.sub(r"\1", line).rstrip()
