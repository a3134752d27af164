"""The expectation model's learning curve, the pool AP the target needs, and the human ceiling.

1. Learning curve. The expectation model is trained as `sbtext evaluate --cross-validate --folds N`
   trains it: whole real documents held out in `sbtext.crossval.document_folds` groups, the
   training side cleared of quotes of held-out passages (`unseen`), the featurizer fitted on that
   side, `make_linear` with `EXPECTATION_C` on the rule-1 rows that `learns_expectation` keeps.
   The training side of every fold is then cut down by whole groups (`group_of`) to a fraction
   of its groups, with a few seeds, and the held-out rule-1 passages of whole documents (the
   pool) are scored: average precision over the pool, precision at end-to-end recall 0.75 and
   recall at precision 0.80 (end to end: against every expectation of the whole documents,
   those rule 1 refuses included).
2. The log fit AP = a + b log2(n) of pool AP against training positives, the pool AP a binormal
   model of the full run's ranking needs for the target (precision 0.80 at end-to-end recall
   0.75), and the training positives the log fit needs to reach it.
3. The human ceiling: the blind second annotation of `annotations/agreement/` judged against the
   first, with its precision reweighted to the rule-1 pool of the whole documents.

Usage:
    python bench/learning_curve.py [GOLD.jsonl ...] [--folds 20] [--seeds 3] [--out FILE.md]

Without gold files it reads annotations/real/*.jsonl and the curated files `make evaluate` reads.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import sys
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sklearn
from scipy.stats import norm
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import average_precision_score

ROOT = Path(__file__).resolve().parents[1]
CURATED = ("seeds.jsonl", "verwey_jonker_2023.jsonl", "constructed.jsonl")
AGREEMENT = ROOT / "annotations" / "agreement"
FRACTIONS = (1 / 16, 1 / 8, 1 / 4, 1 / 2, 3 / 4, 1.0)
FRACTION_NAMES = {1 / 16: "1/16", 1 / 8: "1/8", 1 / 4: "1/4", 1 / 2: "1/2", 3 / 4: "3/4", 1.0: "1"}
DRAWS = 400  # simulated rankings per binormal AP
BOOTSTRAP = 2000  # document resamples of the human ceiling


@dataclass(frozen=True)
class Gold:
    """The gold records, their prepared features, and the pool the curve is scored on."""

    records: list[dict[str, Any]]
    prepared: Any  # sbtext.train.Prepared
    y: np.ndarray
    groups: np.ndarray
    pool: np.ndarray  # record indices: passages of whole documents that pass rule 1
    total: int  # expectations of the whole documents, rule 1 or not
    documents: int  # whole documents

    @property
    def pool_counts(self) -> tuple[int, int]:
        positives = int(self.y[self.pool].sum())
        return positives, len(self.pool) - positives


@dataclass(frozen=True)
class Fold:
    """One group of held-out documents: its training side (after `unseen`) and its pool passages."""

    side: np.ndarray
    test: np.ndarray


@dataclass(frozen=True)
class Run:
    """One fraction and seed: fold means of what the model trained on, and the pool's ranking."""

    fraction: float
    seed: int
    rows: float
    positives: float
    groups: float
    scores: np.ndarray  # out-of-fold scores in pool order
    ap: float
    precision_at_recall: float
    recall_at_precision: float


@dataclass(frozen=True)
class LogFit:
    """AP = a + b log2(n), by least squares, with the standard error of b."""

    a: float
    b: float
    se_b: float
    residual_sd: float
    x_mean: float  # mean log2(n) of the points: the line turns about it when the slope is varied

    def positives_for(self, ap: float, *, slope: float | None = None) -> float:
        """The training positives at which the line reaches `ap` (with `slope`: the line of that
        slope through the same centre of the points); infinite where a flat or falling line never does."""
        b = self.b if slope is None else slope
        if b <= 0:
            return math.inf
        doublings = (ap - (self.a + (self.b - b) * self.x_mean)) / b
        return math.inf if doublings > 1000 else float(2**doublings)


# ---- the learning curve -------------------------------------------------------------------------


