"""The page's import map: bare module names (``@codemirror/view``) → the installed files under ``static/``.

The editor's packages come from the npm registry (pinned in
``static/package.json``/``package-lock.json``) and are installed into
``static/node_modules`` by ``npm ci --prefix static``; there is no bundler. Each
package's ES-module entry point is read from its own ``package.json`` (the
``exports`` "import" condition, else ``module``), once per process.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe

PACKAGES_DIR = "node_modules"
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _entry(package: dict[str, Any]) -> str | None:
    exports = package.get("exports")
    if isinstance(exports, dict) and "." in exports:
        exports = exports["."]
    if isinstance(exports, str):
        return exports
    if isinstance(exports, dict):
        for condition in ("import", "module", "default"):
            target = exports.get(condition)
            if isinstance(target, str):
                return target
    module = package.get("module") or package.get("main")
    return module if isinstance(module, str) else None


def _package_dirs(root: Path) -> list[Path]:
    found: list[Path] = []
    for child in sorted(root.iterdir()) if root.is_dir() else []:
        if child.name.startswith("@"):
            found.extend(sorted(p for p in child.iterdir() if (p / "package.json").is_file()))
        elif (child / "package.json").is_file():
            found.append(child)
    return found


def _static_root() -> Path:
    return Path(settings.BASE_DIR) / "static"


@lru_cache(maxsize=1)
def import_map() -> dict[str, dict[str, str]]:
    """``{"imports": {name: url}}``; empty when the front-end packages are not installed."""
    imports: dict[str, str] = {}
    root = _static_root() / PACKAGES_DIR
    for folder in _package_dirs(root):
        package = json.loads((folder / "package.json").read_text(encoding="utf-8"))
        entry = _entry(package)
        name = package.get("name")
        if not entry or not isinstance(name, str):
            continue
        relative = (folder / entry).resolve().relative_to(_static_root().resolve()).as_posix()
        try:
            imports[name] = static(relative)
        except ValueError:  # not collected (production manifest without it): leave the package out
            continue
    return {"imports": imports}


def import_map_json() -> SafeString:
    """The import map as JSON that is safe inside ``<script type="importmap">``."""
    return mark_safe(json.dumps(import_map(), separators=(",", ":")).translate(_ESCAPES))


def editor_available() -> bool:
    return "@codemirror/view" in import_map()["imports"]
