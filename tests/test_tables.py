"""The table stage: tables built from chunks equal those of pandas over all passages at once."""

from __future__ import annotations

import pickle
import random
import re
import sys

import pandas as pd
import pytest

from sbtext import tables as t
from sbtext.codebook import CATEGORIES, SPHERES


def reference_long(passages: pd.DataFrame, top: int) -> pd.DataFrame:
    """The table as pandas computes it over every passage (the definition the builder must meet)."""

    def key(text: str) -> str:
        return re.sub(r"\W+", " ", text.lower()).strip()

    def quote(source, column, text, r):
        return {
            "source": source,
            "column": column,
            "quote": text,
            "page": str(r["page"]),
            "page_index": r["page_index"],
            "doc_id": r["doc_id"],
            "passage_id": r["passage_id"],
            "score": r["expectation_score"],
            "framing": r["framing"],
            "purpose_category": r["purpose_category"],
        }

    rows = []
    for source, group in passages.groupby("source", sort=False):
        found = group[group["expectation"].astype(bool)].sort_values(
            ["expectation_score", "doc_id", "page_index", "char_start"],
            ascending=[False, True, True, True],
            kind="stable",
        )
        chosen = found[~found["text"].map(key).duplicated()].head(top)
        rows += [quote(source, "verwachting", r["text"], r) for _, r in chosen.iterrows()]
        quoted = [quote(source, "waartoe", r["purpose"], r) for _, r in chosen.iterrows()]
        seen = {key(r["purpose"]) for _, r in chosen.iterrows() if r["purpose"]}
        concrete = (group["purpose"].str.count(r"\w+") >= 3) & ~group["purpose_category"].isin(["", "other"])
        goals = group[group["goal_statement"].astype(bool) & concrete]
        for _, r in goals.sort_values(["doc_id", "page_index", "char_start"], kind="stable").iterrows():
            if len(quoted) >= 2 * top:
                break
            if key(r["text"]) not in seen and key(r["purpose"]) not in seen:
                seen.add(key(r["text"]))
                quoted.append(quote(source, "waartoe", "doel: " + r["text"], r))
        rows += quoted
    return t.frame(rows, t.LONG_COLUMNS)


def reference_counts(passages: pd.DataFrame) -> dict[str, pd.DataFrame]:
    found = passages[passages["expectation"].astype(bool)] if not passages.empty else passages
    framing = pd.crosstab(found["source"], found["framing"]).reindex(columns=t.FRAMING_ORDER, fill_value=0)
    framing["expectations"] = framing.sum(axis=1)
    framing["share_instrumental"] = (
        framing["instrumental"] / framing["expectations"].where(framing["expectations"] > 0)
    ).round(3)
    categorised = passages[passages["purpose_category"].fillna("") != ""]
    purpose = pd.crosstab(categorised["source"], categorised["purpose_category"])
    purpose = purpose.reindex(columns=[c for c in CATEGORIES if c in purpose.columns], fill_value=0)
    spheres = found.copy()
    spheres["sphere"] = spheres["spheres"].fillna("").str.split(";")
    spheres = spheres.explode("sphere")
    spheres = spheres[spheres["sphere"].isin(SPHERES)]
    by_sphere = pd.crosstab(spheres["sphere"], spheres["framing"]).reindex(
        index=list(SPHERES), columns=t.FRAMING_ORDER, fill_value=0
    )
    return {
        name: table.reset_index().rename_axis(columns=None)
        for name, table in (("framing_by_source", framing), ("purpose_by_source", purpose), ("spheres", by_sphere))
    }


def synthetic(n: int, seed: int) -> pd.DataFrame:
    """Passages of several sources whose texts and purposes repeat, differing in case and punctuation."""
    rng = random.Random(seed)
    texts = ["Buren helpen elkaar", "buren helpen elkaar!", "Vrijwilligers doen mee", "Het doel is groei", "Zorg"]
    purposes = ["", "", "elkaar helpen", "Elkaar helpen.", "groei", "Het doel is groei", "zorg", "buren helpen elkaar"]
    spheres = ["", "persoonlijk", "persoonlijk;gemeenschappelijk", "institutioneel;markt"]
    rows = []
    for i in range(n):
        doc = rng.choice(["d3", "d1", "d2", "d4"])
        rows.append(
            {
                "doc_id": doc,
                "source": {"d1": "A", "d2": "B", "d3": "A", "d4": "C"}[doc],
                "page": str(rng.randint(1, 3)),
                "page_index": rng.randint(1, 3),
                "passage_id": f"{doc}:{i}",
                "char_start": rng.randint(0, 5) * 10,
                "text": rng.choice(texts) + (f" {rng.randint(0, 30)}" if rng.random() < 0.5 else ""),
                "expectation": rng.random() < 0.6,
                "expectation_score": round(rng.random(), 1),
                "framing": rng.choice([*t.FRAMING_ORDER, "none"]),
                "purpose": rng.choice(purposes),
                "purpose_category": rng.choice(["", *CATEGORIES[:3]]),
                "spheres": rng.choice(spheres),
                "goal_statement": rng.random() < 0.4,
            }
        )
    return t.frame(rows, t.PASSAGE_COLUMNS)


