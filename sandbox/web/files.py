"""The sandbox's files: what the terminal's ``cat``/``apply -f``/``>`` and the page's editor share.

Rows of ``SandboxFile``; the simulated cluster gets them as a plain dict per
command. Limits are the terminal's own (``cluster.kubectl.files``): at most
``MAX_FILES`` files of ``MAX_FILE_BYTES`` each, paths normalised the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from cluster import protocol
from cluster.course_files import course_files
from cluster.kubectl.files import MAX_FILE_BYTES, MAX_FILES, FileError, normalize_path
from cluster.models import SandboxFile
from sandbox.web.notify import group_notify


def files_of(sandbox_id: int) -> dict[str, str]:
    """``{path: content}`` in path order."""
    return dict(SandboxFile.objects.filter(sandbox_id=sandbox_id).order_by("path").values_list("path", "content"))


def file_list(sandbox_id: int) -> list[dict[str, str]]:
    return [{"path": path, "content": content} for path, content in files_of(sandbox_id).items()]


def files_seed(sandbox_id: int) -> None:
    """Give a new sandbox the course's starting files."""
    now = timezone.now()
    SandboxFile.objects.bulk_create(
        SandboxFile(sandbox_id=sandbox_id, path=path, content=content, updated_at=now)
        for path, content in course_files().items()
    )


def file_check(path: str, content: str) -> str:
    """The normalised path, or ``FileError`` with the reason the file cannot be stored."""
    name = normalize_path(path)
    if len(name) > 255:
        raise FileError(f"{path}: File name too long")
    if len(content.encode("utf-8", "replace")) > MAX_FILE_BYTES:
        raise FileError(f"{name}: File too large (the limit is {MAX_FILE_BYTES // 1024} KiB)")
    return name


def file_save(*, sandbox_id: int, path: str, content: str) -> str:
    """Create or replace one file; returns its normalised path. Raises ``FileError``."""
    name = file_check(path, content)
    with transaction.atomic():
        exists = SandboxFile.objects.filter(sandbox_id=sandbox_id, path=name).exists()
        if not exists and SandboxFile.objects.filter(sandbox_id=sandbox_id).count() >= MAX_FILES:
            raise FileError(f"{name}: No space left on device (at most {MAX_FILES} files)")
        SandboxFile.objects.update_or_create(
            sandbox_id=sandbox_id, path=name, defaults={"content": content, "updated_at": timezone.now()}
        )
        group_notify(sandbox_id, protocol.file_group_message(name, content))
    return name


def file_delete(*, sandbox_id: int, path: str) -> str:
    name = normalize_path(path)
    with transaction.atomic():
        deleted, _ = SandboxFile.objects.filter(sandbox_id=sandbox_id, path=name).delete()
        if deleted:
            group_notify(sandbox_id, protocol.file_group_message(name, None))
    return name


def files_store(*, sandbox_id: int, files: dict[str, str], changed: Iterable[str]) -> list[str]:
    """Persist what a terminal command wrote (``>``/``>>``); returns the paths stored, in order.

    A file that would break a limit is skipped rather than failing a command that already ran.
    """
    stored: list[str] = []
    for path in sorted(changed):
        if path not in files:
            file_delete(sandbox_id=sandbox_id, path=path)
            continue
        try:
            stored.append(file_save(sandbox_id=sandbox_id, path=path, content=files[path]))
        except FileError:
            continue
    return stored
