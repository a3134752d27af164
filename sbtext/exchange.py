"""Annotation records to and from the labelling tools: Prodigy / doccano JSONL and Label Studio JSON.

Out: `to_prodigy` and `to_labelstudio` turn the records of `sbtext annotations export` into
tasks; the models' labels travel as suggestions (Prodigy: pre-selected options and spans marked
`"source": "sbtext-model"`; Label Studio: `predictions`), never as annotations.
`labelstudio_config` is the labelling interface to paste into a Label Studio project.

Back: `read_tasks` reads a Prodigy or doccano JSONL file, or a Label Studio JSON export, into
the project's annotation records. A task nobody answered (Prodigy `ignore`/`reject`, Label
Studio without a finished annotation) comes back as a record still to do.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from sbtext.annotations import TODO
from sbtext.codebook import CATEGORIES, FRAMING_CLASSES, SPHERES
from sbtext.errors import Errors, SbtextError
from sbtext.labels import FRAMING

PURPOSE_LABEL = "WAARTOE"
MODEL_SOURCE = "sbtext-model"
META_KEYS = ("source", "doc_id", "page", "kind", "context")
YES, NO = "ja", "nee"
FRAMING_NL = {f: FRAMING[f] for f in FRAMING_CLASSES}
CHOICE_TEXT = {
    "expectation": "Verwachting van de sociale basis",
    "goal_statement": "Doelzin (beleidsdoel)",
    **{f"framing:{f}": f"Framing: {nl}" for f, nl in FRAMING_NL.items()},
    **{f"sphere:{s}": f"Sfeer: {s}" for s in SPHERES},
    **{f"category:{c}": f"Waartoe-categorie: {c.replace('_', ' ')}" for c in CATEGORIES},
}


# ---- Prodigy / doccano ---------------------------------------------------------------------


def to_prodigy(record: dict[str, Any]) -> dict[str, Any]:
    """One Prodigy task (choice options plus spans) for one annotation record."""
    labels = record.get("suggestion") if record.get("status") == TODO else record
    task: dict[str, Any] = {
        "text": record["text"],
        "meta": {"id": record["id"], **{k: record[k] for k in META_KEYS if record.get(k) not in (None, "")}},
        "options": [{"id": key, "text": text} for key, text in CHOICE_TEXT.items()],
        "accept": _accepted(labels) if labels else [],
        "spans": _spans(record, labels),
    }
    if record.get("status") == TODO:
        task["meta"]["suggested"] = bool(labels)
    else:
        task["answer"] = "accept"
    return task


def _accepted(labels: dict[str, Any]) -> list[str]:
    accept = ["expectation"] if labels.get("expectation") else []
    if labels.get("framing") in FRAMING_NL:
        accept.append(f"framing:{labels['framing']}")
    accept += [f"sphere:{s}" for s in labels.get("spheres") or []]
    if labels.get("purpose_category"):
        accept.append(f"category:{labels['purpose_category']}")
    if labels.get("goal_statement"):
        accept.append("goal_statement")
    return accept


def _spans(record: dict[str, Any], labels: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not labels:
        return []
    suggested = labels is record.get("suggestion")
    spans = []
    where = purpose_offsets(record["text"], labels)
    if where:
        span = {"start": where[0], "end": where[1], "label": PURPOSE_LABEL}
        spans.append({**span, "source": MODEL_SOURCE} if suggested else span)
    for cue in labels.get("cues", []) if suggested else []:
        label = "CUE_" + cue["label"].upper().replace(":", "_")
        spans.append({"start": cue["start"], "end": cue["end"], "label": label, "source": MODEL_SOURCE})
    return spans


def purpose_offsets(text: str, labels: dict[str, Any]) -> tuple[int, int] | None:
    """Where the purpose lies in the text: the given offsets when they hold it, else its first occurrence."""
    purpose = labels.get("purpose") or ""
    if not purpose:
        return None
    start, end = labels.get("purpose_start", -1), labels.get("purpose_end", -1)
    if isinstance(start, int) and 0 <= start < end and text[start:end] == purpose:
        return start, end
    found = text.find(purpose)
    return (found, found + len(purpose)) if found >= 0 else None


def from_prodigy(task: dict[str, Any]) -> dict[str, Any]:
    """A Prodigy (or doccano) task back as an annotation record."""
    meta = task.get("meta") or {}
    record: dict[str, Any] = {
        "id": str(meta.get("id", task.get("id", ""))),
        "text": task["text"],
        **{k: meta[k] for k in META_KEYS if k in meta},
    }
    if "label" in task and "answer" not in task:  # doccano: spans as [start, end, label], choices as strings
        spans = [{"start": s[0], "end": s[1], "label": s[2]} for s in task["label"] if isinstance(s, list)]
        accept = [c for c in task["label"] if isinstance(c, str)]
    elif task.get("answer") == "accept":
        spans = [s for s in task.get("spans") or [] if s.get("label") == PURPOSE_LABEL]
        accept = list(task.get("accept") or [])
    else:
        return {**record, "status": TODO}
    if "_annotator_id" in task:
        record["annotator"] = str(task["_annotator_id"])
    return {**record, **_labels_from(record["text"], accept, spans), "status": "done"}


def _labels_from(text: str, chosen: list[str], spans: list[dict[str, Any]]) -> dict[str, Any]:
    """The label keys of a record from chosen option ids and purpose spans."""
    purposes = [s for s in spans if s.get("label") == PURPOSE_LABEL]
    framings = [c.split(":", 1)[1] for c in chosen if c.startswith("framing:")]
    categories = [c.split(":", 1)[1] for c in chosen if c.startswith("category:")]
    expectation = "expectation" in chosen
    return {
        "expectation": expectation,
        "framing": framings[0] if len(framings) == 1 else ("none" if not framings else "+".join(framings)),
        "purpose": text[purposes[0]["start"] : purposes[0]["end"]] if purposes else "",
        "purpose_category": "+".join(categories),
        "spheres": [c.split(":", 1)[1] for c in chosen if c.startswith("sphere:")],
        "goal_statement": "goal_statement" in chosen,
    }


# ---- Label Studio ---------------------------------------------------------------------------


def labelstudio_config() -> str:
    """The labelling interface (Label Studio XML) matching `to_labelstudio` and `from_labelstudio`."""
    framing = "".join(f'<Choice value="{f}" hint={quoteattr(nl)}/>' for f, nl in FRAMING_NL.items())
    categories = "".join(f'<Choice value="{c}"/>' for c in CATEGORIES)
    spheres = "".join(f'<Choice value="{s}"/>' for s in SPHERES)
    return "\n".join(
        [
            "<View>",
            '  <Header value="Passage ($source, p. $page)"/>',
            '  <Text name="text" value="$text"/>',
            '  <Header value="Waartoe moet dit dienen? Markeer het doel in de tekst."/>',
            f'  <Labels name="purpose" toName="text"><Label value="{PURPOSE_LABEL}" background="#ffd54f"/></Labels>',
            '  <Header value="Verwachting van de sociale basis?"/>',
            f'  <Choices name="expectation" toName="text" choice="single" required="true">'
            f'<Choice value="{YES}"/><Choice value="{NO}"/></Choices>',
            '  <Header value="Framing"/>',
            f'  <Choices name="framing" toName="text" choice="single">{framing}</Choices>',
            '  <Header value="Sferen"/>',
            f'  <Choices name="spheres" toName="text" choice="multiple">{spheres}</Choices>',
            '  <Header value="Waartoe-categorie"/>',
            f'  <Choices name="category" toName="text" choice="single">{categories}</Choices>',
            '  <Header value="Doelzin (beleidsdoel)?"/>',
            f'  <Choices name="goal_statement" toName="text" choice="single"><Choice value="{YES}"/></Choices>',
            "</View>",
        ]
    )


def to_labelstudio(record: dict[str, Any], *, model_version: str = MODEL_SOURCE) -> dict[str, Any]:
    """One Label Studio task; the models' suggestion (if any) as its prediction."""
    data = {"text": record["text"], "sbtext_id": record["id"]}
    data.update({k: str(record.get(k) or "") for k in ("source", "doc_id", "page")})
    task: dict[str, Any] = {"data": data}
    suggestion = record.get("suggestion")
    if suggestion:
        task["predictions"] = [
            {
                "model_version": model_version,
                "score": float(suggestion.get("expectation_score", 0.0)),
                "result": _ls_results(record["text"], suggestion),
            }
        ]
    return task


