"""Leave-one-source-out estimates: train without a document, score on it, for every document.

Constructed training sentences are always in training and never scored. The codebook-only
baseline is scored on the same held-out records. `python -m sbtext.crossval` writes the
results as Markdown (annotations/EVALUATION.md).
"""

from __future__ import annotations

import argparse
import platform
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.metrics import confusion_matrix

from sbtext.annotations import read_gold
from sbtext.evaluate import predict, score, words
from sbtext.export import markdown_table, write_text
from sbtext.nlp import backend_of, load_nlp
from sbtext.tag import Tagger
from sbtext.train import fit_models

FRAMES = ["intrinsic", "instrumental", "both", "none"]
MIN_QUOTE = 40  # characters: shorter texts (headings, fragments) must match exactly to count as the same


def group_of(record: dict[str, Any]) -> str:
    """The source document a record comes from: its doc_id, else its source."""
    return str(record.get("doc_id") or record.get("source") or Path(record["_file"]).stem)


def unseen(train: Sequence[dict[str, Any]], test: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Training records whose text neither contains nor is contained in a held-out text.

    The slide deck quotes the policy documents of the Verwey-Jonker table, so the same words can sit
    in two sources; a held-out quote must not be seen in training under another source's name.
    """
    held_out = [_key(r) for r in test]
    exact = set(held_out)
    long = [t for t in held_out if len(t) >= MIN_QUOTE]

    def seen(record: dict[str, Any]) -> bool:
        key = _key(record)
        return key in exact or (len(key) >= MIN_QUOTE and any(key in t or t in key for t in long))

    return [r for r in train if not seen(r)]


def _key(record: dict[str, Any]) -> str:
    return " ".join(words(record["text"]))


def leave_one_source_out(records: Sequence[dict[str, Any]], extra: Sequence[dict[str, Any]], nlp: Any) -> pd.DataFrame:
    """Held-out predictions of model and baseline for every record, with its group."""
    baseline = Tagger(nlp, models="rules")
    rows = []
    groups = sorted({group_of(r) for r in records})
    for group in groups:
        test = [r for r in records if group_of(r) == group]
        train = unseen([r for r in records if group_of(r) != group] + list(extra), test)
        tagger = Tagger(nlp, models="rules")
        tagger.models = fit_models(train, tagger)
        for r, model, rules in zip(test, predict(tagger, test), predict(baseline, test)):
            rows.append({"group": group, "gold": r, "model": model, "rules": rules})
    return pd.DataFrame(rows)


def report(results: pd.DataFrame, nlp: Any, files: Sequence[str]) -> str:
    gold = list(results["gold"])
    lines = [
        "# Evaluation",
        "",
        "Leave-one-source-out cross-validation: for each source document, the models are trained on all",
        "other gold records plus the constructed sentences, and scored on the held-out document only.",
        'The codebook-only baseline (`models="rules"`) is scored on the same records.',
        "",
        f"- gold files: {', '.join(files)}; {len(gold)} held-out records in {results['group'].nunique()} groups",
        f"- {backend_of(nlp).notice}",
        f"- Python {platform.python_version()}",
        "",
        "## Overall",
        "",
        markdown_table(_overall(results)),
        "## Per gold file",
        "",
        "The sample documents (position papers, a slide deck, a handreiking) and the policy quotes of",
        "the Verwey-Jonker table are different kinds of text; each is scored on its own here.",
        "",
        markdown_table(_per_file(results)),
        "## Per source",
        "",
        markdown_table(_per_source(results)),
        "## Framing confusion (model, gold-positive records)",
        "",
        markdown_table(_confusion(results)),
        "## Remaining errors (model, held out)",
        "",
        "A few examples of each kind, to read rather than to count.",
        "",
        markdown_table(_errors(results)),
    ]
    return "\n".join(lines) + "\n"


def _flat(scores: dict[str, Any]) -> dict[str, float]:
    return {f"{k}.{m}": v for k, d in scores.items() if isinstance(d, dict) for m, v in d.items()}


def _overall(results: pd.DataFrame) -> pd.DataFrame:
    gold = list(results["gold"])
    rows = [{"tagger": name, **_flat(score(gold, list(results[name])))} for name in ("model", "rules")]
    return pd.DataFrame(rows)


def _per_file(results: pd.DataFrame) -> pd.DataFrame:
    files = results["gold"].map(lambda g: Path(g["_file"]).name)
    rows = []
    for name, part in results.groupby(files, sort=True):
        for tagger in ("model", "rules"):
            rows.append({"file": name, "tagger": tagger, **_flat(score(list(part["gold"]), list(part[tagger])))})
    return pd.DataFrame(rows)


def _per_source(results: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for group, part in results.groupby("group", sort=True):
        for name in ("model", "rules"):
            s = score(list(part["gold"]), list(part[name]))
            rows.append(
                {
                    "source": group,
                    "tagger": name,
                    "n": s["n"],
                    "positives": sum(g["expectation"] for g in part["gold"]),
                    "expectation.f1": s["expectation"]["f1"],
                    "framing.macro_f1": s["framing"]["macro_f1"],
                    "purpose.token_f1": s["purpose"]["token_f1"],
                    "category.acc": s["purpose_category"]["accuracy"],
                }
            )
    return pd.DataFrame(rows)


def _confusion(results: pd.DataFrame) -> pd.DataFrame:
    pos = [(g["framing"], m["framing"]) for g, m in zip(results["gold"], results["model"]) if g["expectation"]]
    matrix = confusion_matrix([g for g, _ in pos], [p for _, p in pos], labels=FRAMES)
    return pd.DataFrame(matrix, index=[f"gold {f}" for f in FRAMES], columns=[f"pred {f}" for f in FRAMES]).reset_index(
        names=""
    )


def _errors(results: pd.DataFrame, per_kind: int = 6) -> pd.DataFrame:
    """A few held-out mistakes of each kind, to read rather than to count."""
    kinds: dict[str, list[dict[str, str]]] = {
        "missed expectation": [],
        "false expectation": [],
        "wrong framing": [],
        "purpose span off": [],
    }
    for _, row in results.iterrows():
        g, m = row["gold"], row["model"]
        detail = ""
        if g["expectation"] and not m["expectation"]:
            kind = "missed expectation"
        elif m["expectation"] and not g["expectation"]:
            kind = "false expectation"
        elif g["expectation"] and g["framing"] != m["framing"]:
            kind, detail = "wrong framing", f"gold {g['framing']}, model {m['framing']}"
        elif g["expectation"] and g["purpose"] != m["purpose"] and (g["purpose"] or m["purpose"]):
            kind, detail = "purpose span off", f"gold '{g['purpose']}' / model '{m['purpose']}'"
        else:
            continue
        if len(kinds[kind]) < per_kind:
            kinds[kind].append({"error": kind, "source": row["group"], "text": g["text"][:220], "detail": detail[:200]})
    return pd.DataFrame([r for rows in kinds.values() for r in rows], columns=["error", "source", "text", "detail"])


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("gold", nargs="+", type=Path)
    parser.add_argument("--train-only", nargs="*", type=Path, default=[])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--spacy-model", default=None)
    args = parser.parse_args(argv)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        nlp = load_nlp(args.spacy_model)
        results = leave_one_source_out(read_gold(args.gold), read_gold(args.train_only), nlp)
    write_text(report(results, nlp, [p.name for p in [*args.gold, *args.train_only]]), args.out)


if __name__ == "__main__":
    main()