def chunked(passages: pd.DataFrame, top: int, seed: int) -> t.TableBuilder:
    rng, builder, start = random.Random(seed), t.TableBuilder(top), 0
    while start < len(passages):
        size = rng.randint(1, 40)
        builder.add(passages.iloc[start : start + size])
        start += size
    return builder


@pytest.mark.parametrize("top", [1, 2, 5])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_chunks_give_the_tables_of_all_passages_at_once(top, seed):
    passages = synthetic(600, seed)
    expected = reference_long(passages, top)
    assert (expected["column"] == "waartoe").any() and len(expected) > 3 * top
    pd.testing.assert_frame_equal(t.expectations_long(passages, top=top), expected)
    assert_tables_of(chunked(passages, top, seed), passages, top)


def assert_tables_of(builder: t.TableBuilder, passages: pd.DataFrame, top: int) -> None:
    """The builder's tables are those of the reference over all `passages` at once."""
    pd.testing.assert_frame_equal(builder.expectations_long(), reference_long(passages, top))
    counts = reference_counts(passages)
    pd.testing.assert_frame_equal(builder.framing_by_source(), counts["framing_by_source"])
    pd.testing.assert_frame_equal(builder.purpose_by_source(), counts["purpose_by_source"])
    pd.testing.assert_frame_equal(builder.spheres_by_framing(), counts["spheres"])


def merged(passages: pd.DataFrame, top: int, seed: int) -> t.TableBuilder:
    """Partitions fed to builders of their own (pickled, as from a worker), merged in order."""
    rng, builder, start = random.Random(seed), t.TableBuilder(top), 0
    while start < len(passages):
        size = rng.randint(1, 150)
        part = chunked(passages.iloc[start : start + size].reset_index(drop=True), top, seed)
        builder.merge(pickle.loads(pickle.dumps(part)))
        start += size
    return builder


@pytest.mark.parametrize("top", [1, 2, 5])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_merged_partitions_give_the_tables_of_all_passages_at_once(top, seed):
    passages = synthetic(600, seed)
    assert_tables_of(merged(passages, top, seed), passages, top)


def test_goal_statements_kept_stay_bounded():
    builder = chunked(synthetic(3000, 7), 2, 7)
    assert sum(len(goals) for goals in builder._goals.values()) <= 3 * (3 * 2) ** 2
    assert all(len(best) <= 2 for best in builder._best.values())


@pytest.mark.parametrize("rows", [0, 1])
def test_no_passages_or_no_expectations_give_empty_tables(rows):
    passages = synthetic(rows, 0).assign(expectation=False, purpose_category="")
    builder = t.built(passages)
    for got, want in zip(
        (builder.framing_by_source(), builder.purpose_by_source(), builder.spheres_by_framing()),
        reference_counts(passages).values(),
    ):
        assert got.to_csv(index=False) == want.to_csv(index=False)
    assert builder.expectations_long().to_csv(index=False) == reference_long(passages, 5).to_csv(index=False)


def test_sample_corpus_tables_match_pandas(sample_analysis):
    passages = sample_analysis.passages
    builder = t.TableBuilder(3)
    for _, part in passages.groupby("doc_id", sort=False):
        builder.add(part)
    pd.testing.assert_frame_equal(builder.expectations_long(), reference_long(passages, 3))
    counts = reference_counts(passages)
    pd.testing.assert_frame_equal(builder.framing_by_source(), counts["framing_by_source"])
    pd.testing.assert_frame_equal(builder.purpose_by_source(), counts["purpose_by_source"])
    pd.testing.assert_frame_equal(builder.spheres_by_framing(), counts["spheres"])


def test_each_expectation_has_its_own_purpose_beside_it_and_goals_are_marked():
    rows = [
        {
            "text": "Buren vangen lichte vragen op, zodat de wijkverpleging ontlast wordt.",
            "expectation": True,
            "expectation_score": 0.9,
            "purpose": "de wijkverpleging ontlast wordt",
            "purpose_category": "zorg_toegankelijk_betaalbaar",
            "goal_statement": False,
        },
        {
            "text": "Vrijwilligers bezoeken eenzame ouderen.",
            "expectation": True,
            "expectation_score": 0.8,
            "purpose": "",
            "purpose_category": "",
            "goal_statement": False,
        },
        {
            "text": "De doelen in deze agenda zijn groot.",
            "expectation": False,
            "expectation_score": 0.1,
            "purpose": "groot",
            "purpose_category": "other",
            "goal_statement": True,
        },
        {
            "text": "Het doel is de zorg betaalbaar te houden.",
            "expectation": False,
            "expectation_score": 0.1,
            "purpose": "de zorg betaalbaar te houden",
            "purpose_category": "zorg_toegankelijk_betaalbaar",
            "goal_statement": True,
        },
    ]
    passages = t.frame(
        [
            {
                **r,
                "doc_id": "d",
                "source": "S",
                "page": "2",
                "page_index": 2,
                "passage_id": f"d:{i}",
                "char_start": i,
                "framing": "instrumental" if r["expectation"] else "none",
                "spheres": "",
            }
            for i, r in enumerate(rows)
        ],
        t.PASSAGE_COLUMNS,
    )
    table = t.expectation_table(t.expectations_long(passages, top=5))
    waartoe = table.loc[0, "Waartoe moet dit dienen?"].split("\n")
    assert waartoe == [
        "de wijkverpleging ontlast wordt (p. 2)",
        t.NO_PURPOSE,
        "doel: Het doel is de zorg betaalbaar te houden. (p. 2)",
    ]


