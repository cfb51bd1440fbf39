"""Golden files: ``golden("printers/x.txt", text)`` compares ``text`` to tests/unit/golden/printers/x.txt.

To (re)write them run ``pytest tests/unit --update-golden`` (the option lives in this conftest, so
name the directory or a file under it) and review the diff. Golden text keeps kubectl's trailing
spaces: do not let an editor strip them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

GOLDEN_DIR = Path(__file__).parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False, help="rewrite tests/unit/golden files")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    update = bool(request.config.getoption("--update-golden", default=False))

    def check(name: str, text: str) -> None:
        path = GOLDEN_DIR / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"missing golden file {path}; run pytest with --update-golden and review it"
        assert text == path.read_text(encoding="utf-8")

    return check
