"""The whole flow: read -> clean -> segment -> tag -> records -> a run, one document at a time.

`process_document` is the pure per-document function (a path in, typed passage records out) that
a process pool or Dask runs unchanged. `iter_results` streams documents through it on the local
engine; `collect_run` gathers what a run reports about itself (`run.json`, the documents and
errors tables); `write_run` feeds a `sbtext.write.RunWriter` from either engine, on Dask from
the workers themselves. Only the table stage (`sbtext.tables`) materialises DataFrames.
"""

from __future__ import annotations

import gc
import platform
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from spacy.tokens import Span

from sbtext import __version__
from sbtext import tables as t
from sbtext.clean import clean_document
from sbtext.errors import DocumentError, Errors, SbtextError, SbtextWarning, Warnings
from sbtext.nlp import backend_of, load_nlp
from sbtext.read import Job, find_jobs, read_document
from sbtext.records import Document, DocumentMeta, Label, Passage, PassageRecord
from sbtext.segment import passage_spans
from sbtext.tag import Tagger, format_cues
from sbtext.write import Part, PartPlan, PartWriter, RunWriter

Row = dict[str, Any]
STAGES = ("read", "clean", "segment", "tag")
Engine = Literal["local", "dask"]


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
    passages: list[PassageRecord] = field(default_factory=list)
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
        source = doc.meta.source or doc.meta.doc_id
        rows = [passage_record(source, p, label) for p, label in zip(passages, labels)]
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


def passage_record(source: str, p: Passage, label: Label | None) -> PassageRecord:
    """A passage of the document `source` with its label (None: not tagged) as one record."""
    record = PassageRecord(
        doc_id=p.doc_id,
        source=source,
        page=p.page,
        page_index=p.page_index,
        passage_id=p.passage_id,
        paragraph=p.paragraph,
        kind=p.kind,
        section=p.section,
        char_start=p.char_start,
        char_end=p.char_end,
        text=p.text,
        context=p.context,
    )
    if label is not None:
        record.update(label_columns(label))
    return record


def label_columns(label: Label) -> PassageRecord:
    """A label as the flat columns of a passage record; cues grouped per label in `cues`."""
    return {  # type: ignore[typeddict-item]  # the label's share of a record
        "expectation": label.expectation,
        "expectation_score": label.expectation_score,
        "framing": label.framing,
        "score_intrinsic": label.framing_scores.get("intrinsic", 0.0),
        "score_instrumental": label.framing_scores.get("instrumental", 0.0),
        "score_both": label.framing_scores.get("both", 0.0),
        "purpose": label.purpose,
        "purpose_start": label.purpose_start,
        "purpose_end": label.purpose_end,
        "purpose_category": label.purpose_category,
        "spheres": ";".join(label.spheres),
        "actors": ";".join(label.actors),
        "goal_statement": label.goal_statement,
        "cues": format_cues(label.cues),
        "cue_offsets": label.cues,
    }


def _document_row(meta: DocumentMeta, doc: Document | None, rows: list[PassageRecord], status: str) -> Row:
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
    with ProcessPoolExecutor(max_workers=n_process, initializer=_start_worker, initargs=(options,)) as pool:
        yield from pool.map(_process_job, [(job, options) for job in jobs], chunksize=1)


def _start_worker(options: Options) -> None:
    """A worker process loads its tagger, then keeps it out of the collector's passes (`long_lived`)."""
    tagger_for(options)
    _freeze_heap()


YOUNG_OBJECTS = 10_000
_FROZEN = [0]  # runs in progress that froze the heap


