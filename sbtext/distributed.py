"""Beyond one machine: functions of the pipeline run on Dask, unchanged.

`sbtext.pipeline` hands its per-document function (pure: a job in, a result out) or its
per-partition writer to these helpers; they know nothing of documents. Point Dask at a cluster
by creating a `dask.distributed.Client` for it before the run; without a client, Dask's local
process scheduler runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import pairwise
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
MAX_PARTITIONS = 256


def map_jobs(fn: Callable[[Item], Result], items: Sequence[Item], *, partitions: int | None = None) -> Iterator[Result]:
    """`fn` of every item on Dask, in input order, gathered on the client (for in-memory results)."""
    import dask.bag as db

    if not items:
        return
    bag = db.from_sequence(items, npartitions=partitions or min(len(items), MAX_PARTITIONS)).map(fn)
    yield from bag.compute(scheduler=_scheduler())


def map_partitions(
    fn: Callable[[int, list[Item], Any], Result], items: Sequence[Item], plan: Any, *, partitions: int | None = None
) -> list[Result]:
    """`fn(index, items, plan)` for consecutive slices of `items`, on Dask; the results in order.

    `fn` does its work where it runs (writing the partition's files, say) and returns only a
    summary, so the client holds summaries, never the items' output.
    """
    import dask

    if not items:
        return []
    n = partitions or min(len(items), MAX_PARTITIONS)
    bounds = [len(items) * i // n for i in range(n + 1)]
    tasks = [dask.delayed(fn)(i, list(items[a:b]), plan) for i, (a, b) in enumerate(pairwise(bounds))]
    return list(dask.compute(*tasks, scheduler=_scheduler()))


def _scheduler() -> str | None:
    """None (Dask's default: the client) when a distributed client exists, else local processes."""
    import dask

    return None if _has_client() else dask.config.get("scheduler", "processes")


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
