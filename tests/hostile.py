"""Hostile inputs, generated small at test time: damaged packages, zip bombs, lying headers,
injection attempts, odd manifests. Each maker writes into a folder and returns the file's path.
The sentences are written for these tests.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

CONTROL = "Vrijwilligers en mantelzorgers ondersteunen ouderen in de wijk, zodat zij langer thuis kunnen wonen."


def control_text(directory: Path, name: str = "controle.txt") -> Path:
    """A well-formed document that must come out of every run."""
    path = directory / name
    path.write_text(CONTROL + "\n", encoding="utf-8")
    return path


# -- PDF ----------------------------------------------------------------------------------------


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF from numbered object bodies (1 0 obj is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _text_page(media_box: bytes, count: int) -> list[bytes]:
    stream = b"BT /F1 12 Tf 72 720 Td (Buren helpen elkaar in de wijk.) Tj ET"
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % count,
        b"<< /Type /Page /Parent 2 0 R /MediaBox " + media_box + b" /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def pdf_million_pages(directory: Path) -> Path:
    """A page tree that claims 10^6 pages and holds one."""
    path = directory / "miljoen_paginas.pdf"
    path.write_bytes(raw_pdf(_text_page(b"[0 0 612 792]", 1_000_000)))
    return path


def pdf_zero_media_box(directory: Path) -> Path:
    """A page with text on it and a MediaBox of 0 x 0."""
    path = directory / "lege_paginamaat.pdf"
    path.write_bytes(raw_pdf(_text_page(b"[0 0 0 0]", 1)))
    return path


# -- DOCX ---------------------------------------------------------------------------------------


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Buurthuizen bieden een plek voor ontmoeting.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rewrite(data: bytes, replace: dict[str, bytes | None], add: dict[str, bytes] | None = None) -> bytes:
    """The package with parts replaced (None drops one) and added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            new = replace.get(item.filename, source.read(item.filename))
            if new is not None:
                target.writestr(item, new)
        for name, body in (add or {}).items():
            target.writestr(name, body)
    return buffer.getvalue()


W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
FOOTNOTES_TYPE = (
    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>'
)
FOOTNOTES_REL = (
    b'<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/footnotes" Target="footnotes.xml"/></Relationships>'
)


def _with_footnotes(footnotes: bytes) -> bytes:
    data = _docx_bytes()
    source = zipfile.ZipFile(io.BytesIO(data))
    types = source.read("[Content_Types].xml").replace(b"</Types>", FOOTNOTES_TYPE)
    rels = source.read("word/_rels/document.xml.rels").replace(b"</Relationships>", FOOTNOTES_REL)
    return _rewrite(
        data, {"[Content_Types].xml": types, "word/_rels/document.xml.rels": rels}, {"word/footnotes.xml": footnotes}
    )


def docx_footnote_id_not_a_number(directory: Path) -> Path:
    path = directory / "voetnoot_id.docx"
    notes = (
        b"<w:footnotes " + W + b'><w:footnote w:id="een"><w:p><w:r><w:t>Een noot over de '
        b"buurtsportcoach.</w:t></w:r></w:p></w:footnote></w:footnotes>"
    )
    path.write_bytes(_with_footnotes(notes))
    return path


def docx_footnotes_broken_xml(directory: Path) -> Path:
    path = directory / "voetnoten_kapot.docx"
    path.write_bytes(_with_footnotes(b"<w:footnotes " + W + b"><w:footnote w:id='1'><w:p>"))
    return path


def docx_without_body(directory: Path) -> Path:
    path = directory / "zonder_body.docx"
    path.write_bytes(_rewrite(_docx_bytes(), {"word/document.xml": b"<w:document " + W + b"/>"}))
    return path


def docx_corrupt_deflate(directory: Path) -> Path:
    """The document part's compressed bytes overwritten with garbage (zlib cannot inflate them)."""
    path = directory / "kapotte_deflate.docx"
    data = bytearray(_docx_bytes())
    z = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = z.getinfo("word/document.xml")
    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_len + extra_len
    data[start : start + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))
    return path


