"""The real servers start and answer, and KubeSandbox runs on them in both modes.

The Django processes here are real subprocesses (``manage.py serve``,
``migrate``, ``check``) configured only through the environment, exactly as a
deployment would configure them.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis
import websocket

from tests.integration.servers import free_port, postgres_server, redis_server, wait_until

REPO_DIR = Path(__file__).resolve().parents[2]
MANAGE = [sys.executable, str(REPO_DIR / "manage.py")]
PROD_SECRET = "kubesandbox-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG"


def django_env(**overrides: str) -> dict[str, str]:
    """The current environment minus any deployment settings, plus ``overrides``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KUBESANDBOX_"))}
    for key in ("DATABASE_URL", "REDIS_URL"):
        env.pop(key, None)
    env["PYTHONUNBUFFERED"] = "1"
    return {**env, **overrides}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*MANAGE, *args], env=env, cwd=REPO_DIR, capture_output=True, text=True, timeout=120)


def http_get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


def ws_health(base: str) -> dict[str, Any]:
    ws_url = base.replace("http://", "ws://") + "/ws/healthz/"
    conn = websocket.create_connection(ws_url, origin=base, timeout=5)
    try:
        return dict(json.loads(conn.recv()))
    finally:
        conn.close()


def answers(url: str) -> bool:
    try:
        return http_get(url)[0] == 200
    except OSError:
        return False


