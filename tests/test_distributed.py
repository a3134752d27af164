"""The Dask engine on a local cluster with worker processes: the same results, written by the workers."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import SAMPLE
from test_write import assert_same_outputs

import sbtext
from sbtext.api import analyze_to_dir
from sbtext.distributed import map_partitions


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local:
        with distributed.Client(local) as client:
            yield client


@pytest.mark.slow
def test_dask_engine_matches_single_process(cluster, sample_analysis):
    remote = sbtext.analyze(SAMPLE, engine="dask")
    assert remote.passages.equals(sample_analysis.passages)
    assert remote.documents.equals(sample_analysis.documents)


@pytest.mark.slow
def test_workers_write_the_run_folder_and_the_client_never_holds_a_passage(cluster, sample_analysis, tmp_path):
    seen = []
    run = analyze_to_dir(
        SAMPLE, tmp_path / "dask", excel_csv=True, parquet=True, engine="dask", on_document=seen.append
    )
    # Each document comes back as its row, its errors and timings; its passages stayed on the worker.
    assert len(seen) == 5 and all(result.passages == [] for result in seen)
    assert run["counts"] == sample_analysis.run["counts"] and run["options"]["engine"] == "dask"
    analyze_to_dir(SAMPLE, tmp_path / "local", excel_csv=True, parquet=True)
    assert_same_outputs(tmp_path / "local", tmp_path / "dask", engines=True)
    back = pd.read_parquet(tmp_path / "dask" / "parquet" / "passages").sort_values("passage_id", ignore_index=True)
    local = pd.read_parquet(tmp_path / "local" / "parquet" / "passages").sort_values("passage_id", ignore_index=True)
    assert back.equals(local) and len(back) == len(sample_analysis.passages)
    assert {p.name.split("=")[0] for p in (tmp_path / "dask" / "parquet" / "passages").iterdir()} == {"doc_id"}


@pytest.mark.parametrize(("n_items", "partitions"), [(5, 2), (5, 5), (7, 3), (1, 1)])
def test_partitions_cover_the_items_in_order(n_items, partitions):
    got = map_partitions(_slice, list(range(n_items)), "plan", partitions=partitions)
    assert [i for i, _, _ in got] == list(range(partitions))
    assert [x for _, items, _ in got for x in items] == list(range(n_items))
    assert all(plan == "plan" and items for _, items, plan in got)


def _slice(index: int, items: list[int], plan: str) -> tuple[int, list[int], str]:
    return index, items, plan