def docx_bad_zip(directory: Path) -> Path:
    """A zip directory that points at a local header which is not there."""
    path = directory / "kapotte_zip.docx"
    data = bytearray(_docx_bytes())
    z = zipfile.ZipFile(io.BytesIO(bytes(data)))
    offset = z.getinfo("word/document.xml").header_offset
    data[offset : offset + 4] = b"XXXX"
    path.write_bytes(bytes(data))
    return path


def _stored_zip(path: Path, parts: list[tuple[str, bytes, int, int]]) -> None:
    """A zip written by hand from pre-deflated parts: (name, raw deflate, crc, claimed size).

    Writing the zip ourselves lets one compressed body serve 250 parts, and lets a header lie.
    """
    out = bytearray()
    central = bytearray()
    for name, body, crc, size in parts:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(body), size, len(encoded), 0)
        out += encoded + body
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0,
            crc,
            len(body),
            size,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))


def _deflated(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def docx_many_part_bomb(directory: Path, parts: int = 250, size: int = 9_900_000) -> Path:
    """250 parts of 9.9 MB each (under the per-part check), 2.5 GB together, about 2.5 MB on disk."""
    path = directory / "bom_250_delen.docx"
    body = b"<w:t>" + b" " * (size - 11) + b"</w:t>"
    deflated, crc = _deflated(body), zlib.crc32(body)
    entries = [("[Content_Types].xml", _deflated(b"<Types/>"), zlib.crc32(b"<Types/>"), 8)]
    entries += [(f"word/media/deel{i}.xml", deflated, crc, len(body)) for i in range(parts)]
    _stored_zip(path, entries)
    return path


def docx_lying_header(directory: Path, size: int = 1 << 30) -> Path:
    """One part whose header says 1 kB and which unpacks to 1 GB."""
    path = directory / "liegende_kop.docx"
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b" " * (1 << 20)
    crc = 0
    pieces = []
    for _ in range(size // len(chunk)):
        pieces.append(packer.compress(chunk))
        crc = zlib.crc32(chunk, crc)
    pieces.append(packer.flush())
    _stored_zip(path, [("word/document.xml", b"".join(pieces), crc, 1000)])
    return path


# -- Text ---------------------------------------------------------------------------------------


def repeated_lines(directory: Path, n: int = 40_000) -> Path:
    path = directory / "herhaald.txt"
    path.write_text("Kom naar het buurthuis.\n" * n, encoding="utf-8")
    return path


def long_paragraph(directory: Path, size: int = 1_100_000) -> Path:
    """One paragraph over a million characters, without a single line break."""
    path = directory / "lange_alinea.txt"
    words = "buren helpen elkaar met boodschappen en klusjes "
    path.write_text((words * (size // len(words) + 1))[:size], encoding="utf-8")
    return path


def long_sentence(directory: Path, size: int = 40_000) -> Path:
    """One sentence longer than an Excel cell holds."""
    path = directory / "lange_zin.txt"
    words = "vrijwilligers en buren helpen elkaar "
    text = "Mantelzorgers spelen een onmisbare rol " + (words * (size // len(words) + 1))[:size]
    path.write_text(text.strip() + ".\n", encoding="utf-8")
    return path


FORMULAS = ('=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", " =1+1")


def formula_lines(directory: Path) -> Path:
    """Lines that Excel would run as formulas if they reached a cell as they are."""
    path = directory / "formules.txt"
    path.write_text("\n\n".join(f"{f} buren helpen elkaar." for f in FORMULAS) + "\n", encoding="utf-8")
    return path


SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def html_in_text(directory: Path) -> Path:
    path = directory / "opmaak.txt"
    path.write_text(
        f"Mantelzorgers en vrijwilligers spelen een onmisbare rol {IMG} in de wijk, zodat ouderen langer "
        "thuis kunnen wonen.\n",
        encoding="utf-8",
    )
    return path


def manifest(directory: Path, rows: list[list[str]], *, sep: str = ",", encoding: str = "utf-8") -> Path:
    path = directory / "manifest.csv"
    path.write_bytes("\n".join(sep.join(row) for row in rows).encode(encoding) + b"\n")
    return path
