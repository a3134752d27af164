"""The Python API for notebooks and scripts: `analyze`, `tag_text`, `show`, and `Analysis`.

The public face only: the flow is `sbtext.pipeline`'s, the files are `sbtext.write`'s.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sbtext import tables as t
from sbtext.errors import Errors, SbtextError
from sbtext.export import EXCEL_ROWS, write_xlsx
from sbtext.labels import workbook_sheets
from sbtext.outdir import staged_output
from sbtext.pipeline import (
    DocResult,
    Engine,
    Inputs,
    Options,
    ProgressHook,
    collect_run,
    label_columns,
    results_of,
    tagger_for,
    write_run,
)
from sbtext.write import RunWriter
from sbtext.write.files import read_cues


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
        self,
        path: str | Path,
        *,
        force: bool = False,
        excel_csv: bool = False,
        top: int | None = None,
        parquet: bool = False,
    ) -> list[Path]:
        """Write every output file into `path` (see the README for the list), as `sbtext analyze` does.

        The files are written into a fresh folder beside `path` and swapped in at the end (see
        `sbtext.outdir`): `path` holds the previous complete output until then.
        """
        target = Path(path)
        with (
            staged_output(target, force=force) as out,
            RunWriter(out, top=top or self.top, excel_csv=excel_csv, parquet=parquet) as writer,
        ):
            writer.add(self.passages, titles=_titles(self.documents))
            written = writer.finish(self.documents, self.errors, self.run)
        return [target / p.name for p in written]


def _titles(documents: pd.DataFrame) -> dict[Any, str]:
    """Each document's title by `doc_id` (the first, should an id come twice)."""
    titles: dict[Any, str] = {}
    for doc_id, title in zip(documents["doc_id"], documents["title"]):
        titles.setdefault(doc_id, str(title))
    return titles


def analyze(
    paths: str | Path | Iterable[str | Path],
    *,
    manifest: str | Path | None = None,
    spacy_model: str | None = None,
    codebook: str | Path | None = None,
    models: str | Path | None = None,
    n_process: int = 1,
    engine: Engine = "local",
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
            chunks.append(t.passage_frame(result.passages))
        if on_document:
            on_document(result)

    inputs = Inputs.of(paths, manifest, allow_outside=allow_outside)
    options = _options(spacy_model, codebook, models, allow_codebook_mismatch)
    results = results_of(inputs, options, n_process=n_process, engine=engine)
    run, documents, errors = collect_run(
        inputs, options, results, n_process=n_process, engine=engine, on_result=collect
    )
    passages = pd.concat(chunks, ignore_index=True) if chunks else t.passage_frame([])
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
    engine: Engine = "local",
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
    inputs = Inputs.of(paths, manifest, allow_outside=allow_outside)
    options = _options(spacy_model, codebook, models, allow_codebook_mismatch)
    with (
        staged_output(Path(out), force=force, inputs=[*inputs.paths, *([manifest] if manifest else [])]) as stage,
        RunWriter(stage, top=top, excel_csv=excel_csv, parquet=parquet, excel_rows=excel_rows) as writer,
    ):
        return write_run(writer, inputs, options, n_process=n_process, engine=engine, on_document=on_document)


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
    return {"text": text, **label_columns(tagger.tag(text))}


def show(text_or_row: str | dict[str, Any] | pd.Series, *, jupyter: bool | None = None, **options: Any) -> str:
    """Highlight cues and the purpose of a passage with displacy's span style.

    Accepts a text (tagged on the fly) or a row of `Analysis.passages`. Returns the HTML; in
    Jupyter it is also displayed.
    """
    import spacy
    from spacy import displacy

    row = dict(text_or_row) if not isinstance(text_or_row, str) else tag_text(text_or_row, **options)
    nlp = spacy.blank("nl")
    doc = nlp(row["text"])
    spans = []
    for cue in read_cues(row.get("cue_offsets")):
        span = doc.char_span(cue.start, cue.end, label=cue.label, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.spans["sc"] = spans
    markup = str(displacy.render(doc, style="span", jupyter=False))
    if jupyter if jupyter is not None else spacy.util.is_in_jupyter():
        from IPython.display import HTML, display

        display(HTML(markup))
    return markup
