from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api.api_server import INSTANCES, Server


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not (INSTANCES / "tiny.json").exists():
        skip = pytest.mark.skip(reason="instances/tiny.json is not bundled")
        for item in items:
            if "tests/api/" in str(item.fspath):
                item.add_marker(skip)


@pytest.fixture(scope="package")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One shared server (2 workers, small limits) for the tests that do not kill it."""
    folder = tmp_path_factory.mktemp("server")
    srv = Server(
        folder,
        workers=2,
        max_providers=800,  # room for `slow_region()`, the job tests catch while it runs
        max_municipalities=16,
        max_body_bytes=2_000_000,
        max_sync_time_limit_s=20,
        max_job_time_limit_s=60,
    )
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="package")
def token(server: Server) -> str:
    return server.token("alpha")
