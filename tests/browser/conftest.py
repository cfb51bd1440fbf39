"""Browser tests: a real ``manage.py serve`` on a free loopback port and Debian's Chromium through Playwright.

The server runs in embedded mode against a throw-away SQLite file. Tests never
wait for wall-clock behaviour: they pause the simulated clock and advance it
(the page's +30s button sends the clock ``advance`` message), and wait for
text to appear with Playwright's auto-waiting.
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.servers import free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--headless",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason}; run `bash .ci/setup`")
    pytest.skip(f"{reason}; run `bash .ci/setup`")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``manage.py serve`` (migrations included) against a fresh SQLite database file."""
    database = tmp_path_factory.mktemp("browser-db") / "db.sqlite3"
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_DEBUG": "1"}
    env.pop("REDIS_URL", None)
    log = (tmp_path_factory.mktemp("browser-log") / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: _answers(f"{url}/healthz") or process.poll() is not None, what="manage.py serve", timeout_s=60
        )
        if process.poll() is not None:
            pytest.fail(f"manage.py serve exited with {process.returncode}; see {log.name}")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
