"""Beyond one machine: the per-document function on Dask, and partitioned Parquet output.

`process_document` is pure (a path and options in, rows out), so Dask runs it unchanged. Point
Dask at a cluster by creating a `dask.distributed.Client` for it before calling
`sbtext.analyze(..., engine="dask")`; without a client, Dask's local process scheduler runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sbtext.pipeline import DocResult, Options, _process_job
from sbtext.read import find_documents

if TYPE_CHECKING:
    from sbtext.api import Analysis


def dask_results(
    paths: Iterable[str | Path],
    *,
    manifest: str | Path | None = None,
    options: Options | None = None,
    partitions: int | None = None,
) -> Iterator[DocResult]:
    """Run every document through `process_document` on Dask; results keep the input order."""
    import dask
    import dask.bag as db

    options = options or Options()
    jobs = [(path, meta, options) for path, meta in find_documents(paths, Path(manifest) if manifest else None)]
    if not jobs:
        return
    bag = db.from_sequence(jobs, npartitions=partitions or min(len(jobs), 256)).map(_process_job)
    scheduler = None if _has_client() else dask.config.get("scheduler", "processes")
    yield from bag.compute(scheduler=scheduler)


def _has_client() -> bool:
    try:
        from distributed import default_client
    except ImportError:
        return False
    try:
        default_client()
    except ValueError:
        return False
    return True


def write_parquet(result: Analysis, folder: Path) -> Path:
    """Passages as Parquet partitioned by document, documents and errors as single files."""
    folder.mkdir(parents=True, exist_ok=True)
    passages = result.passages.astype({"page": str, "spheres": str, "actors": str})
    passages.to_parquet(folder / "passages", partition_cols=["doc_id"], index=False)
    result.documents.to_parquet(folder / "documents.parquet", index=False)
    return folder
