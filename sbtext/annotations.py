"""The one annotation format (JSONL), its rules, and the files built on it.

Required keys: id, text, expectation, framing, purpose, purpose_category, spheres. Optional:
source, doc_id, page, annotator, note, goal_statement; unknown keys are kept and ignored.
`validate_file` reports every violation with file and line; `read_gold` reads files that pass.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sbtext.codebook import CATEGORIES, FRAMINGS, SPHERES
from sbtext.errors import Errors, SbtextError

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
}


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
    problems = [f"missing key {k!r}" for k in REQUIRED if k not in record]
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
    """Records of valid JSONL files; raises E060 listing the problems otherwise."""
    records: list[dict[str, Any]] = []
    for path in map(Path, paths):
        problems = validate_file(path)
        if problems:
            shown = "\n".join(map(str, problems[:20]))
            raise SbtextError(Errors.E060, path=str(path), detail=f"{len(problems)} problem(s):\n{shown}")
        for _, record, _ in _lines(path):
            if skip_duplicates and record.get("duplicate_of"):
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


def blank_record(passage: dict[str, Any]) -> dict[str, Any]:
    """A record for an annotator: the passage with empty labels to fill in."""
    return {
        "id": passage["passage_id"],
        "text": passage["text"],
        "expectation": False,
        "framing": "none",
        "purpose": "",
        "purpose_category": "",
        "spheres": [],
        "goal_statement": False,
        "source": passage.get("source", ""),
        "doc_id": passage["doc_id"],
        "page": str(passage["page"]),
        "kind": passage.get("kind", ""),
        "context": passage.get("context", ""),
    }
