"""Exports for qualitative data analysis tools: a REFI-QDA project (.qdpx) and codebook (.qdc).

REFI-QDA is the exchange standard that ATLAS.ti, MAXQDA, NVivo and QualCoder read. A `.qdpx` is
a zip with `project.qde` (XML in the namespace `urn:QDA-XML:project:1.0`) and a `Sources/`
folder. Here every document becomes a TextSource whose plain text is the document's cleaned
text (its pages joined by a blank line), each labelled passage a PlainTextSelection with its
start and end position in that text (in characters), coded with the labels sbtext gave it; the
purpose inside the passage is a selection of its own. The codes form one code system with the
codebook's definitions as descriptions; date, kenmerk, url, source and type are variables of
each document. Identifiers are UUIDs derived from stable keys, so the same run gives the same
project. The XML is written with lxml; no REFI-QDA writer on PyPI is both maintained and
complete enough to be worth a dependency (see the README).
"""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd
from lxml import etree

from sbtext import __version__
from sbtext.clean import clean_document
from sbtext.codebook import CATEGORIES, FRAMING_CLASSES, SPHERES
from sbtext.errors import Errors, SbtextError
from sbtext.labels import FRAMING, category
from sbtext.read import read_document
from sbtext.records import Document, DocumentMeta

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PAGE_BREAK = "\n\n"
GUID_ROOT = uuid.UUID("6f1d3c52-3f0e-4b8e-9a51-2c8e1f0a7b44")
VARIABLES = ("source", "doc_type", "date", "kenmerk", "url")
FRAMING_TEXT = {
    "intrinsic": "Waardevol om zichzelf: ontmoeting, ontplooiing, zingeving, plezier, wederkerigheid.",
    "instrumental": "Middel voor een beleidsdoel: professionele zorg voorkomen of vervangen, zorg betaalbaar en "
    "toegankelijk houden, personeelstekort opvangen, kosten besparen.",
    "both": "Zowel intrinsiek als instrumenteel.",
}
FRAMING_COLORS = {"intrinsic": "#2ca02c", "instrumental": "#d62728", "both": "#9467bd"}
SPHERE_TEXT = {
    "persoonlijk": "De bewoner en zijn eigen netwerk: familie, vrienden, buren, mantelzorgers.",
    "gemeenschappelijk": "Formele en informele gemeenschappen: verenigingen, clubs, vrijwilligerswerk, "
    "buurtinitiatieven, sociaal weefsel.",
    "institutioneel": "Plekken en betaalde ondersteuning: buurthuizen, bibliotheken, welzijnswerk, opbouwwerk, "
    "jongerenwerk, buurtsportcoach, steunpunten voor vrijwilligers en mantelzorgers.",
}


@dataclass
class Code:
    """One code of the code system; `key` is the stable code sbtext uses in its CSV columns."""

    key: str
    name: str
    description: str
    codable: bool = True
    color: str = ""
    children: list[Code] = field(default_factory=list)

    @property
    def guid(self) -> str:
        return guid_of("code", self.key)


def guid_of(*parts: str) -> str:
    """A UUID derived from stable keys: the same thing gets the same identifier in every export."""
    return str(uuid.uuid5(GUID_ROOT, "\x1f".join(parts)))


def code_system() -> list[Code]:
    """The codes: expectation, framings, spheres, purpose categories, purpose span and goal statement."""
    return [
        Code(
            "expectation",
            "Verwachting van de sociale basis",
            "De passage geeft de sociale basis, of een deel ervan, een rol, een taak of een bijdrage, of vraagt "
            "haar te versterken met het oog op een doel. Alleen beschrijven of definiëren is geen verwachting.",
            color="#1f77b4",
        ),
        Code(
            "framing",
            "Framing",
            "Waarom de sociale basis ertoe doet volgens de passage (alleen bij een verwachting).",
            codable=False,
            children=[
                Code(f"framing:{f}", FRAMING[f], FRAMING_TEXT[f], color=FRAMING_COLORS[f]) for f in FRAMING_CLASSES
            ],
        ),
        Code(
            "spheres",
            "Sferen van de sociale basis",
            "Welke delen van de sociale basis de passage noemt (Verwey-Jonker gespreksmodel).",
            codable=False,
            children=[Code(f"sphere:{s}", s, SPHERE_TEXT[s]) for s in SPHERES],
        ),
        Code(
            "purpose_category",
            "Waartoe-categorie",
            "Het soort doel dat de verwachting moet dienen.",
            codable=False,
            children=[Code(f"category:{c}", category(c), f"Code in sbtext: {c}.") for c in CATEGORIES],
        ),
        Code(
            "purpose",
            "Waartoe moet dit dienen?",
            "Het doel in de tekst zelf: een bijzin (om ... te, zodat, waardoor, opdat, teneinde, met als doel) "
            "of een doelzin van hetzelfde document.",
            color="#ff7f0e",
        ),
        Code(
            "goal_statement",
            "Doelzin",
            "Een zin die een beleidsdoel noemt, ook als hij niets van de sociale basis verwacht.",
            color="#8c564b",
        ),
    ]


