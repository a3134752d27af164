"""Passages as Parquet partitioned by document, for engines and tools that read datasets.

The column types come from the passage schema (`sbtext.records.PASSAGE_TYPES`), so that parts
written one document or one partition at a time (where a column may hold only missing values)
read back as one table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from sbtext.records import PASSAGE_TYPES

PASSAGES = "passages"
DOCUMENTS = "documents.parquet"


def append_parquet(passages: pd.DataFrame, folder: Path) -> None:
    """Add passage rows (cue offsets already as JSON text) to a dataset partitioned by `doc_id`.

    Each call writes new files under a unique name, so processes may append to one folder at once.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    # Labels a reader may have written as numbers, and lists joined with ";", are text whatever came.
    text = {"page": str, "spheres": str, "actors": str}
    table = pa.Table.from_pandas(passages.astype(text), schema=schema(), preserve_index=False)
    pq.write_to_dataset(table, folder, partition_cols=["doc_id"])


def write_documents(documents: pd.DataFrame, folder: Path) -> Path:
    """The documents table as one Parquet file in `folder`."""
    path = folder / DOCUMENTS
    documents.to_parquet(path, index=False)
    return path


def schema() -> Any:
    """The Arrow schema of the passages: numbers and flags typed, everything else text."""
    import pyarrow as pa

    kinds = {int: pa.int64(), float: pa.float64(), bool: pa.bool_()}
    return pa.schema([(c, kinds.get(kind, pa.string())) for c, kind in PASSAGE_TYPES.items()])
