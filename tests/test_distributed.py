"""The per-document function on a local Dask cluster with worker processes."""

from __future__ import annotations

import pytest
from conftest import SAMPLE

import sbtext


@pytest.mark.slow
def test_dask_engine_matches_single_process(tmp_path):
    distributed = pytest.importorskip("distributed")
    local = sbtext.analyze(SAMPLE)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        with distributed.Client(cluster):
            remote = sbtext.analyze(SAMPLE, engine="dask")
    assert remote.passages.equals(local.passages)
    assert remote.documents.equals(local.documents)
    from sbtext.distributed import write_parquet

    folder = write_parquet(remote, tmp_path / "parquet")
    import pandas as pd

    back = pd.read_parquet(folder / "passages")
    assert len(back) == len(local.passages)
    assert {p.name.split("=")[0] for p in (folder / "passages").iterdir()} == {"doc_id"}