def _flat(codes: Iterable[Code]) -> Iterator[Code]:
    for code in codes:
        yield code
        yield from _flat(code.children)


def _codes_element(ns: str, codes: list[Code]) -> etree._Element:
    root = etree.Element(f"{{{ns}}}Codes")

    def add(parent: etree._Element, code: Code) -> None:
        attrs = {"guid": code.guid, "name": code.name, "isCodable": "true" if code.codable else "false"}
        if code.color:
            attrs["color"] = code.color
        element = etree.SubElement(parent, f"{{{ns}}}Code", attrs)
        etree.SubElement(element, f"{{{ns}}}Description").text = code.description
        for child in code.children:
            add(element, child)

    for code in codes:
        add(root, code)
    return root


def codebook_xml() -> bytes:
    """The code system alone as a REFI-QDA codebook (.qdc)."""
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS}, origin=_origin())
    root.append(_codes_element(CODEBOOK_NS, code_system()))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def write_qdc(path: str | Path) -> Path:
    """Write the codebook (.qdc) to `path`."""
    path = Path(path)
    path.write_bytes(codebook_xml())
    return path


def _origin() -> str:
    return f"sbtext {__version__}"


# ---- the project ------------------------------------------------------------------------------


def source_text(doc: Document) -> tuple[str, dict[tuple[int, str], int]]:
    """A cleaned document's plain text (pages joined by a blank line) and where each page starts,
    by PDF page and printed label (a two-page spread is one PDF page with two printed pages)."""
    starts: dict[tuple[int, str], int] = {}
    parts: list[str] = []
    at = 0
    for page in doc.pages:
        starts[(page.index, str(page.label))] = at
        parts.append(page.text)
        at += len(page.text) + len(PAGE_BREAK)
    return PAGE_BREAK.join(parts), starts


def coded_keys(row: dict[str, Any]) -> list[str]:
    """The codes a passage row carries (empty for a passage without a label)."""
    keys = ["expectation"] if _true(row.get("expectation")) else []
    if row.get("framing") in FRAMING_CLASSES:
        keys.append(f"framing:{row['framing']}")
    spheres = row.get("spheres") or ""
    keys += [f"sphere:{s}" for s in (spheres.split(";") if isinstance(spheres, str) else spheres) if s]
    if isinstance(row.get("purpose_category"), str) and row["purpose_category"]:
        keys.append(f"category:{row['purpose_category']}")
    if _true(row.get("goal_statement")):
        keys.append("goal_statement")
    return keys


def _true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true") or (value is not None and value == 1)


@dataclass(frozen=True)
class Selection:
    """A coded stretch of a source's text."""

    guid: str
    name: str
    start: int
    end: int
    codes: tuple[str, ...]


def selections(doc_id: str, text: str, starts: dict[tuple[int, str], int], rows: pd.DataFrame) -> list[Selection]:
    """The coded selections of one document; raises E099 if a passage is not where its offsets say."""
    out: list[Selection] = []
    for row in _records(rows):
        keys = coded_keys(row)
        if not keys:
            continue
        start = starts[(int(row["page_index"]), str(row["page"]))] + int(row["char_start"])
        end = start + len(row["text"])
        if text[start:end] != row["text"]:
            raise SbtextError(
                Errors.E099,
                path=doc_id,
                stage="qdpx",
                detail=f"passage {row['passage_id']} is not at its offsets in the re-read text; "
                "the file changed since the analysis: run it again",
            )
        name = f"{row['passage_id']} (p. {row['page']})"
        out.append(Selection(guid_of("sel", row["passage_id"]), name, start, end, tuple(keys)))
        p_start, p_end = int(row.get("purpose_start", -1)), int(row.get("purpose_end", -1))
        if row.get("purpose") and 0 <= p_start < p_end and text[start + p_start : start + p_end] == row["purpose"]:
            out.append(
                Selection(
                    guid_of("purpose", row["passage_id"]),
                    f"{row['passage_id']} waartoe",
                    start + p_start,
                    start + p_end,
                    ("purpose",),
                )
            )
    return out


