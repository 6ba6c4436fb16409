"""Amounts to the cent: a total shared pro rata, rounded by largest remainder (DECISIONS 6)."""

from __future__ import annotations

import math
from collections.abc import Sequence


def largest_remainder(raw: Sequence[float], total: float) -> list[float]:
    """Round `total` to cents and share it pro rata `raw` (≥ 0), to the cent (DECISIONS 6).

    x_m = raw_m × T / Σraw (equal shares when Σraw = 0), T = round(total × 100) cents; each
    municipality gets floor(x_m) cents and the cents left over go one each to the largest
    remainders, ties to the earlier municipality. The amounts add up to exactly T cents.
    """
    target = round(total * 100)
    n = len(raw)
    if n == 0:
        if target != 0:
            raise ValueError(f"cannot split {total} over no municipalities")
        return []
    weight = math.fsum(raw)
    exact = [a * target / weight for a in raw] if weight > 0 else [target / n] * n
    cents = [math.floor(x) for x in exact]
    left = target - sum(cents)
    order = sorted(range(n), key=lambda i: (-(exact[i] - cents[i]), i))
    # 0 ≤ left ≤ n up to float noise; divmod keeps the sum exact even if noise pushes it out.
    each, extra = divmod(left, n)
    for rank, i in enumerate(order):
        cents[i] += each + (1 if rank < extra else 0)
    return [c / 100 for c in cents]
