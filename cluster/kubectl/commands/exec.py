"""``kubectl exec POD -- COMMAND``: a handful of commands "inside" a running container.

Simplification: containers are not real, so only what a learner typically
runs to look around is answered — ``hostname``, ``cat /etc/hostname``,
``env``/``printenv``, ``cat /etc/resolv.conf``, ``echo``, ``ls``, and ``curl``
(handed to the terminal's traffic model with the pod as the client).
Interactive shells are explained rather than opened.
"""

from __future__ import annotations

from typing import Any

from cluster.kubectl.base import CommandError, Env, Output, command, namespace_of
from cluster.kubectl.commands.logs import choose_container, find_pod
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples

Obj = dict[str, Any]
LS_ROOT = (
    "bin   dev  etc   lib    media  opt   root  sbin  sys  usr\n"
    "boot  docker-entrypoint.d  home  lib64  mnt    proc  run   srv   tmp  var"
)
SHELLS = ("sh", "bash", "/bin/sh", "/bin/bash", "ash", "/bin/ash", "zsh")


def _service_env(env: Env, namespace: str) -> list[str]:
    """The ``<SVC>_SERVICE_HOST``/``_PORT`` variables the kubelet injects (enableServiceLinks)."""
    lines: list[str] = []
    items = sorted(env.api.store.list("Service", namespace), key=lambda s: s["metadata"]["name"])
    for svc in items:
        spec = svc.get("spec") or {}
        ip = spec.get("clusterIP")
        ports = spec.get("ports") or []
        if not ip or ip == "None" or not ports:
            continue
        prefix = svc["metadata"]["name"].upper().replace("-", "_")
        first = ports[0]
        proto = str(first.get("protocol") or "TCP")
        lines += [f"{prefix}_SERVICE_HOST={ip}", f"{prefix}_SERVICE_PORT={first.get('port')}",
                  f"{prefix}_PORT={proto.lower()}://{ip}:{first.get('port')}"]  # fmt: skip
        for port in ports:
            base = f"{prefix}_PORT_{port.get('port')}_{port.get('protocol') or 'TCP'!s}"
            lines += [f"{base}={str(port.get('protocol') or 'TCP').lower()}://{ip}:{port.get('port')}",
                      f"{base}_PROTO={str(port.get('protocol') or 'TCP').lower()}", f"{base}_PORT={port.get('port')}",
                      f"{base}_ADDR={ip}"]  # fmt: skip
    return lines


def environment(env: Env, pod: Obj, container: str) -> list[str]:
    spec = pod.get("spec") or {}
    declared: Obj = next((c for c in spec.get("containers") or [] if c.get("name") == container), {})
    lines = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", f"HOSTNAME={_hostname(pod)}"]
    lines += [f"{e.get('name')}={e.get('value', '')}" for e in declared.get("env") or [] if "name" in e]
    if spec.get("enableServiceLinks", True):
        lines += _service_env(env, pod["metadata"]["namespace"])
    return [*lines, "HOME=/root"]


def _hostname(pod: Obj) -> str:
    return str((pod.get("spec") or {}).get("hostname") or pod["metadata"]["name"])


def _resolv_conf(pod: Obj) -> list[str]:
    ns = pod["metadata"]["namespace"]
    return ["search " + f"{ns}.svc.cluster.local svc.cluster.local cluster.local", "nameserver 10.96.0.10",
            "options ndots:5"]  # fmt: skip


def _not_found(cmd: str) -> CommandError:
    return CommandError(
        "OCI runtime exec failed: exec failed: unable to start container process: exec: "
        f'"{cmd}": executable file not found in $PATH: unknown\ncommand terminated with exit code 126',
        raw=True,
        exit_code=126,
    )


def run_in_container(env: Env, pod: Obj, container: str, argv: list[str], out: Output) -> None:
    cmd, args = argv[0], argv[1:]
    if cmd in SHELLS and (not args or args[0] != "-c"):
        out.err("Interactive shells are not available in this sandbox; run one command at a time, e.g. "
                f"`kubectl exec {pod['metadata']['name']} -- hostname`.")  # fmt: skip
        out.exit_code = 1
        return
    if cmd in SHELLS:
        import shlex

        try:
            inner = shlex.split(" ".join(args[1:]))
        except ValueError:
            inner = []
        if inner:
            run_in_container(env, pod, container, inner, out)
        return
    if cmd in ("hostname", "/bin/hostname"):
        out.out(_hostname(pod))
    elif cmd in ("env", "printenv", "/usr/bin/env"):
        variables = environment(env, pod, container)
        if args and cmd == "printenv":
            out.out_lines(v.partition("=")[2] for v in variables if v.partition("=")[0] in args)
        else:
            out.out_lines(variables)
    elif cmd in ("cat", "/bin/cat"):
        _cat(pod, args, out)
    elif cmd == "echo":
        out.out(" ".join(args))
    elif cmd in ("ls", "/bin/ls"):
        _ls([a for a in args if not a.startswith("-")], out)
    elif cmd in ("curl", "/usr/bin/curl"):
        _curl(env, pod, args, out)
    elif cmd in ("wget", "/bin/wget", "/usr/bin/wget"):
        _wget(env, pod, args, out)
    elif cmd == "date":
        from datetime import UTC, datetime

        out.out(datetime.fromtimestamp(env.now_ms() / 1000, tz=UTC).strftime("%a %b %d %H:%M:%S UTC %Y"))
    elif cmd in ("whoami", "pwd", "uname"):
        out.out({"whoami": "root", "pwd": "/", "uname": "Linux"}[cmd])
    elif cmd == "true":
        return
    else:
        raise _not_found(cmd)