def read_records(files: Sequence[Path]) -> list[dict[str, Any]]:
    """The gold records, one annotation per whole document (as `sbtext evaluate` reads them)."""
    from sbtext.annotations import read_gold
    from sbtext.crossval import one_annotation_per_document

    return one_annotation_per_document(read_gold(list(files)))[0]


def prepare_gold(records: list[dict[str, Any]], nlp: Any) -> Gold:
    """Process every record once with the rules-only tagger and compute its features."""
    from sbtext.tag import Tagger
    from sbtext.train import group_of, is_whole_document, prepare

    prepared = prepare(records, Tagger(nlp, models="rules"))
    y = np.array([bool(r["expectation"]) for r in records])
    whole = np.array([is_whole_document(r) for r in records])
    groups = np.array([group_of(r) for r in records])
    pool = np.flatnonzero(whole & prepared.names_basis)
    return Gold(records, prepared, y, groups, pool, int(y[whole].sum()), len(set(groups[whole])))


def make_folds(gold: Gold, folds: int) -> list[Fold]:
    """The folds of `sbtext.crossval`: held-out document groups and their training sides."""
    from sbtext.crossval import _training_side, document_folds

    out = []
    for held in document_folds(gold.records, folds):
        side = np.array(_training_side(gold.records, held), dtype=int)
        test = gold.pool[np.isin(gold.groups[gold.pool], list(held))]
        out.append(Fold(side, test))
    return out


def subsample(side: np.ndarray, groups: np.ndarray, fraction: float, rng: np.random.Generator) -> np.ndarray:
    """The records of `side` in a random `fraction` of its groups (at least one group)."""
    if fraction >= 1.0:
        return side
    present = np.array(sorted(set(groups[side])))
    keep = rng.choice(present, size=max(1, round(fraction * len(present))), replace=False)
    return side[np.isin(groups[side], keep)]


def fit_and_score(gold: Gold, side: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, int, int, int]:
    """Fit the featurizer and the expectation model on `side`, score `test`.

    Returns the scores, and the model's training rows, positives and groups."""
    from sbtext.tag.model import assemble, fit_featurizer, make_linear
    from sbtext.train import EXPECTATION_C, learns_expectation

    p = gold.prepared.subset(side)
    featurizer = fit_featurizer(pd.concat([p.x, p.x_cat], ignore_index=True))
    y = gold.y[side]
    learns = learns_expectation([gold.records[i] for i in side], y, p.names_basis)
    rows = np.flatnonzero(p.names_basis & learns)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = make_linear(c=EXPECTATION_C).fit(assemble(featurizer, p.x.iloc[rows], p.text[rows]), y[rows])
    held = assemble(featurizer, gold.prepared.x.iloc[test], gold.prepared.text[test])
    return model.decision_function(held), len(rows), int(y[rows].sum()), len(set(gold.groups[side[rows]]))


def run_curve(gold: Gold, folds: Sequence[Fold], fraction: float, seed: int) -> Run:
    """Every fold trained on `fraction` of its groups (seed `1000 * seed + fold`); pool metrics."""
    scores = np.zeros(len(gold.y))
    sizes = []
    for k, fold in enumerate(folds):
        side = subsample(fold.side, gold.groups, fraction, np.random.default_rng(1000 * seed + k))
        fold_scores, *size = fit_and_score(gold, side, fold.test)
        scores[fold.test] = fold_scores
        sizes.append(size)
    rows, positives, groups = np.mean(sizes, axis=0)
    pool_scores = scores[gold.pool]
    ap, p_at_r, r_at_p = ranking_metrics(gold.y[gold.pool], pool_scores, gold.total)
    return Run(fraction, seed, rows, positives, groups, pool_scores, ap, p_at_r, r_at_p)


def ranking_metrics(
    labels: np.ndarray, scores: np.ndarray, total: int, *, recall: float = 0.75, precision: float = 0.80
) -> tuple[float, float, float]:
    """AP over the ranked passages; precision at the first cut-off that reaches end-to-end
    `recall` (true positives over `total`; nan if none does); the largest end-to-end recall at a
    cut-off with precision at least `precision` (0 if none)."""
    order = np.argsort(-scores, kind="stable")
    tp = np.cumsum(labels[order])
    precisions = tp / np.arange(1, len(tp) + 1)
    k = int(np.searchsorted(tp, recall * total))
    p_at_r = float(precisions[k]) if k < len(tp) else float("nan")
    ok = precisions >= precision
    r_at_p = float(tp[ok].max() / total) if ok.any() else 0.0
    return float(average_precision_score(labels, scores)), p_at_r, r_at_p


