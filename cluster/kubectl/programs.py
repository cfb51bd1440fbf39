"""The terminal's programs besides kubectl: file commands, help, history, echo, and curl's entry point."""

from __future__ import annotations

from cluster.kubectl.base import Env, Output
from cluster.kubectl.files import FileError, normalize_path
from cluster.kubectl.shell import PROGRAMS, program


def _kubectl_commands() -> None:
    from cluster.kubectl import commands  # noqa: F401  (registers every verb)


@program("kubectl", "k")
def kubectl(env: Env, args: list[str]) -> Output:
    from cluster.kubectl.main import run_kubectl

    _kubectl_commands()
    return run_kubectl(env, args)


HELP_EN = """KubeSandbox terminal — a simulated Kubernetes 1.32 cluster.

  kubectl ...        talk to your cluster (kubectl --help lists the commands)
  curl URL           send an HTTP request (e.g. curl localhost:30000)
  load start URL     a steady stream of requests (load --help; load status, load stop)
  kube-proxy         show or switch how Services spread connections (--proxy-mode=iptables|ipvs)
  docker ...         build, tag and push images to the simulated Docker Hub (docker --help)
  ls, cat FILE       list and show the sandbox's files
  edit FILE          open a file in the editor (also vi, nano)
  history, clear     command history, clear the screen (Ctrl-L)
  help               this text

Tab completes commands, resource types and names; ↑/↓ walk the history; Ctrl-C stops a watch."""

HELP_KO = """KubeSandbox 터미널 — 시뮬레이션된 쿠버네티스 1.32 클러스터입니다.

  kubectl ...        클러스터에 명령을 보냅니다 (kubectl --help 로 명령 목록 보기)
  curl URL           HTTP 요청을 보냅니다 (예: curl localhost:30000)
  load start URL     요청을 꾸준히 보냅니다 (load --help; load status, load stop)
  kube-proxy         서비스가 연결을 나누는 방식을 보거나 바꿉니다 (--proxy-mode=iptables|ipvs)
  docker ...         이미지를 빌드·태그하고 시뮬레이션된 Docker Hub 에 푸시합니다 (docker --help)
  ls, cat FILE       샌드박스의 파일 목록 보기, 파일 내용 보기
  edit FILE          파일을 편집기로 엽니다 (vi, nano 도 같음)
  history, clear     명령 기록 보기, 화면 지우기 (Ctrl-L)
  help               이 도움말

Tab 으로 명령·리소스 종류·이름을 자동 완성하고, ↑/↓ 로 기록을 오가며, Ctrl-C 로 watch 를 멈춥니다."""


@program("help")
def help_(env: Env, args: list[str]) -> Output:
    out = Output()
    out.out(HELP_KO if env.lang == "ko" else HELP_EN)
    return out


@program("clear")
def clear(env: Env, args: list[str]) -> Output:
    out = Output()
    out.effects.append({"type": "clear"})
    return out


@program("ls")
def ls(env: Env, args: list[str]) -> Output:
    out = Output()
    paths = [a for a in args if not a.startswith("-")]
    long = any(a.startswith("-") and "l" in a for a in args)
    names = sorted({n.split("/", 1)[0] for n in env.files})
    base = ""
    if paths and paths[0].rstrip("/") in (".", "~", "/home/learner", ""):
        paths = []
    if paths:
        try:
            folder = normalize_path(paths[0])
        except FileError as exc:
            out.err(f"ls: cannot access '{paths[0]}': {exc}")
            out.exit_code = 2
            return out
        if folder in env.files:
            names = [folder]
        else:
            base = folder + "/"
            names = sorted({n[len(folder) + 1 :].split("/", 1)[0] for n in env.files if n.startswith(folder + "/")})
            if not names:
                out.err(f"ls: cannot access '{paths[0]}': No such file or directory")
                out.exit_code = 2
                return out
    if long:
        for name in names:
            path = name if name in env.files else base + name
            if path in env.files:
                out.out(f"-rw-r--r-- 1 learner learner {len(env.files[path].encode()):>6} {name}")
            else:
                out.out(f"drwxr-xr-x 2 learner learner   4096 {name}")
    elif names:
        if env.tty:
            out.out("  ".join(names))
        else:
            out.out_lines(names)
    return out


@program("cat")
def cat(env: Env, args: list[str]) -> Output:
    out = Output()
    if not args:
        if env.stdin:
            out.out(env.stdin.rstrip("\n"))
        return out
    for arg in args:
        try:
            name = normalize_path(arg)
        except FileError as exc:
            out.err(f"cat: {exc}")
            out.exit_code = 1
            continue
        if name not in env.files:
            out.err(f"cat: {arg}: No such file or directory")
            out.exit_code = 1
            continue
        out.out(env.files[name].rstrip("\n"))
    return out