def _ls(paths: list[str], out: Output) -> None:
    for path in paths or ["/"]:
        if path.rstrip("/") not in ("", "."):
            out.err(f"ls: cannot access '{path}': No such file or directory")
            out.err("command terminated with exit code 2")
            out.exit_code = 2
            return
    out.out(LS_ROOT)


def _cat(pod: Obj, args: list[str], out: Output) -> None:
    files = {"/etc/hostname": [_hostname(pod)], "/etc/resolv.conf": _resolv_conf(pod)}
    for path in args:
        if path in files:
            out.out_lines(files[path])
        else:
            out.err(f"cat: {path}: No such file or directory")
            out.exit_code = 1
    if out.exit_code:
        out.err("command terminated with exit code 1")


def _curl(env: Env, pod: Obj, args: list[str], out: Output) -> None:
    from cluster.kubectl import programs  # noqa: F401  (registers the traffic model's curl)
    from cluster.kubectl.shell import PROGRAMS

    handler = PROGRAMS.get("_curl")
    if handler is None:
        out.err("curl: the traffic model is not available in this sandbox yet")
        out.err("command terminated with exit code 7")
        out.exit_code = 7
        return
    previous = env.client
    env.client = {"kind": "Pod", "namespace": pod["metadata"]["namespace"], "name": pod["metadata"]["name"]}
    try:
        result = handler(env, args)
    finally:
        env.client = previous
    for stream, text in result.lines or [("stdout", t) for t in result.stdout]:
        (out.out if stream == "stdout" else out.err)(text)
    if result.exit_code:
        out.err(f"command terminated with exit code {result.exit_code}")
        out.exit_code = result.exit_code


WGET_USAGE = (
    "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.",
    "",
    "Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]",
    "\t[--post-data STR | --post-file FILE] [-Y on/off]",
    "\t[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...",
    "",
    "Retrieve files via HTTP or FTP",
)


def _wget_args(args: list[str]) -> tuple[bool, str | None, str | None, list[str]] | str:
    """busybox getopt: ``-q``, ``-O FILE`` (``-O-`` is stdout), ``-T SEC``, combined as in ``-qO-``; or an error."""
    quiet, output, timeout, urls = False, None, None, []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("--quiet",):
            quiet = True
        elif arg.startswith("--output-document") or arg.startswith("--timeout"):
            name, eq, value = arg.partition("=")
            if not eq:
                i += 1
                value = args[i] if i < len(args) else ""
            output, timeout = (value, timeout) if name == "--output-document" else (output, value)
        elif arg in ("--spider", "--no-check-certificate"):
            pass
        elif arg.startswith("-") and arg != "-" and not arg.startswith("--"):
            j = 1
            while j < len(arg):
                flag = arg[j]
                if flag in "qcS":
                    quiet = quiet or flag == "q"
                elif flag in "OTPUYo":
                    value = arg[j + 1 :]
                    if not value:
                        i += 1
                        if i >= len(args):
                            return f"wget: option requires an argument -- '{flag}'"
                        value = args[i]
                    if flag == "O":
                        output = value
                    elif flag == "T":
                        timeout = value
                    break
                else:
                    return f"wget: invalid option -- '{flag}'"
                j += 1
        elif arg.startswith("--"):
            return f"wget: unrecognized option '{arg}'"
        else:
            urls.append(arg)
        i += 1
    return quiet, output, timeout, urls