def _ls_results(text: str, labels: dict[str, Any]) -> list[dict[str, Any]]:
    def choices(name: str, values: list[str]) -> dict[str, Any]:
        return {"from_name": name, "to_name": "text", "type": "choices", "value": {"choices": values}}

    results = [choices("expectation", [YES if labels.get("expectation") else NO])]
    if labels.get("framing") in FRAMING_NL:
        results.append(choices("framing", [labels["framing"]]))
    if labels.get("spheres"):
        results.append(choices("spheres", list(labels["spheres"])))
    if labels.get("purpose_category"):
        results.append(choices("category", [labels["purpose_category"]]))
    if labels.get("goal_statement"):
        results.append(choices("goal_statement", [YES]))
    where = purpose_offsets(text, labels)
    if where:
        value = {"start": where[0], "end": where[1], "text": text[where[0] : where[1]], "labels": [PURPOSE_LABEL]}
        results.append({"from_name": "purpose", "to_name": "text", "type": "labels", "value": value})
    return results


def from_labelstudio(task: dict[str, Any]) -> dict[str, Any]:
    """A task of a Label Studio JSON export back as an annotation record (its last finished annotation)."""
    data = task.get("data") or {}
    record: dict[str, Any] = {
        "id": str(data.get("sbtext_id") or task.get("id", "")),
        "text": data["text"],
        **{k: data[k] for k in ("source", "doc_id", "page") if data.get(k)},
    }
    done = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    if not done:
        return {**record, "status": TODO}
    annotation = done[-1]
    chosen: list[str] = []
    spans = []
    for result in annotation.get("result") or []:
        name, value = result.get("from_name"), result.get("value") or {}
        if result.get("type") == "labels" and PURPOSE_LABEL in value.get("labels", []):
            spans.append({"start": value["start"], "end": value["end"], "label": PURPOSE_LABEL})
        for choice in value.get("choices", []) if result.get("type") == "choices" else []:
            chosen.extend(_choice_id(str(name), choice))
    completed_by = annotation.get("completed_by")
    if isinstance(completed_by, dict):
        completed_by = completed_by.get("email") or completed_by.get("id")
    if completed_by not in (None, ""):
        record["annotator"] = str(completed_by)
    return {**record, **_labels_from(record["text"], chosen, spans), "status": "done"}


