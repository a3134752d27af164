"""The whole flow: read -> clean -> segment -> tag -> rows, one document at a time.

`process_document` is the pure per-document function (a path in, compact rows out) that a
process pool or Dask runs unchanged. `iter_results` streams documents through it; only the table
stage (`sbtext.tables`) materialises DataFrames from the rows.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.tokens import Span

from sbtext.clean import clean_document
from sbtext.errors import DocumentError, Errors, SbtextError, SbtextWarning, Warnings
from sbtext.nlp import load_nlp
from sbtext.read import Job, find_jobs, read_document
from sbtext.records import Document, DocumentMeta, Passage
from sbtext.segment import passage_spans
from sbtext.tag import Tagger, label_row

Row = dict[str, Any]
STAGES = ("read", "clean", "segment", "tag")


@dataclass(frozen=True)
class Options:
    """What a run needs to build its taggers; picklable so that workers can rebuild them."""

    spacy_model: str | None = None
    codebook: str | None = None
    models: str | None = None
    tag: bool = True
    allow_codebook_mismatch: bool = False


@dataclass
class DocResult:
    """The rows one document produced, and how long each stage took."""

    document: Row
    passages: list[Row] = field(default_factory=list)
    errors: list[Row] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


@lru_cache(maxsize=4)
def tagger_for(options: Options) -> Tagger:
    """One tagger per process and option set (loading spaCy and the models is the slow part)."""
    models = options.models if options.tag else "rules"
    return Tagger(
        load_nlp(options.spacy_model),
        codebook=options.codebook,
        models=models,
        allow_codebook_mismatch=options.allow_codebook_mismatch,
    )


def process_document(
    path: str | Path,
    meta: DocumentMeta | None = None,
    options: Options | None = None,
    *,
    problem: SbtextError | None = None,
    notes: tuple[SbtextError, ...] = (),
) -> DocResult:
    """Read, clean, segment and tag one document into rows. Never raises for a bad document.

    Whatever goes wrong inside one document (a coded error, or any other exception) becomes a
    row of `errors`; `problem` is a failure found before reading (a missing file, say), and
    `notes` are warnings found before reading, reported with the document's rows.
    """
    path = Path(path)
    options = options or Options()
    meta = meta or DocumentMeta(doc_id=path.stem, path=str(path))
    timings = dict.fromkeys(STAGES, 0.0)
    stage = "read"
    tagger = tagger_for(options)
    try:
        if problem is not None:
            raise problem
        start = time.perf_counter()
        raw = read_document(path, meta)
        timings["read"] = _lap(start)
        stage = "clean"
        doc = clean_document(raw)
        timings["clean"] = _lap(start) - timings["read"]
        stage = "segment"
        _check_lengths(doc, tagger.nlp.max_length)
        t0 = time.perf_counter()
        passages, spans = _unzip(passage_spans(doc, tagger.nlp, tagging=options.tag))
        timings["segment"] = _lap(t0)
        if not passages:
            raise DocumentError(Errors.E041, path=str(path), stage="segment")
        stage = "tag"
        t0 = time.perf_counter()
        kinds = [p.kind for p in passages]
        labels = tagger.tag_spans([p.text for p in passages], spans, kinds) if options.tag else [None] * len(passages)
        rows = [_passage_row(doc, p, label_row(lab) if lab else {}) for p, lab in zip(passages, labels)]
        timings["tag"] = _lap(t0)
    except Exception as e:  # one document never stops a run: every failure is a row
        error = coded(e, path, stage)
        failed = _document_row(meta, None, [], "failed")
        rows_of_errors = [*(_error_row(meta, n, "read") for n in notes), _error_row(meta, error, stage)]
        return DocResult(document=failed, errors=rows_of_errors, timings=timings)
    found = [*notes, *_scan_warnings(raw)]
    notes_rows = [_error_row(meta, w, "read") for w in found]
    return DocResult(
        document=_document_row(doc.meta, doc, rows, "ok"), passages=rows, errors=notes_rows, timings=timings
    )


def coded(e: Exception, path: Path, stage: str) -> SbtextError:
    """Any exception as a coded error: a file that cannot be opened, memory, or the unexpected."""
    if isinstance(e, SbtextError):
        return e
    if isinstance(e, OSError):
        return DocumentError(Errors.E053, path=str(path), stage=stage, detail=e.strerror or str(e))
    detail = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
    return DocumentError(Errors.E099, path=str(path), stage=stage, detail=detail[:500])


def _check_lengths(doc: Document, limit: int) -> None:
    """A paragraph longer than spaCy takes at once is a coded error, not a crash inside spaCy."""
    for page in doc.pages:
        for span in page.spans:
            if span.end - span.start > limit:
                raise DocumentError(
                    Errors.E042,
                    path=doc.meta.path,
                    page=page.index,
                    stage="segment",
                    size=span.end - span.start,
                    limit=limit,
                )


def _scan_warnings(doc: Document) -> list[SbtextError]:
    """Pages that are images only in an otherwise readable PDF: they need OCR to be read."""
    scanned = sum(1 for p in doc.pages if not p.blocks and p.n_images)
    if not scanned:
        return []
    return [SbtextWarning(Warnings.W003, path=doc.meta.path, stage="read", n=scanned, total=len(doc.pages))]


def _lap(start: float) -> float:
    return time.perf_counter() - start


def _unzip(pairs: Iterable[tuple[Passage, Span | None]]) -> tuple[list[Passage], list[Span | None]]:
    passages: list[Passage] = []
    spans: list[Span | None] = []
    for passage, span in pairs:
        passages.append(passage)
        spans.append(span)
    return passages, spans


def _passage_row(doc: Document, p: Passage, labels: Row) -> Row:
    return {
        "doc_id": p.doc_id,
        "source": doc.meta.source or doc.meta.doc_id,
        "page": p.page,
        "page_index": p.page_index,
        "passage_id": p.passage_id,
        "paragraph": p.paragraph,
        "kind": p.kind,
        "section": p.section,
        "char_start": p.char_start,
        "char_end": p.char_end,
        "text": p.text,
        "context": p.context,
        **labels,
    }


def _document_row(meta: DocumentMeta, doc: Document | None, rows: list[Row], status: str) -> Row:
    return {
        "doc_id": meta.doc_id,
        "path": meta.path,
        "source": meta.source or meta.doc_id,
        "title": meta.title,
        "doc_type": meta.doc_type,
        "date": meta.date,
        "kenmerk": meta.kenmerk,
        "url": meta.url,
        "description": meta.description,
        "format": meta.fmt,
        "page_numbering": meta.page_numbering,
        "n_pages": len(doc.pages) if doc else 0,
        "n_passages": len(rows),
        "n_expectations": sum(1 for r in rows if r.get("expectation")),
        "sha256": meta.sha256,
        "status": status,
    }


def _error_row(meta: DocumentMeta, e: SbtextError, stage: str) -> Row:
    return {
        "doc_id": meta.doc_id,
        "path": meta.path,
        "stage": e.stage or stage,
        "code": e.code,
        "page": "" if e.page is None else e.page,
        "message": e.message,
    }


def iter_results(
    paths: Iterable[str | Path],
    *,
    manifest: str | Path | None = None,
    options: Options | None = None,
    n_process: int = 1,
    allow_outside: bool = False,
) -> Iterator[DocResult]:
    """Stream documents through `process_document`, in input order, on one or more processes."""
    options = options or Options()
    jobs = list(find_jobs(paths, Path(manifest) if manifest else None, allow_outside=allow_outside))
    if n_process <= 1 or len(jobs) < 2:
        for job in jobs:
            yield _process_job((job, options))
        return
    with ProcessPoolExecutor(max_workers=n_process) as pool:
        yield from pool.map(_process_job, [(job, options) for job in jobs], chunksize=1)


def _process_job(job_options: tuple[Job, Options]) -> DocResult:
    job, options = job_options
    return process_document(job.path, job.meta, options, problem=job.problem, notes=job.notes)


ProgressHook = Callable[[DocResult], object]
"""Called after each document; whatever it returns is ignored (a progress bar's update, say)."""
