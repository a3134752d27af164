"""The command line: a thin typer app over the plain functions that notebooks import too."""

from __future__ import annotations

import json
import os
import shutil
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, cast

import typer

from sbtext.errors import Errors, SbtextError

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="What Dutch policy documents expect of de sociale basis."
)
annotations_app = typer.Typer(no_args_is_help=True, help="Check and prepare annotation files (JSONL).")
codebook_app = typer.Typer(no_args_is_help=True, help="See or copy the codebook.")
app.add_typer(annotations_app, name="annotations")
app.add_typer(codebook_app, name="codebook")

SpacyModel = Annotated[
    str | None,
    typer.Option(
        "--spacy-model",
        envvar="SBTEXT_SPACY_MODEL",
        help="spaCy pipeline name or path; 'blank' for the offline fallback.",
    ),
]
Codebook = Annotated[
    Path | None, typer.Option("--codebook", exists=True, dir_okay=False, help="Codebook YAML replacing the default.")
]
Models = Annotated[
    Path | None, typer.Option("--models", exists=True, file_okay=False, help="Folder of trained models.")
]
AllowCodebookMismatch = Annotated[
    bool,
    typer.Option(
        "--allow-codebook-mismatch",
        help="Run models trained with another codebook than --codebook (refused otherwise, E072).",
    ),
]


def _print_version(value: bool) -> None:
    if value:
        from sbtext import __version__

        typer.echo(f"sbtext {__version__}")
        raise typer.Exit()


@app.callback()
def _main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """What Dutch policy documents expect of de sociale basis."""


class Engine(str, Enum):
    local = "local"
    dask = "dask"


def _fail(e: SbtextError) -> None:
    typer.echo(e.message, err=True)
    raise typer.Exit(2)


def _fail_unexpected(e: Exception, stage: str) -> None:
    """A failure outside any one document: one coded line and exit 2 (SBTEXT_DEBUG=1 shows the traceback)."""
    if os.environ.get("SBTEXT_DEBUG"):
        raise e
    if isinstance(e, ImportError):
        e = SbtextError(
            Errors.E060, detail=f"{e}. Install the missing extra (pip install 'sbtext[dask]') and run again"
        )
    elif isinstance(e, OSError):
        e = SbtextError(Errors.E084, path=str(e.filename or ""), detail=e.strerror or str(e))
    elif not isinstance(e, SbtextError):
        e = SbtextError(Errors.E099, stage=stage, detail=f"{type(e).__name__}: {e}")
    _fail(e)


def _refuse_to_overwrite(path: Path, *, force: bool, option: str | None = "--force") -> None:
    """One rule for every command that writes: an existing output is kept unless --force.

    A file, or a folder that is not empty, counts as existing; the folder an output goes into must
    exist already (a typo in a path should not create a tree of folders).
    """
    exists = path.is_file() or (path.is_dir() and any(path.iterdir()))
    if exists and not force:
        how = f"Pass {option} to replace it, or choose another name." if option else "Choose another name."
        typer.echo(f"{path} exists and is not overwritten. {how}", err=True)
        raise typer.Exit(2)
    if not path.parent.is_dir():
        typer.echo(f"the folder {path.parent} does not exist. Create it first, or choose another path.", err=True)
        raise typer.Exit(2)


def _echo_warnings(errors_csv: Path, limit: int = 20) -> None:
    """Warnings of the run (pages without text, duplicate files, ...) on stderr, not only in errors.csv."""
    import csv

    with errors_csv.open(encoding="utf-8", newline="") as f:
        notes = [row["message"] for row in csv.DictReader(f) if row["code"].startswith("W")]
    for message in notes[:limit]:
        typer.echo(message, err=True)
    if len(notes) > limit:
        typer.echo(f"... and {len(notes) - limit} more warning(s); see {errors_csv}", err=True)


def _progress_printer() -> Callable[[str], None]:
    """A progress hook that prints each step with the time since the command started."""
    import time

    start = time.perf_counter()

    def show(step: str) -> None:
        typer.echo(f"[{time.perf_counter() - start:6.1f} s] {step}", err=True)

    return show


