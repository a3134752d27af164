"""Leave-one-document-out estimates on whole real documents, as `sbtext evaluate --cross-validate`
and `make evaluate` (annotations/EVALUATION.md) report them.

For each real document annotated whole (`"unit": "document"`), the models are trained on every
other record (the other documents, and the training-only files: seeds, table quotes, constructed
sentences), their expectation threshold chosen by grouped folds inside that training data, and
every passage of the held-out document is scored. No document has passages on both sides; a
training record whose text contains, or is contained in, a held-out passage is left out (the table
quotes come from the same akkoorden). The codebook-only baseline is scored on the same passages.
"""

from __future__ import annotations

import platform
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.metrics import confusion_matrix

from sbtext.codebook import FRAMINGS
from sbtext.evaluate import predict, score, words
from sbtext.export import markdown_table
from sbtext.nlp import backend_of
from sbtext.tag import Tagger
from sbtext.train import PRECISION_BETA, fit_models, group_of, is_whole_document, prepare

FRAMES = list(FRAMINGS)
MIN_QUOTE = 40  # characters: shorter texts (headings, fragments) must match exactly to count as the same
TARGETS = {
    "expectation.precision": 0.80,
    "expectation.recall": 0.75,
    "framing.macro_f1": 0.75,
    "purpose.token_f1": 0.70,
    "purpose_category.accuracy": 0.70,
}


