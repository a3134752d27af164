"""The command line: a thin typer app over the plain functions that notebooks import too."""

from __future__ import annotations

import json
import shutil
import sys
import warnings
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from sbtext.errors import SbtextError

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


class Engine(str, Enum):
    local = "local"
    dask = "dask"


def _fail(e: SbtextError) -> None:
    typer.echo(e.message, err=True)
    raise typer.Exit(2)


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
    force: Annotated[bool, typer.Option("--force", help="Write into an existing, non-empty folder.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    n_process: Annotated[int, typer.Option("--n-process", min=1, help="Documents processed in parallel.")] = 1,
    engine: Annotated[Engine, typer.Option(help="local, or dask (writes partitioned Parquet too).")] = Engine.local,
    spacy_model: SpacyModel = None,
    codebook: Codebook = None,
    models: Models = None,
) -> None:
    """Analyse documents and write the tables, the report and the per-passage data."""
    from tqdm import tqdm

    from sbtext.api import analyze_to_dir
    from sbtext.export import prepare_out_dir

    try:
        prepare_out_dir(out, force=force)
        _notice(spacy_model)
        bar = tqdm(unit="doc", disable=quiet or not sys.stderr.isatty(), file=sys.stderr)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            run = analyze_to_dir(
                paths,
                out,
                force=True,
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
            )
        bar.close()
    except SbtextError as e:
        _fail(e)
    counts = run["counts"]
    typer.echo(
        f"{counts['documents']} document(s), {counts['pages']} page(s), {counts['passages']} passage(s), "
        f"{counts['expectations']} expectation(s) -> {out}/",
        err=True,
    )
    if counts["failed"]:
        typer.echo(f"{counts['failed']} document(s) failed; see {out / 'errors.csv'}", err=True)
        raise typer.Exit(1)


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
    spacy_model: SpacyModel = None,
    codebook: Codebook = None,
) -> None:
    """Train the models from gold JSONL files and save them with a manifest."""
    from sbtext.train import train

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            manifest = train(gold, out, spacy_model=spacy_model, codebook=codebook)
    except SbtextError as e:
        _fail(e)
    typer.echo(json.dumps(manifest["counts"], indent=2))
    typer.echo(f"models written to {out}/", err=True)


@app.command("agreement")
def agreement_cli(
    a: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    b: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    out: Annotated[Path, typer.Option("--out", help="CSV of the disagreements.")] = Path("disagreements.csv"),
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Inter-annotator agreement between two JSONL files, matched by id."""
    from sbtext.agreement import agreement, format_agreement

    try:
        scores, disagreements = agreement(a, b)
    except SbtextError as e:
        _fail(e)
    from sbtext.export import write_csv

    write_csv(disagreements, out)
    typer.echo(json.dumps(scores) if as_json else format_agreement(scores))
    typer.echo(f"{len(disagreements)} disagreement(s) written to {out}", err=True)


@app.command("kwic")
def kwic_cli(
    term: Annotated[str, typer.Argument(help="A word; matched on surface form and lemma.")],
    paths: Annotated[list[Path], typer.Argument(exists=True)],
    width: Annotated[int, typer.Option(min=10, help="Characters of context on each side.")] = 50,
    spacy_model: SpacyModel = None,
) -> None:
    """Keyword in context, with document and page: how is a cue word used?"""
    from sbtext.kwic import kwic

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            for hit in kwic(term, paths, width=width, spacy_model=spacy_model):
                typer.echo(f"{hit.doc_id}\tp. {hit.page}\t{hit.left:>{width}} [{hit.match}] {hit.right}")
    except SbtextError as e:
        _fail(e)


@annotations_app.command("validate")
def validate_cli(files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False)]) -> None:
    """Report every rule violation with file and line; exit 1 if there is any."""
    from sbtext.annotations import validate_file

    problems = [p for f in files for p in validate_file(f)]
    for problem in problems:
        typer.echo(str(problem))
    typer.echo(f"{len(files)} file(s), {len(problems)} problem(s)", err=True)
    if problems:
        raise typer.Exit(1)


@annotations_app.command("export")
def export_cli(
    paths: Annotated[list[Path], typer.Argument(exists=True)],
    out: Annotated[Path, typer.Option("--out", "-o", help="JSONL file to create (never overwritten).")],
    spacy_model: SpacyModel = None,
) -> None:
    """Write the passages of documents as blank JSONL records for an annotator."""
    from sbtext.annotations import blank_record, write_jsonl
    from sbtext.pipeline import Options, iter_results

    options = Options(spacy_model=spacy_model, tag=False)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            rows = (blank_record(p) for r in iter_results(paths, options=options) for p in r.passages)
            n = write_jsonl(rows, out)
    except SbtextError as e:
        _fail(e)
    typer.echo(f"{n} passage(s) written to {out}", err=True)


@codebook_app.command("show")
def codebook_show(codebook: Codebook = None) -> None:
    """Print the codebook in use (the default unless --codebook)."""
    from sbtext.codebook import default_codebook_path

    typer.echo((codebook or default_codebook_path()).read_text(encoding="utf-8"))


@codebook_app.command("copy")
def codebook_copy(dest: Annotated[Path, typer.Argument(help="Where to write an editable copy.")]) -> None:
    """Copy the default codebook to edit it for a local definition of the sociale basis."""
    from sbtext.codebook import default_codebook_path

    if dest.exists():
        typer.echo(f"{dest} exists; not overwriting it.", err=True)
        raise typer.Exit(2)
    shutil.copyfile(default_codebook_path(), dest)
    typer.echo(f"codebook copied to {dest}; use it with --codebook {dest}", err=True)


def main() -> None:
    app()