def _notice(nlp_name: str | None) -> None:
    from sbtext.nlp import backend_of, load_nlp

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        typer.echo(backend_of(load_nlp(nlp_name)).notice, err=True)


@app.command("analyze")
def analyze_cli(
    paths: Annotated[list[Path], typer.Argument(exists=True, help="Files, folders, or a manifest.csv.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out"),
    manifest: Annotated[Path | None, typer.Option(exists=True, dir_okay=False, help="Corpus manifest (CSV).")] = None,
    top: Annotated[int, typer.Option(min=1, help="Expectations per source in the table.")] = 5,
    excel_csv: Annotated[bool, typer.Option("--excel-csv", help="Also write CSVs for Dutch Excel (BOM, ';').")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace a previous sbtext output folder.")] = False,
    allow_outside_manifest: Annotated[
        bool, typer.Option("--allow-outside-manifest", help="Read manifest paths outside its folder ('../', absolute).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    n_process: Annotated[int, typer.Option("--n-process", min=1, help="Documents processed in parallel.")] = 1,
    engine: Annotated[Engine, typer.Option(help="local, or dask (writes partitioned Parquet too).")] = Engine.local,
    spacy_model: SpacyModel = None,
    codebook: Codebook = None,
    models: Models = None,
    allow_codebook_mismatch: AllowCodebookMismatch = False,
    qdpx: Annotated[
        Path | None, typer.Option("--qdpx", dir_okay=False, help="Also write a REFI-QDA project (.qdpx) here.")
    ] = None,
) -> None:
    """Analyse documents and write the tables, the report and the per-passage data."""
    from tqdm import tqdm

    from sbtext.api import analyze_to_dir
    from sbtext.export import prepare_out_dir

    try:
        prepare_out_dir(out, force=force, inputs=[*paths, *([manifest] if manifest else [])])
        _notice(spacy_model)
        bar = tqdm(unit="doc", disable=quiet or not sys.stderr.isatty(), file=sys.stderr)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            run = analyze_to_dir(
                paths,
                out,
                force=force,
                excel_csv=excel_csv,
                parquet=engine is Engine.dask,
                manifest=manifest,
                spacy_model=spacy_model,
                codebook=codebook,
                models=models,
                n_process=n_process,
                engine=engine.value,
                top=top,
                on_document=lambda _: bar.update(),
                allow_outside=allow_outside_manifest,
                allow_codebook_mismatch=allow_codebook_mismatch,
            )
        bar.close()
    except Exception as e:  # exit codes: 2 and one line for anything outside a document
        _fail_unexpected(e, "analyze")
    if run.get("xlsx_cut_cells"):
        typer.echo(run["xlsx_cut_cells"], err=True)
    _echo_warnings(out / "errors.csv")
    counts = run["counts"]
    typer.echo(
        f"{counts['documents']} document(s), {counts['pages']} page(s), {counts['passages']} passage(s), "
        f"{counts['expectations']} expectation(s) -> {out}/",
        err=True,
    )
    if qdpx:
        _write_qdpx(out, qdpx)
    if counts["failed"]:
        typer.echo(f"{counts['failed']} document(s) failed; see {out / 'errors.csv'}", err=True)
        raise typer.Exit(1)


def _write_qdpx(out: Path, target: Path) -> None:
    """A REFI-QDA project from the tables just written into `out`."""
    import pandas as pd

    from sbtext.qda import write_qdpx

    def table(name: str) -> pd.DataFrame:
        return pd.read_csv(out / f"{name}.csv", keep_default_na=False, dtype={"page": str, "doc_id": str})

    try:
        write_qdpx(target, table("documents"), table("passages"), name=out.name)
    except SbtextError as e:
        _fail(e)
    typer.echo(f"REFI-QDA project written to {target}", err=True)


@app.command("evaluate")
def evaluate_cli(
    gold: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, help="Gold JSONL files.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    cross_validate: Annotated[
        bool,
        typer.Option(
            "--cross-validate",
            help="Hold out each whole real document of the gold files in turn, train on the rest, and report.",
        ),
    ] = False,
    train_only: Annotated[
        list[Path] | None,
        typer.Option("--train-only", exists=True, dir_okay=False, help="With --cross-validate: training-only files."),
    ] = None,
    folds: Annotated[
        int | None, typer.Option("--folds", min=2, help="With --cross-validate: groups of documents, not one each.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="With --cross-validate: write the Markdown here.")] = None,
    spacy_model: SpacyModel = None,
    codebook: Codebook = None,
    models: Models = None,
    allow_codebook_mismatch: AllowCodebookMismatch = False,
) -> None:
    """Tag each gold record's text as one passage and print the scores (warning when the models
    were trained on a gold file), or cross-validate over whole documents."""
    if cross_validate:
        _cross_validate(gold, train_only or [], folds=folds, out=out, spacy_model=spacy_model, codebook=codebook)
        return
    from sbtext.annotations import read_gold
    from sbtext.evaluate import evaluate, format_scores, training_overlap
    from sbtext.pipeline import Options, tagger_for

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            records = read_gold(gold)
            tagger = tagger_for(
                Options(
                    spacy_model=spacy_model,
                    codebook=str(codebook) if codebook else None,
                    models=str(models) if models else None,
                    allow_codebook_mismatch=allow_codebook_mismatch,
                )
            )
            for warning in training_overlap(gold, tagger.models.manifest):
                typer.echo(warning.message, err=True)
            scores = evaluate(tagger, records)
    except SbtextError as e:
        _fail(e)
    typer.echo(json.dumps(scores) if as_json else format_scores(scores))


def _cross_validate(
    gold: list[Path],
    train_only: list[Path],
    *,
    folds: int | None,
    out: Path | None,
    spacy_model: str | None,
    codebook: Path | None,
) -> None:
    from sbtext.crossval import cross_validate
    from sbtext.export import write_text
    from sbtext.nlp import load_nlp

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            text = cross_validate(gold, train_only, load_nlp(spacy_model), codebook=codebook, folds=folds)
    except SbtextError as e:
        _fail(e)
    if out is None:
        typer.echo(text)
        return
    write_text(text, out)
    typer.echo(f"evaluation written to {out}", err=True)


@app.command("train")
def train_cli(
    gold: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, help="Gold JSONL files.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the models.")] = Path("models"),
    force: Annotated[bool, typer.Option("--force", help="Replace models already in --out.")] = False,
    spacy_model: SpacyModel = None,
    codebook: Codebook = None,
) -> None:
    """Train the models from gold JSONL files and save them with a manifest."""
    from sbtext.train import train

    _refuse_to_overwrite(out, force=force)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            manifest = train(gold, out, spacy_model=spacy_model, codebook=codebook, progress=_progress_printer())
    except SbtextError as e:
        _fail(e)
    typer.echo(json.dumps(manifest["counts"], indent=2))
    typer.echo(f"models written to {out}/", err=True)


@app.command("agreement")
def agreement_cli(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, help="Two or more annotation files.")],
    out: Annotated[Path, typer.Option("--out", help="CSV of the disagreements (two files).")] = Path(
        "disagreements.csv"
    ),
    force: Annotated[bool, typer.Option("--force", help="Replace --out if it exists.")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Inter-annotator agreement between JSONL files, matched by id: Cohen's kappa for two files,
    Krippendorff's alpha for two or more, and the ids each file lacks."""
    from sbtext.agreement import agreement, alpha, coverage, format_agreement

    _refuse_to_overwrite(out, force=force)

    try:
        scores = alpha(files)
        if len(files) == 2:
            pair, disagreements = agreement(files[0], files[1])
            scores = {**pair, **scores}
        ids = coverage(files)
    except SbtextError as e:
        _fail(e)
    scores["ids_in_all_files"] = ids["ids_in_all_files"]
    typer.echo(json.dumps({**scores, "missing": ids["missing"]}) if as_json else format_agreement(scores))
    for path, missing in ids["missing"].items():
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        typer.echo(f"{path} lacks {len(missing)} id(s) that another file has: {shown}", err=True)
    if len(files) == 2:
        from sbtext.export import write_csv

        write_csv(disagreements, out)
        typer.echo(f"{len(disagreements)} disagreement(s) written to {out}", err=True)


@app.command("kwic")
def kwic_cli(
    query: Annotated[str, typer.Argument(help="A word or phrase; '*' as wildcard ('mantelzorg*'). Form and lemma.")],
    paths: Annotated[list[Path], typer.Argument(exists=True)],
    width: Annotated[int, typer.Option(min=10, help="Characters of context on each side.")] = 50,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Also write the hits to this CSV file.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --out if it exists.")] = False,
    spacy_model: SpacyModel = None,
) -> None:
    """Keyword in context, with source and page: how is a cue word used?"""
    from sbtext.kwic import Hit, kwic

    if out is not None and out.exists() and not force:
        typer.echo(f"{out} exists. Pass --force to overwrite it, or choose another --out.", err=True)
        raise typer.Exit(2)
    failed: list[str] = []

    def report_failure(result: Any) -> None:
        for row in result.errors:
            failed.append(str(row.get("path", "")))
            typer.echo(str(row.get("message", "")), err=True)

    hits = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            for hit in kwic(query, paths, width=width, spacy_model=spacy_model, on_failure=report_failure):
                hits.append(hit)
                typer.echo(f"{hit.source}\tp. {hit.page}\t{hit.left:>{width}} [{hit.match}] {hit.right}")
    except SbtextError as e:
        _fail(e)
    except ValueError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{len(hits)} hit(s) for {query!r}", err=True)
    if out is not None:
        import dataclasses

        import pandas as pd

        from sbtext.export import write_csv

        columns = [f.name for f in dataclasses.fields(Hit)]
        write_csv(pd.DataFrame([dataclasses.astuple(h) for h in hits], columns=columns), out)
    if failed:
        typer.echo(f"{len(set(failed))} document(s) could not be read; see the messages above.", err=True)
        raise typer.Exit(1)


@annotations_app.command("validate")
def validate_cli(files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False)]) -> None:
    """Report every rule violation with file and line, and how many records are still to do; exit 1
    on any violation."""
    from sbtext.annotations import count_status, validate_file

    problems = [p for f in files for p in validate_file(f)]
    for problem in problems:
        typer.echo(str(problem))
    counts = [count_status(f) for f in files]
    labelled, todo = sum(c["labelled"] for c in counts), sum(c["todo"] for c in counts)
    typer.echo(f"{len(files)} file(s), {labelled} labelled, {todo} still to do, {len(problems)} problem(s)", err=True)
    if problems:
        raise typer.Exit(1)


class TaskFormat(str, Enum):
    jsonl = "jsonl"
    prodigy = "prodigy"
    labelstudio = "labelstudio"


class Sampling(str, Enum):
    uncertain = "uncertain"
    random = "random"


@annotations_app.command("export")
def export_cli(
    paths: Annotated[list[Path], typer.Argument(exists=True)],
    out: Annotated[Path, typer.Option("--out", "-o", help="File to create (never overwritten).")],
    fmt: Annotated[
        TaskFormat, typer.Option("--format", help="jsonl (sbtext), prodigy (JSONL tasks) or labelstudio (JSON tasks).")
    ] = TaskFormat.jsonl,
    suggest: Annotated[
        bool, typer.Option("--suggest", help="Add the models' labels as suggestions (never as gold).")
    ] = False,
    sample_how: Annotated[
        Sampling | None,
        typer.Option("--sample", help="Export only a sample: uncertain (closest to the threshold) or random."),
    ] = None,
    n: Annotated[int, typer.Option("--n", "-n", min=1, help="Passages in the sample.")] = 100,
    seed: Annotated[int, typer.Option(help="Seed of the random sample.")] = 0,
    spacy_model: SpacyModel = None,
    codebook: Codebook = None,
    models: Models = None,
    allow_codebook_mismatch: AllowCodebookMismatch = False,
) -> None:
    """Write the passages of documents as records to do for an annotator, or as tasks for a labelling tool."""
    from sbtext.annotations import blank_record, sample, write_jsonl
    from sbtext.exchange import write_tasks
    from sbtext.pipeline import Options, iter_results, tagger_for

    # An annotation file may already hold a person's work: there is no option to replace it.
    _refuse_to_overwrite(out, force=False, option=None)
    tag = suggest or sample_how is Sampling.uncertain
    options = Options(
        spacy_model=spacy_model,
        codebook=str(codebook) if codebook else None,
        models=str(models) if models else None,
        tag=tag,
        allow_codebook_mismatch=allow_codebook_mismatch,
    )
    failed: list[str] = []

    def read() -> Iterator[dict[str, Any]]:
        for result in iter_results(paths, options=options):
            for row in result.errors:
                failed.append(str(row.get("path", "")))
                typer.echo(str(row.get("message", "")), err=True)
            yield from cast("list[dict[str, Any]]", result.passages)  # records as the annotation tools take them

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            passages: Iterable[dict[str, Any]] = read()
            if sample_how:
                # Only the uncertain sample reads the threshold, and it always runs the models.
                threshold = tagger_for(options).models.threshold if tag else 0.5
                passages = sample(list(passages), sample_how.value, n, seed=seed, threshold=threshold)
            rows = (blank_record(p, suggest=suggest) for p in passages)
            written = write_jsonl(rows, out) if fmt is TaskFormat.jsonl else write_tasks(rows, out, fmt.value)
    except SbtextError as e:
        _fail(e)
    typer.echo(f"{written} passage(s) written to {out}", err=True)
    if fmt is TaskFormat.labelstudio:
        typer.echo(f"labelling interface for the project: {out.with_suffix('.config.xml')}", err=True)
    if failed:
        typer.echo(f"{len(set(failed))} document(s) could not be read and have no records.", err=True)
        raise typer.Exit(1)


@annotations_app.command("import")
def import_cli(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="Prodigy/doccano JSONL or Label Studio JSON.")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Annotation JSONL to create (never overwritten).")],
) -> None:
    """Read a labelling tool's file back into the project's annotation JSONL, validated."""
    from collections import Counter

    from sbtext.annotations import check_record, is_todo, write_jsonl
    from sbtext.exchange import read_tasks

    try:
        records = list(read_tasks(file))
    except SbtextError as e:
        _fail(e)
    problems = [f"{file}:{n}: {m}" for n, record in records for m in check_record(record)]
    ids = Counter(r["id"] for _, r in records)
    problems += [f"{file}: duplicate id {i!r}" for i, k in sorted(ids.items()) if k > 1]
    for problem in problems:
        typer.echo(problem)
    if problems:
        typer.echo(f"{len(problems)} problem(s); nothing written. Fix them in the tool and export again.", err=True)
        raise typer.Exit(1)
    try:
        written = write_jsonl((r for _, r in records), out)
    except SbtextError as e:
        _fail(e)
    todo = sum(is_todo(r) for _, r in records)
    typer.echo(f"{written} record(s) written to {out}: {written - todo} labelled, {todo} still to do", err=True)


