"""The built-in image registry and image-reference parsing."""

from __future__ import annotations

import pytest

from cluster.kubelet import images
from cluster.kubelet.images import ImageInfo, lookup, normalize, pull_error, startup_logs
from cluster.kubelet.reference import InvalidReference, invalid_image_message

START_MS = 1_764_044_333_000  # 2025-11-25T04:18:53Z


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("nginx", ("docker.io/library/nginx", "latest", "")),
        ("nginx:1.25", ("docker.io/library/nginx", "1.25", "")),
        ("library/nginx:1.25", ("docker.io/library/nginx", "1.25", "")),
        ("docker.io/library/nginx:1.25", ("docker.io/library/nginx", "1.25", "")),
        ("index.docker.io/library/nginx", ("docker.io/library/nginx", "latest", "")),
        ("kubesandbox/hostname", ("docker.io/kubesandbox/hostname", "latest", "")),
        ("registry.k8s.io/hpa-example", ("registry.k8s.io/hpa-example", "latest", "")),
        ("localhost/app:v1", ("localhost/app", "v1", "")),
        ("myregistry.local:5000/team/app:2", ("myregistry.local:5000/team/app", "2", "")),
        ("nginx@sha256:" + "a" * 64, ("docker.io/library/nginx", "", "sha256:" + "a" * 64)),
    ],
)
def test_normalize_follows_distribution_reference(image: str, expected: tuple[str, str, str]) -> None:
    assert normalize(image) == expected


@pytest.mark.parametrize(
    ("image", "error"),
    [
        ("NGINX", "invalid reference format: repository name (library/NGINX) must be lowercase"),
        ("Nginx:1.25", "invalid reference format: repository name (library/Nginx) must be lowercase"),
        ("nginx:", "invalid reference format"),
        ("ngi nx", "invalid reference format"),
        ("nginx:bad tag", "invalid reference format"),
        ("a" * 64, f"invalid repository name ({'a' * 64}), cannot specify 64-byte hexadecimal strings"),
    ],
)
def test_invalid_references_give_the_parser_error(image: str, error: str) -> None:
    with pytest.raises(InvalidReference) as exc:
        normalize(image)
    assert str(exc.value) == error


def test_invalid_image_message_is_the_kubelets_text() -> None:
    assert invalid_image_message("NGINX") == (
        'Failed to apply default image tag "NGINX": couldn\'t parse image name "NGINX": '
        "invalid reference format: repository name (library/NGINX) must be lowercase"
    )
    assert invalid_image_message("nginx:1.25") is None


@pytest.mark.parametrize(
    "image",
    [
        "nginx",
        "nginx:1.14.2",
        "nginx:1.16.0",
        "nginx:1.16.1",
        "nginx:1.17.0",
        "nginx:1.19",
        "nginx:1.21",
        "nginx:1.23",
        "nginx:1.25",
        "nginx:1.27",
        "nginx:latest",
        "nginx:alpine",
        "httpd:2.4",
        "httpd",
        "busybox:1.36",
        "busybox",
        "redis:7",
        "redis",
        "kubesandbox/hostname:1.0",
        "kubesandbox/hostname",
        "kubesandbox/echo",
        "registry.k8s.io/hpa-example",
        "kubesandbox/crasher",
    ],
)
def test_every_course_image_resolves(image: str) -> None:
    info = lookup(image)
    assert info is not None
    assert info.size_bytes > 1_000_000
    assert 1000 <= info.pull_ms <= 3000
    assert info.digest.startswith("sha256:") and len(info.digest) == 7 + 64


@pytest.mark.parametrize("image", ["nginx:9.9", "nginx:1.25.99", "alice/hostname", "no-such-image", "quay.io/x/y"])
def test_unknown_images_do_not_resolve(image: str) -> None:
    assert lookup(image) is None


def test_nginx_entries_carry_app_port_and_server_header() -> None:
    info = lookup("nginx:1.16.0")
    assert info is not None
    assert (info.app, info.ports, info.server_header) == ("nginx", (80,), "nginx/1.16.0")
    assert 56_000_000 <= info.size_bytes <= 72_500_000
    assert info.stop_ms is not None and info.stop_ms < 1000


def test_latest_is_an_alias_sharing_the_digest() -> None:
    latest, pinned = lookup("nginx"), lookup("nginx:1.27")
    assert latest is not None and pinned is not None
    assert latest.digest == pinned.digest
    assert latest.ref == "docker.io/library/nginx:latest"
    assert latest.names == [
        f"docker.io/library/nginx@{pinned.digest}",
        "docker.io/library/nginx:1.27",
        "docker.io/library/nginx:latest",
    ]
    other = lookup("nginx:1.25")
    assert other is not None and other.digest != pinned.digest


