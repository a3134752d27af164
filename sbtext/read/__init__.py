"""Documents -> pages: one reader per format; `read_document` picks by suffix and content.

The readers return raw pages (lines or structural blocks); `sbtext.clean` turns them into the
clean page text that passages point into.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from sbtext.errors import DocumentError, Errors, SbtextError
from sbtext.read.docx import read_docx
from sbtext.read.markup import read_html, read_xml
from sbtext.read.pdf import read_pdf_numbered
from sbtext.read.text import decode_text, read_text
from sbtext.records import Document, DocumentMeta, Page

__all__ = ["SUPPORTED", "decode_text", "find_documents", "read_document", "read_manifest"]

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
MANIFEST_NAMES = ("manifest.csv",)
MANIFEST_FIELDS = ("path", "doc_id", "source", "title", "doc_type", "date", "kenmerk", "url")
IGNORED = re.compile(r"^(readme|license|licence|manifest)(\.|$)|^\.", re.I)


def sniff(data: bytes) -> str:
    """What the bytes look like, whatever the file is called."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
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
    if not data.strip():
        raise DocumentError(Errors.E002, path=str(path), stage="read")
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
    return Document(meta=meta.fill(**{k: v for k, v in found.items() if k in MANIFEST_FIELDS}), pages=tuple(pages))


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


def doc_id_for(path: Path) -> str:
    """A readable id from the file name: lower case, safe characters only."""
    return re.sub(r"[^a-z0-9_.-]+", "-", path.stem.lower()).strip("-") or "document"


def read_manifest(path: Path) -> dict[Path, DocumentMeta]:
    """Read a corpus manifest (CSV with a `path` column, relative to the manifest's folder)."""
    entries: dict[Path, DocumentMeta] = {}
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if not reader.fieldnames or "path" not in reader.fieldnames:
            raise SbtextError(Errors.E050, path=str(path), line=1, detail="no 'path' column in the header")
        for line, row in enumerate(reader, start=2):
            if not (row.get("path") or "").strip():
                raise SbtextError(Errors.E050, path=str(path), line=line, detail="empty path")
            file = (path.parent / row["path"].strip()).resolve()
            fields = {k: (row.get(k) or "").strip() for k in MANIFEST_FIELDS if k != "path"}
            fields["doc_id"] = fields["doc_id"] or doc_id_for(file)
            entries[file] = DocumentMeta(path=str(file), **fields)
    return entries


def find_documents(paths: Iterable[Path | str], manifest: Path | None = None) -> Iterator[tuple[Path, DocumentMeta]]:
    """Expand files and folders into (file, metadata) pairs in a stable order.

    A folder's own `manifest.csv` supplies metadata for its files; an explicit `manifest`
    applies to all. Files the manifest lists but the folders lack are still read.
    """
    known: dict[Path, DocumentMeta] = read_manifest(manifest) if manifest else {}
    files: list[Path] = []
    for p in map(Path, paths):
        if not p.exists():
            raise SbtextError(Errors.E051, path=str(p))
        if p.is_dir():
            for name in MANIFEST_NAMES:
                if (p / name).is_file():
                    known = {**read_manifest(p / name), **known}
            files.extend(f for f in sorted(p.rglob("*")) if f.is_file() and not IGNORED.search(f.name))
        elif p.name in MANIFEST_NAMES:
            known = {**read_manifest(p), **known}
            files.extend(known)
        else:
            files.append(p)
    seen: dict[str, int] = {}
    done: set[Path] = set()
    for file in files:
        resolved = file.resolve()
        if resolved in done:
            continue
        done.add(resolved)
        meta = known.get(resolved) or DocumentMeta(doc_id=doc_id_for(file), path=str(file))
        n = seen.get(meta.doc_id, 0)
        seen[meta.doc_id] = n + 1
        if n:
            meta = DocumentMeta(**{**meta.__dict__, "doc_id": f"{meta.doc_id}-{n + 1}"})
        yield file, meta
