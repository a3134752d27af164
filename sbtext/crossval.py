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
from spacy.tokens import Doc

from sbtext.codebook import FRAMINGS
from sbtext.evaluate import label_fields, score, words
from sbtext.export import markdown_table
from sbtext.nlp import backend_of
from sbtext.records import Label
from sbtext.tag import FRAMING_CLASSES, Tagger
from sbtext.tag.model import Models
from sbtext.train import PRECISION_BETA, Progress, fit_models, group_of, is_whole_document, prepare, quiet

FRAMES = list(FRAMINGS)
GROUPS = 5  # groups of documents for the models that leave-one-document-out fits once per group
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
    records: Sequence[dict[str, Any]],
    nlp: Any,
    *,
    codebook: Any = None,
    folds: int | None = None,
    progress: Progress = quiet,
) -> pd.DataFrame:
    """Held-out predictions of model and baseline for every passage of every whole real document:
    one document held out at a time, or, with `folds`, that many groups of whole documents.

    The passages are processed and their features computed once; each fold fits the models on its
    training side (seconds) and labels the held-out passages from the processed texts."""
    tagger = Tagger(nlp, codebook=codebook, models="rules")
    baseline = Tagger(nlp, codebook=codebook, models="rules")
    progress(f"processing {len(records)} texts with the language pipeline (once)")
    prepared = prepare(records, tagger)
    rows = []
    held_out = document_folds(records, folds)
    # Leave-one-document-out fits the featurizer and the framing, spheres, category and goal models
    # once per group of documents (GROUPS groups: none of a held-out document's group on the
    # training side), and the expectation model with its threshold once per document.
    shared: dict[str, Models] = {}
    groups = [] if folds else document_folds(records, GROUPS)
    for k, group in enumerate(groups, 1):
        progress(f"group {k}/{len(groups)}: the featurizer and the other models without {len(group)} documents")
        train = _training_side(records, group)
        fitted = fit_models([records[i] for i in train], tagger, prepared.subset(train))
        shared.update({d: fitted for d in group})
    for k, held in enumerate(held_out, 1):
        test = [i for i, r in enumerate(records) if is_whole_document(r) and group_of(r) in held]
        train = _training_side(records, held)
        progress(f"fold {k}/{len(held_out)}: {', '.join(sorted(held))} ({len(test)} passages)")
        keep = shared.get(next(iter(held)))
        tagger.models = fit_models([records[i] for i in train], tagger, prepared.subset(train), keep=keep)
        gold = [records[i] for i in test]
        docs = [prepared.docs[i] for i in test]
        model, rules = tagger.tag_docs(docs), baseline.tag_docs(docs)
        for g, doc, m, b in zip(gold, docs, model, rules):
            rows.append(
                {
                    "group": group_of(g),
                    "doc_type": g.get("doc_type") or "",
                    "threshold": tagger.threshold,
                    "gold": g,
                    "model": label_fields(m),
                    "rules": label_fields(b),
                    "given": given_gold(tagger, doc, g, m),
                }
            )
    return pd.DataFrame(rows, columns=["group", "doc_type", "threshold", "gold", "model", "rules", "given"])


def _training_side(records: Sequence[dict[str, Any]], held: set[str]) -> list[int]:
    """Every record of another document than those `held` out, less quotes of held-out passages."""
    test = [i for i, r in enumerate(records) if is_whole_document(r) and group_of(r) in held]
    return unseen([i for i, r in enumerate(records) if group_of(r) not in held], test, records)


def given_gold(tagger: Tagger, doc: Doc, gold: dict[str, Any], label: Label) -> dict[str, str]:
    """The models' own framing, purpose and category where gold says there is one, whatever the
    expectation decision: the framing the model scores highest, the purpose it cuts from the
    passage as an expectation's, and the category it gives the gold purpose text."""
    given = {"framing": "none", "purpose": "", "purpose_category": ""}
    if gold["expectation"]:
        given["framing"] = max(FRAMING_CLASSES, key=lambda f: label.framing_scores.get(f, 0.0))
        chosen = tagger.cut_purpose(doc, goal=False)
        given["purpose"] = doc.text[chosen.start : chosen.end] if chosen else ""
    if gold["purpose"] and gold["purpose_category"]:
        given["purpose_category"] = tagger.categories([gold["purpose"]])[0]
    return given


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
        "(`unit: document`) is held out in turn; the expectation model is trained on everything else (the",
        "other documents and the training-only files), with its threshold chosen for precision",
        f"(best F{PRECISION_BETA}) by grouped folds inside that training data, never on the held-out",
        "document. Every passage of the held-out document is scored. The codebook-only baseline",
        '(`models="rules"`) is scored on the same passages. Regenerate with `make evaluate`.',
        *(
            [
                "",
                f"The framing, spheres, category and goal models (and the cue scale) are fitted once per group of {GROUPS}",
                "groups of whole documents, without the held-out document's group, and serve each document of it.",
            ]
            if not folds
            else []
        ),
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
        "## Framing, purpose and category given the gold expectations",
        "",
        "The models' own quality, apart from the expectation decision: over every gold expectation the",
        "framing the model scores highest and the purpose it cuts from the passage (whether or not the",
        "model calls the passage an expectation), and the category it gives each gold purpose text.",
        "",
        markdown_table(_given(results)),
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


def _given(results: pd.DataFrame) -> pd.DataFrame:
    gold, given = list(results["gold"]), list(results["given"])
    as_expected = [{**g, "expectation": bool(g["expectation"]), "spheres": []} for g in gold]
    predicted = [{**p, "expectation": bool(g["expectation"]), "spheres": []} for g, p in zip(gold, given)]
    s = _flat(score(as_expected, predicted))
    keys = ["framing.accuracy", "framing.macro_f1", "purpose.token_f1", "purpose.exact", "purpose_category.accuracy"]
    rows = [{"measured": "given gold expectations", **{k: s[k] for k in keys}}]
    rows.append({"measured": "target", **{k: TARGETS.get(k, "") for k in keys}})
    return pd.DataFrame(rows)


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
    gold: Sequence[Path],
    train_only: Sequence[Path],
    nlp: Any,
    *,
    codebook: Any = None,
    folds: int | None = None,
    progress: Progress = quiet,
) -> str:
    """Read the files, hold out each whole document (or `folds` groups of them), return the report."""
    from sbtext.annotations import read_gold

    records, set_aside = one_annotation_per_document(read_gold([*gold, *train_only]))
    results = leave_one_document_out(records, nlp, codebook=codebook, folds=folds, progress=progress)
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
