"""Independent solves spread over workers: in-process, a local process pool, or Dask.

The same two engines as the coalition game (`solver.split.game.engines`), for analyses whose
items are independent (the stress test's lost units, robustness's forced contracts). A task is
a module-level function `task(context, item)`: `context` is plain data shared by every item
(sent once per worker on Dask), so any worker can rebuild what it needs. Results come back in
the order of `items`, whatever the engine or worker count.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
ENGINES = ("local", "dask")

# (done, total) after each item
Progress = Callable[[int, int], None]


def fan_out(
    task: Callable[[Any, T], R],
    context: Any,
    items: Sequence[T],
    *,
    engine: str = "local",
    workers: int = 1,
    scheduler: str | None = None,
    on_done: Progress | None = None,
    preload: str | None = None,
) -> list[R]:
    """`[task(context, item) for item in items]`, on the engine asked for.

    `local` with one worker runs here; with more, a forkserver process pool (`preload`: the
    module the server imports once). `dask` uses the scheduler at `scheduler` or a LocalCluster
    of `workers` processes.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if scheduler is not None and engine != "dask":
        raise ValueError("--scheduler needs the dask engine")
    total = len(items)
    out: list[Any] = [None] * total
    done = 0

    def finished(i: int, value: R) -> None:
        nonlocal done
        out[i] = value
        done += 1
        if on_done is not None:
            on_done(done, total)

    if engine == "dask":
        _on_dask(task, context, items, workers, scheduler, finished)
    elif workers <= 1 or total <= 1:
        for i, item in enumerate(items):
            finished(i, task(context, item))
    else:
        mp = multiprocessing.get_context("forkserver")
        if preload is not None:
            mp.set_forkserver_preload([preload])
        with ProcessPoolExecutor(max_workers=min(workers, total), mp_context=mp) as pool:
            futures = {pool.submit(task, context, item): i for i, item in enumerate(items)}
            for future in as_completed(futures):
                finished(futures[future], future.result())
    return out


def _on_dask(
    task: Callable[[Any, T], R],
    context: Any,
    items: Sequence[T],
    workers: int,
    scheduler: str | None,
    finished: Callable[[int, R], None],
) -> None:
    from dask.distributed import Client, LocalCluster
    from dask.distributed import as_completed as dask_completed

    cluster: Any = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=max(1, workers), threads_per_worker=1, processes=True,
            host="127.0.0.1", dashboard_address=None,
        )  # fmt: skip
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        [shared] = client.scatter([context], broadcast=True)
        futures = [client.submit(task, shared, item, pure=False) for item in items]
        index = {f.key: i for i, f in enumerate(futures)}
        for future in dask_completed(futures):
            finished(index[future.key], future.result())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
