"""The Python API for notebooks and scripts: `analyze`, `tag_text`, `show`, and `Analysis`."""

from __future__ import annotations

import json
import platform
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import sklearn
import spacy

from sbtext import __version__
from sbtext import tables as t
from sbtext.errors import Errors, SbtextError, SbtextWarning, Warnings
from sbtext.export import EXCEL_ROWS, CellCutWarning, markdown_table, write_json, write_text, write_xlsx
from sbtext.labels import workbook_sheets
from sbtext.nlp import backend_of
from sbtext.outdir import staged_output
from sbtext.pipeline import STAGES, DocResult, Options, ProgressHook, iter_results, tagger_for
from sbtext.report import report_html
from sbtext.stream import OutputWriter, note_cut_cells, note_sheets, write_tables
from sbtext.tag import label_row

CSV_FILES = (
    "passages",
    "documents",
    "expectations",
    "expectations_long",
    "framing_by_source",
    "purpose_by_source",
    "spheres_by_framing",
    "errors",
)


@dataclass(repr=False)
class Analysis:
    """The result of a run: tidy DataFrames plus the tables built from them."""

    documents: pd.DataFrame
    passages: pd.DataFrame
    errors: pd.DataFrame
    run: dict[str, Any] = field(default_factory=dict)
    top: int = 5

    def __repr__(self) -> str:
        expectations = int(self.passages["expectation"].sum()) if "expectation" in self.passages else 0
        backend = self.run.get("backend", {}).get("kind", "?")
        return (
            f"<Analysis: {len(self.documents)} documents, {len(self.passages)} passages, "
            f"{expectations} expectations, {len(self.errors)} errors; backend {backend}>"
        )

    def expectations_long(self, top: int | None = None) -> pd.DataFrame:
        return t.expectations_long(self.passages, top=top or self.top)

    def expectation_table(self, top: int | None = None) -> pd.DataFrame:
        """The slide's table: Bron | Verwachting van de sociale basis | Waartoe moet dit dienen?"""
        return t.expectation_table(self.expectations_long(top))

    def tables(self, top: int | None = None) -> dict[str, pd.DataFrame]:
        """Every table by file name, the expectation table first."""
        passages = self.passages.drop(columns=["cue_offsets"], errors="ignore")
        return t.built(self.passages, top=top or self.top).tables(passages, self.documents, self.errors)

    def to_excel(self, path: str | Path, top: int | None = None, *, force: bool = False) -> Path:
        """Write every table as a sheet; an existing file is kept unless `force`."""
        path = Path(path)
        if path.exists() and not force:
            raise SbtextError(Errors.E080, path=str(path))
        write_xlsx(workbook_sheets(self.tables(top)), path)
        return path

    def to_qdpx(self, path: str | Path, *, name: str = "sbtext") -> Path:
        """Write a REFI-QDA project (.qdpx) for ATLAS.ti, MAXQDA, NVivo or QualCoder (see `sbtext.qda`)."""
        from sbtext.qda import write_qdpx

        return write_qdpx(path, self.documents, self.passages, name=name)

    def to_dir(
        self, path: str | Path, *, force: bool = False, excel_csv: bool = False, top: int | None = None
    ) -> list[Path]:
        """Write every output file into `path` (see the README for the list).

        The files are written into a fresh folder beside `path` and swapped in at the end (see
        `sbtext.outdir`): `path` holds the previous complete output until then.
        """
        target = Path(path)
        with staged_output(target, force=force) as out:
            start = time.perf_counter()
            tables = self.tables(top)
            self.run.setdefault("timings", {})["tables"] = round(time.perf_counter() - start, 4)
            start = time.perf_counter()
            written = write_tables(out, {**tables, "passages": self.passages}, excel_csv=excel_csv)
            written.append(out / "sbtext.xlsx")
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", CellCutWarning)
                note_sheets(self.run, write_xlsx(workbook_sheets(tables), written[-1]))
            note_cut_cells(self.run, caught)
            written.append(out / "expectations.md")
            write_text(markdown_table(tables["expectations"]), written[-1])
            written.append(out / "report.html")
            write_text(report_html(tables, self.passages, self.documents, self.run, base=target), written[-1])
            self.run["timings"]["write"] = round(time.perf_counter() - start, 4)
            written.append(out / "run.json")
            write_json(self.run, written[-1])
        return [target / p.name for p in written]