def _choice_id(name: str, choice: str) -> list[str]:
    if name in ("expectation", "goal_statement"):
        return [name] if choice == YES else []
    prefix = {"framing": "framing", "spheres": "sphere", "category": "category"}.get(name)
    return [f"{prefix}:{choice}"] if prefix else []


# ---- Files ------------------------------------------------------------------------------------


def read_tasks(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each task of a labelling tool's file as (line or position, record): a Label Studio JSON
    export (a JSON list), or Prodigy / doccano JSONL. Raises E031 on a file that is neither."""
    raw = path.read_text(encoding="utf-8-sig")
    if raw.lstrip().startswith("["):
        try:
            tasks = json.loads(raw)
        except json.JSONDecodeError as e:
            raise SbtextError(Errors.E031, path=str(path), fmt="Label Studio JSON", detail=e.msg) from e
        for n, task in enumerate(tasks, start=1):
            yield n, _converted(path, n, task, from_labelstudio)
        return
    for n, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            task = json.loads(line)
        except json.JSONDecodeError as e:
            raise SbtextError(Errors.E031, path=str(path), line=n, fmt="JSONL", detail=e.msg) from e
        yield n, _converted(path, n, task, from_prodigy)


def _converted(path: Path, n: int, task: Any, convert: Any) -> dict[str, Any]:
    try:
        return dict(convert(task))
    except (KeyError, TypeError, AttributeError, IndexError) as e:
        raise SbtextError(
            Errors.E031, path=str(path), line=n, fmt="task", detail=f"a task lacks {e} or has the wrong shape"
        ) from e


def write_tasks(records: Iterable[dict[str, Any]], path: Path, fmt: str) -> int:
    """Write records as tasks: Prodigy JSONL, or a Label Studio JSON list with its config beside it."""
    if path.exists():
        raise SbtextError(Errors.E080, path=str(path))
    tmp = path.with_name(f".{path.name}.tmp")
    n = 0
    with tmp.open("w", encoding="utf-8") as f:
        if fmt == "prodigy":
            for record in records:
                f.write(json.dumps(to_prodigy(record), ensure_ascii=False) + "\n")
                n += 1
        else:
            tasks = [to_labelstudio(r) for r in records]
            json.dump(tasks, f, ensure_ascii=False, indent=1)
            n = len(tasks)
    tmp.replace(path)
    if fmt == "labelstudio":
        path.with_suffix(".config.xml").write_text(labelstudio_config() + "\n", encoding="utf-8")
    return n
