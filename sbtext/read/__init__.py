"""Documents -> pages: one reader per format; `read_document` picks by suffix and content.

The readers return raw pages (lines or structural blocks); `sbtext.clean` turns them into the
clean page text that passages point into.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from sbtext.errors import DocumentError, Errors
from sbtext.read.corpus import MANIFEST_FIELDS, Job, doc_id_for, find_jobs, read_manifest
from sbtext.read.docx import read_docx
from sbtext.read.encoding import decode_bytes, strip_leading, utf16_codec
from sbtext.read.markup import read_html, read_xml
from sbtext.read.pdf import read_pdf_numbered
from sbtext.read.text import decode_text, read_text
from sbtext.records import Document, DocumentMeta, Page

__all__ = [
    "SUPPORTED",
    "Job",
    "decode_text",
    "doc_id_for",
    "find_documents",
    "find_jobs",
    "read_document",
    "read_manifest",
]

SUBJECT_LABEL = re.compile(r"^\s*(?:Betreft|Onderwerp)\b")
SUPPORTED = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".xml": "xml",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
}


def sniff(data: bytes) -> str:
    """What the bytes look like, whatever the file is called (UTF-16 and byte-order marks seen through)."""
    codec = utf16_codec(data)
    head = data[:4096].decode(codec, errors="replace").encode("utf-8") if codec else data[:2048]
    head = strip_leading(head.replace("\ufeff".encode(), b"")).lower()
    if head.startswith(b"%pdf"):
        return "pdf"
    if head.startswith(b"pk\x03\x04"):
        return "zip"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]:
        return "html"
    if head.startswith(b"<?xml") or head.startswith(b"<"):
        return "xml"
    if b"\x00" in head:
        return "binary"
    return "text"


def _check_content(path: Path, fmt: str, data: bytes) -> None:
    if not data:
        raise DocumentError(Errors.E002, path=str(path), stage="read")
    if not strip_leading(data).strip() or (utf16_codec(data) and not decode_bytes(data)[0].strip()):
        raise DocumentError(Errors.E045, path=str(path), stage="read", size=len(data))
    found = sniff(data)
    expected = {
        "pdf": {"pdf"},
        "docx": {"zip"},
        "html": {"html", "xml"},
        "xml": {"xml", "html"},
        "text": {"text"},
        "markdown": {"text"},
    }[fmt]
    if found not in expected and not (fmt == "docx" and found == "text"):
        raise DocumentError(Errors.E003, path=str(path), stage="read", suffix=path.suffix, found=found.upper())


def read_document(path: Path | str, meta: DocumentMeta | None = None) -> Document:
    """Read one file into a raw `Document` (pages not yet cleaned).

    Raises:
        DocumentError: with a code naming what is wrong with the file and what to do.
    """
    path = Path(path)
    fmt = SUPPORTED.get(path.suffix.lower())
    if fmt is None:
        raise DocumentError(
            Errors.E001, path=str(path), stage="read", suffix=path.suffix, supported=", ".join(sorted(SUPPORTED))
        )
    data = path.read_bytes()
    _check_content(path, fmt, data)
    meta = meta or DocumentMeta(doc_id=doc_id_for(path), path=str(path))
    meta = meta.fill(sha256=hashlib.sha256(data).hexdigest(), fmt=fmt)
    pages, found = _read(path, fmt, data)
    found = {k: v for k, v in found.items() if k in (*MANIFEST_FIELDS, "description")}
    if _names_its_subject(pages):
        found.pop("title", None)  # a letter's subject ("Betreft") names it better than its metadata
    return Document(meta=meta.fill(**found), pages=tuple(pages))


def _names_its_subject(pages: list[Page]) -> bool:
    """A letter: one of its first two pages prints a "Betreft" or "Onderwerp" label, which
    cleaning reads as the title."""
    return any(SUBJECT_LABEL.match(b.text) for page in pages[:2] for b in page.blocks if len(b.text) <= 80)


def _read(path: Path, fmt: str, data: bytes) -> tuple[list[Page], dict[str, str]]:
    if fmt == "pdf":
        return read_pdf_numbered(path)
    if fmt == "docx":
        return read_docx(path)
    if fmt == "html":
        return read_html(path, data)
    if fmt == "xml":
        return read_xml(path, data)
    return read_text(path, data, markdown=True if fmt == "markdown" else None)


def find_documents(paths: Iterable[Path | str], manifest: Path | None = None) -> Iterator[tuple[Path, DocumentMeta]]:
    """(file, metadata) pairs of `find_jobs`; a job with a problem fails when it is read."""
    for job in find_jobs(paths, manifest):
        yield job.path, job.meta
