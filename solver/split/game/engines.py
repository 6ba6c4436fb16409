"""Where coalitions are solved: one interface, a local process pool (default) or Dask distributed.

Coalitions are cut into batches in a fixed way that depends only on the coalitions asked for
(never on the engine or its worker count), and each batch is solved from a freshly loaded model
(`coalitions.solve_batch`). So the same instance gives the same c(S), and therefore the same
split to the cent, on either engine. A task is a batch, not a coalition: a worker builds the
grand coalition's model once per instance and keeps it (keyed by the instance's digest).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any, Protocol

from solver.instance import Instance, dump_instance, parse_instance, parse_json_text
from solver.split.game.coalitions import CoalitionSolver, CoalitionValue, solve_batch

log = logging.getLogger(__name__)

BATCH_SIZE = 32  # coalitions per task: large enough to amortise a task, small enough to balance
ENGINES = ("local", "dask")

# (done, total) coalitions; returns True to ask the run to stop (unstarted batches are dropped)
GameProgress = Callable[[int, int], bool | None]
# the values of each batch as it finishes (e.g. to keep them in a cache before the run ends)
BatchDone = Callable[[list[CoalitionValue]], None]

_SOLVERS: dict[str, CoalitionSolver] = {}  # per worker process: digest -> solver


def gray_rank(mask: int) -> int:
    """Position of `mask` in the binary-reflected Gray code (neighbours differ by one member)."""
    rank = mask
    shift = mask >> 1
    while shift:
        rank ^= shift
        shift >>= 1
    return rank


def make_batches(masks: Iterable[int], size: int = BATCH_SIZE) -> list[list[int]]:
    """Coalitions in Gray-code order, cut into batches of `size` (deterministic)."""
    ordered = sorted(set(masks), key=gray_rank)
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def _solver_for(instance_json: str, threads: int, seed: int) -> CoalitionSolver:
    """The solver of this worker for the instance, built on first use."""
    key = hashlib.sha256(f"{threads}:{seed}:{instance_json}".encode()).hexdigest()
    solver = _SOLVERS.get(key)
    if solver is None:
        _SOLVERS.clear()  # one instance at a time per worker keeps memory flat
        instance = parse_instance(parse_json_text(instance_json))
        solver = CoalitionSolver(instance, threads=threads, seed=seed)
        _SOLVERS[key] = solver
    return solver


def run_batch(
    instance_json: str,
    masks: Sequence[int],
    deadline: float,
    threads: int = 1,
    seed: int = 0,
    stop: Callable[[], bool] | None = None,
) -> list[CoalitionValue]:
    """Task body on any worker: solve one batch of coalitions of the instance."""
    solver = _solver_for(instance_json, threads, seed)
    return solve_batch(solver, masks, deadline=deadline, stop=stop)


class Engine(Protocol):
    """Solves coalitions of an instance and returns their values by mask."""

    name: str
    threads: int  # HiGHS threads per coalition solve
    seed: int  # HiGHS seed of every coalition solve

    def evaluate(
        self,
        instance: Instance,
        masks: Iterable[int],
        *,
        deadline: float,
        on_progress: GameProgress | None = None,
        on_batch: BatchDone | None = None,
    ) -> dict[int, CoalitionValue]:
        """c(S) for every mask (missing masks were dropped after a stop request)."""
        ...


@dataclass
class _Tracker:
    total: int
    on_progress: GameProgress | None
    on_batch: BatchDone | None = None
    done: int = 0
    values: dict[int, CoalitionValue] = field(default_factory=dict)

    def begin(self) -> bool:
        """Say how many coalitions there are before any is solved; True to stop at once."""
        return bool(self.on_progress and self.on_progress(0, self.total))

    def add(self, batch: list[CoalitionValue]) -> bool:
        """Record a finished batch; True when the caller asked to stop."""
        for value in batch:
            self.values[value.mask] = value
        if self.on_batch is not None:
            self.on_batch(batch)
        self.done += len(batch)
        return bool(self.on_progress and self.on_progress(self.done, self.total))


def _instance_json(instance: Instance) -> str:
    return json.dumps(dump_instance(instance), sort_keys=True)


@dataclass
class LocalEngine:
    """A pool of worker processes on this machine (in-process when one worker or one batch).

    `stop` (optional) is asked before each coalition solved in-process, so a cancelled API job
    ends within one coalition; a pool of processes stops between batches (`on_progress`).
    """

    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    threads: int = 1
    seed: int = 0
    name: str = "local"
    stop: Callable[[], bool] | None = None

    def evaluate(
        self,
        instance: Instance,
        masks: Iterable[int],
        *,
        deadline: float = math.inf,
        on_progress: GameProgress | None = None,
        on_batch: BatchDone | None = None,
    ) -> dict[int, CoalitionValue]:
        """Solve every coalition in `masks`, batches spread over the pool."""
        batches = make_batches(masks)
        tracker = _Tracker(sum(map(len, batches)), on_progress, on_batch)
        if tracker.begin():
            return tracker.values
        text = _instance_json(instance)
        if self.workers <= 1 or len(batches) <= 1:
            for batch in batches:
                found = run_batch(text, batch, deadline, self.threads, self.seed, self.stop)
                if tracker.add(found):
                    break
            return tracker.values
        # forkserver: safe under threads (API, Dask) and fast, since the server preloads dekkend
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["solver.split.game.engines"])
        workers = min(self.workers, len(batches))
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures: list[Future[list[CoalitionValue]]] = [
                pool.submit(run_batch, text, batch, deadline, self.threads, self.seed)
                for batch in batches
            ]
            for future in as_completed(futures):
                if tracker.add(future.result()):
                    for other in futures:
                        other.cancel()
                    break
        return tracker.values


@dataclass
class DaskEngine:
    """Dask distributed: a scheduler at `scheduler` (tcp://host:port), or a LocalCluster.

    Workers of a remote cluster need dekkend installed (they import `solver.split.game.engines`).
    """

    scheduler: str | None = None
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    threads: int = 1
    seed: int = 0
    name: str = "dask"

    def evaluate(
        self,
        instance: Instance,
        masks: Iterable[int],
        *,
        deadline: float = math.inf,
        on_progress: GameProgress | None = None,
        on_batch: BatchDone | None = None,
    ) -> dict[int, CoalitionValue]:
        """Solve every coalition in `masks`, one Dask task per batch."""
        from dask.distributed import Client, LocalCluster
        from dask.distributed import as_completed as dask_completed

        batches = make_batches(masks)
        tracker = _Tracker(sum(map(len, batches)), on_progress, on_batch)
        if tracker.begin():
            return tracker.values
        cluster: Any = None
        if self.scheduler is None:
            cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
            client = Client(cluster)
        else:
            client = Client(self.scheduler)
        try:
            [text] = client.scatter([_instance_json(instance)], broadcast=True)
            futures = [
                client.submit(run_batch, text, batch, deadline, self.threads, self.seed, pure=False)
                for batch in batches
            ]
            for future in dask_completed(futures):
                if tracker.add(future.result()):
                    client.cancel(futures)
                    break
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
        return tracker.values


def make_engine(
    name: str = "local", *, scheduler: str | None = None, workers: int | None = None
) -> Engine:
    """The engine called `name` (`local` or `dask`)."""
    count = workers or os.cpu_count() or 1
    if name == "local":
        if scheduler is not None:
            raise ValueError("--scheduler needs the dask engine")
        return LocalEngine(workers=count)
    if name == "dask":
        return DaskEngine(scheduler=scheduler, workers=count)
    raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {name!r}")
