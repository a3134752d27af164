"""The one annotation format (JSONL), its rules, and the files built on it.

Required keys: id, text, expectation, framing, purpose, purpose_category, spheres. Optional:
source, doc_id, page, annotator, note, goal_statement, status, suggestion; unknown keys are kept
and ignored. A record whose `status` is "todo" is not annotated yet: its labels may be empty or
null, it is checked only for id and text, and it is never read as gold. `suggestion` holds what
the models proposed (never gold). `validate_file` reports every violation with file and line;
`count_status` says how many records are labelled and how many still to do; `read_gold` reads
the labelled records of files that pass. `sample` picks passages for an annotator.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sbtext.codebook import CATEGORIES, FRAMINGS, SPHERES
from sbtext.errors import Errors, SbtextError
from sbtext.write.files import read_cues

REQUIRED: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "text": str,
    "expectation": bool,
    "framing": str,
    "purpose": str,
    "purpose_category": str,
    "spheres": list,
}
OPTIONAL: dict[str, type | tuple[type, ...]] = {
    "source": str,
    "doc_id": str,
    "page": (str, int),
    "annotator": str,
    "note": str,
    "goal_statement": bool,
    "status": str,
    "suggestion": dict,
}
STATUSES = ("todo", "done")
TODO = "todo"
# The decision threshold of models that record none; trained models carry theirs in their manifest.
DECISION_THRESHOLD = 0.5


@dataclass(frozen=True)
class Problem:
    """One rule violation, where it is."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def check_record(record: Any) -> list[str]:
    """Every rule the record breaks, as messages (empty when it is valid)."""
    if not isinstance(record, dict):
        return [f"expected a JSON object, got {type(record).__name__}"]
    if record.get("status") == TODO:
        return _check_todo(record)
    problems = [f"missing key {k!r}" for k in REQUIRED if k not in record]
    if record.get("status", "done") not in STATUSES:
        problems.append(f"status {record['status']!r} is not one of {list(STATUSES)}")
    for key, kind in {**REQUIRED, **OPTIONAL}.items():
        value = record.get(key)
        wrong_type = not isinstance(value, kind) or (kind is not bool and isinstance(value, bool))
        if key in record and wrong_type:
            problems.append(f"{key!r} must be {_name(kind)}, got {value!r}")
    if problems:
        return problems
    if record["framing"] not in FRAMINGS:
        problems.append(f"framing {record['framing']!r} is not one of {list(FRAMINGS)}")
    if (record["framing"] == "none") == record["expectation"]:
        problems.append(f"framing must be 'none' exactly when expectation is false (got {record['framing']!r})")
    category, purpose = record["purpose_category"], record["purpose"]
    if category and category not in CATEGORIES:
        problems.append(f"purpose_category {category!r} is not one of {list(CATEGORIES)}")
    if bool(category) != bool(purpose):
        problems.append("purpose_category must be empty exactly when purpose is empty")
    if purpose and purpose not in record["text"]:
        problems.append(f"purpose {purpose[:60]!r} is not a substring of text")
    bad = [s for s in record["spheres"] if s not in SPHERES]
    if bad:
        problems.append(f"spheres {bad!r} not among {list(SPHERES)}")
    if not record["id"].strip():
        problems.append("id is empty")
    return problems


def _check_todo(record: dict[str, Any]) -> list[str]:
    """A record still to do needs only an id and a text; its labels are not checked."""
    problems = [f"missing key {k!r}" for k in ("id", "text") if k not in record]
    problems += [f"{k!r} must be a string" for k in ("id", "text") if k in record and not isinstance(record[k], str)]
    if not problems and not record["id"].strip():
        problems.append("id is empty")
    if "suggestion" in record and not isinstance(record["suggestion"], dict):
        problems.append("'suggestion' must be an object")
    return problems


def is_todo(record: dict[str, Any]) -> bool:
    """Whether a record still waits for an annotator."""
    return record.get("status") == TODO


def count_status(path: Path) -> dict[str, int]:
    """How many records of a file are labelled and how many still to do (unreadable lines left out)."""
    counts = {"labelled": 0, "todo": 0}
    for _, record, error in _lines(path):
        if not error and isinstance(record, dict):
            counts["todo" if is_todo(record) else "labelled"] += 1
    return counts


def _name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(
        {"str": "a string", "bool": "true/false", "list": "a list", "int": "a number"}[k.__name__] for k in kinds
    )


