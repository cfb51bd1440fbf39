"""Shared test configuration.

The layer a test lives in decides its marker: everything under
``tests/integration`` is ``integration``, under ``tests/browser`` ``browser``,
under ``tests/e2e`` ``e2e``; tests that need real PostgreSQL or Redis (the
``postgres_url``/``redis_url`` fixtures) are also ``scaleout``. So
``pytest -m "not integration and not browser and not e2e"`` is the fast pure
suite. Pure unit tests need no Django and also run with ``-p no:django``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack
from pathlib import Path
from typing import NoReturn

import pytest

TESTS_DIR = Path(__file__).resolve().parent
LAYER_MARKERS = ("integration", "browser", "e2e")
SCALEOUT_FIXTURES = frozenset({"postgres_url", "redis_url"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        layer = _layer_of(item.path)
        if layer in LAYER_MARKERS:
            item.add_marker(getattr(pytest.mark, layer))
        if SCALEOUT_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.scaleout)


def _layer_of(path: Path) -> str:
    try:
        return path.resolve().relative_to(TESTS_DIR).parts[0]
    except (ValueError, IndexError):
        return ""


@pytest.fixture(autouse=True)
def _close_async_db_connections() -> Iterator[None]:
    """After each test, close the DB connections of asgiref's shared sync thread.

    ``sync_to_async``/``database_sync_to_async`` (and Django's async ORM) run
    ORM calls on one long-lived executor thread; its connection would outlive
    the test, and PostgreSQL refuses to drop a test database that still has a
    session ("database ... is being accessed by other users").
    """
    yield
    if "django.db" not in sys.modules or "asgiref.sync" not in sys.modules:
        return
    from asgiref.sync import SyncToAsync
    from django.db import connections

    executor = SyncToAsync.single_thread_executor
    if getattr(executor, "_threads", True):  # only once the thread exists
        executor.submit(connections.close_all).result(timeout=30)


def _unavailable(reason: str) -> NoReturn:
    """In CI a missing server is a failure (setup is broken); on a laptop it is a skip."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason}; run `bash .ci/setup`")
    pytest.skip(f"{reason}; run `bash .ci/setup`")


def _real_server(existing_url: str, start: Callable[[], AbstractContextManager[str]]) -> Iterator[str]:
    if existing_url:
        yield existing_url
        return
    from tests.integration.servers import ServerUnavailable

    with ExitStack() as stack:
        try:
            url = stack.enter_context(start())
        except ServerUnavailable as exc:
            _unavailable(str(exc))
        yield url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server's URL: the one ``DATABASE_URL`` names in a scale-out run, else a fresh one."""
    from tests.integration.servers import postgres_server

    existing = os.environ.get("DATABASE_URL", "")
    yield from _real_server(existing if existing.startswith(("postgres://", "postgresql://")) else "", postgres_server)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A real Redis server's URL: the one ``REDIS_URL`` names in a scale-out run, else a fresh one."""
    from tests.integration.servers import redis_server

    yield from _real_server(os.environ.get("REDIS_URL", ""), redis_server)
