"""``docker build``: turn the sandbox's Dockerfile and files into a local image, printing BuildKit's progress.

The steps shown are BuildKit's vertices — loading the Dockerfile, the base
image's metadata and ``.dockerignore``, one ``[n/N]`` per FROM/RUN/COPY/ADD/
WORKDIR, the build context, and the export — in its final ``tty`` layout.
Steps whose inputs did not change since an earlier build print ``CACHED``.
The image gets what it needs to run in the cluster later: its app (the
course's Flask context becomes the ``hostname`` app), the ports it
``EXPOSE``s, its layers and size.

Simplifications: no step really runs; durations and layer sizes are
plausible constants (``pip install`` ≈ 6 s and 18 MB …); ``.dockerignore``
and build args are ignored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from cluster.docker import dockerfile
from cluster.docker.bases import APP_PORTS, Base, BaseError, resolve
from cluster.docker.daemon import images_of, with_tag
from cluster.docker.dockerfile import DockerfileError, Instruction

WIDTH = 100
MB = 1_000_000
# (words in a RUN command, seconds, bytes added)
RUN_COSTS = (("pip install", 6.3, 18 * MB), ("apt-get", 9.8, 45 * MB), ("apk add", 2.1, 6 * MB),
             ("npm install", 8.1, 30 * MB), ("npm ci", 7.4, 30 * MB), ("go build", 12.2, 25 * MB))  # fmt: skip


class BuildError(ValueError):
    """A failed build: ``lines`` is what was printed before ``ERROR: …``."""

    def __init__(self, message: str, lines: list[str] | None = None) -> None:
        super().__init__(message)
        self.lines = lines or []


@dataclass
class Step:
    label: str  # "[internal] load build definition from Dockerfile" / "[2/5] RUN pip install …"
    seconds: float = 0.0
    details: list[tuple[str, float]] = field(default_factory=list)
    cached: bool = False


def _digest(*parts: object) -> str:
    return "sha256:" + hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def context_files(files: dict[str, str], context: str) -> dict[str, str]:
    prefix = "" if context in ("", ".") else context.rstrip("/") + "/"
    return {name[len(prefix) :]: text for name, text in files.items() if name.startswith(prefix)}


def _line(text: str, seconds: float) -> str:
    """One vertex line, cut to the terminal width like BuildKit's tty display."""
    time = f"{seconds:.1f}s"
    room = WIDTH - len(time) - 1
    left = f" => {text}"
    return (left[:room] if len(left) > room else left).ljust(room) + " " + time


def render(steps: list[Step], finished: bool = True) -> list[str]:
    total = sum(s.seconds for s in steps)
    head = f"[+] Building {total:.1f}s ({len(steps)}/{len(steps)}) {'FINISHED' if finished else ''}".rstrip()
    lines = [head.ljust(WIDTH - len("docker:default")) + "docker:default"]
    for step in steps:
        lines.append(_line(("CACHED " if step.cached else "") + step.label, step.seconds))
        lines += [_line(f"=> {text}", seconds) for text, seconds in step.details]
    return lines


def _run_cost(command: str) -> tuple[float, int]:
    for words, seconds, size in RUN_COSTS:
        if words in command:
            return seconds, size
    return 0.3, 4096


def _copy(ins: Instruction, files: dict[str, str]) -> tuple[int, str]:
    """Bytes copied and a content hash; raises the BuildKit error for a missing source."""
    total, hasher = 0, hashlib.sha256()
    for source in dockerfile.copy_sources(ins.args):
        path = source.removeprefix("./").rstrip("/")
        if path in ("", "."):
            chosen = sorted(files)
        else:
            chosen = sorted(n for n in files if n == path or n.startswith(path + "/"))
        if not chosen and "*" not in path:
            raise BuildError(
                "failed to compute cache key: failed to calculate checksum of ref "
                f'{_digest(ins.line)[7:32]}::{_digest(path)[7:32]}: "/{path}": not found'
            )
        for name in chosen:
            total += len(files[name].encode())
            hasher.update(name.encode() + b"\0" + files[name].encode())
    return total, hasher.hexdigest()


def detect_app(base: Base, files: dict[str, str]) -> str:
    """The app an image built on ``base`` with these files runs (the course's Flask app → ``hostname``)."""
    if base.app == "cpu-hog" and not any(n.endswith(".php") for n in files):
        return "httpd"
    return base.app or "hostname"


@dataclass
class Built:
    lines: list[str]
    state: dict[str, Any]
    image_id: str