def distinct(n: int, source: str) -> pd.DataFrame:
    """`n` passages of one source, each an expectation and a goal statement with a text and a
    purpose of its own, all of the same length: nothing can be left out for repeating another."""
    rows = [
        {
            "doc_id": source,
            "source": source,
            "page": str(1 + i // 40),
            "page_index": 1 + i // 40,
            "passage_id": f"{source}:{i:06d}",
            "char_start": i % 40 * 100,
            "text": f"Buurtgenoten helpen elkaar in wijk {i:06d}.",
            "expectation": True,
            "expectation_score": 0.5 + i % 7 / 100,
            "framing": "instrumental",
            "purpose": f"de zorg in wijk {i:06d} betaalbaar blijft",
            "purpose_category": CATEGORIES[0],
            "spheres": "persoonlijk",
            "goal_statement": True,
        }
        for i in range(n)
    ]
    return t.frame(rows, t.PASSAGE_COLUMNS)


def state_size(builder: t.TableBuilder, source: str) -> int:
    """Bytes of what the builder keeps of a source's passages: the candidates, their cells, and the
    dict and list that hold them (strings shared between rows counted once)."""
    best, goals = builder._best[source], builder._goals[source]
    kept = [*best.values(), *goals]
    cells = {id(cell): cell for candidate in kept for cell in candidate}
    return (
        sys.getsizeof(best)
        + sys.getsizeof(goals)
        + sum(sys.getsizeof(key) for key in best)
        + sum(sys.getsizeof(candidate) for candidate in kept)
        + sum(sys.getsizeof(cell) for cell in cells.values())
    )


@pytest.mark.parametrize("top", [1, 5])
def test_what_is_kept_of_a_source_does_not_grow_with_its_passages(top):
    sizes = {}
    for n in (10 * top, 100 * top, 1000 * top):
        builder = t.TableBuilder(top)
        builder.add(distinct(n, "S"))
        assert len(builder._best["S"]) == top
        assert len(builder._goals["S"]) == 2 * top  # the first 2*top disjoint goals, see _prune_goals
        sizes[n] = state_size(builder, "S")
    assert len(set(sizes.values())) == 1, sizes


def test_a_source_is_kept_as_compact_candidates_not_as_rows():
    builder = t.TableBuilder(2)
    sources = ["bron A", "bron B", "bron C"]
    for source in sources:
        builder.add(distinct(30, source))
    kept = [c for s in sources for c in (*builder._best[s].values(), *builder._goals[s])]
    assert kept and all(type(c) is t.Candidate for c in kept)
    # a tuple of the cells the long table quotes or sorts by, nothing else of the passage
    shown = set(t.LONG_COLUMNS) - {"source", "column", "quote"}
    assert set(t.Candidate._fields) == shown | {"text", "purpose", "char_start", "n"}
    for source in sources:  # one string object per document, not one per row
        assert len({id(c.doc_id) for c in kept if c.doc_id == source}) == 1


def test_tables_released_at_the_end_of_a_run_are_the_same_and_leave_the_builder_empty():
    passages = synthetic(600, 3)
    builder = chunked(passages, 2, 3)
    kept = builder.tables(None, pd.DataFrame(), pd.DataFrame())
    released = builder.tables(None, pd.DataFrame(), pd.DataFrame(), release=True)
    for name in ("expectations", "expectations_long", "framing_by_source", "purpose_by_source", "spheres_by_framing"):
        pd.testing.assert_frame_equal(released[name], kept[name])
    pd.testing.assert_frame_equal(kept["expectations"], t.expectation_table(reference_long(passages, 2)))
    assert not builder._best and not builder._goals and not builder._framing and not builder._purpose


@pytest.mark.parametrize("part", [1, 2])
@pytest.mark.parametrize("missing", [False, True])
def test_tables_made_a_few_sources_at_a_time_are_those_made_at_once(monkeypatch, part, missing):
    passages = synthetic(600, 4)
    if missing:  # a part whose framing column is all missing: its type differs from the others'
        passages["framing"] = passages["framing"].where(passages["source"] != "C")
    monkeypatch.setattr(t, "PART_SOURCES", part)
    tables = chunked(passages, 2, 4).tables(None, pd.DataFrame(), pd.DataFrame(), release=True)
    long = reference_long(passages, 2)
    assert long["framing"].isna().any() == missing
    pd.testing.assert_frame_equal(tables["expectations_long"], long)
    pd.testing.assert_frame_equal(tables["expectations"], t.expectation_table(long))