def _wget(env: Env, pod: Obj, args: list[str], out: Output) -> None:
    """busybox ``wget``, answered by the same traffic model as ``curl`` (the HPA walkthrough's load loop is
    ``wget -q -O- http://php-apache``). Only the stdout/file distinction and busybox's messages differ."""
    from cluster.engine.storeview import StoreView
    from cluster.networking.dns import resolve
    from cluster.networking.urls import UrlError, parse_url

    parsed = _wget_args(args)
    if isinstance(parsed, str) or not parsed[3]:
        out.err_lines(([parsed] if isinstance(parsed, str) else []) + list(WGET_USAGE))
        _exit(out, 1)
        return
    quiet, output, timeout, urls = parsed
    for text in urls:
        try:
            url = parse_url(text)
        except UrlError:
            out.err(f"wget: bad address '{text}'")
            _exit(out, 1)
            return
        answer = resolve(StoreView(env.api.store, env.now_ms), url.host, pod["metadata"]["namespace"])
        if answer is None or not answer.ips:
            out.err(f"wget: bad address '{url.host}'")
            _exit(out, 1)
            return
        address = f"{answer.ips[0]}:{url.port}"
        if not quiet:
            out.err(f"Connecting to {url.host} ({address})")
        reply = Output()
        _curl(env, pod, ["-s", "-i", *(["-m", timeout] if timeout else []), str(url)], reply)
        if reply.exit_code:
            reason = {7: "Connection refused", 28: "Connection timed out"}.get(reply.exit_code, "Network error")
            out.err(f"wget: can't connect to remote host ({answer.ips[0]}): {reason}")
            _exit(out, 1)
            return
        status, body = _split_http(reply.stdout)
        code = int(status.split()[1]) if len(status.split()) > 1 and status.split()[1].isdigit() else 0
        if code >= 400 or not code:
            out.err(f"wget: server returned error: {status}")
            _exit(out, 1)
            return
        size = sum(len(line) + 1 for line in body) - (1 if body else 0)
        meter = f"{100:>3}% |{'*' * 32}| {size:>5}  0:00:00 ETA"
        if output == "-":
            if not quiet:
                out.err("writing to stdout")
            out.out_lines(body)
            if not quiet:
                out.err(f"{'-':<20} {meter}")
                out.err("written to stdout")
        else:
            name = output or (url.path.rstrip("/").rsplit("/", 1)[-1] or "index.html")
            if not quiet:
                out.err(f"saving to '{name}'")
                out.err(f"{name[:20]:<20} {meter}")
                out.err(f"'{name}' saved")


def _split_http(lines: list[str]) -> tuple[str, list[str]]:
    """``curl -i`` output → (status line, body lines)."""
    if not lines:
        return "", []
    try:
        blank = lines.index("")
    except ValueError:
        return lines[0], []
    return lines[0], lines[blank + 1 :]


def _exit(out: Output, code: int) -> None:
    out.err(f"command terminated with exit code {code}")
    out.exit_code = code


def check_running(pod: Obj, container: str) -> None:
    phase = (pod.get("status") or {}).get("phase")
    if phase in ("Succeeded", "Failed"):
        raise CommandError(f"cannot exec into a container in a completed pod; current phase is {phase}")
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    status: Obj = next((s for s in statuses if s.get("name") == container), {})
    if not (status.get("state") or {}).get("running"):
        raise CommandError(f'unable to upgrade connection: container not found ("{container}")')


@command(
    "exec",
    short="Execute a command in a container",
    long="Execute a command in a container.",
    usage="kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]",
    flags=(
        Flag(
            "container",
            short="c",
            help="Container name. If omitted, use the kubectl.kubernetes.io/default-container "
            "annotation for selecting the container to be attached or the first container in the pod will be "
            "chosen",
        ),
        Flag("stdin", kind="bool", short="i", help="Pass stdin to the container"),
        Flag("tty", kind="bool", short="t", help="Stdin is a TTY"),
        Flag("quiet", kind="bool", short="q", help="Only print output from the remote session"),
        Flag("filename", kind="stringSlice", short="f", help="to use to exec into the resource"),
    ),
    examples=examples(
        """
        # Get output from running the 'date' command from pod mypod, using the first container by default
        kubectl exec mypod -- date

        # Get output from running the 'date' command in ruby-container from pod mypod
        kubectl exec mypod -c ruby-container -- date

        # Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod
        # and sends stdout/stderr from 'bash' back to the client
        kubectl exec mypod -c ruby-container -i -t -- bash -il

        # Get output from running 'date' command from the first pod of the deployment mydeployment, using the \\
          first container by default
        kubectl exec deploy/mydeployment -- date
        """
    ),
)
def exec_(env: Env, parsed: Parsed, out: Output) -> None:
    if not parsed.args:
        raise CommandError("pod, type/name or --filename must be specified")
    if parsed.dash_index < 0:
        if len(parsed.args) > 1:
            raise CommandError("exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead",
                               usage_of="kubectl exec")  # fmt: skip
        raise CommandError("you must specify at least one command for the container")
    if not parsed.after_dash:
        raise CommandError("you must specify at least one command for the container")
    namespace_of(env, parsed)
    pod = find_pod(env, parsed, out, str(parsed.args[0]))
    container = choose_container(pod, str(parsed.get("container") or ""), out)
    check_running(pod, container)
    run_in_container(env, pod, container, list(parsed.after_dash), out)