def build(
    *,
    state: dict[str, Any],
    files: dict[str, str],
    context: str,
    dockerfile_path: str,
    tags: list[str],
    pushed: dict[str, Any] | None,
    now_ms: int,
) -> Built:
    """Build; returns the progress lines and the daemon's new state, or raises ``BuildError``."""
    name = dockerfile_path.rsplit("/", 1)[-1]
    text = files.get(dockerfile_path)
    definition = Step(f"[internal] load build definition from {name}", 0.0,
                      [(f"transferring dockerfile: {len((text or '').encode())}B", 0.0)])  # fmt: skip
    if text is None:
        raise BuildError(f"failed to read dockerfile: open {name}: no such file or directory", render([definition]))
    try:
        stage = dockerfile.last_stage(dockerfile.parse(text))
        base = resolve(dockerfile.base_image(stage[0].args), state, pushed)
    except (DockerfileError, BaseError) as exc:
        raise BuildError(str(exc), render([definition])) from None
    ctx = context_files(files, context)
    return _assemble(state, ctx, stage, base, definition, tags, now_ms)


def _assemble(state: dict[str, Any], ctx: dict[str, str], stage: list[Instruction], base: Base, definition: Step,
              tags: list[str], now_ms: int) -> Built:  # fmt: skip
    cache = set(state.get("cache") or [])
    pulled = set(state.get("bases") or [])
    steps = [definition, Step(f"[internal] load metadata for {base.ref}", 0.0 if base.ref in pulled else 1.2),
             Step("[internal] load .dockerignore", 0.0, [("transferring context: 2B", 0.0)])]  # fmt: skip
    shown = [ins for ins in stage if ins.name in dockerfile.STEPS]
    key, size, layers = _digest(base.ref), base.size_bytes, []
    base_digest = _digest("base", base.ref)
    pull_seconds = 0.0 if base.ref in pulled else round(base.size_bytes / (40 * MB), 1)
    steps.append(Step(f"[1/{len(shown)}] FROM {base.ref}@{base_digest}", pull_seconds,
                      [] if base.ref in pulled else [(f"resolve {base.ref}@{base_digest}", 0.0)]))  # fmt: skip
    if any(ins.name in ("COPY", "ADD") for ins in shown):
        total = sum(len(t.encode()) for t in ctx.values())
        steps.append(Step("[internal] load build context", 0.0, [(f"transferring context: {_kb(total)}", 0.0)]))
    for index, ins in enumerate(shown[1:], start=2):
        seconds, added, content = 0.0, 0, ""
        if ins.name == "RUN":
            seconds, added = _run_cost(ins.args)
        elif ins.name in ("COPY", "ADD"):
            try:
                added, content = _copy(ins, ctx)
            except BuildError as exc:
                raise BuildError(str(exc), render(steps)) from None
            seconds = 0.1 if added > 100_000 else 0.0
        key = _digest(key, ins.text, content)
        cached = key in cache
        steps.append(Step(f"[{index}/{len(shown)}] {ins.text}", 0.0 if cached else seconds, cached=cached))
        cache.add(key)
        size += added
        if ins.name != "WORKDIR":
            layers.append({"digest": _digest("layer", key), "sizeBytes": added, "mountedFrom": ""})
    config = [ins.text for ins in stage if ins.name not in dockerfile.STEPS]
    image_id = _digest(key, *config)
    export = [("exporting layers", 0.2), (f"writing image {image_id}", 0.0)]
    export += [(f"naming to {_qualified(t)}", 0.0) for t in tags]
    steps.append(Step("exporting to image", 0.2, export))
    image = _image(image_id, base, stage, ctx, size, layers, now_ms)
    new_state = _store(state, image, tags, cache, pulled | {base.ref})
    return Built(render(steps), new_state, image_id)


def _kb(size: int) -> str:
    return f"{size}B" if size < 1000 else f"{size / 1000:.2f}kB"


def _qualified(tag: str) -> str:
    repo = tag.rsplit(":", 1)[0]
    first = repo.split("/")[0]
    if "." in first or ":" in first or first == "localhost":
        return tag
    return f"docker.io/{tag}" if "/" in repo else f"docker.io/library/{tag}"


def _image(image_id: str, base: Base, stage: list[Instruction], ctx: dict[str, str], size: int,
           layers: list[dict[str, Any]], now_ms: int) -> dict[str, Any]:  # fmt: skip
    app = detect_app(base, ctx)
    ports = dockerfile.exposed_ports(stage) or list(base.ports or APP_PORTS.get(app, ()))
    base_layers = [{"digest": _digest("base-layer", base.ref, i), "sizeBytes": base.size_bytes // max(base.layers, 1),
                    "mountedFrom": base.mounted_from} for i in range(base.layers)]  # fmt: skip
    return {"id": image_id, "tags": [], "createdAtMs": now_ms, "sizeBytes": size, "app": app, "ports": ports,
            "base": base.ref, "layers": base_layers + layers}  # fmt: skip


def _store(state: dict[str, Any], image: dict[str, Any], tags: list[str], cache: set[str], pulled: set[str]
           ) -> dict[str, Any]:  # fmt: skip
    images = images_of(state)
    previous = images.get(image["id"])
    if previous is not None:
        image = {**image, "tags": previous["tags"], "createdAtMs": previous["createdAtMs"]}
    images[image["id"]] = image
    new_state = {**state, "images": images, "cache": sorted(cache)[-500:], "bases": sorted(pulled)}
    for tag in tags:
        new_state = with_tag(new_state, image["id"], tag)
    return new_state
