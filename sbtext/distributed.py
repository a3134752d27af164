"""Beyond one machine: the per-document function on Dask, and partitioned Parquet output.

`process_document` is pure (a path and options in, rows out), so Dask runs it unchanged. Point
Dask at a cluster by creating a `dask.distributed.Client` for it before calling
`sbtext.analyze(..., engine="dask")`; without a client, Dask's local process scheduler runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from sbtext.pipeline import DocResult, Options, _process_job
from sbtext.read import find_jobs
from sbtext.tables import PASSAGE_COLUMNS

if TYPE_CHECKING:
    from sbtext.api import Analysis


def dask_results(
    paths: Iterable[str | Path],
    *,
    manifest: str | Path | None = None,
    options: Options | None = None,
    partitions: int | None = None,
    allow_outside: bool = False,
) -> Iterator[DocResult]:
    """Run every document through `process_document` on Dask; results keep the input order."""
    import dask
    import dask.bag as db

    options = options or Options()
    found = find_jobs(paths, Path(manifest) if manifest else None, allow_outside=allow_outside)
    jobs = [(job, options) for job in found]
    if not jobs:
        return
    bag = db.from_sequence(jobs, npartitions=partitions or min(len(jobs), 256)).map(_process_job)
    scheduler = None if _has_client() else dask.config.get("scheduler", "processes")
    # compute() returns when every document is done: the rows are held here once, whatever the
    # caller streams afterwards (one bag partition at a time would cost the parallelism across them).
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
    """Passages as Parquet partitioned by document, and documents as a single file."""
    folder.mkdir(parents=True, exist_ok=True)
    append_parquet(result.passages, folder / "passages")
    result.documents.to_parquet(folder / "documents.parquet", index=False)
    return folder


def append_parquet(passages: pd.DataFrame, folder: Path) -> None:
    """Add passage rows to a Parquet dataset partitioned by `doc_id`.

    Every part gets the same schema, so that parts written one document at a time (where a column
    may hold only missing values) read back as one table.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(
        passages.astype({"page": str, "spheres": str, "actors": str}), schema=_schema(), preserve_index=False
    )
    pq.write_to_dataset(table, folder, partition_cols=["doc_id"])


def _schema() -> Any:
    import pyarrow as pa

    kinds = {
        "page_index": pa.int64(),
        "paragraph": pa.int64(),
        "char_start": pa.int64(),
        "char_end": pa.int64(),
        "purpose_start": pa.int64(),
        "purpose_end": pa.int64(),
        "expectation": pa.bool_(),
        "goal_statement": pa.bool_(),
        **dict.fromkeys(["expectation_score", "score_intrinsic", "score_instrumental", "score_both"], pa.float64()),
    }
    return pa.schema([(c, kinds.get(c, pa.string())) for c in PASSAGE_COLUMNS])
