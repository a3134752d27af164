"""Coded errors and warnings. Each message says what was expected, what came, and what to do.

Codes are stable: `errors.csv` and the tests refer to them. Library code raises these and never
prints; the CLI decides what to show.
"""

from __future__ import annotations

import string
from enum import Enum
from typing import Any


class Errors(str, Enum):
    """Error codes with their message templates."""

    E001 = "unsupported file type {suffix!r}; expected one of {supported}. Convert the file or leave it out."
    E002 = "the file is empty (0 bytes). Re-download or re-export it."
    E003 = "the file is named {suffix!r} but its content looks like {found}. Rename it to the right extension."
    E010 = "the PDF cannot be opened: {detail}. The file is corrupt or truncated; download it again."
    E011 = "the PDF is encrypted and needs a password. Save an unprotected copy and run again."
    E012 = (
        "the PDF has no text layer on {n_scanned} of {n_pages} pages (images only): it is a scan. "
        "Run OCR on it (for example with ocrmypdf) and run again."
    )
    E013 = (
        "the page cannot be loaded ({detail}). The page tree is damaged; print the file again "
        "as PDF from a viewer and run again."
    )
    E020 = "the DOCX is not a valid zip package: {detail}. Re-save it from the word processor."
    E021 = (
        "the DOCX part {part!r} would unpack to {size} bytes, over the limit of {limit}; "
        "refusing it as a possible zip bomb. Re-save the document or convert it to PDF."
    )
    E022 = "the DOCX cannot be read: {detail}. Re-save it from the word processor."
    E023 = (
        "the DOCX parts together unpack to more than {limit} bytes; refusing it as a possible zip "
        "bomb. If the document is genuine, save a copy without embedded media, or as PDF, and run again."
    )
    E030 = (
        "the XML declares a DTD or entities ({detail}); sbtext resolves none for safety. "
        "Remove the DOCTYPE and entity declarations and run again."
    )
    E031 = "the {fmt} cannot be parsed: {detail}. Check that the file is complete."
    E040 = "the text cannot be decoded as UTF-8, cp1252 or latin-1: {detail}. Save it as UTF-8."
    E041 = "no text found in the document. Check that it is not empty or a scan."
    E042 = (
        "page {page} holds a paragraph of {size} characters, over the {limit} the language pipeline "
        "takes at once; the text probably lacks paragraph breaks. Add them (or split the file) and run again."
    )
    E045 = "the file holds only whitespace ({size} bytes, no text). Re-download or re-export it."
    E046 = (
        "the {fmt} nests its elements deeper than {limit} levels and cannot be read safely. "
        "Save the page again from a browser or editor (which writes flat markup) and run again."
    )
    E050 = "the manifest has a problem at line {line}: {detail}. Fix that line."
    E051 = "this path does not exist. Check the spelling or the working directory."
    E052 = (
        "the manifest entry at line {line} points outside the manifest's folder ({target!r}). Move "
        "the file into the corpus folder, or allow it explicitly (--allow-outside-manifest)."
    )
    E053 = "this file cannot be opened: {detail}. Check that it exists and that you may read it."
    E054 = "this folder cannot be read: {detail}. Check its permissions; its documents were not analysed."
    E055 = (
        "the manifest lists a file that is not there (line {line}). Correct the path in the "
        "manifest or restore the file."
    )
    E056 = "no document found in {inputs}. Pass files or folders holding PDF, DOCX, HTML, XML or text files."
    E060 = "{detail}"
    E070 = "the codebook is invalid: {detail}. Compare it with the default codebook (sbtext codebook show)."
    E071 = "no usable trained models here: {detail}. Run `sbtext train` or reinstall sbtext."
    E072 = (
        "these models were trained with the codebook {trained!r} ({trained_sha256}), but the "
        "codebook in use is {used!r} ({used_sha256}): their cue features would count other "
        "words. Retrain them on this codebook (sbtext train --codebook FILE), use the codebook they were "
        "trained with, or pass --allow-codebook-mismatch to run them anyway."
    )
    E080 = "this output exists and is not empty; it is not overwritten. Pass --force (or choose another name) to replace it."
    E081 = (
        "the output folder lies inside the input {input!r}, so a later run would read its own "
        "output as documents. Choose an --out outside the input folders."
    )
    E082 = "another sbtext run is writing to this output folder. Wait for it to finish, or choose another --out."
    E083 = (
        "this folder holds files sbtext did not write (such as {found!r}); --force replaces only a "
        "previous sbtext output. Choose another --out, or empty the folder."
    )
    E084 = "the output cannot be written: {detail}. Free disk space, check the permissions, or choose another --out."
    E085 = "the output folder holds an input document ({input!r}); replacing it would delete that input. Choose another --out."
    E090 = "spaCy pipeline {name!r} cannot be loaded: {detail}. Install it, or use --spacy-model blank."
    E099 = (
        "unexpected failure in the {stage} stage: {detail}. The other documents were processed; "
        "please report this with the file."
    )


