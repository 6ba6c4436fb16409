"""Service settings, read from the environment (prefix `DEKKEND_`, e.g. `DEKKEND_WORKERS=4`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

_REPO = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    """Everything an operator may tune; every field is `DEKKEND_<NAME>` in the environment."""

    model_config = SettingsConfigDict(env_prefix="DEKKEND_", extra="ignore", frozen=True)

    database: Path = Field(
        Path("dekkend.db"),
        description="SQLite file holding jobs and API tokens (one server per file).",
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
    max_threads: int = Field(4, ge=1, description="Largest `options.threads` accepted.")
    worker_memory_mb: int = Field(
        0, ge=0, description="Address-space limit of a worker process in MiB (0 = no limit)."
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
    def coalition_cache_path(self) -> Path | None:
        """Where split jobs and shapley solves keep proven coalition values (None: not kept)."""
        if not self.coalition_cache:
            return None
        return self.database.resolve().with_suffix(".coalitions.sqlite")