@contextmanager
def serving(env: dict[str, str], *options: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``manage.py serve`` on a free port; yields its base URL once /healthz answers."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [*MANAGE, "serve", "--port", str(port), *options]
    process = subprocess.Popen(cmd, env=env, cwd=REPO_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until(lambda: process.poll() is not None or answers(base + "/healthz"), what="serve", timeout_s=60)
        assert process.poll() is None, process.communicate()[0]
        yield base, process
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=20)
    return process.returncode, output


def test_postgres_server_answers_a_query(postgres_url: str) -> None:
    with psycopg.connect(postgres_url) as conn:
        row = conn.execute("SELECT 1, current_setting('fsync'), inet_server_addr()::text").fetchone()
    assert row is not None
    assert row[0] == 1
    if "DATABASE_URL" not in os.environ:  # our own server, started with durability off
        assert row[1] == "off"
    assert row[2].startswith("127.0.0.1")


def test_redis_server_answers_ping(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    try:
        assert client.ping() is True
        client.set("kubesandbox:probe", "ok")
        assert client.get("kubesandbox:probe") == b"ok"
    finally:
        client.delete("kubesandbox:probe")
        client.close()


def test_servers_are_stopped_and_cleaned_up_on_exit() -> None:
    with postgres_server() as pg_url, redis_server() as r_url:
        with psycopg.connect(pg_url) as conn:
            row = conn.execute("SHOW data_directory").fetchone()
        assert row is not None
        data_dir = Path(row[0])
        assert data_dir.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(pg_url, connect_timeout=2)
    with pytest.raises(redis.ConnectionError):
        redis.Redis.from_url(r_url, socket_connect_timeout=2).ping()
    assert not data_dir.exists()


def test_settings_select_scaleout_backends_and_they_work(postgres_url: str, redis_url: str) -> None:
    env = django_env(DATABASE_URL=postgres_url, REDIS_URL=redis_url)
    migrated = manage("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stderr
    probe = (
        "import json; from asgiref.sync import async_to_sync; from django.conf import settings; "
        "from django.db import connection; from channels.layers import get_channel_layer; "
        "from channels_redis.utils import create_pool; "
        "layer = get_channel_layer(); name = async_to_sync(layer.new_channel)(); "
        "async_to_sync(layer.send)(name, {'type': 'probe'}); "
        "print(json.dumps({'mode': settings.KUBESANDBOX_MODE, 'vendor': connection.vendor, "
        "'conn_max_age': settings.DATABASES['default']['CONN_MAX_AGE'], "
        "'received': async_to_sync(layer.receive)(name), "
        "'pool_size': create_pool(layer.hosts[0]).max_connections, "
        "'tables': sorted(t for t in connection.introspection.table_names() if t.startswith('cluster_'))}))"
    )
    shell = manage("shell", "-c", probe, env=env)
    assert shell.returncode == 0, shell.stderr
    assert json.loads(shell.stdout.strip().splitlines()[-1]) == {
        "mode": "scale-out",
        "vendor": "postgresql",
        "conn_max_age": 0,
        "received": {"type": "probe"},
        "pool_size": 1000,
        "tables": [
            "cluster_commandrecord",
            "cluster_objectchange",
            "cluster_sandbox",
            "cluster_sandboxfile",
            "cluster_storedobject",
        ],
    }


@pytest.mark.parametrize(
    ("extra", "ok"),
    [
        ({}, True),
        ({"DJANGO_SECURE_SSL_REDIRECT": "0"}, False),
        ({"DJANGO_SECURE_COOKIES": "0"}, False),
    ],
)
def test_production_settings_pass_check_deploy(extra: dict[str, str], ok: bool) -> None:
    env = django_env(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=PROD_SECRET, DJANGO_ALLOWED_HOSTS="sandbox.example", **extra)
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert (result.returncode == 0) is ok, result.stdout + result.stderr
    if ok:
        assert "System check identified no issues" in result.stdout


def test_production_refuses_the_development_secret_key() -> None:
    result = manage("check", env=django_env(DJANGO_DEBUG="0"))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0" in result.stderr


def test_serve_embedded_mode_serves_http_static_and_websockets(tmp_path: Path) -> None:
    db_file = tmp_path / "db.sqlite3"
    with serving(django_env(DATABASE_URL=f"sqlite:///{db_file}")) as (base, process):
        assert http_get(base + "/healthz") == (200, b'{"status": "ok", "mode": "embedded"}')
        assert http_get(base + "/static/admin/css/base.css")[0] == 200
        assert ws_health(base) == {"type": "health", "status": "ok", "mode": "embedded"}
        code, output = stop(process)
    assert code == 0, output
    assert f"KubeSandbox running on {base} (embedded mode)" in output.splitlines()
    with sqlite3.connect(db_file) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        applied = db.execute("SELECT name FROM django_migrations WHERE app = 'cluster'").fetchall()
    assert ("0001_initial",) in applied


def test_serve_production_collects_and_serves_static_files(tmp_path: Path) -> None:
    env = django_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=PROD_SECRET,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",  # no TLS proxy in front of this test
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
    )
    with serving(env) as (base, process):
        assert http_get(base + "/static/admin/css/base.css")[0] == 200
        code, _ = stop(process)
    assert code == 0
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    assert "admin/css/base.css" in manifest["paths"]


def test_serve_no_migrate_leaves_the_schema_alone(tmp_path: Path) -> None:
    db_file = tmp_path / "db.sqlite3"
    with serving(django_env(DATABASE_URL=f"sqlite:///{db_file}"), "--no-migrate") as (base, process):
        assert http_get(base + "/healthz")[0] == 200
        stop(process)
    with sqlite3.connect(db_file) as db:
        tables = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    assert ("django_migrations",) not in tables


def test_serve_scaleout_mode_uses_postgres_and_redis(postgres_url: str, redis_url: str) -> None:
    with serving(django_env(DATABASE_URL=postgres_url, REDIS_URL=redis_url)) as (base, process):
        assert json.loads(http_get(base + "/healthz")[1]) == {"status": "ok", "mode": "scale-out"}
        # The probe's message travels through Redis and back.
        assert ws_health(base) == {"type": "health", "status": "ok", "mode": "scale-out"}
        code, output = stop(process)
    assert code == 0, output
    assert f"KubeSandbox running on {base} (scale-out mode)" in output.splitlines()
    with psycopg.connect(postgres_url) as conn:
        row = conn.execute("SELECT count(*) FROM django_migrations WHERE app = 'cluster'").fetchone()
    assert row is not None and row[0] >= 1


def test_serve_reports_a_port_in_use(tmp_path: Path) -> None:
    env = django_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with serving(env) as (base, process):
        port = base.rsplit(":", 1)[1]
        second = manage("serve", "--port", port, env=env)
        stop(process)
    assert second.returncode != 0
    assert f"could not listen on 127.0.0.1:{port}" in second.stderr
