"""``docker build``: Dockerfile parsing, BuildKit's progress, build errors and the build cache."""

from __future__ import annotations

import pytest

from cluster.docker.dockerfile import DockerfileError, copy_sources, exposed_ports, parse
from cluster.docker.names import ImageNameError, familiar
from tests.unit.test_networking_rig import Sandbox, sandbox

DOCKERFILE = """# the course's hostname app: nginx in front of Flask
FROM python:3.9-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt && \\
    apt-get update
COPY . .
EXPOSE 80
CMD ["./start.sh"]
"""
APP = {
    "Dockerfile": DOCKERFILE,
    "requirements.txt": "flask==3.0.3\n",
    "app.py": "from flask import Flask\napp = Flask(__name__)\n",
    "start.sh": "#!/bin/sh\nnginx && python app.py\n",
    "site.conf": "server { listen 80; location / { proxy_pass http://127.0.0.1:5000; } }\n",
}


def laptop(files: dict[str, str] | None = None) -> Sandbox:
    return sandbox(files=APP if files is None else files, settle=False)


def test_parse_joins_continuations_and_skips_comments() -> None:
    instructions = parse(DOCKERFILE)
    assert [(i.line, i.name) for i in instructions] == [
        (2, "FROM"), (3, "WORKDIR"), (4, "COPY"), (5, "RUN"), (7, "COPY"), (8, "EXPOSE"), (9, "CMD"),
    ]  # fmt: skip
    assert instructions[3].args == "pip install -r requirements.txt && apt-get update"
    assert exposed_ports(instructions) == [80]
    assert copy_sources('--chown=app ["a.txt", "b/", "/dst/"]') == ["a.txt", "b/"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("FROM alpine\nRUNN echo\n", "dockerfile parse error on line 2: unknown instruction: RUNN"),
        ("# nothing\n", "file with no instructions"),
        ("RUN echo hi\n", "no build stage in current context"),
    ],
)
def test_parse_errors(text: str, message: str) -> None:
    with pytest.raises(DockerfileError, match=message):
        parse(text)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("alice/hostname", ("alice/hostname", "latest")), ("docker.io/library/nginx:1.25", ("nginx", "1.25")),
     ("registry.example.com:5000/team/app:v2", ("registry.example.com:5000/team/app", "v2"))],
)  # fmt: skip
def test_familiar_names(name: str, expected: tuple[str, str]) -> None:
    assert familiar(name) == expected


def test_invalid_names() -> None:
    with pytest.raises(ImageNameError, match=r"repository name \(library/Hostname\) must be lowercase"):
        familiar("Hostname")
    assert familiar("Alice/hostname") == ("Alice/hostname", "latest")  # an upper-case first part is a registry host


def test_build_prints_buildkit_steps_and_names_the_image() -> None:
    box = laptop()
    out = box.ok("docker build -t alice/hostname:latest .")
    lines = out.stderr  # BuildKit's progress goes to stderr
    assert out.stdout == []
    assert (
        lines[0].startswith("[+] Building ") and "(10/10) FINISHED" in lines[0] and lines[0].endswith("docker:default")
    )
    steps = [
        line.split("=> ", 1)[1].rsplit(" ", 1)[0].strip()
        for line in lines[1:]
        if line.startswith(" => ") and not line.startswith(" => =>")
    ]
    assert steps[:3] == ["[internal] load build definition from Dockerfile",
                         "[internal] load metadata for docker.io/library/python:3.9-slim",
                         "[internal] load .dockerignore"]  # fmt: skip
    assert steps[3].startswith("[1/5] FROM docker.io/library/python:3.9-slim@sha256:")
    assert steps[4:] == ["[internal] load build context", "[2/5] WORKDIR /app", "[3/5] COPY requirements.txt .",
                         "[4/5] RUN pip install -r requirements.txt && apt-get update", "[5/5] COPY . .",
                         "exporting to image"]  # fmt: skip
    assert lines[-1].startswith(" => => naming to docker.io/alice/hostname:latest")
    assert all(len(line) <= 100 for line in lines)
    image = next(iter(box.private("DockerDaemon", "", "laptop")["images"].values()))
    assert (image["tags"], image["app"], image["ports"]) == (["alice/hostname:latest"], "hostname", [80])


def test_rebuilding_unchanged_steps_uses_the_cache() -> None:
    box = laptop()
    box.ok("docker build -t alice/hostname .")
    again = box.ok("docker build -t alice/hostname .").stderr
    assert sum(" => CACHED [" in line for line in again) == 4
    box.files["app.py"] += "# changed\n"
    changed = box.ok("docker build -t alice/hostname .").stderr
    assert [line.split("] ")[0].split("[")[1] for line in changed if " => CACHED [" in line] == ["2/5", "3/5", "4/5"]


@pytest.mark.parametrize(
    ("files", "line", "last"),
    [
        ({"app.py": ""}, "docker build -t alice/hostname:latest .",
         "ERROR: failed to solve: failed to read dockerfile: open Dockerfile: no such file or directory"),
        ({"Dockerfile": "FROM python:3.9\nCOPY requirements.txt .\n"}, "docker build .",
         'ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref'),
        ({"Dockerfile": "FROM pythn:3.9\n"}, "docker build .",
         "ERROR: failed to solve: pythn:3.9: failed to resolve source metadata for docker.io/library/pythn:3.9: pull "
         "access denied, repository does not exist or may require authorization: server message: insufficient_scope: "
         "authorization failed"),
        (APP, "docker build -t Hostname .",
         'ERROR: invalid tag "Hostname": invalid reference format: repository name (library/Hostname) must be '
         "lowercase"),
        (APP, "docker build -t x app/", 'ERROR: unable to prepare context: path "app/" not found'),
    ],
)  # fmt: skip
def test_build_errors(files: dict[str, str], line: str, last: str) -> None:
    out = laptop(files).sh(line)
    assert out.exit_code == 1 and out.stderr[-1].startswith(last)


def test_missing_dockerfile_shows_the_definition_step_first() -> None:
    out = laptop({"app.py": ""}).sh("docker build -t alice/hostname:latest .")
    assert out.stderr[1].startswith(" => [internal] load build definition from Dockerfile")
    assert out.stderr[2].startswith(" => => transferring dockerfile: 0B")


def test_build_needs_exactly_one_context() -> None:
    out = laptop().sh("docker build -t x")
    assert out.stderr[0] == 'ERROR: "docker buildx build" requires exactly 1 argument.'


def test_build_from_a_subdirectory_with_another_dockerfile() -> None:
    files = {"web/Dockerfile.prod": "FROM nginx:1.27-alpine\nCOPY index.html /usr/share/nginx/html/\n",
             "web/index.html": "<h1>hi</h1>\n"}  # fmt: skip
    box = laptop(files)
    out = box.ok("docker build -t bob/site:1 -f web/Dockerfile.prod web")
    assert "[internal] load build definition from Dockerfile.prod" in out.stderr[1]
    image = next(iter(box.private("DockerDaemon", "", "laptop")["images"].values()))
    assert (image["app"], image["ports"]) == ("nginx", [80])
