"""``docker``: the subcommands of the course's build-and-push flow, with Docker 27's messages.

``build`` (BuildKit), ``images``, ``tag``, ``rmi``, ``login``/``logout`` and
``push``; ``ps`` shows an empty list and ``run`` explains that containers run
in the cluster here. Errors follow the real CLI (``Error response from
daemon: No such image: hostname:lastest`` for the course's typo).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from cluster.docker import daemon as dmn
from cluster.docker.build import BuildError, build
from cluster.docker.hub import REGISTRY_KEY, push
from cluster.docker.names import ImageNameError, familiar
from cluster.kubectl.base import Output
from cluster.networking.terminal.context import Terminal

VERSION = "Docker version 27.3.1, build ce12230"
USERNAME = re.compile(r"^[a-z0-9]{4,30}$")
HELP = """Usage:  docker [OPTIONS] COMMAND

A self-sufficient runtime for containers (simulated in this sandbox)

Common Commands:
  build       Build an image from a Dockerfile
  images      List images
  login       Log in to a registry
  logout      Log out from a registry
  push        Upload an image to a registry
  rmi         Remove one or more images
  tag         Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE
  version     Show the Docker version information

Run 'docker COMMAND --help' for more information on a command."""
BUILD_USAGE = [
    'ERROR: "docker buildx build" requires exactly 1 argument.',
    "See 'docker buildx build --help'.",
    "",
    "Usage:  docker buildx build [OPTIONS] PATH | URL | -",
    "",
    "Start a build",
]


def _print(write: Callable[[str], None], lines: Iterable[str]) -> None:
    """Write lines one by one, so a terminal interleaves stdout and stderr in the order they were printed."""
    for line in lines:
        write(line)


def _state(term: Terminal) -> dict[str, Any]:
    return dict(term.view.private(dmn.DAEMON_KEY) or {})


def _save(term: Terminal, state: dict[str, Any]) -> None:
    term.apply([(dmn.DAEMON_KEY, state)])


def _fail(out: Output, *lines: str, code: int = 1) -> Output:
    _print(out.err, lines)
    out.exit_code = code
    return out


def _build_args(args: list[str]) -> tuple[list[str], list[str], str]:
    """``-t``/``--tag`` (repeatable), ``-f``/``--file`` and the context PATH; other flags are accepted and ignored."""
    tags: list[str] = []
    positional: list[str] = []
    file = ""
    i = 0
    while i < len(args):
        flag, eq, inline = args[i].partition("=")
        if flag in ("-t", "--tag", "-f", "--file"):
            value = inline if eq else (args[i + 1] if i + 1 < len(args) else "")
            i += 1 if eq else 2
            if flag in ("-t", "--tag"):
                tags.append(value)
            else:
                file = value
            continue
        if not args[i].startswith("-"):
            positional.append(args[i])
        i += 1
    return tags, positional, file


def docker_build(term: Terminal, args: list[str]) -> Output:
    out = Output()
    tags, positional, file = _build_args(args)
    if len(positional) != 1:
        return _fail(out, *BUILD_USAGE)
    names: list[str] = []
    for tag in tags:
        try:
            repo, version = familiar(tag)
        except ImageNameError as exc:
            return _fail(out, f'ERROR: invalid tag "{tag}": {exc}')
        names.append(f"{repo}:{version}")
    context = positional[0].removeprefix("./").rstrip("/") or "."
    prefix = "" if context == "." else context + "/"
    if prefix and not any(n.startswith(prefix) for n in term.files):
        return _fail(out, f'ERROR: unable to prepare context: path "{positional[0]}" not found')
    path = file.removeprefix("./") if file else f"{prefix}Dockerfile"
    registry = (term.view.private(REGISTRY_KEY) or {}).get("images")
    try:
        built = build(state=_state(term), files=term.files, context=context, dockerfile_path=path, tags=names,
                      pushed=registry if isinstance(registry, dict) else None, now_ms=term.now_ms)  # fmt: skip
    except BuildError as exc:
        return _fail(out, *exc.lines, f"ERROR: failed to solve: {exc}")
    _save(term, built.state)
    _print(out.err, built.lines)  # BuildKit writes its progress to stderr
    return out


def docker_images(term: Terminal, args: list[str]) -> Output:
    out = Output()
    header = ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]
    rows = dmn.image_rows(_state(term), term.now_ms)
    names = [a for a in args if not a.startswith("-")]
    if names:
        wanted = names[0].split(":")[0]
        rows = [r for r in rows if r[0] == wanted]
    if "-q" in args or "--quiet" in args:
        _print(out.out, dict.fromkeys(r[2] for r in rows))  # each image ID once, as docker prints them
        return out
    _print(out.out, dmn.table([header, *rows]))
    return out


def docker_tag(term: Terminal, args: list[str]) -> Output:
    out = Output()
    if len(args) != 2:
        return _fail(out, '"docker tag" requires exactly 2 arguments.', "See 'docker tag --help'.", "",
                     "Usage:  docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", "",
                     "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE")  # fmt: skip
    state = _state(term)
    source = dmn.find(state, args[0])
    if source is None:
        return _fail(out, f"Error response from daemon: No such image: {_display(args[0])}")
    try:
        repo, tag = familiar(args[1])
    except ImageNameError:
        return _fail(out, f'Error parsing reference: "{args[1]}" is not a valid repository/tag: invalid reference '
                          "format")  # fmt: skip
    _save(term, dmn.with_tag(state, source["id"], f"{repo}:{tag}"))
    return out


def _display(name: str) -> str:
    """How the daemon echoes a name it could not find: ``hostname:lastest``, ``hostname:latest``."""
    try:
        repo, tag = familiar(name)
    except ImageNameError:
        return name
    return f"{repo}:{tag}"


def docker_rmi(term: Terminal, args: list[str]) -> Output:
    out = Output()
    state = _state(term)
    for name in [a for a in args if not a.startswith("-")]:
        image = dmn.find(state, name)
        if image is None:
            _fail(out, f"Error response from daemon: No such image: {_display(name)}")
            continue
        images = dmn.images_of(state)
        tag = _display(name)
        remaining = [t for t in image["tags"] if t != tag]
        if tag in image["tags"]:
            out.out(f"Untagged: {tag}")
        if remaining and tag in image["tags"]:
            images[image["id"]] = {**image, "tags": remaining}
        else:
            del images[image["id"]]
            out.out(f"Deleted: {image['id']}")
        state = {**state, "images": images}
    _save(term, state)
    return out


def docker_login(term: Terminal, args: list[str]) -> Output:
    out = Output()
    user, password, stdin = "", "", False
    i = 0
    while i < len(args):
        if args[i] in ("-u", "--username", "-p", "--password") and i + 1 < len(args):
            user, password = (args[i + 1], password) if args[i] in ("-u", "--username") else (user, args[i + 1])
            i += 2
            continue
        stdin = stdin or args[i] == "--password-stdin"
        i += 1
    if not user:
        return _fail(out, "Error: Cannot perform an interactive login from a non TTY device")
    if not USERNAME.match(user):
        return _fail(out, "Error response from daemon: Get \"https://registry-1.docker.io/v2/\": unauthorized: "
                          "incorrect username or password")  # fmt: skip
    if password:
        out.err("WARNING! Using --password via the CLI is insecure. Use --password-stdin.")
    _save(term, {**_state(term), "login": {"username": user}})
    out.out("Login Succeeded")
    return out


def docker_logout(term: Terminal, args: list[str]) -> Output:
    out = Output()
    state = _state(term)
    if state.get("login"):
        _save(term, {**state, "login": None})
        out.out("Removing login credentials for https://index.docker.io/v1/")
    else:
        out.out("Not logged in to https://index.docker.io/v1/")
    return out


def docker_push(term: Terminal, args: list[str]) -> Output:
    out = Output()
    names = [a for a in args if not a.startswith("-")]
    if len(names) != 1:
        return _fail(out, '"docker push" requires exactly 1 argument.', "See 'docker push --help'.", "",
                     "Usage:  docker push [OPTIONS] NAME[:TAG]", "", "Upload an image to a registry")  # fmt: skip
    registry = term.view.private(REGISTRY_KEY)
    result = push(_state(term), registry, names[0], term.now_ms)
    if result.exit_code:
        _print(out.out, result.lines[:-1])
        return _fail(out, result.lines[-1], code=result.exit_code)
    _print(out.out, result.lines)
    if result.registry is not None:
        term.apply([(REGISTRY_KEY, result.registry)])
    return out


def docker_ps(term: Terminal, args: list[str]) -> Output:
    out = Output()
    out.out("CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES")
    return out


def docker_run(term: Terminal, args: list[str]) -> Output:
    out = Output(exit_code=125)
    out.err("docker: this sandbox's laptop only builds and pushes images; run them in the cluster, e.g.")
    out.err("  kubectl run web --image=IMAGE   or   kubectl create deployment web --image=IMAGE")
    return out


COMMANDS = {
    "build": docker_build, "images": docker_images, "tag": docker_tag, "rmi": docker_rmi, "login": docker_login,
    "logout": docker_logout, "push": docker_push, "ps": docker_ps, "run": docker_run,
}  # fmt: skip


# ``docker <command> --help``: the usage lines and the options the sandbox's docker understands.
SUBCOMMAND_HELP = {
    "build": """Usage:  docker buildx build [OPTIONS] PATH | URL | -