def validate_file(path: Path) -> list[Problem]:
    """All problems of one JSONL file, including duplicate ids."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for line, record, error in _lines(path):
        if error:
            problems.append(Problem(str(path), line, error))
            continue
        problems += [Problem(str(path), line, m) for m in check_record(record)]
        rid = record.get("id") if isinstance(record, dict) else None
        if isinstance(rid, str):
            if rid in seen:
                problems.append(Problem(str(path), line, f"duplicate id {rid!r} (first on line {seen[rid]})"))
            seen.setdefault(rid, line)
    return problems


def _lines(path: Path) -> Iterator[tuple[int, Any, str]]:
    with path.open(encoding="utf-8") as f:
        for n, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            try:
                yield n, json.loads(raw), ""
            except json.JSONDecodeError as e:
                yield n, None, f"not valid JSON: {e.msg} at column {e.colno}"


def read_gold(paths: Iterable[Path | str], *, skip_duplicates: bool = True) -> list[dict[str, Any]]:
    """Labelled records of valid JSONL files (records still to do are left out); raises E060
    listing the problems otherwise."""
    records: list[dict[str, Any]] = []
    for path in map(Path, paths):
        problems = validate_file(path)
        if problems:
            shown = "\n".join(map(str, problems[:20]))
            raise SbtextError(Errors.E060, path=str(path), detail=f"{len(problems)} problem(s):\n{shown}")
        for _, record, _ in _lines(path):
            if (skip_duplicates and record.get("duplicate_of")) or is_todo(record):
                continue
            records.append({**record, "_file": str(path)})
    return records


def write_jsonl(records: Iterable[dict[str, Any]], path: Path, *, overwrite: bool = False) -> int:
    """Write records atomically; an existing annotation file is never replaced unless asked."""
    if path.exists() and not overwrite:
        raise SbtextError(Errors.E080, path=str(path))
    tmp = path.with_name(f".{path.name}.tmp")
    n = 0
    with tmp.open("w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    tmp.replace(path)
    return n


def blank_record(passage: dict[str, Any], *, suggest: bool = False) -> dict[str, Any]:
    """A record for an annotator: the passage with empty labels to fill in, marked "todo".

    With `suggest`, the models' labels of the passage (a row of passages.csv) come along under
    `suggestion`, apart from the labels, so that they can never be taken for gold.
    """
    record: dict[str, Any] = {
        "id": passage["passage_id"],
        "text": passage["text"],
        "status": TODO,
        "expectation": None,
        "framing": None,
        "purpose": None,
        "purpose_category": None,
        "spheres": None,
        "goal_statement": None,
        "source": passage.get("source", ""),
        "doc_id": passage["doc_id"],
        "page": str(passage["page"]),
        "kind": passage.get("kind", ""),
        "context": passage.get("context", ""),
    }
    if suggest:
        record["suggestion"] = suggestion_of(passage)
    return record


def suggestion_of(passage: dict[str, Any]) -> dict[str, Any]:
    """The models' labels of a tagged passage, with the purpose offsets and the cue spans."""
    spheres = passage.get("spheres") or ""
    return {
        "expectation": bool(passage["expectation"]),
        "expectation_score": float(passage["expectation_score"]),
        "framing": passage["framing"],
        "purpose": passage.get("purpose") or "",
        "purpose_start": int(passage.get("purpose_start", -1)),
        "purpose_end": int(passage.get("purpose_end", -1)),
        "purpose_category": passage.get("purpose_category") or "",
        "spheres": spheres.split(";") if isinstance(spheres, str) and spheres else list(spheres or []),
        "goal_statement": bool(passage.get("goal_statement")),
        "cues": [
            {"start": c.start, "end": c.end, "label": c.label, "rule": c.rule}
            for c in read_cues(passage.get("cue_offsets"))
            if c.label != "purpose"
        ],
    }


def sample(
    passages: list[dict[str, Any]], how: str, n: int, *, seed: int = 0, threshold: float = DECISION_THRESHOLD
) -> list[dict[str, Any]]:
    """Pick `n` passages for annotation, in their corpus order.

    `random`: a seeded uniform sample, for unbiased evaluation sets. `uncertain`: the passages
    whose expectation score lies closest to `threshold` (the models' decision threshold), spread over documents (no
    document gives more than its share, n divided by the number of documents, rounded up, until
    every document has given its share), so that each hour of annotation teaches the model most.
    """
    if how not in ("random", "uncertain"):
        raise ValueError(f"unknown sampling {how!r}; use 'random' or 'uncertain'")
    if n >= len(passages):
        return list(passages)
    if how == "random":
        chosen = random.Random(seed).sample(range(len(passages)), n)
    else:
        chosen = _uncertain(passages, n, threshold)
    return [passages[i] for i in sorted(chosen)]


def _uncertain(passages: list[dict[str, Any]], n: int, threshold: float) -> list[int]:
    order = sorted(range(len(passages)), key=lambda i: (abs(float(passages[i]["expectation_score"]) - threshold), i))
    share = math.ceil(n / len({p["doc_id"] for p in passages}))
    taken: Counter[str] = Counter()
    chosen: list[int] = []
    for i in order:
        if len(chosen) == n:
            break
        if taken[passages[i]["doc_id"]] < share:
            chosen.append(i)
            taken[passages[i]["doc_id"]] += 1
    picked = set(chosen)
    rest = (i for i in order if i not in picked)
    chosen += [next(rest) for _ in range(n - len(chosen))]
    return chosen
