"""Codebook rule 1 on the gold: how many passages it keeps and how many expectations it loses.

Rule 1 (annotations/CODEBOOK.md, section 1) keeps a passage only when a term of the sphere
lexicons or of `core` is found in it; no expectation is possible elsewhere. This script measures
that gate alone, on every gold record of whole documents (`"unit": "document"`) and, apart, on the
passage excerpts, and lists each gold expectation it refuses, with the spheres the annotator gave.

With `--against OLD.yaml` it also lists the passages the codebook admits that OLD.yaml did not,
with the basis terms that admitted them and how many of them are gold expectations: the check
that a new term brings no false friends. With `--baseline` it scores the codebook-only tagger
(`models="rules"`, what `sbtext evaluate --cross-validate` reports as "rules") on the whole
documents, without training anything.

Usage:
    python bench/rule_one.py [annotations/real/*.jsonl] [--codebook FILE] [--against OLD.yaml]
        [--misses] [--sample N] [--baseline]
"""

from __future__ import annotations

import argparse
import random
import sys
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Gate:
    """What rule 1 decided for one gold record: the basis terms found (empty: refused)."""

    record: dict[str, Any]
    terms: tuple[str, ...]

    @property
    def kept(self) -> bool:
        return bool(self.terms)


def basis_terms(tagger: Any, texts: Sequence[str]) -> list[tuple[str, ...]]:
    """Per text, the codebook terms of `core` and the sphere lexicons that fired (rule 1's evidence)."""
    from sbtext.tag.rules import cue_spans

    out = []
    for doc in tagger.docs(texts):
        found = [s for s in cue_spans(doc) if s.label_ == "core" or s.label_.startswith("sphere:")]
        out.append(tuple(dict.fromkeys(f"{s.text.lower()} [{s.id_}]" for s in found)))
    return out


def rules_tagger(codebook: str | None) -> Any:
    from sbtext.nlp import load_nlp
    from sbtext.tag import Tagger

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return Tagger(load_nlp("blank"), codebook=codebook, models="rules")


def gate(records: Sequence[dict[str, Any]], codebook: str | None) -> list[Gate]:
    terms = basis_terms(rules_tagger(codebook), [r["text"] for r in records])
    return [Gate(r, t) for r, t in zip(records, terms)]


def baseline(records: Sequence[dict[str, Any]], codebook: str | None) -> str:
    """The codebook-only tagger's scores on `records` (sbtext.evaluate's definitions)."""
    from sbtext.evaluate import evaluate, format_scores

    return format_scores(evaluate(rules_tagger(codebook), records))


def summary(name: str, gates: Sequence[Gate]) -> str:
    positives = [g for g in gates if g.record["expectation"]]
    kept = sum(g.kept for g in gates)
    found = sum(g.kept for g in positives)
    recall = found / len(positives) if positives else float("nan")
    return (
        f"{name}: {len(gates)} passages, {len(positives)} expectations; rule 1 keeps {kept} passages "
        f"({kept / max(len(gates), 1):.1%}) holding {found} expectations: recall {recall:.3f}"
    )


def show(gate: Gate) -> str:
    r = gate.record
    lines = [f"- {r['id']} [{r['doc_id']} p. {r.get('page', '')}] spheres={r.get('spheres')}", f"    {r['text']}"]
    if r.get("context"):
        lines.append(f"    context: {r['context']}")
    if gate.terms:
        lines.append(f"    terms: {'; '.join(gate.terms)}")
    return "\n".join(lines)


def newly_admitted(now: Sequence[Gate], before: Sequence[Gate]) -> list[Gate]:
    return [g for g, b in zip(now, before) if g.kept and not b.kept]


def by_term(gates: Sequence[Gate]) -> str:
    """Per basis term, how many newly admitted passages it fired in and how many are expectations."""
    seen: Counter[str] = Counter()
    positive: Counter[str] = Counter()
    for g in gates:
        for term in {t.rsplit(" [", 1)[1].rstrip("]") for t in g.terms}:
            seen[term] += 1
            positive[term] += bool(g.record["expectation"])
    return "\n".join(f"  {n:5d} {positive[t]:4d}  {t}" for t, n in seen.most_common())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="*", type=Path, help="gold JSONL files (default: annotations/real/*.jsonl)")
    parser.add_argument("--codebook", help="the codebook to measure (default: sbtext's own)")
    parser.add_argument("--against", help="an earlier codebook: list the passages newly admitted")
    parser.add_argument("--misses", action="store_true", help="list every gold expectation rule 1 refuses")
    parser.add_argument("--sample", type=int, default=0, help="show N newly admitted passages at random")
    parser.add_argument("--baseline", action="store_true", help="score the codebook-only tagger on whole documents")
    args = parser.parse_args(argv)

    from sbtext.annotations import read_gold

    files = args.gold or sorted((ROOT / "annotations" / "real").glob("*.jsonl"))
    records = read_gold(files)
    gates = gate(records, args.codebook)
    whole = [g for g in gates if g.record.get("unit") == "document"]
    excerpts = [g for g in gates if g.record.get("unit") != "document"]
    print(summary("whole documents", whole))
    print(summary("passage excerpts", excerpts))
    if args.misses:
        misses = [g for g in gates if g.record["expectation"] and not g.kept]
        print(f"\n{len(misses)} gold expectations refused by rule 1:")
        print("\n".join(show(g) for g in misses))
    if args.against:
        new = newly_admitted(gates, gate(records, args.against))
        whole_new = [g for g in new if g.record.get("unit") == "document"]
        print(
            f"\nnewly admitted: {len(new)} passages ({len(whole_new)} of whole documents), "
            f"{sum(bool(g.record['expectation']) for g in new)} of them expectations "
            f"({sum(bool(g.record['expectation']) for g in whole_new)} of whole documents)"
        )
        print("  passages expectations  term\n" + by_term(new))
        for g in random.Random(0).sample(new, min(args.sample, len(new))):
            print(show(g))
    if args.baseline:
        print("\ncodebook-only tagger on whole documents:\n" + baseline([g.record for g in whole], args.codebook))
    return 0


if __name__ == "__main__":
    sys.exit(main())