Start a build

Aliases:
  docker build, docker builder build, docker image build, docker buildx b

Options:
  -f, --file string         Name of the Dockerfile (default: "PATH/Dockerfile")
  -t, --tag stringArray     Name and optionally a tag (format: "name:tag")""",
    "images": """Usage:  docker images [OPTIONS] [REPOSITORY[:TAG]]

List images

Aliases:
  docker image ls, docker image list, docker images

Options:
  -q, --quiet           Only show image IDs""",
    "tag": """Usage:  docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]

Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE

Aliases:
  docker image tag, docker tag""",
    "rmi": """Usage:  docker rmi [OPTIONS] IMAGE [IMAGE...]

Remove one or more images

Aliases:
  docker image rm, docker image remove, docker rmi""",
    "login": """Usage:  docker login [OPTIONS] [SERVER]

Authenticate to a registry.
Defaults to Docker Hub if no server is specified.

Options:
  -p, --password string   Password or Personal Access Token (PAT)
  -u, --username string   Username""",
    "logout": """Usage:  docker logout [SERVER]

Log out from a registry.
If no server is specified, the default is defined by the daemon.""",
    "push": """Usage:  docker push [OPTIONS] NAME[:TAG]

Upload an image to a registry

Aliases:
  docker image push, docker push""",
    "ps": """Usage:  docker ps [OPTIONS]

List containers

Aliases:
  docker container ls, docker container list, docker container ps, docker ps""",
    "run": """Usage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]

Create and run a new container from an image

Aliases:
  docker container run, docker run""",
}


def docker(term: Terminal, args: list[str]) -> Output:
    out = Output()
    if not args or args[0] in ("--help", "-h", "help"):
        _print(out.out, HELP.split("\n"))
        return out
    if args[0] in ("--version", "-v", "version"):
        out.out(VERSION)
        return out
    name, rest = args[0], args[1:]
    if name == "image" and rest and rest[0] in ("ls", "list"):
        name, rest = "images", rest[1:]
    if name == "buildx" and rest and rest[0] == "build":
        name, rest = "build", rest[1:]
    handler = COMMANDS.get(name)
    if handler is None:
        return _fail(out, f"docker: '{name}' is not a docker command.", "See 'docker --help'")
    if "--help" in rest or "-h" in rest:
        _print(out.out, SUBCOMMAND_HELP[name].split("\n"))
        return out
    return handler(term, rest)