def analyze(
    paths: str | Path | Iterable[str | Path],
    *,
    manifest: str | Path | None = None,
    spacy_model: str | None = None,
    codebook: str | Path | None = None,
    models: str | Path | None = None,
    n_process: int = 1,
    engine: str = "local",
    top: int = 5,
    on_document: ProgressHook | None = None,
    allow_outside: bool = False,
    allow_codebook_mismatch: bool = False,
) -> Analysis:
    """Run the pipeline over files and folders and collect the results.

    Args:
        paths: a file, a folder (its `manifest.csv` is used), or a list of them.
        manifest: an explicit corpus manifest.
        spacy_model: pipeline name or path; None uses SBTEXT_SPACY_MODEL, else nl_core_news_sm,
            falling back offline to the blank Dutch pipeline.
        codebook: a codebook YAML replacing the default.
        models: a folder of trained models replacing the shipped ones.
        n_process: documents processed in parallel processes.
        engine: "local", or "dask" to run the per-document function on Dask.
        top: expectations per source in the table.
        on_document: called after each document (a progress bar, for instance).
        allow_outside: read manifest paths outside the manifest's folder (`../`, absolute).
        allow_codebook_mismatch: run models trained with another codebook than `codebook`
            (refused otherwise, E072).

    Example:
        >>> result = sbtext.analyze("corpora/sample")  # doctest: +SKIP
        >>> result.expectation_table().head()  # doctest: +SKIP
    """
    chunks: list[pd.DataFrame] = []

    def collect(result: DocResult) -> None:
        # Each document's rows become a small DataFrame at once: a dict per passage costs several
        # times the memory of the same values in columns, and a corpus holds hundreds of thousands.
        if result.passages:
            chunks.append(t.frame(result.passages, t.PASSAGE_COLUMNS))
        if on_document:
            on_document(result)

    options = _options(spacy_model, codebook, models, allow_codebook_mismatch)
    run, documents, errors = _run(paths, manifest, options, n_process, engine, collect, allow_outside)
    passages = pd.concat(chunks, ignore_index=True) if chunks else t.frame([], t.PASSAGE_COLUMNS)
    return Analysis(documents=documents, passages=passages, errors=errors, run=run, top=top)


def analyze_to_dir(
    paths: str | Path | Iterable[str | Path],
    out: str | Path,
    *,
    force: bool = False,
    excel_csv: bool = False,
    parquet: bool = False,
    manifest: str | Path | None = None,
    spacy_model: str | None = None,
    codebook: str | Path | None = None,
    models: str | Path | None = None,
    n_process: int = 1,
    engine: str = "local",
    top: int = 5,
    on_document: ProgressHook | None = None,
    excel_rows: int = EXCEL_ROWS,
    allow_outside: bool = False,
    allow_codebook_mismatch: bool = False,
) -> dict[str, Any]:
    """Run the pipeline and write every output file into `out` as the documents arrive.

    What `analyze(...).to_dir(out)` writes, byte for byte, but without holding the passages:
    memory stays flat however large the corpus. The arguments are those of `analyze` and
    `Analysis.to_dir`, plus `parquet` (also write `out/parquet/`, partitioned by document) and
    `excel_rows` (rows per workbook sheet). Returns the run manifest (`run.json`).

    The run is written into a fresh folder beside `out` and swapped in when it is complete, so
    `out` never holds a mix of two runs (see `sbtext.outdir` for the rules and the lock).

    Example:
        >>> run = sbtext.api.analyze_to_dir("corpora/sample", "out/sample")  # doctest: +SKIP
        >>> run["counts"]["expectations"]  # doctest: +SKIP
    """
    inputs = [paths] if isinstance(paths, str | Path) else list(paths)
    options = _options(spacy_model, codebook, models, allow_codebook_mismatch)
    with (
        staged_output(Path(out), force=force, inputs=[*inputs, *([manifest] if manifest else [])]) as stage,
        OutputWriter(stage, top=top, excel_csv=excel_csv, parquet=parquet, excel_rows=excel_rows) as writer,
    ):

        def write(result: DocResult) -> None:
            if result.passages:
                writer.add(t.frame(result.passages, t.PASSAGE_COLUMNS), title=str(result.document["title"]))
            if on_document:
                on_document(result)

        run, documents, errors = _run(inputs, manifest, options, n_process, engine, write, allow_outside)
        writer.finish(documents, errors, run)
    return run


