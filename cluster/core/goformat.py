"""Render values the way Go's ``%#v``/``%q`` print them in 1.32 validation messages.

kubectl users see ``Invalid value: map[string]string{"app":"web"}`` and
``Invalid value: "My_Pod"``; reproducing that exactly is what makes an error
recognisable (K8S_FACTS §2.1).
"""

from __future__ import annotations

import json
from typing import Any


class GoLiteral(str):
    """A value already rendered in Go syntax (e.g. a ``v1.LabelSelector{…}``)."""


def go_quote(text: str) -> str:
    """Go ``%q``: double-quoted with backslash escapes (JSON escaping is close enough for ASCII)."""
    return json.dumps(text, ensure_ascii=False)


def _map(value: dict[str, Any]) -> str:
    if all(isinstance(v, str) for v in value.values()):
        inner = ", ".join(f"{go_quote(k)}:{go_quote(value[k])}" for k in sorted(value))
        return "map[string]string{" + inner + "}"
    inner = ", ".join(f"{go_quote(k)}:{go_value(value[k])}" for k in sorted(value))
    return "map[string]interface {}{" + inner + "}"


def _list(value: list[Any]) -> str:
    if all(isinstance(v, str) for v in value):
        return "[]string{" + ", ".join(go_quote(v) for v in value) + "}"
    return "[]interface {}{" + ", ".join(go_value(v) for v in value) + "}"


def label_selector(selector: dict[str, Any] | None) -> GoLiteral:
    """``v1.LabelSelector{MatchLabels:map[string]string{…}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}``."""
    selector = selector or {}
    labels = selector.get("matchLabels")
    labels_text = _map(labels) if labels else "map[string]string(nil)"
    exprs = selector.get("matchExpressions") or []
    if exprs:
        parts = []
        for e in exprs:
            values = e.get("values")
            values_text = _list(values) if values else "[]string(nil)"
            parts.append(
                f"v1.LabelSelectorRequirement{{Key:{go_quote(e.get('key', ''))}, "
                f"Operator:{go_quote(e.get('operator', ''))}, Values:{values_text}}}"
            )
        exprs_text = "[]v1.LabelSelectorRequirement{" + ", ".join(parts) + "}"
    else:
        exprs_text = "[]v1.LabelSelectorRequirement(nil)"
    return GoLiteral(f"v1.LabelSelector{{MatchLabels:{labels_text}, MatchExpressions:{exprs_text}}}")


def go_value(value: Any) -> str:
    if isinstance(value, GoLiteral):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return go_quote(value)
    if value is None:
        return "null"
    if isinstance(value, dict):
        return _map(value)
    if isinstance(value, list):
        return _list(value)
    return str(value)