def _freeze_heap() -> tuple[int, ...]:
    """Leave every object made so far out of the collector's passes and collect young objects
    every `YOUNG_OBJECTS`; returns the collector's thresholds before."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], YOUNG_OBJECTS), *threshold[1:])
    return threshold


@contextmanager
def long_lived(options: Options) -> Iterator[None]:
    """Load the tagger, then run with every object made so far (the models, the language
    pipeline, the caller's own) left out of the garbage collector's passes, and with its youngest
    generation collected every `YOUNG_OBJECTS` new objects instead of every 700, until the run ends.

    Tagging makes and drops many small objects, nearly all freed as soon as they are dropped; the
    collector's passes, made for the cycles among them, cost 0.67 of 7 CPU seconds on the 271-page
    benchmark (each full pass walked every object of the models and the pipeline again), 0.08 so.
    Nothing made before the run is garbage the run could free, so nothing is kept longer than it
    would be. Runs inside a run leave the collector as it is.
    """
    tagger_for(options)
    threshold = _freeze_heap() if _FROZEN[0] == 0 else gc.get_threshold()
    _FROZEN[0] += 1
    try:
        yield
    finally:
        _FROZEN[0] -= 1
        if _FROZEN[0] == 0:
            gc.set_threshold(*threshold)
            gc.unfreeze()


def _process_job(job_options: tuple[Job, Options]) -> DocResult:
    job, options = job_options
    return process_document(job.path, job.meta, options, problem=job.problem, notes=job.notes)


ProgressHook = Callable[[DocResult], object]
"""Called after each document; whatever it returns is ignored (a progress bar's update, say)."""


@dataclass(frozen=True)
class Inputs:
    """What a run reads: files and folders, an optional manifest, and whether paths may leave it."""

    paths: tuple[str | Path, ...]
    manifest: str | Path | None = None
    allow_outside: bool = False

    @classmethod
    def of(
        cls,
        paths: str | Path | Iterable[str | Path],
        manifest: str | Path | None = None,
        *,
        allow_outside: bool = False,
    ) -> Inputs:
        return cls(tuple([paths] if isinstance(paths, str | Path) else paths), manifest, allow_outside)

    def jobs(self, options: Options) -> list[tuple[Job, Options]]:
        found = find_jobs(self.paths, Path(self.manifest) if self.manifest else None, allow_outside=self.allow_outside)
        return [(job, options) for job in found]


def results_of(
    inputs: Inputs, options: Options, *, n_process: int = 1, engine: Engine = "local"
) -> Iterator[DocResult]:
    """Every document's result with its passages, in input order, from the local engine or Dask."""
    if engine == "dask":
        from sbtext.distributed import map_jobs

        return map_jobs(_process_job, inputs.jobs(options))
    return iter_results(
        inputs.paths, manifest=inputs.manifest, options=options, n_process=n_process, allow_outside=inputs.allow_outside
    )


def write_run(
    writer: RunWriter,
    inputs: Inputs,
    options: Options,
    *,
    n_process: int = 1,
    engine: Engine = "local",
    on_document: ProgressHook | None = None,
) -> dict[str, Any]:
    """Stream every document into `writer` and finish it; returns the run manifest.

    On Dask each partition is written where it runs (`sbtext.write.PartWriter`) and only its files
    and table state come back, so `on_document` sees results without their passages.
    """
    if engine == "dask":
        results = _dask_parts(writer, inputs, options)
    else:
        results = (_written(writer.add, result) for result in results_of(inputs, options, n_process=n_process))
    with long_lived(options):
        run, documents, errors = collect_run(
            inputs, options, results, n_process=n_process, engine=engine, on_result=on_document
        )
        writer.finish(documents, errors, run)
    return run


def _written(add: Callable[..., None], result: DocResult) -> DocResult:
    if result.passages:
        add(t.passage_frame(result.passages), titles={result.document["doc_id"]: str(result.document["title"])})
    return result


def _dask_parts(writer: RunWriter, inputs: Inputs, options: Options) -> Iterator[DocResult]:
    from sbtext.distributed import map_partitions

    plan = writer.plan()
    for part, results in map_partitions(_write_part, inputs.jobs(options), plan):
        writer.add_part(part)
        yield from results


def _write_part(index: int, jobs: list[tuple[Job, Options]], plan: PartPlan) -> tuple[Part, list[DocResult]]:
    """Process and write one partition of a run where it runs; its results without the passages."""
    results = []
    writer = PartWriter(plan, index)
    with writer as sink:
        for job in jobs:
            result = _written(sink.add, _process_job(job))
            results.append(replace(result, passages=[]))
    return writer.part(), results


def collect_run(
    inputs: Inputs,
    options: Options,
    results: Iterable[DocResult],
    *,
    n_process: int = 1,
    engine: Engine = "local",
    on_result: ProgressHook | None = None,
) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]:
    """Go through every result, passing each to `on_result`; the run manifest, documents and errors."""
    started = time.perf_counter()
    tagger = tagger_for(options)
    documents: list[Row] = []
    errors: list[Row] = []
    timings = dict.fromkeys(STAGES, 0.0)
    first_with: dict[str, str] = {}  # sha256 -> path of the first document with that content
    with long_lived(options):
        for result in results:
            documents.append(result.document)
            errors.extend(_duplicate_notes(result.document, first_with))
            errors.extend(result.errors)
            for stage, seconds in result.timings.items():
                timings[stage] += seconds
            if on_result:
                on_result(result)
    if not documents:
        raise SbtextError(Errors.E056, inputs=", ".join(map(str, inputs.paths)) or "(no paths)")
    timings["total"] = time.perf_counter() - started
    run = run_info(tagger, documents, errors, timings, n_process=n_process, engine=engine)
    return run, t.frame(documents, t.DOCUMENT_COLUMNS), t.frame(errors, t.ERROR_COLUMNS)


def _duplicate_notes(document: Row, first_with: dict[str, str]) -> list[Row]:
    """A W006 row when `document` has the same content as one read before it (nothing to say otherwise)."""
    sha = str(document.get("sha256") or "")
    if not sha:
        return []
    if sha not in first_with:
        first_with[sha] = str(document["path"])
        return []
    note = SbtextWarning(Warnings.W006, path=str(document["path"]), first=first_with[sha])
    return [
        {
            "doc_id": document["doc_id"],
            "path": document["path"],
            "stage": "read",
            "code": note.code,
            "page": "",
            "message": note.message,
        }
    ]


def run_info(
    tagger: Tagger, documents: list[Row], errors: list[Row], timings: dict[str, float], *, n_process: int, engine: str
) -> dict[str, Any]:
    """The run manifest (`run.json`): versions, backend, codebook and models, inputs, counts, timings."""
    import sklearn
    import spacy

    backend = backend_of(tagger.nlp)
    return {
        "sbtext_version": __version__,
        "spacy_version": spacy.__version__,
        "sklearn_version": sklearn.__version__,
        "python": platform.python_version(),
        "backend": {
            "kind": backend.kind,
            "name": backend.name,
            "version": backend.version,
            "lemmatizer": backend.lemmatizer,
            "parser": backend.has_parser,
        },
        "codebook": {
            "path": Path(tagger.codebook.path).name,
            "name": tagger.codebook.name,
            "sha256": tagger.codebook.sha256,
        },
        "models": {
            "sha256": tagger.models.sha256,
            "trained_on": (tagger.models.manifest or {}).get("training_files", {}),
        },
        "inputs": [
            {
                "doc_id": d["doc_id"],
                "path": Path(d["path"]).name,
                "sha256": d["sha256"],
                "status": d["status"],
                "page_numbering": d.get("page_numbering", ""),
            }
            for d in documents
        ],
        "counts": {
            "documents": len(documents),
            "failed": sum(d["status"] != "ok" for d in documents),
            "pages": sum(d["n_pages"] for d in documents),
            "passages": sum(d["n_passages"] for d in documents),
            "expectations": sum(d["n_expectations"] for d in documents),
            "errors": len(errors),
        },
        "options": {"n_process": n_process, "engine": engine},
        "timings": {k: round(v, 4) for k, v in timings.items()},
    }