@codebook_app.command("show")
def codebook_show(codebook: Codebook = None) -> None:
    """Print the codebook in use (the default unless --codebook)."""
    from sbtext.codebook import default_codebook_path

    typer.echo((codebook or default_codebook_path()).read_text(encoding="utf-8"))


@codebook_app.command("qdc")
def codebook_qdc(dest: Annotated[Path, typer.Argument(help="Where to write the REFI-QDA codebook (.qdc).")]) -> None:
    """Write the code system as a REFI-QDA codebook (.qdc) for ATLAS.ti, MAXQDA, NVivo or QualCoder."""
    from sbtext.qda import write_qdc

    if dest.exists():
        typer.echo(f"{dest} exists; not overwriting it.", err=True)
        raise typer.Exit(2)
    write_qdc(dest)
    typer.echo(f"codebook written to {dest}", err=True)


@codebook_app.command("copy")
def codebook_copy(
    dest: Annotated[Path, typer.Argument(help="Where to write an editable copy.")],
    force: Annotated[bool, typer.Option("--force", help="Replace DEST if it exists.")] = False,
) -> None:
    """Copy the default codebook to edit it for a local definition of the sociale basis."""
    from sbtext.codebook import default_codebook_path

    _refuse_to_overwrite(dest, force=force)
    shutil.copyfile(default_codebook_path(), dest)
    typer.echo(f"codebook copied to {dest}; use it with --codebook {dest}", err=True)


def main() -> None:
    app()