def project_xml(
    name: str, documents: list[dict[str, Any]], texts: dict[str, str], coded: dict[str, list[Selection]]
) -> bytes:
    """The project.qde of documents (rows of documents.csv), their texts and selections."""
    ns = PROJECT_NS
    user = guid_of("user", "sbtext")
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    root = etree.Element(
        f"{{{ns}}}Project",
        nsmap={None: ns},
        name=name,
        origin=_origin(),
        creatingUserGUID=user,
        creationDateTime=now,
    )
    users = etree.SubElement(root, f"{{{ns}}}Users")
    etree.SubElement(users, f"{{{ns}}}User", guid=user, name="sbtext")
    book = etree.SubElement(root, f"{{{ns}}}CodeBook")
    book.append(_codes_element(ns, code_system()))
    variables = etree.SubElement(root, f"{{{ns}}}Variables")
    for var in VARIABLES:
        element = etree.SubElement(
            variables, f"{{{ns}}}Variable", guid=guid_of("var", var), name=var, typeOfVariable="Text"
        )
        etree.SubElement(element, f"{{{ns}}}Description").text = f"documents.csv column {var}"
    sources = etree.SubElement(root, f"{{{ns}}}Sources")
    codes = {c.key: c.guid for c in _flat(code_system())}
    for doc in documents:
        _add_source(sources, doc, user, codes, coded.get(doc["doc_id"], []))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _add_source(
    sources: etree._Element, doc: dict[str, Any], user: str, codes: dict[str, str], coded: list[Selection]
) -> None:
    ns = PROJECT_NS
    guid = source_guid(doc["doc_id"])
    source = etree.SubElement(
        sources,
        f"{{{ns}}}TextSource",
        guid=guid,
        name=str(doc.get("title") or doc["doc_id"]),
        plainTextPath=f"internal://{guid}.txt",
        creatingUser=user,
    )
    etree.SubElement(source, f"{{{ns}}}Description").text = f"{doc['doc_id']}: {Path(str(doc.get('path', ''))).name}"
    for sel in coded:
        element = etree.SubElement(
            source,
            f"{{{ns}}}PlainTextSelection",
            guid=sel.guid,
            name=sel.name,
            startPosition=str(sel.start),
            endPosition=str(sel.end),
            creatingUser=user,
        )
        for key in sel.codes:
            coding = etree.SubElement(
                element, f"{{{ns}}}Coding", guid=guid_of("coding", sel.guid, key), creatingUser=user
            )
            etree.SubElement(coding, f"{{{ns}}}CodeRef", targetGUID=codes[key])
    for var in VARIABLES:
        value = doc.get(var)
        if value is None or (isinstance(value, float) and pd.isna(value)) or str(value) == "":
            continue
        element = etree.SubElement(source, f"{{{ns}}}VariableValue")
        etree.SubElement(element, f"{{{ns}}}VariableRef", targetGUID=guid_of("var", var))
        etree.SubElement(element, f"{{{ns}}}TextValue").text = str(value)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def source_guid(doc_id: str) -> str:
    return guid_of("source", doc_id)


def write_qdpx(path: str | Path, documents: pd.DataFrame, passages: pd.DataFrame, *, name: str = "sbtext") -> Path:
    """Write a REFI-QDA project of an analysis: each document re-read and cleaned for its text.

    Documents that failed in the analysis are left out. Raises E080 if `path` exists.
    """
    path = Path(path)
    if path.exists():
        raise SbtextError(Errors.E080, path=str(path))
    ok = [d for d in _records(documents) if d.get("status", "ok") == "ok"]
    texts: dict[str, str] = {}
    coded: dict[str, list[Selection]] = {}
    by_doc = {doc_id: rows for doc_id, rows in passages.groupby("doc_id", sort=False)} if len(passages) else {}
    for doc in ok:
        meta = DocumentMeta(doc_id=str(doc["doc_id"]), path=str(doc["path"]))
        text, starts = source_text(clean_document(read_document(doc["path"], meta)))
        texts[doc["doc_id"]] = text
        rows = by_doc.get(doc["doc_id"])
        coded[doc["doc_id"]] = selections(doc["doc_id"], text, starts, rows) if rows is not None else []
    tmp = path.with_name(f".{path.name}.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", project_xml(name, ok, texts, coded))
        for doc_id, text in texts.items():
            z.writestr(f"Sources/{source_guid(doc_id)}.txt", text.encode("utf-8"))
    tmp.replace(path)
    return path