# ---- the fits ------------------------------------------------------------------------------------


def log_fit(positives: Sequence[float] | np.ndarray, ap: Sequence[float] | np.ndarray) -> LogFit:
    """Least squares of AP on log2(positives), with the slope's standard error."""
    x, y = np.log2(np.asarray(positives, dtype=float)), np.asarray(ap, dtype=float)
    b, a = np.polyfit(x, y, 1)
    residuals = y - (a + b * x)
    sd = math.sqrt(float(residuals @ residuals) / (len(x) - 2)) if len(x) > 2 else float("nan")
    return LogFit(float(a), float(b), sd / math.sqrt(float(((x - x.mean()) ** 2).sum())), sd, float(x.mean()))


def fit_binormal(labels: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    """(a, b) of probit(TPR) = a + b probit(FPR), least squares over the ranking's ROC points
    (those with both rates inside the open interval, away from the ends, where probit diverges)."""
    order = np.argsort(-scores, kind="stable")
    hits = labels[order].astype(bool)
    tpr = np.cumsum(hits) / hits.sum()
    fpr = np.cumsum(~hits) / (~hits).sum()
    inside = (tpr > 0.02) & (tpr < 0.98) & (fpr > 0.002) & (fpr < 0.98)
    b, a = np.polyfit(norm.ppf(fpr[inside]), norm.ppf(tpr[inside]), 1)
    return float(a), float(b)


def target_rates(positives: int, negatives: int, total: int, *, recall: float, precision: float) -> tuple[float, float]:
    """The pool's (TPR, FPR) at the target: enough true positives for end-to-end `recall` of
    `total`, and no more false positives than `precision` allows beside them."""
    need = math.ceil(recall * total)
    return need / positives, need * (1 / precision - 1) / negatives


def separation_needed(b: float, tpr: float, fpr: float) -> float:
    """The binormal `a` whose curve (slope `b`) passes through (fpr, tpr)."""
    return float(norm.ppf(tpr) - b * norm.ppf(fpr))


def binormal_ap(a: float, b: float, positives: int, negatives: int) -> float:
    """AP of the binormal curve itself (no sampling): precision integrated over TPR."""
    t = np.linspace(-10.0, 10.0 + abs(a / b) * 2, 20001)
    fpr, tpr = norm.sf(t), norm.cdf(a - b * t)
    precision = positives * tpr / np.maximum(positives * tpr + negatives * fpr, 1e-300)
    # t runs upwards, so TPR falls: the integral over TPR is minus the sum over t.
    return float(-np.sum((precision[1:] + precision[:-1]) / 2 * np.diff(tpr)))


def simulated_ap(a: float, b: float, positives: int, negatives: int, *, seed: int = 0) -> tuple[float, float, float]:
    """Mean, 5% and 95% of the AP of rankings drawn from the binormal with the pool's counts
    (negatives N(0, 1), positives N(a / b, 1 / b)): what a pool of that size would show."""
    rng = np.random.default_rng(seed)
    labels = np.r_[np.ones(positives, dtype=bool), np.zeros(negatives, dtype=bool)]
    draws = [
        average_precision_score(labels, np.r_[rng.normal(a / b, 1 / b, positives), rng.normal(0, 1, negatives)])
        for _ in range(DRAWS)
    ]
    return float(np.mean(draws)), float(np.percentile(draws, 5)), float(np.percentile(draws, 95))


# ---- the human ceiling ---------------------------------------------------------------------------


def reweighted(
    reference: np.ndarray, judged: np.ndarray, stratum: np.ndarray, counts: tuple[int, int]
) -> tuple[float, float]:
    """Precision and recall of `judged` against `reference`, each passage weighted so that the
    sample's strata (True / False of `stratum`, the label the sample was drawn by) count as
    `counts` = (positives, negatives) of the population."""
    weight = np.where(stratum, counts[0] / max(stratum.sum(), 1), counts[1] / max((~stratum).sum(), 1))
    both = float((weight * (reference & judged)).sum())
    return both / max(float((weight * judged).sum()), 1e-12), both / max(float((weight * reference).sum()), 1e-12)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@dataclass(frozen=True)
class Agreement:
    """The blind sample: first and second labels, rule 1, and each passage's document."""

    first: np.ndarray
    second: np.ndarray
    rule_one: np.ndarray
    documents: np.ndarray


def read_agreement(nlp: Any, folder: Path = AGREEMENT) -> Agreement:
    """The two annotations of the same passages, in the same order, with rule 1 recomputed."""
    from sbtext.tag import Tagger, names_the_basis
    from sbtext.tag.rules import cue_spans_of

    first, second = read_jsonl(folder / "real_blind_first.jsonl"), read_jsonl(folder / "real_blind_b1.jsonl")
    if [r["id"] for r in first] != [r["id"] for r in second]:
        raise SystemExit(f"{folder}: the two annotations do not hold the same passages in the same order")
    docs = list(Tagger(nlp, models="rules").docs(r["text"] for r in first))
    return Agreement(
        np.array([bool(r["expectation"]) for r in first]),
        np.array([bool(r["expectation"]) for r in second]),
        np.array([names_the_basis(c) for c in cue_spans_of(docs)]),
        np.array([r["doc_id"] for r in first]),
    )


def plain_scores(reference: np.ndarray, judged: np.ndarray) -> dict[str, Any]:
    both = int((reference & judged).sum())
    return {
        "passages": len(reference),
        "first: expectations": int(reference.sum()),
        "second: expectations": int(judged.sum()),
        "both": both,
        "precision": f"{both / max(int(judged.sum()), 1):.3f}",
        "recall": f"{both / max(int(reference.sum()), 1):.3f}",
    }


def document_bootstrap(sample: Agreement, counts: tuple[int, int]) -> tuple[list[float], list[float]]:
    """95% intervals of the reweighted precision and recall, documents of the sample resampled."""
    rng = np.random.default_rng(0)
    index = np.flatnonzero(sample.rule_one)
    documents = sorted(set(sample.documents[index]))
    by_document = {d: index[sample.documents[index] == d] for d in documents}
    draws = []
    for _ in range(BOOTSTRAP):
        rows = np.concatenate([by_document[d] for d in rng.choice(documents, len(documents))])
        draws.append(reweighted(sample.first[rows], sample.second[rows], sample.first[rows], counts))
    low, high = np.percentile(draws, [2.5, 97.5], axis=0)
    return [float(low[0]), float(high[0])], [float(low[1]), float(high[1])]


# ---- the report ----------------------------------------------------------------------------------


def curve_table(runs: Sequence[Run]) -> pd.DataFrame:
    rows = []
    for fraction in sorted({r.fraction for r in runs}):
        part = [r for r in runs if r.fraction == fraction]
        ap = np.array([r.ap for r in part])
        rows.append(
            {
                "fraction": FRACTION_NAMES.get(fraction, f"{fraction:.3g}"),
                "runs": len(part),
                "training rows": f"{np.mean([r.rows for r in part]):.0f}",
                "positives": f"{np.mean([r.positives for r in part]):.0f}",
                "groups": f"{np.mean([r.groups for r in part]):.0f}",
                "pool AP mean (sd)": f"{ap.mean():.3f} ({ap.std(ddof=1):.3f})" if len(ap) > 1 else f"{ap[0]:.3f} (-)",
                "P at end-to-end R 0.75": f"{np.mean([r.precision_at_recall for r in part]):.3f}",
                "R at P 0.80": f"{np.mean([r.recall_at_precision for r in part]):.3f}",
            }
        )
    return pd.DataFrame(rows)


def describe(files: Sequence[Path]) -> str:
    """The gold files by folder and count (relative to the project where they lie inside it)."""
    from collections import Counter

    def folder(path: Path) -> str:
        parent = path.resolve().parent
        return str(parent.relative_to(ROOT)) if parent.is_relative_to(ROOT) else str(parent)

    counts = Counter(folder(f) for f in files)
    return ", ".join(f"{n} file(s) in {d}/" for d, n in sorted(counts.items()))


def header(gold: Gold, nlp: Any, files: Sequence[Path], folds: int, seeds: int, seconds: float) -> list[str]:
    from sbtext.nlp import backend_of
    from sbtext.train import is_whole_document

    positives, negatives = gold.pool_counts
    whole = [r for r in gold.records if is_whole_document(r)]
    return [
        "# Learning curve of the expectation model, and the human ceiling",
        "",
        "Regenerate with `make learning-curve` (`bench/learning_curve.py`; its docstring says what each",
        "part measures). Measured on:",
        "",
        f"- gold: {len(gold.records):,} records of {describe(files)} (one annotation per whole document)",
        f"- whole real documents: {gold.documents} documents, {len(whole):,} passages, {gold.total} expectations",
        f"- pool (whole-document passages that pass rule 1): {len(gold.pool):,} passages, {positives}"
        f" expectations, {negatives:,} others",
        f"- folds: `document_folds(records, {folds})`; seeds per fraction below 1: {seeds}",
        f"- {backend_of(nlp).notice}; scikit-learn {sklearn.__version__}; Python {platform.python_version()}",
        f"- run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {seconds / 60:.1f} minutes",
        "",
    ]


def curve_section(runs: Sequence[Run], folds: int) -> list[str]:
    return [
        "## 1. Learning curve",
        "",
        f"Each of the {folds} folds holds out its whole documents; its training side (after `unseen`) is",
        "cut to a fraction of its groups (`group_of`: a whole document, an excerpt file's document, a",
        "curated file), drawn per fold and seed. Training rows, positives and groups are fold means",
        "of what the expectation model trained on (rule-1 rows of real text; groups that contribute",
        "rows). Out-of-fold scores of all folds are ranked together over the pool. P at end-to-end",
        "R 0.75: precision at the first cut-off holding 75% of all whole-document expectations (rule 1",
        "refuses some, so the pool's recall there is higher); R at P 0.80: the largest end-to-end recall",
        "at a cut-off with precision 0.80 or more.",
        "",
        _markdown(curve_table(runs)),
    ]


@dataclass(frozen=True)
class Extrapolation:
    """Section 2's figures: the log fit, the binormal model of the full run, the target on it."""

    fit: LogFit
    full: Run
    a: float
    b: float
    ap_drawn: float  # mean AP of rankings drawn from (a, b) with the pool's counts
    tpr: float
    fpr: float
    a_needed: float
    ap_needed: tuple[float, float, float]  # mean, 5%, 95% of the draws
    curve_ap_needed: float

    @property
    def positives_needed(self) -> float:
        return self.fit.positives_for(self.ap_needed[0])


def extrapolate(gold: Gold, runs: Sequence[Run], *, precision: float, recall: float) -> Extrapolation:
    """Fit the curve and the full run's binormal, and solve for the target's separation and AP."""
    full = next(r for r in runs if r.fraction == 1.0)
    positives, negatives = gold.pool_counts
    a, b = fit_binormal(gold.y[gold.pool], full.scores)
    tpr, fpr = target_rates(positives, negatives, gold.total, recall=recall, precision=precision)
    a_needed = separation_needed(b, tpr, fpr)
    return Extrapolation(
        fit=log_fit([r.positives for r in runs], [r.ap for r in runs]),
        full=full,
        a=a,
        b=b,
        ap_drawn=simulated_ap(a, b, positives, negatives)[0],
        tpr=tpr,
        fpr=fpr,
        a_needed=a_needed,
        ap_needed=simulated_ap(a_needed, b, positives, negatives, seed=1),
        curve_ap_needed=binormal_ap(a_needed, b, positives, negatives),
    )


def fit_section(gold: Gold, runs: Sequence[Run], ex: Extrapolation, *, precision: float, recall: float) -> list[str]:
    fit, (positives, negatives) = ex.fit, gold.pool_counts
    need, low, high = ex.ap_needed
    band = [fit.positives_for(need, slope=fit.b + k * fit.se_b) for k in (1, -1)]
    true_positives = math.ceil(recall * gold.total)
    per_document = positives / gold.documents
    return [
        "## 2. The log fit, and the AP the target needs",
        "",
        f"Over the {len(runs)} runs (one point each: x = mean training positives per fold, y = pool AP):",
        "",
        f"- **AP = {fit.a:.3f} + {fit.b:.4f} log2(n)**: {fit.b:+.3f} AP per doubling of the training"
        f" positives (standard error {fit.se_b:.4f}; residual sd {fit.residual_sd:.3f}). Runs at one fraction"
        " share their held-out folds, so the standard error is, if anything, too small.",
        f"- Binormal model of the full run's ranking (probit TPR = a + b probit FPR, least squares over its"
        f" out-of-fold ROC points): a = {ex.a:.3f}, b = {ex.b:.3f}. Rankings drawn from it with the pool's"
        f" counts ({positives} / {negatives:,}) have AP {ex.ap_drawn:.3f} (observed {ex.full.ap:.3f}).",
        f"- The target, precision {precision:.2f} at end-to-end recall {recall:.2f}, is {true_positives} true"
        f" positives of {gold.total} with at most {true_positives * (1 / precision - 1):.1f} false ones: pool TPR"
        f" {ex.tpr:.3f} at FPR {ex.fpr:.4f}. With b kept, the binormal curve passes there at"
        f" **a = {ex.a_needed:.3f}**; rankings drawn from it have **pool AP {need:.3f}** (5-95% of {DRAWS}"
        f" draws {low:.3f}-{high:.3f}; the curve's own AP {ex.curve_ap_needed:.3f}).",
        f"- The log fit reaches AP {need:.3f} at **{ex.positives_needed:,.0f} training positives per fold,"
        f" {ex.positives_needed / ex.full.positives:.0f}x** today's {ex.full.positives:.0f}"
        f" ({band[0]:,.0f} to {band[1]:,.0f} with the slope one standard error lower or higher); at the"
        f" {per_document:.2f} rule-1 expectations a whole document holds on average today, some"
        f" {ex.positives_needed / per_document:,.0f} whole documents annotated passage by passage. A straight"
        " line in log n is an optimistic extrapolation: these data do not show where the curve bends.",
        "",
    ]


@dataclass(frozen=True)
class Ceiling:
    """Section 3's figures: the second annotator against the first, reweighted to the pool."""

    precision: float
    recall: float  # within rule 1
    precision_band: list[float]
    recall_band: list[float]
    false_positives: int  # rule-1 passages the first calls others and the second expectations
    others: int
    a: float  # the second annotator's point in rule 1 on the binormal scale of section 2
    ap: float  # the pool AP of rankings drawn from that curve


def human_ceiling(gold: Gold, sample: Agreement, b: float) -> Ceiling:
    """The reweighted precision and recall, their bootstrap bands, and the point's binormal AP."""
    one = sample.rule_one
    first, second = sample.first[one], sample.second[one]
    precision, recall = reweighted(first, second, first, gold.pool_counts)
    p_band, r_band = document_bootstrap(sample, gold.pool_counts)
    false_positives, others = int((~first & second).sum()), int((~first).sum())
    a = separation_needed(b, float((first & second).sum() / first.sum()), false_positives / others)
    ap = simulated_ap(a, b, *gold.pool_counts, seed=2)[0]
    return Ceiling(precision, recall, p_band, r_band, false_positives, others, a, ap)


def ceiling_section(gold: Gold, sample: Agreement, human: Ceiling) -> list[str]:
    counts, one = gold.pool_counts, sample.rule_one
    rows = [
        {"passages of the sample": "all", **plain_scores(sample.first, sample.second)},
        {"passages of the sample": "rule 1", **plain_scores(sample.first[one], sample.second[one])},
    ]
    return [
        "## 3. The human ceiling",
        "",
        f"`annotations/agreement/`: {len(sample.first)} passages of {len(set(sample.documents))} whole documents",
        "labelled blind by a second annotator (`real_blind_b1.jsonl`), judged against the first annotators'",
        "labels of the same passages (`real_blind_first.jsonl`); rule 1 recomputed on their texts.",
        "",
        _markdown(pd.DataFrame(rows)),
        f"The sample was drawn by the first labels and is rich in expectations ({sample.first[one].mean():.0%} of its",
        f"rule-1 passages, against {counts[0] / sum(counts):.0%} in the pool), so its precision overstates what the",
        "same reader would reach on whole documents. Reweighted to the pool, each rule-1 passage of the sample",
        f"counts as pool expectations / sample expectations ({counts[0]} / {int(sample.first[one].sum())}) when the",
        f"first label is an expectation and as pool others / sample others ({counts[1]:,} / {human.others}) otherwise",
        "(assuming the sample's passages of a label stand for the pool's passages of that label):",
        "",
        f"- **precision {human.precision:.3f}** (95% over {BOOTSTRAP} resamples of the sample's documents:"
        f" {human.precision_band[0]:.2f}-{human.precision_band[1]:.2f}), recall within rule 1 {human.recall:.3f}"
        f" ({human.recall_band[0]:.2f}-{human.recall_band[1]:.2f}), end-to-end recall about"
        f" {human.recall * counts[0] / gold.total:.3f} (x {counts[0]} / {gold.total}).",
        f"- On the binormal scale of section 2 (the full run's b), the second annotator's point in rule 1"
        f" (TPR {human.recall:.3f}, FPR {human.false_positives} / {human.others}) has a = {human.a:.2f},"
        f" worth pool AP about {human.ap:.3f}.",
        "",
    ]


def summary(gold: Gold, ex: Extrapolation, human: Ceiling) -> list[str]:
    return [
        "## In short",
        "",
        f"- Pool AP {ex.full.ap:.3f} with all of today's training data; {ex.fit.b:+.3f} AP per doubling of the"
        f" training positives (se {ex.fit.se_b:.3f}).",
        f"- The target needs pool AP about {ex.ap_needed[0]:.2f} (binormal model), which the log fit puts at"
        f" {ex.positives_needed / ex.full.positives:,.0f}x today's training positives.",
        f"- A second blind annotator, judged against the first, reaches precision {human.precision:.3f} in the"
        f" whole documents' rule-1 pool at end-to-end recall about {human.recall * gold.pool_counts[0] / gold.total:.2f}"
        f" (pool AP equivalent about {human.ap:.2f}).",
        "",
    ]


def _markdown(df: pd.DataFrame) -> str:
    from sbtext.export import markdown_table

    return markdown_table(df)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="*", type=Path, help="gold JSONL files (default: as `make evaluate`)")
    parser.add_argument("--folds", type=int, default=20, help="groups of whole documents held out (default 20)")
    parser.add_argument("--seeds", type=int, default=3, help="seeds per fraction below 1 (default 3)")
    parser.add_argument("--out", type=Path, help="write the Markdown report here (default: print it)")
    args = parser.parse_args(argv)

    from sbtext.nlp import load_nlp

    started = time.monotonic()
    files = args.gold or [
        *sorted((ROOT / "annotations" / "real").glob("*.jsonl")),
        *(ROOT / "annotations" / f for f in CURATED),
    ]
    nlp = load_nlp()
    gold = prepare_gold(read_records(files), nlp)
    folds = make_folds(gold, args.folds)
    runs = []
    for fraction in FRACTIONS:
        for seed in range(1 if fraction >= 1.0 else args.seeds):
            runs.append(run_curve(gold, folds, fraction, seed))
            print(f"fraction {fraction:.4g} seed {seed}: AP {runs[-1].ap:.3f}", file=sys.stderr)
    from sbtext.crossval import TARGETS

    target = {"precision": TARGETS["expectation.precision"], "recall": TARGETS["expectation.recall"]}
    ex = extrapolate(gold, runs, **target)
    sample = read_agreement(nlp)
    human = human_ceiling(gold, sample, ex.b)
    body = (
        curve_section(runs, args.folds) + fit_section(gold, runs, ex, **target) + ceiling_section(gold, sample, human)
    )
    head = header(gold, nlp, files, args.folds, args.seeds, time.monotonic() - started)
    text = "\n".join(head + summary(gold, ex, human) + body)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
