"""The laptop's Docker daemon: its local image store, kept in private state ``DockerDaemon/laptop``.

``{"images": {<image id>: {"id", "tags": [...], "createdAtMs", "sizeBytes", "app", "ports", "base",
"layers": [{"digest", "sizeBytes", "mountedFrom"}]}}, "login": {"username"} | None, "cache": [...]}``

Tags are unique across images: building or tagging with a name another
image holds moves the name, and an image left without names shows as
``<none>`` like a dangling image.
"""

from __future__ import annotations

from typing import Any

from cluster.docker.names import ImageNameError, familiar
from cluster.engine.actions import ObjKey

DAEMON_KEY = ObjKey("DockerDaemon", "", "laptop")
Image = dict[str, Any]


def images_of(state: dict[str, Any] | None) -> dict[str, Image]:
    return dict((state or {}).get("images") or {})


def find(state: dict[str, Any] | None, name: str) -> Image | None:
    """The image ``name`` refers to: a ``repo[:tag]`` or an unambiguous image-ID prefix."""
    images = images_of(state)
    try:
        repo, tag = familiar(name)
        wanted = f"{repo}:{tag}"
    except ImageNameError:
        wanted = ""
    for image in images.values():
        if wanted and wanted in image.get("tags", []):
            return image
    prefix = name.removeprefix("sha256:").lower()
    if len(prefix) >= 4 and all(c in "0123456789abcdef" for c in prefix):
        matches = [i for i in images.values() if str(i["id"]).removeprefix("sha256:").startswith(prefix)]
        if len(matches) == 1:
            return matches[0]
    return None


def with_tag(state: dict[str, Any], image_id: str, tag: str) -> dict[str, Any]:
    """``state`` with ``tag`` on ``image_id`` only."""
    images = {k: {**v, "tags": [t for t in v.get("tags", []) if t != tag]} for k, v in images_of(state).items()}
    target = images[image_id]
    target["tags"] = [*target["tags"], tag]
    return {**state, "images": images}


def human_size(size: int) -> str:
    """go-units ``HumanSizeWithPrecision(size, 3)``: decimal units, 3 significant digits (``132MB``)."""
    value, units = float(size), ["B", "kB", "MB", "GB", "TB"]
    unit = 0
    while value >= 1000 and unit < len(units) - 1:
        value /= 1000
        unit += 1
    return f"{value:.3g}{units[unit]}"


def human_ago(ms: int) -> str:
    """go-units ``HumanDuration`` + `` ago``, as ``docker images`` prints CREATED."""
    seconds = ms // 1000
    hours = seconds // 3600
    if seconds < 1:
        text = "Less than a second"
    elif seconds == 1:
        text = "1 second"
    elif seconds < 60:
        text = f"{seconds} seconds"
    elif seconds // 60 == 1:
        text = "About a minute"
    elif seconds < 3600:
        text = f"{seconds // 60} minutes"
    elif hours == 1:
        text = "About an hour"
    elif hours < 48:
        text = f"{hours} hours"
    elif hours < 24 * 7 * 2:
        text = f"{hours // 24} days"
    elif hours < 24 * 30 * 2:
        text = f"{hours // 24 // 7} weeks"
    elif hours < 24 * 365 * 2:
        text = f"{hours // 24 // 30} months"
    else:
        text = f"{hours // 24 // 365} years"
    return f"{text} ago"


def image_rows(state: dict[str, Any] | None, now_ms: int) -> list[list[str]]:
    """``docker images`` rows (newest first): REPOSITORY, TAG, IMAGE ID, CREATED, SIZE."""
    rows: list[tuple[int, list[str]]] = []
    for image in images_of(state).values():
        short = str(image["id"]).removeprefix("sha256:")[:12]
        created = human_ago(now_ms - int(image["createdAtMs"]))
        size = human_size(int(image["sizeBytes"]))
        for tag in image.get("tags") or ["<none>:<none>"]:
            repo, _, name = tag.rpartition(":")
            rows.append((int(image["createdAtMs"]), [repo, name, short, created, size]))
    rows.sort(key=lambda r: (-r[0], r[1][0], r[1][1]))
    return [r for _, r in rows]


def table(rows: list[list[str]]) -> list[str]:
    """Docker's tabwriter: min width 10, padding 3."""
    widths = [max(10, max(len(r[i]) for r in rows) + 3) for i in range(len(rows[0]))]
    return ["".join(c.ljust(w) for c, w in zip(r[:-1], widths, strict=False)) + r[-1] for r in rows]
