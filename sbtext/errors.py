"""Coded errors and warnings. Each message says what was expected, what came, and what to do.

Codes are stable: `errors.csv` and the tests refer to them. Library code raises these and never
prints; the CLI decides what to show.
"""

from __future__ import annotations

from enum import Enum


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
    E020 = "the DOCX is not a valid zip package: {detail}. Re-save it from the word processor."
    E021 = (
        "the DOCX part {part!r} would unpack to {size} bytes, over the limit of {limit}; "
        "refusing it as a possible zip bomb. Re-save the document or raise the limit."
    )
    E022 = "the DOCX cannot be read: {detail}. Re-save it from the word processor."
    E030 = (
        "the XML declares a DTD or entities ({detail}); sbtext resolves none for safety. "
        "Remove the DOCTYPE and entity declarations and run again."
    )
    E031 = "the {fmt} cannot be parsed: {detail}. Check that the file is complete."
    E040 = "the text cannot be decoded as UTF-8, cp1252 or latin-1: {detail}. Save it as UTF-8."
    E041 = "no text found in the document. Check that it is not empty or a scan."
    E050 = "the manifest has a problem at line {line}: {detail}. Fix that line."
    E051 = "this path does not exist. Check the spelling or the working directory."
    E060 = "{detail}"
    E070 = "the codebook is invalid: {detail}. Compare it with the default codebook (sbtext codebook show)."
    E071 = "no usable trained models here: {detail}. Run `sbtext train` or reinstall sbtext."
    E080 = "this output exists and is not empty; it is not overwritten. Pass --force (or choose another name) to replace it."
    E090 = "spaCy pipeline {name!r} cannot be loaded: {detail}. Install it, or use --spacy-model blank."
    E099 = "unexpected failure while {stage}: {detail}. Please report this with the file."


class Warnings(str, Enum):
    """Warning codes with their message templates."""

    W001 = (
        "spaCy pipeline 'nl_core_news_sm' is not installed; running the offline fallback "
        "(blank Dutch tokenizer, rule sentencizer, simplemma lemmas)."
    )
    W002 = "{n} document(s) failed; see errors.csv."
    W003 = "{n} of {total} page(s) have no text layer (images only) and were skipped; run OCR on the file to read them."
    W004 = (
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
        self.detail = code.value.format(**fields)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = self.path
        if self.page is not None:
            where += f", page {self.page}"
        if self.line is not None:
            where += f", line {self.line}"
        prefix = f"[{self.code}] {where}: " if where else f"[{self.code}] "
        return prefix + self.detail


class DocumentError(SbtextError):
    """A document cannot be read; the corpus run records it and goes on."""


class SbtextWarning(SbtextError):
    """Something a user should know about a document that was still processed."""
