"""The sandbox's built-in image registry: a tiny Docker Hub plus ``registry.k8s.io``.

The kubelet asks it what a real node would learn from a registry and from
the image itself: does the reference resolve, how big is it, how long does
the pull take, and how does the process behave once started (which port it
serves, whether it exits on its own, whether it shuts down on SIGTERM or,
running as PID 1 without a handler, has to be SIGKILLed after the grace
period). Later stages (traffic, ``kubectl logs``) read the same entries.

User images exist only once the ``docker push`` simulation has put them in
the sandbox's private registry (``pushed``); they behave like the built-in
app they were built from.

Simplifications: one platform (linux/amd64); digests are stable hashes of
the name, not the registry's real manifest digests; sizes are approximate.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from cluster.kubelet import applogs
from cluster.kubelet.reference import InvalidReference, Reference, normalize, parse

__all__ = ["ImageInfo", "lookup", "normalize", "pull_error", "startup_logs"]

KNOWN_REGISTRIES = ("docker.io", "registry.k8s.io")


@dataclass(frozen=True)
class ImageInfo:
    """One pullable image (a repository + tag) and the behaviour of its default process."""

    repository: str  # docker.io/library/nginx
    tag: str  # 1.25 ("" when only a digest was given)
    digest: str  # sha256:<64 hex>
    size_bytes: int
    pull_ms: int  # typical pull time on a node that does not have it yet
    app: str  # what answers requests: "nginx", "httpd", "hostname", "echo", "cpu-hog", "" for none
    version: str = ""
    ports: tuple[int, ...] = ()
    stop_ms: int | None = 200  # time to exit on SIGTERM; None = PID 1 ignores SIGTERM (SIGKILL after grace)
    exit_after_ms: int | None = None  # the default command exits on its own after this long; None = serves
    exit_code: int = 0
    server_header: str = ""
    startup_logs: tuple[str, ...] = ()
    exit_logs: tuple[str, ...] = ()
    tags: tuple[str, ...] = field(default=(), compare=False)  # every tag naming the same digest

    @property
    def ref(self) -> str:
        """``docker.io/library/nginx:1.25`` (the digest reference for a digest-only pull)."""
        return f"{self.repository}:{self.tag}" if self.tag else self.digest_ref

    @property
    def digest_ref(self) -> str:
        """The ``imageID`` of a container: ``docker.io/library/nginx@sha256:…``."""
        return f"{self.repository}@{self.digest}"

    @property
    def names(self) -> list[str]:
        """``status.images[].names`` on a node: the digest reference, then every tag reference."""
        return [self.digest_ref] + [f"{self.repository}:{t}" for t in self.tags or (self.tag,) if t]


def _digest(repository: str, tag: str) -> str:
    return "sha256:" + hashlib.sha256(f"{repository}:{tag}".encode()).hexdigest()


def _family(
    repository: str,
    versions: dict[str, tuple[str, int]],
    aliases: dict[str, str],
    **behaviour: Any,
) -> dict[tuple[str, str], ImageInfo]:
    """Entries for every tag of one repository; an alias (``latest``) shares its target's digest."""
    out: dict[tuple[str, str], ImageInfo] = {}
    for tag, (version, size) in versions.items():
        names = (tag, *sorted(a for a, target in aliases.items() if target == tag))
        base = ImageInfo(repository, tag, _digest(repository, tag), size, 0, "", version=version, tags=names)
        for name in names:
            out[(repository, name)] = replace(base, tag=name, **behaviour)
    return out


def _nginx(version: str) -> dict[str, Any]:
    return {"server_header": f"nginx/{version}", "startup_logs": applogs.nginx(version)}


