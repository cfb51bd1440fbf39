"""``load``: start, stop and watch a steady stream of requests (the sandbox's load generator).

``load start http://localhost:30000 --rps 20 --duration 60s`` hands a run to
the load-generator reconciler, which sends the requests as simulated time
passes; ``load status`` shows how they were answered and by which pods.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from cluster.core.objects import Obj
from cluster.kubectl.base import Output
from cluster.networking.loadgen import COMPONENT, LOAD_KEY, Run, active, runs_of
from cluster.networking.terminal.context import Terminal
from cluster.networking.urls import UrlError, parse_url

MAX_RPS = 2000.0
MAX_DURATION_MS = 3_600_000
DEFAULT_RPS = 10.0
DEFAULT_DURATION_MS = 60_000
_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$")

HELP = """Send a steady stream of HTTP requests into the cluster (the sandbox's load generator).

Usage:
  load start TARGET [--rps N] [--duration D] [--name NAME] [-H 'Header: value'] [--from POD [-n NAMESPACE]]
  load stop [NAME | --all]
  load status [NAME]

TARGET is a URL as curl takes it: localhost:30000, http://192.168.49.3:30000/, a LoadBalancer IP,
an Ingress host (http://hello.local/), or - with --from POD - a Service name as seen from that pod.

A pod whose command loops over wget or curl (the HPA walkthrough's
  kubectl run load-generator --image=busybox -- /bin/sh -c "while sleep 0.01; do wget -q -O- http://php-apache; done")
shows up here as a run named pod/NAME for as long as its container runs.

Options:
  --rps N          requests per second (default 10, at most 2000)
  --duration D     how long to run: 30s, 5m, 1h (default 60s; 0 = until 'load stop')
  --name NAME      name of the run (default load-1, load-2, ...)
  -H, --header     extra request header, e.g. -H 'Host: hello.local'
  --from POD       send from inside this pod (cluster DNS and ClusterIPs work from there)
  -n, --namespace  namespace of --from POD (default: the current namespace)

Requests travel exactly like curl's: kube-proxy picks a pod for each new connection, the pods'
request counters feed 'kubectl top' and the HorizontalPodAutoscaler, and a deleted pod stops
getting requests as soon as it leaves the Service's endpoints."""


class LoadError(ValueError):
    pass


def _print(write: Callable[[str], None], lines: Iterable[str]) -> None:
    """Write lines one by one, so a terminal interleaves stdout and stderr in the order they were printed."""
    for line in lines:
        write(line)


def parse_duration(text: str) -> int:
    """``60s``, ``5m``, ``1h30m``, ``90`` (seconds) or ``0`` → milliseconds."""
    text = text.strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return int(float(text) * 1000)
    match = _DURATION.match(text)
    if not text or match is None or not any(match.groups()):
        raise LoadError(f'load: invalid duration "{text}": use a duration such as 30s, 5m or 1h')
    hours, minutes, seconds = match.groups()
    return int(((int(hours or 0) * 60 + int(minutes or 0)) * 60 + float(seconds or 0)) * 1000)


def _options(args: list[str]) -> tuple[list[str], dict[str, Any]]:
    positional: list[str] = []
    opts: dict[str, Any] = {"headers": []}
    names = {"--rps": "rps", "--duration": "duration", "--name": "name", "--from": "from", "-n": "namespace",
             "--namespace": "namespace", "-H": "header", "--header": "header"}  # fmt: skip
    i = 0
    while i < len(args):
        arg = args[i]
        flag, eq, inline = arg.partition("=")
        if flag in names:
            if not eq:
                if i + 1 >= len(args):
                    raise LoadError(f"load: flag needs an argument: {flag}")
                inline, i = args[i + 1], i + 1
            key = names[flag]
            if key == "header":
                opts["headers"].append(inline)
            else:
                opts[key] = inline
        elif arg in ("--all",):
            opts["all"] = True
        elif arg.startswith("-") and arg != "-":
            raise LoadError(f"load: unknown flag: {arg}\nSee 'load --help' for usage.")
        else:
            positional.append(arg)
        i += 1
    return positional, opts


def _client(term: Terminal, opts: dict[str, Any], namespace: str) -> dict[str, str]:
    source = opts.get("from")
    if not source:
        return {"ip": "192.168.49.1"}
    ns = str(opts.get("namespace") or namespace)
    pod: Obj | None = term.view.get("Pod", ns, str(source))
    if pod is None:
        raise LoadError(f'Error from server (NotFound): pods "{source}" not found')
    ip = (pod.get("status") or {}).get("podIP")
    if not ip:
        raise LoadError(f'load: pod "{source}" has no IP yet (is it running?)')
    node = str((pod.get("spec") or {}).get("nodeName") or "")
    return {"ip": str(ip), "namespace": ns, "pod": str(source), "node": node}


def _new_run(term: Terminal, target: str, opts: dict[str, Any], runs: dict[str, Run], namespace: str) -> Run:
    try:
        url = parse_url(target)
    except UrlError as exc:
        raise LoadError(f"load: invalid target {target!r}: {exc}") from None
    try:
        rps = float(opts.get("rps", DEFAULT_RPS))
    except ValueError:
        raise LoadError(f'load: invalid --rps "{opts.get("rps")}": must be a number') from None
    if not 0 < rps <= MAX_RPS:
        raise LoadError(f"load: --rps must be more than 0 and at most {int(MAX_RPS)}")
    duration = parse_duration(str(opts["duration"])) if "duration" in opts else DEFAULT_DURATION_MS
    if duration > MAX_DURATION_MS:
        raise LoadError("load: --duration may be at most 1h")
    name = str(opts.get("name") or _next_name(runs))
    if name in runs and active(runs[name]):
        raise LoadError(f'load: a load run named "{name}" is already running (stop it with: load stop {name})')
    headers = [[h.partition(":")[0].strip(), h.partition(":")[2].strip()] for h in opts["headers"] if ":" in h]
    now = term.now_ms
    return {
        "name": name, "target": str(url), "scheme": url.scheme, "host": url.host.strip("[]"), "port": url.port,
        "path": url.path, "method": "GET", "headers": headers, "rps": rps, "startedAtMs": now,
        "untilMs": now + duration if duration else None, "sentUntilMs": now, "sent": 0, "ok": 0, "failed": 0,
        "byPod": {}, "byStatus": {}, "latencyMsSum": 0, "inflight": [], "doneMs": None,
        "client": _client(term, opts, namespace),
    }  # fmt: skip


def _next_name(runs: dict[str, Run]) -> str:
    n = 1
    while f"load-{n}" in runs:
        n += 1
    return f"load-{n}"


def _rate(rps: float) -> str:
    return f"{int(rps)}" if rps == int(rps) else f"{rps:g}"


def _seconds(ms: int) -> str:
    total = ms // 1000
    if total < 60:
        return f"{total}s"
    minutes, seconds = divmod(total, 60)
    return f"{minutes}m{seconds}s" if seconds else f"{minutes}m"


def _save(term: Terminal, private: dict[str, Any], runs: dict[str, Run]) -> None:
    term.apply([(LOAD_KEY, {**private, "runs": runs})])


def start(term: Terminal, args: list[str], namespace: str) -> Output:
    out = Output()
    positional, opts = _options(args)
    if len(positional) != 1:
        raise LoadError("load: start needs exactly one TARGET, e.g. load start localhost:30000 --rps 20")
    private = term.view.private(LOAD_KEY) or {}
    runs = runs_of(private)
    run = _new_run(term, positional[0], opts, runs, namespace)
    runs[run["name"]] = run
    _save(term, private, runs)
    if term.wake is not None:
        term.wake(COMPONENT, LOAD_KEY)
    until = f"for {_seconds(run['untilMs'] - run['startedAtMs'])}" if run["untilMs"] else "until 'load stop'"
    source = f" from pod {run['client']['pod']}" if run["client"].get("pod") else ""
    out.out(f"{run['name']}: sending {_rate(run['rps'])} requests/s to {run['target']}{source} {until}")
    out.out(f"(see how it is answered: load status {run['name']})")
    return out


def stop(term: Terminal, args: list[str]) -> Output:
    out = Output()
    positional, opts = _options(args)
    private = term.view.private(LOAD_KEY) or {}
    runs = runs_of(private)
    running = [name for name, run in sorted(runs.items()) if active(run)]
    chosen = running if opts.get("all") or not positional else positional
    if not positional and not opts.get("all") and len(running) > 1:
        raise LoadError(f"load: {len(running)} runs are active ({', '.join(running)}): name one, or use --all")
    if not chosen:
        raise LoadError("load: no load is running")
    for name in chosen:
        run = runs.get(name)
        if run is None or not active(run):
            raise LoadError(f'load: no running load named "{name}"')
        # Requests already sent still get their answers: they count as OK (nothing new is sent).
        by_status = dict(run.get("byStatus") or {})
        for entry in run.get("inflight") or []:
            by_status[str(entry[-1])] = int(by_status.get(str(entry[-1]), 0)) + 1
        settled = len(run.get("inflight") or [])
        run = {**run, "doneMs": term.now_ms, "stopped": True, "inflight": [], "byStatus": by_status,
               "ok": int(run.get("ok", 0)) + settled}  # fmt: skip
        runs[name] = run
        out.out(
            f"{name} stopped: {run.get('sent', 0)} requests sent ({run.get('ok', 0)} OK, {run.get('failed', 0)} failed)"
        )
    _save(term, private, runs)
    return out


def _row(run: Run, now_ms: int) -> list[str]:
    end = int(run["doneMs"]) if run.get("doneMs") is not None else now_ms
    elapsed = _seconds(end - int(run["startedAtMs"]))
    if run.get("untilMs"):
        elapsed += "/" + _seconds(int(run["untilMs"]) - int(run["startedAtMs"]))
    sent = int(run.get("sent", 0))
    latency = f"{int(run.get('latencyMsSum', 0)) // sent}ms" if sent else "-"
    state = "Running" if active(run) else ("Stopped" if run.get("stopped") else "Completed")
    rate = f"loop (sleep {run.get('sleepMs', 0)}ms)" if run.get("mode") == "loop" else f"{_rate(run['rps'])}/s"
    return [run["name"], run["target"], rate, elapsed, str(sent), str(run.get("ok", 0)),
            str(run.get("failed", 0)), latency, state]  # fmt: skip


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["   ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def _detail(run: Run, now_ms: int) -> list[str]:
    row = _row(run, now_ms)
    lines = [f"Name:         {run['name']}", f"Target:       {run['target']}", f"Rate:         {row[2]}",
             f"Elapsed:      {row[3]}", f"Status:       {row[8]}",
             f"Sent:         {row[4]} ({row[5]} OK, {row[6]} failed)", f"Avg latency:  {row[7]}"]  # fmt: skip
    by_status = run.get("byStatus") or {}
    if by_status:
        lines.append("Responses:    " + ", ".join(f"{k}: {v}" for k, v in sorted(by_status.items())))
    by_pod = run.get("byPod") or {}
    if by_pod:
        total = sum(by_pod.values()) or 1
        lines.append("Answered by:")
        width = max(len(p) for p in by_pod)
        lines += [f"  {p.ljust(width)}   {n:>6}   {n * 100 // total:>3}%" for p, n in sorted(by_pod.items())]
    return lines


def status(term: Terminal, args: list[str]) -> Output:
    out = Output()
    positional, _ = _options(args)
    runs = runs_of(term.view.private(LOAD_KEY))
    if positional:
        run = runs.get(positional[0])
        if run is None:
            raise LoadError(f'load: no load run named "{positional[0]}"')
        _print(out.out, _detail(run, term.now_ms))
        return out
    if not runs:
        out.err("No load runs. Start one with: load start localhost:30000 --rps 20")
        return out
    ordered = sorted(runs.values(), key=lambda r: (not active(r), -int(r["startedAtMs"]), r["name"]))
    header = ["NAME", "TARGET", "RATE", "ELAPSED", "SENT", "OK", "FAILED", "AVG LATENCY", "STATUS"]
    _print(out.out, _table([header, *(_row(r, term.now_ms) for r in ordered)]))
    return out


def load(term: Terminal, args: list[str], namespace: str) -> Output:
    if not args or args[0] in ("-h", "--help", "help"):
        out = Output()
        _print(out.out, HELP.split("\n"))
        return out
    commands = {"start": lambda a: start(term, a, namespace), "stop": lambda a: stop(term, a),
                "status": lambda a: status(term, a)}  # fmt: skip
    handler = commands.get(args[0])
    try:
        if handler is None:
            raise LoadError(f"load: unknown command \"{args[0]}\"\nSee 'load --help' for usage.")
        return handler(args[1:])
    except LoadError as exc:
        out = Output(exit_code=1)
        _print(out.err, str(exc).split("\n"))
        return out