def test_digests_are_stable_and_resolvable() -> None:
    info = lookup("redis:7")
    assert info is not None
    by_digest = lookup(f"redis@{info.digest}")
    assert by_digest is not None and by_digest.digest == info.digest
    assert by_digest.ref == f"docker.io/library/redis@{info.digest}"
    assert lookup("redis@sha256:" + "0" * 64) is None


@pytest.mark.parametrize(
    ("image", "exit_after", "exit_code", "ignores_sigterm"),
    [
        ("busybox", 0, 0, True),
        ("kubesandbox/crasher", 2000, 1, False),
        ("kubesandbox/hostname", None, 0, True),
        ("nginx:1.25", None, 0, False),
    ],
)
def test_process_behaviour_of_images(image: str, exit_after: int | None, exit_code: int, ignores_sigterm: bool) -> None:
    info = lookup(image)
    assert info is not None
    assert (info.exit_after_ms, info.exit_code, info.stop_ms is None) == (exit_after, exit_code, ignores_sigterm)


def test_pushed_images_resolve_only_when_pushed() -> None:
    pushed = {"alice/hostname:latest": {"app": "hostname", "size": 61_234_567}}
    assert lookup("alice/hostname") is None
    info = lookup("alice/hostname", pushed)
    assert isinstance(info, ImageInfo)
    assert (info.repository, info.tag, info.app, info.size_bytes) == (
        "docker.io/alice/hostname",
        "latest",
        "hostname",
        61_234_567,
    )
    assert info.stop_ms is None  # behaves like the app it was built from
    assert lookup("alice/hostname:2.0", pushed) is None


def test_pull_error_for_a_missing_tag_is_not_found() -> None:
    assert pull_error("nginx:9.9") == (
        'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:9.9": '
        'failed to resolve reference "docker.io/library/nginx:9.9": docker.io/library/nginx:9.9: not found'
    )


def test_pull_error_for_a_missing_repository_is_access_denied() -> None:
    assert pull_error("alice/app") == (
        'rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/alice/app:latest": '
        'failed to resolve reference "docker.io/alice/app:latest": pull access denied, repository does not exist '
        "or may require authorization: server message: insufficient_scope: authorization failed"
    )
    # Once pushed, the repository exists: another tag of it is merely not found.
    assert "code = NotFound" in pull_error("alice/app:v2", {"alice/app:v1": {"app": "echo"}})


def test_pull_error_for_an_unknown_registry_is_a_dns_failure() -> None:
    assert pull_error("myregistry.local/app:1") == (
        'rpc error: code = Unknown desc = failed to pull and unpack image "myregistry.local/app:1": '
        'failed to resolve reference "myregistry.local/app:1": failed to do request: '
        'Head "https://myregistry.local/v2/app/manifests/1": dial tcp: lookup myregistry.local: no such host'
    )


def test_nginx_startup_logs_are_the_entrypoint_lines_with_times() -> None:
    info = lookup("nginx:1.25")
    assert info is not None
    lines = startup_logs(info, START_MS, "10.244.1.2")
    assert (
        lines[0] == "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"
    )
    assert "/docker-entrypoint.sh: Configuration complete; ready for start up" in lines
    assert "2025/11/25 04:18:53 [notice] 1#1: nginx/1.25.5" in lines
    old = lookup("nginx:1.14.2")
    assert old is not None and startup_logs(old, START_MS) == []


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("kubesandbox/hostname", " * Running on http://10.244.1.7:5000"),
        (
            "httpd",
            "[Tue Nov 25 04:18:53.000000 2025] [core:notice] [pid 1:tid 1] AH00094: "
            "Command line: 'httpd -D FOREGROUND'",
        ),
        ("redis", "1:M 25 Nov 2025 04:18:53.000 * Ready to accept connections tcp"),
    ],
)
def test_startup_logs_fill_in_pod_ip_and_timestamps(image: str, expected: str) -> None:
    info = lookup(image)
    assert info is not None
    assert expected in startup_logs(info, START_MS, "10.244.1.7")


def test_registry_table_has_no_duplicate_digests_across_repositories() -> None:
    owners: dict[str, str] = {}
    for info in images.REGISTRY.values():
        assert owners.setdefault(info.digest, info.repository) == info.repository