def _build() -> dict[tuple[str, str], ImageInfo]:
    table: dict[tuple[str, str], ImageInfo] = {}
    nginx_tags = {
        "1.14.2": ("1.14.2", 56_102_874),
        "1.16.0": ("1.16.0", 56_805_236),
        "1.16.1": ("1.16.1", 56_894_120),
        "1.17.0": ("1.17.0", 57_401_388),
        "1.19": ("1.19.10", 59_250_918),
        "1.20": ("1.20.2", 53_674_862),
        "1.21": ("1.21.6", 62_788_003),
        "1.22": ("1.22.1", 56_754_862),
        "1.23": ("1.23.4", 66_413_962),
        "1.24": ("1.24.0", 56_724_902),
        "1.25": ("1.25.5", 70_544_014),
        "1.26": ("1.26.3", 70_990_000),
        "1.27": ("1.27.3", 72_099_501),
        "alpine": ("1.27.3", 20_459_123),
    }
    for tag, (version, size) in nginx_tags.items():
        aliases = {"latest": "1.27"} if tag == "1.27" else {}
        common = {"app": "nginx", "pull_ms": 2000 if tag != "alpine" else 1200, "ports": (80,), "stop_ms": 150}
        table.update(_family("docker.io/library/nginx", {tag: (version, size)}, aliases, **common, **_nginx(version)))
    table.update(
        _family(
            "docker.io/library/httpd",
            {"2.4": ("2.4.62", 58_044_821)},
            {"latest": "2.4"},
            app="httpd",
            pull_ms=2200,
            ports=(80,),
            stop_ms=300,
            server_header="Apache/2.4.62 (Unix)",
            startup_logs=applogs.httpd(),
        )
    )
    for repo, versions, alias, size in (
        ("docker.io/library/busybox", {"1.28": "1.28.4", "1.36": "1.36.1"}, "1.36", 2_155_493),
        ("docker.io/library/alpine", {"3.20": "3.20.3", "3.21": "3.21.0"}, "3.21", 3_643_181),
    ):
        table.update(
            _family(
                repo,
                {t: (v, size) for t, v in versions.items()},
                {"latest": alias},
                app="",
                pull_ms=1000,
                exit_after_ms=0,  # the default command is `sh`: without a terminal it exits at once
                stop_ms=None,
            )
        )
    table.update(
        _family(
            "docker.io/library/redis",
            {"7": ("7.4.1", 45_135_310)},
            {"latest": "7"},
            app="redis",
            pull_ms=2500,
            ports=(6379,),
            stop_ms=250,
            startup_logs=applogs.redis("7.4.1"),
        )
    )
    table.update(
        _family(
            "docker.io/kubesandbox/hostname",
            {"1.0": ("1.0", 62_372_940)},
            {"latest": "1.0"},
            app="hostname",
            pull_ms=2500,
            ports=(80,),
            stop_ms=None,  # Flask runs as PID 1 and has no SIGTERM handler
            server_header="nginx/1.25.5",
            startup_logs=applogs.flask(),
        )
    )
    table.update(
        _family(
            "docker.io/kubesandbox/echo",
            {"1.0": ("1.0", 8_912_338)},
            {"latest": "1.0"},
            app="echo",
            pull_ms=1500,
            ports=(8080,),
            stop_ms=100,
            startup_logs=("Echo server listening on :8080",),
        )
    )
    table.update(
        _family(
            "registry.k8s.io/hpa-example",
            {"latest": ("latest", 180_823_612)},
            {},
            app="cpu-hog",
            pull_ms=3000,
            ports=(80,),
            stop_ms=400,
            server_header="Apache/2.4.10 (Debian)",
            startup_logs=applogs.php_apache(),
        )
    )
    table.update(
        _family(
            "docker.io/kubesandbox/crasher",
            {"1.0": ("1.0", 5_310_221)},
            {"latest": "1.0"},
            app="crasher",
            pull_ms=1000,
            stop_ms=100,
            exit_after_ms=2000,
            exit_code=1,
            startup_logs=("crasher: starting; will fail in 2s",),
            exit_logs=("crasher: fatal: simulated failure, exiting with code 1",),
        )
    )
    return table


REGISTRY: dict[tuple[str, str], ImageInfo] = _build()
_BY_DIGEST: dict[tuple[str, str], ImageInfo] = {(i.repository, i.digest): i for i in REGISTRY.values()}
_REPOSITORIES = {repo for repo, _ in REGISTRY}


