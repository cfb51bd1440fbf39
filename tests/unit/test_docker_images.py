"""``docker images``, ``tag``, ``rmi``, ``login`` and ``push`` to the sandbox's Docker Hub."""

from __future__ import annotations

import pytest

from cluster.docker.daemon import human_ago, human_size, table
from tests.unit.test_docker_build import APP
from tests.unit.test_networking_rig import Sandbox, sandbox


def built() -> Sandbox:
    box = sandbox(files=APP, settle=False)
    box.ok("docker build -t alice/hostname:latest .")
    return box


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0B"), (999, "999B"), (7_800_000, "7.8MB"), (131_000_222, "131MB"), (45_123_000, "45.1MB"),
     (1_020_000_000, "1.02GB")],
)  # fmt: skip
def test_sizes_like_go_units(size: int, text: str) -> None:
    assert human_size(size) == text


@pytest.mark.parametrize(
    ("ms", "text"),
    [(500, "Less than a second ago"), (1000, "1 second ago"), (45_000, "45 seconds ago"),
     (70_000, "About a minute ago"), (600_000, "10 minutes ago"), (3_700_000, "About an hour ago"),
     (7_200_000, "2 hours ago"),
     (3 * 86_400_000, "3 days ago"), (20 * 86_400_000, "2 weeks ago")],
)  # fmt: skip
def test_created_like_go_units(ms: int, text: str) -> None:
    assert human_ago(ms) == text


def test_images_table_uses_dockers_tabwriter() -> None:
    assert table([["REPOSITORY", "TAG", "SIZE"], ["alice/hostname", "latest", "149MB"]]) == [
        "REPOSITORY       TAG       SIZE",
        "alice/hostname   latest    149MB",
    ]


def test_docker_images_lists_built_and_tagged_images() -> None:
    box = built()
    box.cluster.advance(125_000)
    box.ok("docker tag alice/hostname:latest alice/hostname:v1")
    lines = box.ok("docker images").stdout
    assert lines[0].split() == ["REPOSITORY", "TAG", "IMAGE", "ID", "CREATED", "SIZE"]
    rows = [line.split() for line in lines[1:]]
    assert [r[:2] for r in rows] == [["alice/hostname", "latest"], ["alice/hostname", "v1"]]
    assert rows[0][2] == rows[1][2] and len(rows[0][2]) == 12
    assert " ".join(rows[0][3:6]) == "2 minutes ago"


def test_the_courses_tag_typo_is_an_error() -> None:
    box = built()
    out = box.sh("docker tag hostname:lastest alice/hostname:latest")
    assert (out.exit_code, out.stderr) == (1, ["Error response from daemon: No such image: hostname:lastest"])
    assert box.sh("docker tag alice/hostname BAD:Name").stderr[0].startswith('Error parsing reference: "BAD:Name"')


def test_rebuilding_under_the_same_name_leaves_a_dangling_image() -> None:
    box = built()
    box.files["app.py"] += "# v2\n"
    box.ok("docker build -t alice/hostname:latest .")
    rows = [line.split() for line in box.ok("docker images").stdout[1:]]
    assert sorted(r[0] for r in rows) == ["<none>", "alice/hostname"]


def test_rmi_untags_then_deletes() -> None:
    box = built()
    box.ok("docker tag alice/hostname alice/hostname:v1")
    assert box.ok("docker rmi alice/hostname:v1").stdout == ["Untagged: alice/hostname:v1"]
    out = box.ok("docker rmi alice/hostname")
    assert out.stdout[0] == "Untagged: alice/hostname:latest" and out.stdout[1].startswith("Deleted: sha256:")
    assert box.ok("docker images").stdout[1:] == []


def test_push_needs_a_login_as_the_repositorys_owner() -> None:
    box = built()
    out = box.sh("docker push alice/hostname:latest")
    assert out.stdout[0] == "The push refers to repository [docker.io/alice/hostname]"
    assert all(line.endswith(": Preparing") for line in out.stdout[1:])
    assert (out.exit_code, out.stderr) == (1, ["denied: requested access to the resource is denied"])
    box.ok("docker login -u bobby")
    assert box.sh("docker push alice/hostname:latest").exit_code == 1
    assert box.private("ImageRegistry", "", "docker.io") == {}


def test_push_uploads_layers_and_writes_the_registry_the_kubelet_reads() -> None:
    box = built()
    assert box.sh("docker login").stderr == ["Error: Cannot perform an interactive login from a non TTY device"]
    login = box.ok("docker login -u alice -p secret")
    assert (login.stdout, login.stderr) == (
        ["Login Succeeded"],
        ["WARNING! Using --password via the CLI is insecure. Use --password-stdin."],
    )
    out = box.ok("docker push alice/hostname:latest")
    assert out.stdout[0] == "The push refers to repository [docker.io/alice/hostname]"
    statuses = [line.split(": ", 1)[1] for line in out.stdout[1:-1]]
    assert statuses[:3] == ["Pushed"] * 3 and set(statuses[3:]) == {"Mounted from library/python"}
    assert out.stdout[-1].startswith("latest: digest: sha256:") and " size: " in out.stdout[-1]
    entry = box.private("ImageRegistry", "", "docker.io")["images"]["alice/hostname:latest"]
    assert entry["app"] == "hostname" and entry["digest"] == out.stdout[-1].split()[2]
    assert entry["size"] > 0 and entry["ports"] == [80]
    again = box.ok("docker push alice/hostname:latest").stdout
    assert all(line.endswith("Layer already exists") for line in again[1:-1])


def test_push_of_an_image_that_does_not_exist_locally() -> None:
    box = built()
    box.ok("docker login -u alice")
    out = box.sh("docker push alice/other")
    assert out.stderr == ["An image does not exist locally with the tag: alice/other"]


def test_logout_and_other_commands() -> None:
    box = built()
    box.ok("docker login -u alice")
    assert box.ok("docker logout").stdout == ["Removing login credentials for https://index.docker.io/v1/"]
    assert box.sh("docker frobnicate").stderr == [
        "docker: 'frobnicate' is not a docker command.",
        "See 'docker --help'",
    ]
    assert box.ok("docker ps").stdout[0].split()[:2] == ["CONTAINER", "ID"]
    assert box.sh("docker run nginx").exit_code == 125
    assert box.ok("docker --version").stdout == ["Docker version 27.3.1, build ce12230"]
    assert box.ok("docker image ls").stdout[0].startswith("REPOSITORY")


def test_images_quiet_prints_each_id_once() -> None:
    box = built()
    box.ok("docker tag alice/hostname:latest alice/hostname:v1")
    rows = [line.split() for line in box.ok("docker images").stdout[1:]]
    assert box.ok("docker images -q").stdout == [rows[0][2]]


@pytest.mark.parametrize("command", ["build", "images", "tag", "rmi", "login", "logout", "push", "ps", "run"])
def test_every_subcommand_has_help(command: str) -> None:
    out = sandbox(settle=False).ok(f"docker {command} --help")
    assert out.stdout[0].startswith("Usage:  docker ") and out.exit_code == 0
