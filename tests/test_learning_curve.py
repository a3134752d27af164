"""bench/learning_curve.py: the fits, the binormal solve and the reweighting on inputs whose answer
is known, and the curve's folds on a few real whole documents of annotations/real."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import linregress, norm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from learning_curve import (  # noqa: E402
    binormal_ap,
    fit_binormal,
    log_fit,
    make_folds,
    prepare_gold,
    ranking_metrics,
    read_agreement,
    read_records,
    reweighted,
    run_curve,
    separation_needed,
    simulated_ap,
    subsample,
    target_rates,
)


def binormal_ranking(a: float, b: float, positives: int, negatives: int) -> tuple[np.ndarray, np.ndarray]:
    """Scores at the exact quantiles of the binormal's two classes: negatives N(0, 1), positives
    N(a / b, 1 / b), so the empirical ROC follows probit TPR = a + b probit FPR."""
    pos = a / b + norm.ppf((np.arange(positives) + 0.5) / positives) / b
    neg = norm.ppf((np.arange(negatives) + 0.5) / negatives)
    return np.r_[np.ones(positives, dtype=bool), np.zeros(negatives, dtype=bool)], np.r_[pos, neg]


@pytest.mark.parametrize(("a", "b"), [(0.1, 0.05), (0.086, 0.0455), (-0.2, 0.1)])
def test_log_fit_recovers_a_perfect_log_line(a: float, b: float) -> None:
    n = np.array([50.0, 100.0, 200.0, 400.0, 800.0, 800.0])
    fit = log_fit(n, a + b * np.log2(n))
    assert (fit.a, fit.b) == pytest.approx((a, b))
    assert fit.se_b == pytest.approx(0.0, abs=1e-9)
    assert fit.positives_for(a + b * 10) == pytest.approx(1024.0)
    # Turning the line about the points' centre keeps the centre on it.
    centre = 2**fit.x_mean
    assert fit.positives_for(a + b * fit.x_mean, slope=2 * b) == pytest.approx(centre)


def test_log_fit_standard_error_is_the_least_squares_one() -> None:
    rng = np.random.default_rng(4)
    n = np.repeat([50.0, 100.0, 200.0, 400.0, 800.0], 3)
    ap = 0.09 + 0.045 * np.log2(n) + rng.normal(0, 0.02, len(n))
    fit, reference = log_fit(n, ap), linregress(np.log2(n), ap)
    assert (fit.a, fit.b, fit.se_b) == pytest.approx((reference.intercept, reference.slope, reference.stderr))


@pytest.mark.parametrize(("a", "b"), [(1.0, 1.0), (1.37, 1.08), (2.0, 0.7), (0.5, 1.3)])
def test_fit_binormal_recovers_a_known_curve(a: float, b: float) -> None:
    labels, scores = binormal_ranking(a, b, 3000, 12000)
    assert fit_binormal(labels, scores) == pytest.approx((a, b), abs=0.03)


@pytest.mark.parametrize("b", [0.8, 1.0, 1.084])
def test_separation_needed_puts_the_curve_through_the_target(b: float) -> None:
    tpr, fpr = target_rates(308, 1410, 324, recall=0.75, precision=0.80)
    assert (tpr, fpr) == pytest.approx((243 / 308, 60.75 / 1410))
    # At that point the pool holds 243 true and 60.75 false positives: precision 0.80.
    assert 308 * tpr / (308 * tpr + 1410 * fpr) == pytest.approx(0.80)
    a = separation_needed(b, tpr, fpr)
    assert norm.cdf(a + b * norm.ppf(fpr)) == pytest.approx(tpr)


@pytest.mark.parametrize(("positives", "negatives"), [(308, 1410), (50, 50), (10, 990)])
def test_binormal_ap_without_separation_is_the_base_rate(positives: int, negatives: int) -> None:
    assert binormal_ap(0.0, 1.0, positives, negatives) == pytest.approx(positives / (positives + negatives), abs=1e-4)


def test_binormal_ap_grows_with_the_separation_and_sampling_agrees() -> None:
    aps = [binormal_ap(a, 1.0, 308, 1410) for a in (0.5, 1.5, 2.5, 4.0)]
    assert aps == sorted(aps) and aps[-1] > 0.97
    mean, low, high = simulated_ap(1.5, 1.0, 308, 1410)
    assert low < mean < high
    assert mean == pytest.approx(aps[1], abs=0.02)


def test_reweighted_precision_on_a_small_table() -> None:
    # Sample: 2 passages the first annotation calls expectations, 2 it does not; the population
    # holds 10 and 90. The second annotator finds one of each kind: weights 5 and 45.
    first = np.array([True, True, False, False])
    second = np.array([True, False, True, False])
    precision, recall = reweighted(first, second, first, (10, 90))
    assert (precision, recall) == pytest.approx((5 / (5 + 45), 0.5))
    # Unweighted, the same table reads precision 0.5.
    assert reweighted(first, second, first, (2, 2)) == pytest.approx((0.5, 0.5))


def test_ranking_metrics_on_a_small_ranking() -> None:
    labels = np.array([True, True, False, True, False, False])
    scores = np.array([6.0, 5.0, 4.0, 3.0, 2.0, 1.0])
    ap, p_at_r, r_at_p = ranking_metrics(labels, scores, total=4)  # one expectation rule 1 refused
    assert ap == pytest.approx((1 + 1 + 3 / 4) / 3)
    assert p_at_r == pytest.approx(3 / 4)  # 3 of 4 reached at the fourth passage
    assert r_at_p == pytest.approx(2 / 4)  # precision stays >= 0.80 down to the second passage


@pytest.mark.parametrize(("fraction", "groups"), [(1 / 4, 1), (1 / 2, 2), (3 / 4, 3), (1.0, 4)])
def test_subsample_keeps_whole_groups(fraction: float, groups: int) -> None:
    names = np.array(["a", "a", "b", "c", "c", "c", "d"])
    kept = subsample(np.arange(len(names)), names, fraction, np.random.default_rng(0))
    assert len(set(names[kept])) == groups
    for name in set(names[kept]):
        assert set(np.flatnonzero(names == name)) <= set(kept)


WHOLE = (  # whole documents of annotations/real with expectations among their passages
    "mun_almere_2024_2026_visie_gezondheidsbeleid",
    "mun_almere_2024_2026_visie_gezondheidsbeleid_raadsvoorstel_geamendeerd",
    "mun_almere_2026_stevige_lokale_teams_geamendeerd_raadsvoorstel",
)


@pytest.fixture(scope="module")
def small_gold(nlp):
    """Three whole real documents and one curated file of the project's gold."""
    files = [ROOT / "annotations" / "real" / f"{name}.jsonl" for name in WHOLE]
    return prepare_gold(read_records([*files, ROOT / "annotations" / "seeds.jsonl"]), nlp)