class Warnings(str, Enum):
    """Warning codes with their message templates."""

    W001 = (
        "spaCy pipeline 'nl_core_news_sm' is not installed; running the offline fallback "
        "(blank Dutch tokenizer, rule sentencizer, simplemma lemmas)."
    )
    W003 = "{n} of {total} page(s) have no text layer (images only) and were skipped; run OCR on the file to read them."
    W004 = (
        "the manifest gives doc_id {doc_id!r} to more than one document (line {line}); this one is "
        "called {new_id!r}. Give every document its own doc_id."
    )
    W005 = (
        "{n} cell(s) longer than Excel's 32,767 characters were cut in sbtext.xlsx (marked {marker!r}); "
        "the full text is in the CSV files."
    )
    W006 = (
        "this file has the same content (sha256) as {first!r}, so both are analysed and every "
        "passage counts twice. Remove one copy if that is not meant."
    )
    W007 = (
        "this gold file overlaps the models' training data ({overlap}): its scores are measured on text the "
        "models learned from and overstate them. Use `sbtext evaluate --cross-validate` for held-out figures."
    )


class SbtextError(Exception):
    """An error with a code, the file it concerns, and where in it."""

    def __init__(
        self,
        code: Errors | Warnings,
        *,
        path: str = "",
        page: int | None = None,
        line: int | None = None,
        stage: str = "",
        **fields: object,
    ) -> None:
        self.code = code.name
        self.path = path
        self.page = page
        self.line = line
        self.stage = stage
        self.fields = fields
        self.detail = fill(code.value, {"path": path, "page": page, "line": line, "stage": stage, **fields})
        super().__init__(self.message)

    def __reduce__(self) -> tuple[Any, ...]:
        # Picklable for process pools: rebuilt from its parts, not from the formatted message.
        return _rebuild, (type(self), self.code, self.path, self.page, self.line, self.stage, self.fields)

    @property
    def message(self) -> str:
        where = self.path
        if self.page is not None:
            where += f", page {self.page}"
        if self.line is not None:
            where += f", line {self.line}"
        prefix = f"[{self.code}] {where}: " if where else f"[{self.code}] "
        return prefix + self.detail


def template_fields(template: str) -> set[str]:
    """The names a message template fills in."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def fill(template: str, values: dict[str, object]) -> str:
    """The template filled in; a field nobody passed shows as `<name?>` instead of raising.

    An error that cannot be built would replace the problem it reports by a crash, so a missing
    field degrades the message, never the run (tests build every code with all its fields).
    """
    missing = {name: f"<{name}?>" for name in template_fields(template) if name not in values}
    if not missing:
        return template.format(**values)
    return template.replace("!r}", "}").format(**values, **missing)


def _rebuild(
    cls: type[SbtextError], code: str, path: str, page: int | None, line: int | None, stage: str, fields: dict[str, Any]
) -> SbtextError:
    kind = Errors[code] if code in Errors.__members__ else Warnings[code]
    return cls(kind, path=path, page=page, line=line, stage=stage, **fields)


class DocumentError(SbtextError):
    """A document cannot be read; the corpus run records it and goes on."""


class SbtextWarning(SbtextError):
    """Something a user should know about a document that was still processed."""