def _template(app: str) -> ImageInfo:
    """The built-in image a pushed image was built from (same process behaviour)."""
    candidates = [i for i in REGISTRY.values() if i.app == app]
    candidates.sort(key=lambda i: (not i.repository.startswith("docker.io/kubesandbox/"), i.repository, i.tag))
    if candidates:
        return candidates[0]
    return REGISTRY[("docker.io/kubesandbox/hostname", "1.0")]


def _pushed_images(pushed: dict[str, Any] | None) -> dict[tuple[str, str], ImageInfo]:
    out: dict[tuple[str, str], ImageInfo] = {}
    for name, entry in (pushed or {}).items():
        try:
            ref = parse(name)
        except InvalidReference:
            continue
        base = _template(str(entry.get("app", "hostname")))
        digest = str(entry.get("digest") or _digest(ref.repository, f"{ref.tag}:{entry.get('pushedAtMs', '')}"))
        size = int(entry.get("size") or entry.get("sizeBytes") or base.size_bytes)
        out[(ref.repository, ref.tag)] = replace(
            base, repository=ref.repository, tag=ref.tag, digest=digest, size_bytes=size, tags=(ref.tag,)
        )
    return out


def _resolve(ref: Reference, pushed: dict[str, Any] | None) -> ImageInfo | None:
    user = _pushed_images(pushed)
    if ref.digest:
        candidates = {(i.repository, i.digest): i for i in user.values()} | _BY_DIGEST
        info = candidates.get((ref.repository, ref.digest))
        if info is None or (ref.tag and ref.tag not in (info.tags or (info.tag,))):
            return None
        return replace(info, tag=ref.tag)
    return user.get((ref.repository, ref.tag)) or REGISTRY.get((ref.repository, ref.tag))


def lookup(image: str, pushed: dict[str, Any] | None = None) -> ImageInfo | None:
    """The image ``image`` names, or None if it is invalid or no registry has it.

    ``pushed`` is the sandbox's registry of user-pushed images
    (``{"alice/hostname:latest": {"app": "hostname", "size": 61234567}}``).
    """
    try:
        ref = parse(image)
    except InvalidReference:
        return None
    return _resolve(ref, pushed)


def pull_error(image: str, pushed: dict[str, Any] | None = None) -> str:
    """The CRI error containerd returns when pulling ``image`` fails (``lookup`` gave None)."""
    ref = parse(image)
    full = ref.full
    prefix = f'failed to pull and unpack image "{full}": failed to resolve reference "{full}"'
    if ref.domain not in KNOWN_REGISTRIES:
        host = ref.domain.split(":")[0]
        url = f"https://{ref.domain}/v2/{ref.path}/manifests/{ref.digest or ref.tag}"
        failure = f'failed to do request: Head "{url}": dial tcp: lookup {host}: no such host'
        return f"rpc error: code = Unknown desc = {prefix}: {failure}"
    known = _REPOSITORIES | {r for r, _ in _pushed_images(pushed)}
    if ref.domain == "docker.io" and ref.repository not in known:
        return (
            f"rpc error: code = Unknown desc = {prefix}: pull access denied, repository does not exist or may "
            "require authorization: server message: insufficient_scope: authorization failed"
        )
    return f"rpc error: code = NotFound desc = {prefix}: {full}: not found"


def _stamps(at_ms: int) -> dict[str, str]:
    moment = datetime.fromtimestamp(at_ms / 1000, tz=UTC)
    micro = f"{moment.microsecond:06d}"
    return {
        "nginx_time": moment.strftime("%Y/%m/%d %H:%M:%S"),
        "apache_time": moment.strftime("%a %b %d %H:%M:%S.") + micro + moment.strftime(" %Y"),
        "redis_time": moment.strftime("%d %b %Y %H:%M:%S.") + micro[:3],
    }


def startup_logs(info: ImageInfo, started_at_ms: int, pod_ip: str = "") -> list[str]:
    """What ``kubectl logs`` shows right after the image's default process started."""
    values = {**_stamps(started_at_ms), "pod_ip": pod_ip or "127.0.0.1", "version": info.version}
    return [line.format(**values) for line in info.startup_logs]