@program("edit", "vi", "vim", "nano")
def edit(env: Env, args: list[str]) -> Output:
    out = Output()
    if not args:
        out.err("usage: edit FILE")
        out.exit_code = 1
        return out
    try:
        name = normalize_path(args[0])
    except FileError as exc:
        out.err(str(exc))
        out.exit_code = 1
        return out
    out.effects.append({"type": "edit", "file": name, "exists": name in env.files})
    out.out(f"Opened {name} in the editor." if env.lang != "ko" else f"{name} 파일을 편집기에서 열었습니다.")
    return out


@program("history")
def history(env: Env, args: list[str]) -> Output:
    out = Output()
    for i, line in enumerate(env.history, start=1):
        out.out(f"{i:>5}  {line}")
    return out


@program("echo")
def echo(env: Env, args: list[str]) -> Output:
    out = Output()
    out.out(" ".join(a for a in args if a != "-n"))
    return out


@program("pwd")
def pwd(env: Env, args: list[str]) -> Output:
    out = Output()
    out.out("/home/learner")
    return out


@program("curl")
def curl(env: Env, args: list[str]) -> Output:
    handler = PROGRAMS.get("_curl")
    if handler is not None:
        return handler(env, args)
    out = Output(exit_code=7)
    out.err("curl: the traffic model is not available in this sandbox yet")
    return out


def _input_lines(env: Env, files: list[str], out: Output, program: str) -> list[str] | None:
    """Lines of the named sandbox files, or of stdin (the previous stage of a pipe)."""
    if not files:
        return (env.stdin or "").splitlines()
    lines: list[str] = []
    for arg in files:
        try:
            name = normalize_path(arg)
        except FileError:
            name = ""
        if name not in env.files:
            out.fail(f"{program}: {arg}: No such file or directory", 2 if program == "grep" else 1)
            return None
        lines += env.files[name].splitlines()
    return lines


@program("grep")
def grep(env: Env, args: list[str]) -> Output:
    """``grep [-i] [-v] [-c] [-w] PATTERN [FILE…]``: fixed-string matching, enough for ``kubectl get … | grep web``."""
    import re

    out = Output()
    options = {a for a in args if a.startswith("-") and len(a) > 1}
    words = [a for a in args if a not in options]
    if not words:
        out.fail("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.", 2)
        return out
    pattern, files = words[0], words[1:]
    flags = "".join(o[1:] for o in options if not o.startswith("--"))
    lines = _input_lines(env, files, out, "grep")
    if lines is None:
        return out
    regex = re.compile((r"\b" + re.escape(pattern) + r"\b") if "w" in flags else re.escape(pattern),
                       re.IGNORECASE if "i" in flags else 0)  # fmt: skip
    chosen = [line for line in lines if bool(regex.search(line)) != ("v" in flags)]
    if "c" in flags:
        out.out(str(len(chosen)))
    else:
        out.out_lines(chosen)
    out.exit_code = 0 if chosen else 1
    return out


def _count_option(args: list[str], default: int) -> tuple[int, list[str]]:
    count, rest, i = default, [], 0
    while i < len(args):
        arg = args[i]
        if arg == "-n" and i + 1 < len(args):
            count, i = int(args[i + 1]) if args[i + 1].lstrip("-").isdigit() else default, i + 2
            continue
        if arg.startswith("-n") and arg[2:].isdigit():
            count = int(arg[2:])
        elif arg.startswith("-") and arg[1:].isdigit():
            count = int(arg[1:])
        else:
            rest.append(arg)
        i += 1
    return abs(count), rest


@program("head")
def head(env: Env, args: list[str]) -> Output:
    out = Output()
    count, files = _count_option(args, 10)
    lines = _input_lines(env, files, out, "head")
    if lines is not None:
        out.out_lines(lines[:count])
    return out


@program("tail")
def tail(env: Env, args: list[str]) -> Output:
    out = Output()
    count, files = _count_option(args, 10)
    lines = _input_lines(env, files, out, "tail")
    if lines is not None:
        out.out_lines(lines[-count:] if count else [])
    return out


@program("wc")
def wc(env: Env, args: list[str]) -> Output:
    out = Output()
    files = [a for a in args if not a.startswith("-")]
    lines = _input_lines(env, files, out, "wc")
    if lines is None:
        return out
    if "-l" in args:
        out.out(str(len(lines)))
    else:
        text = "\n".join(lines)
        out.out(f"{len(lines):>7} {len(text.split()):>7} {len(text) + (1 if lines else 0):>7}")
    return out


def _register_traffic_programs() -> None:
    """curl, load, kube-proxy and docker live with the traffic model; importing them registers them."""
    from cluster.kubectl import traffic_programs  # noqa: F401


_register_traffic_programs()
