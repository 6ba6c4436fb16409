"""`dekkend serve` (the HTTP API) and `dekkend token create|list|revoke` (API tokens).

The service adds these commands to the `dekkend` command line through the entry-point group
`dekkend.cli` (pyproject.toml), so the library's CLI (`solver.cli`) knows nothing of HTTP.
"""

from __future__ import annotations

import datetime
import logging

import typer
from pydantic import ValidationError
from rich.markup import escape

from api.auth import create_token, find_tokens
from api.jobs.store import DatabaseLocked, JobStore
from api.settings import Settings
from solver.cli.app import EXIT_INTERNAL, EXIT_INVALID, console

token_app = typer.Typer(help="API tokens (stored hashed; each belongs to one tenant).")


def register(app: typer.Typer) -> None:
    """Add `serve` and `token` to the `dekkend` app (the `dekkend.cli` entry point)."""
    app.command()(serve)
    app.add_typer(token_app, name="token")


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0: every interface)."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
) -> None:
    """Start the HTTP API (settings from DEKKEND_* environment variables, see api/settings.py)."""
    # imported on use: the web stack takes 0.2 s to load, which every other command would pay
    import uvicorn

    from api.app import create_app

    settings = _settings()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if settings.open_mode:
        console.print("[yellow]open mode: requests without a token are accepted (local use)[/]")
    try:
        # One process: the job supervisor lives in it (no uvicorn `workers`, no reload).
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
    except DatabaseLocked as exc:
        console.print(f"[bold red]{exc}[/]")
        raise typer.Exit(EXIT_INTERNAL) from None


@token_app.command("create")
def token_create(
    tenant: str = typer.Option(..., "--tenant", help="The tenant (organisation) the token is for."),
) -> None:
    """Create an API token for TENANT and print it (it is stored only as a hash: keep it).

    It goes into the server's database (DEKKEND_DATABASE, default
    ~/.local/share/dekkend/dekkend.db); a warning says so when that file is new.
    """
    settings = _settings()
    database = settings.database.resolve()
    new = not database.exists()
    try:
        token = create_token(JobStore(database), tenant)
    except ValueError as exc:
        console.print(f"[bold red]invalid tenant[/]: {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(EXIT_INVALID) from None
    if new:
        console.print(
            f"[yellow]warning[/]: created a new database {escape(str(database))}; only a server "
            "started with this DEKKEND_DATABASE knows the token",
            soft_wrap=True,
        )
    console.print(f"token for tenant {tenant!r} (database {database}):", markup=False)
    typer.echo(token)


@token_app.command("list")
def token_list() -> None:
    """List the API tokens: id (the start of its hash), tenant, created. Tokens are never shown."""
    settings = _settings()
    tokens = JobStore(settings.database).tokens()
    console.print(f"{len(tokens)} token(s) in {settings.database}", markup=False)
    for token_hash, tenant, created in tokens:
        when = datetime.datetime.fromtimestamp(created, tz=datetime.UTC).strftime("%Y-%m-%d %H:%M")
        typer.echo(f"{token_hash[:12]}  {tenant}  {when} UTC")


@token_app.command("revoke")
def token_revoke(
    which: str = typer.Argument(..., help="Its id (`dekkend token list`) or the token."),
) -> None:
    """Revoke one API token: requests with it get 401 from then on."""
    store = JobStore(_settings().database)
    try:
        found = find_tokens(store, which)
    except ValueError as exc:
        console.print(f"[bold red]invalid token id[/]: {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(EXIT_INVALID) from None
    if not found:
        console.print(f"no token {which!r}", markup=False)
        raise typer.Exit(EXIT_INVALID)
    store.remove_tokens(found)
    console.print(f"revoked token {found[0][:12]}", markup=False)


def _settings() -> Settings:
    """The DEKKEND_* settings; a bad one exits 2 with one line per error, never a traceback."""
    try:
        return Settings()
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"]) or "settings"
            console.print(
                f"[bold red]invalid DEKKEND_* setting[/]: {escape(where)}: " + escape(error["msg"]),
                soft_wrap=True,
            )
        raise typer.Exit(EXIT_INVALID) from None
