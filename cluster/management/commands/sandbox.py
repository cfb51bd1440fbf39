"""``python manage.py sandbox create|exec|advance|step|clock|list|kubeconfig|delete`` — the scripting interface.

``exec`` runs any terminal line and exits with that command's exit code, so
instructors and tests can drive a sandbox exactly as a learner would.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cluster import services
from cluster.engine.clock import parse_duration_ms
from cluster.models import Sandbox, SandboxFile

CLI_SESSION = "cli"


def _find(name: str) -> Sandbox:
    sb = Sandbox.objects.filter(owner__isnull=True, session_key=CLI_SESSION, name=name).first()
    if sb is None:
        raise CommandError(f'sandbox "{name}" not found (create it with: manage.py sandbox create {name})')
    return sb


class Command(BaseCommand):
    help = "Create, drive and inspect sandboxes from the command line."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a sandbox with a fresh cluster")
        create.add_argument("name")
        create.add_argument("--nodes", type=int, default=2, help="worker nodes (default 2)")
        create.add_argument("--seed", type=int, default=None, help="seed for reproducible names")
        create.add_argument(
            "--paused", action="store_true", help="start with the clock paused (time moves only with advance)"
        )
        run = sub.add_parser("exec", help='run one terminal line (e.g. "kubectl get pods")')
        run.add_argument("name")
        run.add_argument("line")
        run.add_argument("--lang", default="en", choices=["en", "ko"])
        adv = sub.add_parser("advance", help="run the control plane for a simulated duration (e.g. 30s, 5m)")
        adv.add_argument("name")
        adv.add_argument("duration")
        step = sub.add_parser("step", help="run exactly one control-loop action")
        step.add_argument("name")
        clock = sub.add_parser("clock", help="pause, play or change the speed of the simulated clock")
        clock.add_argument("name")
        clock.add_argument("--speed", type=float)
        group = clock.add_mutually_exclusive_group()
        group.add_argument("--pause", action="store_true")
        group.add_argument("--play", action="store_true")
        sub.add_parser("list", help="list command-line sandboxes")
        kubeconfig = sub.add_parser("kubeconfig", help="print a kubeconfig for the real kubectl (server + token)")
        kubeconfig.add_argument("name")
        kubeconfig.add_argument("--server", default="http://127.0.0.1:8000", help="the site's URL")
        kubeconfig.add_argument(
            "--regenerate-token", action="store_true", help="replace the token (old kubeconfigs stop working)"
        )
        delete = sub.add_parser("delete", help="delete a sandbox")
        delete.add_argument("name")

    def handle(self, *args: Any, **opts: Any) -> None:
        getattr(self, f"do_{opts['action']}")(opts)

    def do_create(self, opts: dict[str, Any]) -> None:
        name = opts["name"]
        if Sandbox.objects.filter(owner__isnull=True, session_key=CLI_SESSION, name=name).exists():
            raise CommandError(f'sandbox "{name}" already exists')
        sb = services.sandbox_create(
            name=name, session_key=CLI_SESSION, nodes=opts["nodes"], seed=opts["seed"], paused=opts["paused"]
        )
        from cluster.course_files import course_files

        SandboxFile.objects.bulk_create(
            SandboxFile(sandbox=sb, path=path, content=content, updated_at=timezone.now())
            for path, content in course_files().items()
        )
        self.stdout.write(f"sandbox/{sb.name} created (id {sb.pk}, seed {sb.seed}, {opts['nodes']} workers)")

    def do_exec(self, opts: dict[str, Any]) -> None:
        sb = _find(opts["name"])
        files = dict(SandboxFile.objects.filter(sandbox=sb).values_list("path", "content"))
        line = opts["line"]
        self._load_local_files(line, files)
        output = services.sandbox_exec(sb.pk, line, files=files, lang=opts["lang"])
        changed: set[str] = getattr(output, "files_changed", set())
        for path in sorted(changed):
            SandboxFile.objects.update_or_create(
                sandbox=sb, path=path, defaults={"content": output.files[path], "updated_at": timezone.now()}
            )
        if output.stdout:
            self.stdout.write("\n".join(output.stdout))
        if output.stderr:
            self.stderr.write("\n".join(output.stderr))
        for hint in output.hints:
            self.stderr.write(hint)
        if output.exit_code:
            sys.exit(output.exit_code)

    @staticmethod
    def _load_local_files(line: str, files: dict[str, str]) -> None:
        """``-f path`` naming a local file: make it a sandbox file first (as uploading it in the editor would)."""
        import shlex

        try:
            tokens = shlex.split(line)
        except ValueError:
            return
        for i, tok in enumerate(tokens):
            path = ""
            if tok in ("-f", "--filename") and i + 1 < len(tokens):
                path = tokens[i + 1]
            elif tok.startswith("--filename=") or tok.startswith("-f="):
                path = tok.split("=", 1)[1]
            if path and path != "-" and os.path.isfile(path):
                key = path
                while key.startswith("./"):
                    key = key[2:]
                with open(path, encoding="utf-8", errors="replace") as handle:
                    # Keyed as the terminal resolves a path: relative to the sandbox's home, so "/tmp/x.yaml"
                    # is found as "tmp/x.yaml" (the file exists only for this command).
                    files[key.lstrip("/")] = handle.read(256 * 1024 + 1)

    def do_advance(self, opts: dict[str, Any]) -> None:
        sb = _find(opts["name"])
        try:
            ms = parse_duration_ms(opts["duration"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        cluster = services.sandbox_advance(sb.pk, ms)
        pods = cluster.list("Pod")
        running = sum(1 for p in pods if (p.get("status") or {}).get("phase") == "Running")
        self.stdout.write(f"advanced {opts['duration']}: {len(pods)} pods ({running} Running)")

    def do_step(self, opts: dict[str, Any]) -> None:
        sb = _find(opts["name"])
        acted = services.sandbox_step(sb.pk)
        self.stdout.write("one action ran" if acted else "nothing to do: the cluster is settled")

    def do_clock(self, opts: dict[str, Any]) -> None:
        sb = _find(opts["name"])
        paused = True if opts["pause"] else False if opts["play"] else None
        try:
            clock = services.sandbox_set_clock(sb.pk, speed=opts["speed"], paused=paused)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        state = "paused" if clock.paused else f"playing at {clock.speed:g}x"
        self.stdout.write(f"clock {state}")

    def do_list(self, opts: dict[str, Any]) -> None:
        for sb in Sandbox.objects.filter(owner__isnull=True, session_key=CLI_SESSION).order_by("name"):
            self.stdout.write(f"{sb.name}\t(id {sb.pk}, rv {sb.resource_version})")

    def do_kubeconfig(self, opts: dict[str, Any]) -> None:
        from sandbox.k8sapi.auth import sandbox_api_token
        from sandbox.k8sapi.kubeconfig import kubeconfig_for

        sb = _find(opts["name"])
        if opts["regenerate_token"]:
            sandbox_api_token(sb, regenerate=True)
        self.stdout.write(kubeconfig_for(sb, opts["server"]), ending="")

    def do_delete(self, opts: dict[str, Any]) -> None:
        sb = _find(opts["name"])
        services.sandbox_delete(sb)
        self.stdout.write(f'sandbox "{opts["name"]}" deleted')
