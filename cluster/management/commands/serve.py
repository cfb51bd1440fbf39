"""``manage.py serve``: the one command that runs KubeSandbox.

It brings the database schema up to date, then serves the ASGI application
(HTTP and WebSockets) with Daphne in this process. In embedded mode that one
process is the whole product: the controller worker runs on Daphne's event
loop. In scale-out mode run ``manage.py migrate`` once, then this command
with ``--no-migrate`` (or plain ``daphne sandbox.asgi:application``) per web
process and ``manage.py runworker cluster-controllers`` for the controllers.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from pathlib import Path
from typing import Any

from channels.routing import get_default_application
from daphne.endpoints import build_endpoint_description_strings
from daphne.server import Server, twisted_loop
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections


class Command(BaseCommand):
    help = "Apply migrations, then serve KubeSandbox (HTTP and WebSockets) with Daphne in this process."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="TCP port to listen on (default 8000)")
        parser.add_argument(
            "--no-migrate",
            action="store_false",
            dest="migrate",
            help="skip migrate/collectstatic (scale-out: run `manage.py migrate` once, not in every web process)",
        )

    def handle(self, *args: Any, host: str, port: int, migrate: bool, **options: Any) -> None:
        self.install_frontend()
        if migrate:
            self.prepare_database(verbosity=options["verbosity"])
        server = Server(
            application=get_default_application(),
            endpoints=build_endpoint_description_strings(host=host, port=port),
            root_path=getattr(settings, "FORCE_SCRIPT_NAME", "") or "",
            verbosity=options["verbosity"],
            # Called once the TCP listener is bound, just before the event loop starts.
            ready_callable=lambda: self.announce(host, port),
        )
        server.run()
        finish_event_loop(twisted_loop)
        if not server.listening_addresses:
            raise CommandError(f"could not listen on {host}:{port} (is the port already in use?)")

    def announce(self, host: str, port: int) -> None:
        self.stdout.write(f"KubeSandbox running on {server_url(host, port)} ({settings.KUBESANDBOX_MODE} mode)")
        self.stdout.flush()

    def install_frontend(self) -> None:
        """Install the editor's npm packages (pinned in static/package-lock.json) the first time."""
        static = Path(settings.BASE_DIR) / "static"
        if (static / "node_modules").is_dir() or not (static / "package-lock.json").is_file():
            return
        npm = shutil.which("npm")
        if npm is None:
            self.stderr.write(
                "The YAML editor's packages are not installed and npm was not found: the page falls back to a plain "
                "text area. Install Node.js and npm (Debian/Ubuntu: `apt-get install nodejs npm`), then run "
                "`npm ci --prefix static` or start `manage.py serve` again."
            )
            return
        self.stdout.write("Installing the editor's packages: npm ci --prefix static")
        result = subprocess.run([npm, "ci", "--prefix", str(static), "--no-audit", "--no-fund"], check=False)
        if result.returncode:
            self.stderr.write("npm ci failed; the page falls back to a plain text area for the editor.")

    def prepare_database(self, *, verbosity: int) -> None:
        """Migrate (and, outside DEBUG, collect static files) before serving anything."""
        quiet = max(verbosity - 1, 0)
        call_command("migrate", interactive=False, verbosity=quiet)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=quiet)
        # Connections opened here belong to this thread; Daphne runs Django in others.
        connections.close_all()


def server_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def finish_event_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel what Daphne left running on its loop when it stopped, let it unwind, close the loop.

    Daphne stops the reactor without waiting for cancelled application
    instances (e.g. a consumer still awaiting the channel layer). Left pending,
    they are garbage-collected during interpreter shutdown, which can crash
    CPython 3.11 (a segfault instead of exit status 0).
    """
    if loop.is_closed():
        return
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()
