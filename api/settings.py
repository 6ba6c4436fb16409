"""Service settings, read from the environment (prefix `DEKKEND_`, e.g. `DEKKEND_WORKERS=4`)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from solver.io.xlsx.archive import DEFAULT_LIMITS, WorkbookLimits

_REPO = Path(__file__).resolve().parents[1]


def default_database() -> Path:
    """`$XDG_DATA_HOME/dekkend/dekkend.db` (~/.local/share/...): one place, whatever the cwd."""
    root = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(root) / "dekkend" / "dekkend.db"


def host_memory_mb() -> int:
    """The machine's memory in MiB, or its container's limit when that is lower (cgroup v2)."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit.isdigit():
            total = min(total, int(limit))
    except OSError:
        pass
    return total // 2**20


class Settings(BaseSettings):
    """Everything an operator may tune; every field is `DEKKEND_<NAME>` in the environment."""

    model_config = SettingsConfigDict(env_prefix="DEKKEND_", extra="ignore", frozen=True)

    database: Path = Field(
        default_factory=default_database,
        description="SQLite file holding jobs and API tokens (one server per file); default "
        "`$XDG_DATA_HOME/dekkend/dekkend.db`, i.e. ~/.local/share/dekkend/dekkend.db.",
    )
    workers: int = Field(2, ge=1, le=64, description="Solves running at once, each a process.")
    coalition_cache: bool = Field(
        True,
        description="Keep the proven coalition values of split jobs (and of solves whose own "
        "rule is shapley) in a SQLite file beside `database` (`<name>.coalitions.sqlite`): a "
        "split job stopped by its time limit, submitted again, goes on where it stopped, and any "
        "later split of the same instance reads them.",
    )
    split_workers: int = Field(
        1,
        ge=1,
        le=64,
        description="Processes one split job (or a solve whose own rule is shapley) solves its "
        "coalitions on (on top of its own); raise it where cores are to spare.",
    )
    max_sync_time_limit_s: float = Field(
        30.0, gt=0, description="Largest time limit of POST /v1/solve; larger ones are clamped."
    )
    max_job_time_limit_s: float = Field(
        600.0, gt=0, description="Largest time limit of a job; larger ones are clamped."
    )
    default_time_limit_s: float = Field(
        20.0, gt=0, description="Time limit when a request names none (then clamped as usual)."
    )
    max_body_bytes: int = Field(20 * 1024 * 1024, ge=1024, description="Larger bodies get 413.")
    max_providers: int = Field(2000, ge=1, description="Larger instances get 422 at `providers`.")
    max_municipalities: int = Field(
        400, ge=1, description="Larger instances get 422 at `municipalities`."
    )
    max_model_columns: int = Field(
        1_500_000,
        ge=1,
        description="Larger models (estimated before they are built: about 4 KB of memory per "
        "column at the solve's peak) get 422 naming their size.",
    )
    max_threads: int = Field(4, ge=1, description="Largest `options.threads` accepted.")
    worker_memory_mb: int | None = Field(
        None,
        ge=0,
        description="Address-space limit of a worker process in MiB; 0 = no limit; absent: this "
        "machine's memory (or its container's limit) / (workers + 1).",
    )
    max_jobs_per_tenant: int = Field(
        20, ge=1, description="Queued and running jobs one tenant may have; more get 429."
    )
    job_retention_days: float = Field(
        30.0, gt=0, description="Finished jobs (and their results) are deleted after this."
    )
    max_workbook_bytes: int = Field(
        DEFAULT_LIMITS.max_bytes, ge=1024, description="Uncompressed size of an uploaded workbook."
    )
    max_workbook_cells: int = Field(
        DEFAULT_LIMITS.max_cells, ge=1, description="Cells of an uploaded workbook, all sheets."
    )
    input_time_limit_s: float = Field(
        60.0,
        gt=0,
        description="Seconds a workbook upload or a large instance may take to read and validate "
        "(in a process of its own).",
    )
    sync_wait_s: float = Field(
        10.0, ge=0, description="How long POST /v1/solve waits for a free slot before 503."
    )
    open_mode: bool = Field(
        False,
        description="Accept requests without a token (tenant `local`). For local use only.",
    )
    examples_dir: Path = Field(
        _REPO / "instances", description="Directory of the bundled instances (GET /v1/examples)."
    )

    @property
    def worker_memory_limit_mb(self) -> int:
        """A worker's address-space limit in MiB (0: none): the setting, or the host's share."""
        if self.worker_memory_mb is not None:
            return self.worker_memory_mb
        return host_memory_mb() // (self.workers + 1)

    @property
    def workbook_limits(self) -> WorkbookLimits:
        """How large an uploaded workbook may be inside."""
        return WorkbookLimits(max_bytes=self.max_workbook_bytes, max_cells=self.max_workbook_cells)

    @property
    def coalition_cache_path(self) -> Path | None:
        """Where split jobs and shapley solves keep proven coalition values (None: not kept)."""
        if not self.coalition_cache:
            return None
        return self.database.resolve().with_suffix(".coalitions.sqlite")
