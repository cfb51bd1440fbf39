"""The sandbox's files (manifests, the course's app sources) as the terminal sees them."""

from __future__ import annotations

import posixpath

MAX_FILE_BYTES = 256 * 1024
MAX_FILES = 200


class FileError(ValueError):
    pass


def normalize_path(path: str) -> str:
    """``./deploy.yaml`` → ``deploy.yaml``; the sandbox has one flat home directory with sub-folders."""
    path = path.strip()
    if path.startswith("~/"):
        path = path[2:]
    norm = posixpath.normpath(path).lstrip("/")
    if norm in ("", ".") or norm.startswith(".."):
        raise FileError(f"{path}: Permission denied")
    return norm
