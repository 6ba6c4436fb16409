"""A hard wall-clock deadline for one HiGHS run: simplex, IPM and MIP stop when it has passed.

HiGHS checks its own `time_limit` only between phases of some solves: on a 20,000 × 342 region the
root LP of a MIP ran 522 s under a 300 s limit. The interrupt callbacks are polled inside the
simplex and IPM iterations and the branch-and-bound loop, so `stop_at` makes a run return within
a few iterations of the deadline (model status `kInterrupt`), keeping the best point found so far.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import highspy


def stop_at(h: highspy.Highs, deadline: float) -> Callable[[], bool]:
    """Interrupt every simplex, IPM and MIP phase of `h` once `time.monotonic()` ≥ `deadline`.

    The time limit option is set too (HiGHS then reports `kTimeLimit` where it checks it first).
    Returns `fired()`: whether the deadline interrupted the run. HiGHS reports every interrupt
    as `kInterrupt` ("Interrupted by user"), whether it came from here or from a progress callback.
    """
    h.setOptionValue("time_limit", max(deadline - time.monotonic(), 1e-3))
    fired = False

    def poll(event: object) -> None:
        nonlocal fired
        if time.monotonic() >= deadline:
            fired = True
            event.interrupt()  # type: ignore[attr-defined]

    h.cbSimplexInterrupt += poll
    h.cbIpmInterrupt += poll
    h.cbMipInterrupt += poll
    return lambda: fired


def remaining(deadline: float) -> float:
    """Seconds left until `deadline` (never below zero)."""
    return max(deadline - time.monotonic(), 0.0)