def one_annotation_per_document(records: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """Whole-document records of the first file that annotates each document (a second
    annotator's version of it is agreement data, not more evidence), and the files set aside."""
    first: dict[str, str] = {}
    for r in records:
        if is_whole_document(r):
            first.setdefault(group_of(r), r["_file"])
    kept = [r for r in records if not is_whole_document(r) or first[group_of(r)] == r["_file"]]
    dropped = sorted({r["_file"] for r in records if is_whole_document(r) and first[group_of(r)] != r["_file"]})
    return kept, dropped


def unseen(train: Sequence[int], test: Sequence[int], records: Sequence[dict[str, Any]]) -> list[int]:
    """Training records whose text neither contains nor is contained in a held-out text."""
    held_out = [_key(records[i]) for i in test]
    exact = set(held_out)
    long = [t for t in held_out if len(t) >= MIN_QUOTE]

    def seen(i: int) -> bool:
        key = _key(records[i])
        if key in exact:
            return True
        # Whole documents are distinct documents; only the short curated files quote others.
        return not is_whole_document(records[i]) and len(key) >= MIN_QUOTE and any(key in t or t in key for t in long)

    return [i for i in train if not seen(i)]


def _key(record: dict[str, Any]) -> str:
    return " ".join(words(record["text"]))


def leave_one_document_out(
    records: Sequence[dict[str, Any]], nlp: Any, *, codebook: Any = None, folds: int | None = None
) -> pd.DataFrame:
    """Held-out predictions of model and baseline for every passage of every whole real document:
    one document held out at a time, or, with `folds`, that many groups of whole documents."""
    tagger = Tagger(nlp, codebook=codebook, models="rules")
    baseline = Tagger(nlp, codebook=codebook, models="rules")
    prepared = prepare(records, tagger)
    rows = []
    for held in document_folds(records, folds):
        test = [i for i, r in enumerate(records) if is_whole_document(r) and group_of(r) in held]
        train = unseen([i for i, r in enumerate(records) if group_of(r) not in held], test, records)
        tagger.models = fit_models([records[i] for i in train], tagger, prepared.subset(train))
        gold = [records[i] for i in test]
        for g, model, rules in zip(gold, predict(tagger, gold), predict(baseline, gold)):
            rows.append(
                {
                    "group": group_of(g),
                    "doc_type": g.get("doc_type") or "",
                    "threshold": tagger.threshold,
                    "gold": g,
                    "model": model,
                    "rules": rules,
                }
            )
    return pd.DataFrame(rows, columns=["group", "doc_type", "threshold", "gold", "model", "rules"])


def document_folds(records: Sequence[dict[str, Any]], folds: int | None) -> list[set[str]]:
    """The sets of whole documents held out together: one each, or `folds` groups of about equal
    size in a fixed order (documents sorted by name, dealt round)."""
    documents = sorted({group_of(r) for r in records if is_whole_document(r)})
    if not folds or folds >= len(documents):
        return [{d} for d in documents]
    return [set(documents[k::folds]) for k in range(folds)]


def report(
    results: pd.DataFrame, nlp: Any, files: Sequence[str], *, set_aside: Sequence[str] = (), folds: int | None = None
) -> str:
    """The Markdown of annotations/EVALUATION.md."""
    gold = list(results["gold"])
    thresholds = results.groupby("group")["threshold"].first()
    scheme = (
        "Leave-one-document-out on whole real documents: each document annotated passage by passage"
        if not folds
        else f"Grouped {folds}-fold cross-validation on whole real documents: each of {folds} groups of documents"
    )
    lines = [
        "# Evaluation",
        "",
        scheme,
        "(`unit: document`) is held out in turn; the models are trained on everything else (the other",
        "documents and the training-only files), with the expectation threshold chosen for precision",
        f"(best F{PRECISION_BETA}) by grouped folds inside that training data, never on the held-out",
        "document. Every passage of the held-out document is scored. The codebook-only baseline",
        '(`models="rules"`) is scored on the same passages. Regenerate with `make evaluate`.',
        "",
        f"- files: {', '.join(files)}",
        f"- {len(gold)} held-out passages in {results['group'].nunique()} documents, "
        f"{sum(bool(g['expectation']) for g in gold)} of them expectations "
        f"({_share(gold):.1%})",
        f"- expectation threshold per fold: median {thresholds.median():.3f}, "
        f"range {thresholds.min():.3f}-{thresholds.max():.3f}",
        f"- {backend_of(nlp).notice}",
        f"- Python {platform.python_version()}",
    ]
    if set_aside:
        lines.append(f"- second annotations of a document, set aside (agreement data): {', '.join(set_aside)}")
    lines += [
        "",
        "## Overall, against the targets",
        "",
        markdown_table(_overall(results)),
        "## Per document type",
        "",
        markdown_table(_per_type(results)),
        "## Per document",
        "",
        markdown_table(_per_document(results)),
        "## Framing confusion (model, gold-positive passages)",
        "",
        markdown_table(_confusion(results)),
        "## Remaining errors (model, held out)",
        "",
        "A few examples of each kind, to read rather than to count.",
        "",
        markdown_table(_errors(results)),
    ]
    return "\n".join(lines) + "\n"


def _share(gold: Sequence[dict[str, Any]]) -> float:
    return sum(bool(g["expectation"]) for g in gold) / len(gold) if gold else 0.0


def _flat(scores: dict[str, Any]) -> dict[str, float]:
    return {f"{k}.{m}": v for k, d in scores.items() if isinstance(d, dict) for m, v in d.items()}


def _overall(results: pd.DataFrame) -> pd.DataFrame:
    gold = list(results["gold"])
    rows = [{"tagger": name, **_flat(score(gold, list(results[name])))} for name in ("model", "rules")]
    rows.append({"tagger": "target", **TARGETS})
    return pd.DataFrame(rows).astype(object).where(lambda d: d.notna(), "")


def _summary(part: pd.DataFrame, tagger: str) -> dict[str, Any]:
    s = score(list(part["gold"]), list(part[tagger]))
    return {
        "tagger": tagger,
        "passages": s["n"],
        "expectations": sum(bool(g["expectation"]) for g in part["gold"]),
        "predicted": sum(bool(p["expectation"]) for p in part[tagger]),
        "precision": s["expectation"]["precision"],
        "recall": s["expectation"]["recall"],
        "f1": s["expectation"]["f1"],
        "framing.macro_f1": s["framing"]["macro_f1"],
        "purpose.token_f1": s["purpose"]["token_f1"],
        "purpose.exact": s["purpose"]["exact"],
        "category.acc": s["purpose_category"]["accuracy"],
    }


def _per_type(results: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for doc_type, part in results.groupby("doc_type", sort=True):
        n_docs = part["group"].nunique()
        rows += [{"doc_type": doc_type, "documents": n_docs, **_summary(part, t)} for t in ("model", "rules")]
    return pd.DataFrame(rows)


def _per_document(results: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for group, part in results.groupby("group", sort=True):
        first = {"document": group, "doc_type": part["doc_type"].iloc[0], "threshold": part["threshold"].iloc[0]}
        rows += [{**first, **_summary(part, t)} for t in ("model", "rules")]
    return pd.DataFrame(rows)


def _confusion(results: pd.DataFrame) -> pd.DataFrame:
    pos = [(g["framing"], m["framing"]) for g, m in zip(results["gold"], results["model"]) if g["expectation"]]
    matrix = confusion_matrix([g for g, _ in pos], [p for _, p in pos], labels=FRAMES)
    return pd.DataFrame(matrix, index=[f"gold {f}" for f in FRAMES], columns=[f"pred {f}" for f in FRAMES]).reset_index(
        names=""
    )


def _errors(results: pd.DataFrame, per_kind: int = 8) -> pd.DataFrame:
    """A few held-out mistakes of each kind, spread over the documents."""
    kinds: dict[str, list[dict[str, str]]] = {
        "missed expectation": [],
        "false expectation": [],
        "wrong framing": [],
        "purpose span off": [],
    }
    seen: Counter[tuple[str, str]] = Counter()
    for _, row in results.iterrows():
        g, m = row["gold"], row["model"]
        kind, detail = _error_kind(g, m)
        if not kind or len(kinds[kind]) >= per_kind or seen[kind, row["group"]] >= 2:
            continue
        seen[kind, row["group"]] += 1
        kinds[kind].append({"error": kind, "document": row["group"], "text": g["text"][:220], "detail": detail[:200]})
    return pd.DataFrame([r for rows in kinds.values() for r in rows], columns=["error", "document", "text", "detail"])


def _error_kind(g: dict[str, Any], m: dict[str, Any]) -> tuple[str, str]:
    if g["expectation"] and not m["expectation"]:
        return "missed expectation", f"score {m['expectation_score']:.3f}"
    if m["expectation"] and not g["expectation"]:
        return "false expectation", f"score {m['expectation_score']:.3f}"
    if g["expectation"] and g["framing"] != m["framing"]:
        return "wrong framing", f"gold {g['framing']}, model {m['framing']}"
    if g["expectation"] and words(g["purpose"]) != words(m["purpose"]) and (g["purpose"] or m["purpose"]):
        return "purpose span off", f"gold '{g['purpose']}' / model '{m['purpose']}'"
    return "", ""


def cross_validate(
    gold: Sequence[Path], train_only: Sequence[Path], nlp: Any, *, codebook: Any = None, folds: int | None = None
) -> str:
    """Read the files, hold out each whole document (or `folds` groups of them), return the report."""
    from sbtext.annotations import read_gold

    records, set_aside = one_annotation_per_document(read_gold([*gold, *train_only]))
    results = leave_one_document_out(records, nlp, codebook=codebook, folds=folds)
    if results.empty:
        from sbtext.errors import Errors, SbtextError

        raise SbtextError(
            Errors.E060, path=", ".join(map(str, gold)), detail='no record with "unit": "document" to hold out'
        )
    return report(results, nlp, describe_files(gold, train_only), set_aside=_short(set_aside), folds=folds)


def describe_files(gold: Sequence[Path], train_only: Sequence[Path]) -> list[str]:
    """The gold files by folder and count (a folder of documents can hold a hundred), then the
    training-only files by name."""
    folders = Counter(str(Path(p).parent) for p in gold)
    shown = [f"{n} gold file(s) in {folder}/" for folder, n in sorted(folders.items())]
    return shown + [f"{Path(p).name} (training only)" for p in train_only]


def _short(files: Sequence[str]) -> list[str]:
    """File names, with the folder where several files share a name."""
    names = Counter(Path(f).name for f in files)
    return [Path(f).name if names[Path(f).name] == 1 else f"{Path(f).parent.name}/{Path(f).name}" for f in files]
