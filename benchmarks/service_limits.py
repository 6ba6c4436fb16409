"""The service under hostile input: how fast each is refused, and what the largest model costs.

`python -m benchmarks.service_limits` starts a real server on 127.0.0.1 (default settings, one
worker), sends each hostile input three times while a thread polls /v1/health, and prints one
Markdown table row per input (median time to the answer, its status, the slowest health answer
meanwhile). Then it solves a model just under DEKKEND_MAX_MODEL_COLUMNS for 30 s as a job and
reports the worker's peak memory (VmHWM), the number that sizes the default ceiling.
For benchmarks/RESULTS.md; not part of `make test`.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from solver.instance import parse_instance
from solver.model.size import estimate_size
from tests import hostile
from tests.api.api_server import Server, instance
from tests.api.test_api_hostile import HealthWatch

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _grid(providers: int, municipalities: int, care_types: int) -> dict[str, Any]:
    """Every provider offers every care type everywhere: flows = the product of the three."""
    return {
        "schema_version": 1,
        "name": f"grid {providers}x{municipalities}x{care_types}",
        "municipalities": [
            {"id": f"m{i}", "youth_population": 1000} for i in range(municipalities)
        ],
        "lots": [{"id": "l", "funding": "fee_for_service"}],
        "care_types": [{"id": f"c{j}", "lot": "l"} for j in range(care_types)],
        "demand": [
            {"municipality": f"m{i}", "care_type": f"c{j}", "clients": 3}
            for i in range(municipalities)
            for j in range(care_types)
        ],
        "providers": [
            {
                "id": f"p{k}",
                "contract_cost": 1000 + k % 97,
                "offers": [
                    {"care_type": f"c{j}", "capacity": 40, "price": 100 + (k * 7 + j * 13) % 50}
                    for j in range(care_types)
                ],
            }
            for k in range(providers)
        ],
    }


def _inputs(token: str) -> list[tuple[str, bytes, str, str | None]]:
    big = b'{"instance": "' + b"x" * 19_000_000 + b'"}'
    tiny = instance("tiny")
    return [
        ("zip bomb (0.2 MB, 200 MB unpacked)", hostile.zip_bomb(), XLSX, token),
        ("billion laughs workbook", hostile.billion_laughs(), XLSX, token),
        ("1 M-cell workbook", hostile.many_cells(1_000_000), XLSX, token),
        ("1 M-cell workbook, no token", hostile.many_cells(1_000_000), XLSX, None),
        ("truncated workbook", hostile.truncated(), XLSX, token),
        ("19 MB JSON, no token", big, "application/json", None),
        ("lone surrogate in the instance", hostile.lone_surrogate_json(tiny), "application/json",
         token),  # fmt: skip
        ("2,000 × 400 × 20 model (16 M flows)", json.dumps({"instance": _grid(2000, 400, 20)})
         .encode(), "application/json", token),  # fmt: skip
    ]


def _measure(server: Server, token: str) -> None:
    print("| input | answer | time to answer (median of 3) | slowest /v1/health meanwhile |")
    print("|---|---|---|---|")
    for label, body, kind, key in _inputs(token):
        times, statuses, slowest = [], set(), 0.0
        headers = {"Content-Type": kind} | ({"Authorization": f"Bearer {key}"} if key else {})
        for _ in range(3):
            with HealthWatch(server.url) as watch:
                started = time.monotonic()
                response = httpx.post(server.url + "/v1/jobs", content=body, headers=headers,
                                      timeout=300)  # fmt: skip
                times.append(time.monotonic() - started)
            statuses.add(response.status_code)
            slowest = max(slowest, watch.slowest)
        answer = "/".join(str(s) for s in sorted(statuses))
        print(f"| {label} | {answer} | {statistics.median(times) * 1000:,.0f} ms "
              f"| {slowest * 1000:,.0f} ms |")  # fmt: skip


def _largest(server: Server, token: str) -> None:
    raw = _grid(2000, 180, 4)  # 1.44 M flows: just under the 1.5 M column ceiling
    size = estimate_size(parse_instance(raw))
    body = {"instance": raw, "options": {"time_limit_s": 30}}
    with server.client(token, timeout=300) as client:
        job = client.post("/v1/jobs", json=body).json()
        peak_kb, pid, state = 0, None, "queued"
        while state in ("queued", "running"):
            time.sleep(0.5)
            state = client.get(f"/v1/jobs/{job['id']}").json()["state"]
            pid = pid or _worker_pid(server, job["id"])
            peak_kb = max(peak_kb, _peak_kb(pid))
        final = client.get(f"/v1/jobs/{job['id']}").json()
    status = (final.get("result") or {}).get("status", final.get("error"))
    print(f"\nlargest accepted model: {size.columns:,} columns estimated ({size.flows:,} flows), "
          f"{size.rows:,} rows; job {state} ({status}); worker peak {peak_kb / 1024:,.0f} MiB "
          f"(estimate {size.memory_mb:,} MiB)")  # fmt: skip


def _worker_pid(server: Server, job_id: str) -> int | None:
    with server.store()._connect() as db:
        row = db.execute("SELECT worker_pid FROM jobs WHERE id = ?", (job_id,)).fetchone()
    return row["worker_pid"] if row else None


def _peak_kb(pid: int | None) -> int:
    if pid is None:
        return 0
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return max((int(line.split()[1]) for line in status.splitlines()
                if line.startswith("VmHWM:")), default=0)  # fmt: skip


def main() -> int:
    """Start a server, measure, print the rows for RESULTS.md."""
    with tempfile.TemporaryDirectory() as folder:
        server = Server(Path(folder), workers=1).start()
        try:
            token = server.token("bench")
            _measure(server, token)
            _largest(server, token)
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
