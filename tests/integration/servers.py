"""Real PostgreSQL and Redis servers for the scale-out tests.

The scale-out mode must be proven against the real servers, not fakes: each
context manager starts one from the machine's Debian binaries on a free
loopback port in a throw-away directory, waits until it answers, yields its
URL and stops it again.

PostgreSQL refuses to run as root, and CI runs as root: then the cluster is
initialised and run as the ``postgres`` system user, with its data directory
and unix socket inside the temporary directory. Durability is switched off
(``fsync``, ``full_page_writes``) because the data is thrown away.

Run any command with both servers up and ``DATABASE_URL``/``REDIS_URL`` set:

    python -m tests.integration.servers -- pytest -m integration
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

READY_TIMEOUT_S = 15.0
POLL_INTERVAL_S = 0.05


class ServerUnavailable(RuntimeError):
    """The server's binaries are not installed (run ``.ci/setup``)."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(ready: Callable[[], bool], *, what: str, timeout_s: float = READY_TIMEOUT_S) -> None:
    """Poll ``ready`` until it returns True; server start-up only, never test behaviour."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(POLL_INTERVAL_S)
    raise TimeoutError(f"{what} did not become ready within {timeout_s:g} s")


# --- PostgreSQL ---------------------------------------------------------------


def postgres_bin_dir() -> Path:
    """The newest installed PostgreSQL's ``bin`` directory."""
    candidates = [Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin") if Path(p, "initdb").exists()]
    if candidates:
        return max(candidates, key=lambda p: _version_key(p.parent.name))
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise ServerUnavailable("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)")


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def _as_postgres_user(command: list[str]) -> list[str]:
    """Prefix ``command`` so it runs as the ``postgres`` user when we are root."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def _hand_to_postgres_user(path: Path) -> None:
    if os.geteuid() != 0:
        return
    try:
        entry = pwd.getpwnam("postgres")
    except KeyError as exc:
        raise ServerUnavailable("running as root but there is no 'postgres' system user") from exc
    os.chown(path, entry.pw_uid, entry.pw_gid)


def _run(command: list[str], *, what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")


def _postgres_answers(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=1) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.OperationalError:
        return False


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A fresh PostgreSQL cluster on a free port; yields ``postgres://postgres@127.0.0.1:PORT/postgres``."""
    bin_dir = postgres_bin_dir()
    root = Path(tempfile.mkdtemp(prefix="kubesandbox-pg-"))
    data, log = root / "data", root / "postgres.log"
    port = free_port()
    try:
        root.chmod(0o700)
        _hand_to_postgres_user(root)
        initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"]
        initdb += ["--encoding=UTF8", "--locale=C", "--no-sync"]
        _run(_as_postgres_user(initdb), what="initdb")
        options = (
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=200"
        )
        _run(
            _as_postgres_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"]),
            what="pg_ctl start",
        )
        url = f"postgres://postgres@127.0.0.1:{port}/postgres"
        try:
            wait_until(lambda: _postgres_answers(url), what=f"PostgreSQL on port {port}")
            yield url
        finally:
            subprocess.run(
                _as_postgres_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                capture_output=True,
                check=False,
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)


# --- Redis --------------------------------------------------------------------


def _redis_answers(url: str) -> bool:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False
    finally:
        client.close()


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A fresh, non-persistent Redis on a free port; yields ``redis://127.0.0.1:PORT/0``."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise ServerUnavailable("redis-server is not installed")
    root = Path(tempfile.mkdtemp(prefix="kubesandbox-redis-"))
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    command += ["--dir", str(root), "--daemonize", "no"]
    try:
        with open(root / "redis.log", "wb") as log:
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until(lambda: process.poll() is not None or _redis_answers(url), what=f"Redis on port {port}")
            if process.poll() is not None:
                raise RuntimeError(f"redis-server exited ({process.returncode}):\n{(root / 'redis.log').read_text()}")
            yield url
        finally:
            _stop(process)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- Command line -------------------------------------------------------------


def main(argv: list[str]) -> int:
    """Run ``argv`` (after ``--``) with PostgreSQL and Redis up and their URLs exported."""
    command = argv[argv.index("--") + 1 :] if "--" in argv else argv
    if not command:
        print("usage: python -m tests.integration.servers -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    with postgres_server() as database_url, redis_server() as redis_url:
        env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url}
        print(f"servers: DATABASE_URL={database_url} REDIS_URL={redis_url}", flush=True)
        return subprocess.run(command, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
