"""``manage.py lessons check`` in CI: every lesson file is valid and every solution plays in a fresh cluster."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_every_lesson_validates_and_its_solution_plays() -> None:
    out = StringIO()
    call_command("lessons", "check", "--strict", stdout=out)  # raises CommandError on any failure
    text = out.getvalue()
    assert "FAIL" not in text
    assert "18 lesson files, 0 format problems" in text
    assert "solutions: 18 passed, 0 failed, 0 skipped" in text, text


def test_lessons_list_prints_the_course() -> None:
    out = StringIO()
    call_command("lessons", "list", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 18
    assert lines[0].split()[:2] == ["lesson", "cluster-anatomy"]
    assert lines[-1].split()[:2] == ["exercise", "autoscale-load"]


def test_a_broken_lesson_file_fails_the_check_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "01-broken.yaml").write_text(
        "id: broken\norder: 1\ntitle: {ko: a, en: b}\nsummary: {ko: a, en: b}\n"
        "steps:\n  - id: one\n    text: {ko: a, en: b}\n    check: {deploymnt: {}}\n",
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("lessons", "check", "--dir", str(tmp_path), stdout=StringIO(), stderr=err)
    assert ':8: step "one": unknown check "deploymnt"; known checks: object,' in err.getvalue()


def test_a_lesson_whose_solution_misses_fails_the_check(tmp_path: Path) -> None:
    (tmp_path / "01-wrong.yaml").write_text(
        "id: wrong\norder: 1\ntitle: {ko: a, en: b}\nsummary: {ko: a, en: b}\n"
        "steps:\n  - id: one\n    text: {ko: a, en: b}\n    solution: [kubectl get nodes]\n"
        "    check: {object: {kind: Deployment, name: web}}\n",
        encoding="utf-8",
    )
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("lessons", "check", "--dir", str(tmp_path), stdout=out)
    assert "FAIL wrong" in out.getvalue()
    assert "Deployment web exists — now: not found" in out.getvalue()