def _options(
    spacy_model: str | None,
    codebook: str | Path | None,
    models: str | Path | None,
    allow_codebook_mismatch: bool = False,
) -> Options:
    return Options(
        spacy_model=spacy_model,
        codebook=str(codebook) if codebook else None,
        models=str(models) if models else None,
        allow_codebook_mismatch=allow_codebook_mismatch,
    )


def _run(
    paths: str | Path | Iterable[str | Path],
    manifest: str | Path | None,
    options: Options,
    n_process: int,
    engine: str,
    on_result: Callable[[DocResult], None],
    allow_outside: bool = False,
) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]:
    """Stream every document through the pipeline into `on_result`; the run manifest, documents and errors."""
    started = time.perf_counter()
    paths = [paths] if isinstance(paths, str | Path) else list(paths)
    tagger = tagger_for(options)
    if engine == "dask":
        from sbtext.distributed import dask_results

        results: Iterable[DocResult] = dask_results(
            paths, manifest=manifest, options=options, allow_outside=allow_outside
        )
    else:
        results = iter_results(
            paths, manifest=manifest, options=options, n_process=n_process, allow_outside=allow_outside
        )
    documents: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    counts = {"passages": 0, "expectations": 0}
    timings = dict.fromkeys(STAGES, 0.0)
    first_with: dict[str, str] = {}  # sha256 -> path of the first document with that content
    for result in results:
        documents.append(result.document)
        errors.extend(_duplicate_notes(result.document, first_with))
        counts["passages"] += len(result.passages)
        counts["expectations"] += sum(bool(p.get("expectation")) for p in result.passages)
        errors.extend(result.errors)
        for stage, seconds in result.timings.items():
            timings[stage] += seconds
        on_result(result)
    if not documents:
        raise SbtextError(Errors.E056, inputs=", ".join(map(str, paths)) or "(no paths)")
    run = _run_info(
        tagger, options, documents, counts, errors, timings, time.perf_counter() - started, n_process, engine
    )
    return run, t.frame(documents, t.DOCUMENT_COLUMNS), t.frame(errors, t.ERROR_COLUMNS)


def _duplicate_notes(document: dict[str, Any], first_with: dict[str, str]) -> list[dict[str, Any]]:
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


def _run_info(
    tagger: Any,
    options: Options,
    documents: list[dict[str, Any]],
    counts: dict[str, int],
    errors: list[dict[str, Any]],
    timings: dict[str, float],
    total: float,
    n_process: int,
    engine: str,
) -> dict[str, Any]:
    backend = backend_of(tagger.nlp)
    n_pages = sum(d["n_pages"] for d in documents)
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
            "pages": n_pages,
            "passages": counts["passages"],
            "expectations": counts["expectations"],
            "errors": len(errors),
        },
        "options": {"n_process": n_process, "engine": engine},
        "timings": {**{k: round(v, 4) for k, v in timings.items()}, "total": round(total, 4)},
    }


def tag_text(
    text: str,
    *,
    spacy_model: str | None = None,
    codebook: str | Path | None = None,
    models: str | Path | None = None,
    allow_codebook_mismatch: bool = False,
) -> dict[str, Any]:
    """Label one passage of text; returns the same columns as passages.csv."""
    tagger = tagger_for(_options(spacy_model, codebook, models, allow_codebook_mismatch))
    return {"text": text, **label_row(tagger.tag(text))}


def show(text_or_row: str | dict[str, Any] | pd.Series, *, jupyter: bool | None = None, **options: Any) -> str:
    """Highlight cues and the purpose of a passage with displacy's span style.

    Accepts a text (tagged on the fly) or a row of `Analysis.passages`. Returns the HTML; in
    Jupyter it is also displayed.
    """
    from spacy import displacy

    row = dict(text_or_row) if not isinstance(text_or_row, str) else tag_text(text_or_row, **options)
    nlp = spacy.blank("nl")
    doc = nlp(row["text"])
    spans = []
    for start, end, label, _rule in json.loads(row.get("cue_offsets") or "[]"):
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.spans["sc"] = spans
    markup = str(displacy.render(doc, style="span", jupyter=False))
    if jupyter if jupyter is not None else spacy.util.is_in_jupyter():
        from IPython.display import HTML, display

        display(HTML(markup))
    return markup