def test_folds_hold_out_every_pool_passage_once_and_never_train_on_it(small_gold) -> None:
    folds = make_folds(small_gold, 2)
    held = np.concatenate([f.test for f in folds])
    assert sorted(held) == sorted(small_gold.pool)
    for fold in folds:
        assert not set(small_gold.groups[fold.test]) & set(small_gold.groups[fold.side])


def test_the_curve_trains_on_less_at_a_smaller_fraction(small_gold) -> None:
    folds = make_folds(small_gold, 2)
    half, full = run_curve(small_gold, folds, 1 / 2, 0), run_curve(small_gold, folds, 1.0, 0)
    assert half.rows < full.rows and half.positives < full.positives and half.groups < full.groups
    assert len(full.scores) == len(small_gold.pool) and 0.0 < full.ap <= 1.0


def test_read_agreement_pairs_the_two_annotations(nlp) -> None:
    sample = read_agreement(nlp)
    # The counts annotations/agreement/README.md gives for the sample.
    assert (len(sample.first), int(sample.first.sum()), int(sample.second.sum())) == (420, 130, 111)
    assert 0 < sample.rule_one.sum() < len(sample.first)


def test_a_flat_or_falling_log_line_never_reaches_a_higher_ap() -> None:
    n = np.array([50.0, 100.0, 200.0])
    assert log_fit(n, np.array([0.5, 0.5, 0.5])).positives_for(0.9) == float("inf")
    assert log_fit(n, np.array([0.5, 0.4, 0.3])).positives_for(0.9) == float("inf")
