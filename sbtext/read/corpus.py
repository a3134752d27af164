"""Files, folders and manifests -> the documents of a run, each with its metadata.

A folder's own `manifest.csv` (or an explicit one) supplies metadata; its paths are relative to
the manifest's folder and stay inside it unless `allow_outside`. What cannot be a document (a
manifest line without a path, a missing or unreadable file, a folder that cannot be listed)
becomes a `Job` with a `problem`, so that the run reports it as a row instead of skipping it.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from sbtext.errors import DocumentError, Errors, SbtextError, SbtextWarning, Warnings
from sbtext.records import DocumentMeta

MANIFEST_NAMES = ("manifest.csv",)
MANIFEST_FIELDS = ("path", "doc_id", "source", "title", "doc_type", "date", "kenmerk", "url")
IGNORED = re.compile(r"^(readme|license|licence|manifest)(\.|$)|^\.", re.I)


@dataclass(frozen=True)
class Job:
    """One document to process, or the reason it cannot be (`problem`), with notes for errors.csv."""

    path: Path
    meta: DocumentMeta
    problem: SbtextError | None = None
    notes: tuple[SbtextError, ...] = ()


def doc_id_for(path: Path) -> str:
    """A readable id from the file name: lower case, safe characters only."""
    return re.sub(r"[^a-z0-9_.-]+", "-", path.stem.lower()).strip("-") or "document"


def read_manifest(path: Path, *, allow_outside: bool = False) -> dict[Path, Job]:
    """Read a corpus manifest: a CSV with a `path` column, relative to the manifest's folder.

    UTF-8 (with or without BOM), else cp1252; comma, semicolon or tab separated.

    Raises:
        SbtextError: E050 when the manifest has no `path` column or cannot be read at all.
    """
    rows = _manifest_rows(path)
    jobs: dict[Path, Job] = {}
    lines: dict[str, int] = {}
    for line, row in rows:
        job = _manifest_job(path, line, row, allow_outside)
        if job.path in jobs:
            continue  # the same file twice: read once
        doc_id = job.meta.doc_id
        if doc_id in lines:
            new_id = _unique(doc_id, set(lines))
            note = SbtextWarning(Warnings.W004, path=str(path), line=line, doc_id=doc_id, new_id=new_id)
            job = replace(job, meta=replace(job.meta, doc_id=new_id), notes=(*job.notes, note))
        lines[job.meta.doc_id] = line
        jobs[job.path] = job
    return jobs


def _manifest_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise SbtextError(Errors.E050, path=str(path), line=1, detail=f"it cannot be read ({e.strerror})") from e
    text = _decode(data)
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    fields = [(f or "").strip().lower() for f in reader.fieldnames or []]
    if "path" not in fields:
        raise SbtextError(
            Errors.E050, path=str(path), line=1, detail=f"no 'path' column in the header (found {fields!r})"
        )
    reader.fieldnames = fields
    try:
        return [(line, row) for line, row in enumerate(reader, start=2)]
    except csv.Error as e:
        raise SbtextError(Errors.E050, path=str(path), line=reader.line_num, detail=str(e)) from e


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _manifest_job(manifest: Path, line: int, row: dict[str, str], allow_outside: bool) -> Job:
    fields = {k: str(row.get(k) or "").strip() for k in MANIFEST_FIELDS}
    name = fields.pop("path")
    folder = manifest.parent
    # A line without a path still needs a key of its own, to become its own error row.
    file = (folder / name).resolve() if name else manifest.resolve().parent / f"{manifest.name}#{line}"
    fields["doc_id"] = fields["doc_id"] or (doc_id_for(file) if name else f"{doc_id_for(manifest)}-line-{line}")
    meta = DocumentMeta(path=str(file if name else manifest), **fields)
    where = str(manifest)
    if not name:
        return Job(
            file, meta, DocumentError(Errors.E050, path=where, line=line, stage="read", detail="the path is empty")
        )
    if not allow_outside and not _inside(folder, name):
        return Job(file, meta, DocumentError(Errors.E052, path=where, line=line, stage="read", target=name))
    if not file.exists():
        return Job(file, meta, DocumentError(Errors.E055, path=str(folder / name), line=line, stage="read"))
    return Job(file, meta)


def _inside(folder: Path, name: str) -> bool:
    """Whether `name` stays inside `folder` as written (`../` and other absolute paths do not)."""
    root = os.path.normpath(os.path.abspath(folder))
    target = os.path.normpath(os.path.join(root, name))
    return target == root or target.startswith(root + os.sep)


def _unique(doc_id: str, used: set[str]) -> str:
    n = 2
    while f"{doc_id}-{n}" in used:
        n += 1
    return f"{doc_id}-{n}"


def walk_folder(folder: Path) -> tuple[list[Path], list[Job]]:
    """The document files under `folder`, sorted, and a problem job for each folder or link that fails."""
    files: list[Path] = []
    problems: list[Job] = []

    def unreadable(e: OSError) -> None:
        where = Path(e.filename or folder)
        error = DocumentError(Errors.E054, path=str(where), stage="read", detail=e.strerror or str(e))
        problems.append(Job(where, DocumentMeta(doc_id=doc_id_for(where), path=str(where)), error))

    seen: set[str] = set()
    for root, dirs, names in os.walk(folder, onerror=unreadable, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:  # a link back up the tree
            dirs.clear()
            continue
        seen.add(real)
        for name in names:
            file = Path(root) / name
            if not IGNORED.search(name) and (file.is_file() or file.is_symlink()):
                files.append(file)
    return sorted(files), problems


def find_jobs(
    paths: Iterable[Path | str], manifest: Path | None = None, *, allow_outside: bool = False
) -> Iterator[Job]:
    """Expand files and folders into jobs in a stable order, with unique doc_ids.

    A folder's own `manifest.csv` supplies metadata for its files; an explicit `manifest`
    applies to all. Files the manifest lists but the folders lack are still read.

    Raises:
        SbtextError: E051 for a path that does not exist, E050 for a manifest without paths.
    """
    known: dict[Path, Job] = read_manifest(manifest, allow_outside=allow_outside) if manifest else {}
    files: list[Path] = []
    problems: list[Job] = []
    for p in map(Path, paths):
        if not p.exists():
            raise SbtextError(Errors.E051, path=str(p))
        if p.is_dir():
            found, failed = walk_folder(p)
            files.extend(found)
            for name in MANIFEST_NAMES:
                if (p / name).is_file():
                    listed = read_manifest(p / name, allow_outside=allow_outside)
                    files.extend(listed)  # what the manifest lists and the folder lacks is a row too
                    known = {**listed, **known}
            problems.extend(failed)
        elif p.name in MANIFEST_NAMES:
            known = {**read_manifest(p, allow_outside=allow_outside), **known}
            files.extend(known)
        else:
            files.append(p)
    yield from _unique_jobs([*_listed(files, known), *problems])


def _listed(files: list[Path], known: dict[Path, Job]) -> Iterator[Job]:
    done: set[Path] = set()
    for file in files:
        resolved = file.resolve()
        if resolved in done:
            continue
        done.add(resolved)
        job = known.get(resolved)
        if job is None:
            job = Job(file, DocumentMeta(doc_id=doc_id_for(file), path=str(file)), _broken_link(file))
        yield job


def _broken_link(file: Path) -> SbtextError | None:
    if file.is_symlink() and not file.exists():
        detail = f"it is a link to {os.readlink(file)!r}, which does not exist"
        return DocumentError(Errors.E053, path=str(file), stage="read", detail=detail)
    return None


def _unique_jobs(jobs: list[Job]) -> Iterator[Job]:
    """Documents that share a doc_id (a.pdf and a.txt) become `a`, `a-2`, ..., never colliding."""
    used = {job.meta.doc_id for job in jobs}
    seen: set[str] = set()
    for job in jobs:
        doc_id = job.meta.doc_id
        if doc_id in seen:
            doc_id = _unique(doc_id, used)
            used.add(doc_id)
            job = replace(job, meta=replace(job.meta, doc_id=doc_id))
        seen.add(doc_id)
        yield job
