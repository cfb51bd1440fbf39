"""How Go renders values where kubectl prints them: labels, selectors, ``%v``, floats.

kubectl is written in Go, and users see Go's formatting everywhere: label
selectors as ``app=web,tier in (a,b)``, ``fmt.Sprint`` of a map as
``map[app:web]`` in custom columns, floats as ``1e+06``. These helpers keep
those details in one place.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

# cli-runtime printers.WriteEscaped / EscapeTerminal
_TERMINAL_ESCAPES = (("\x1b", "^["), ("\r", "\\r"))


def escape_terminal(text: str) -> str:
    for raw, escaped in _TERMINAL_ESCAPES:
        text = text.replace(raw, escaped)
    return text


def format_labels(labels: dict[str, str] | None) -> str:
    """apimachinery ``labels.FormatLabels``: sorted ``k=v`` joined by commas, ``<none>`` if empty."""
    if not labels:
        return "<none>"
    return ",".join(f"{key}={labels[key]}" for key in sorted(labels))


def _requirement(expr: dict[str, Any]) -> str:
    key = str(expr.get("key", ""))
    operator = expr.get("operator", "")
    values = ",".join(sorted(str(v) for v in expr.get("values") or []))
    if operator == "In":
        return f"{key} in ({values})"
    if operator == "NotIn":
        return f"{key} notin ({values})"
    if operator == "DoesNotExist":
        return f"!{key}"
    return key


def selector_string(selector: dict[str, Any] | None) -> str:
    """``metav1.LabelSelectorAsSelector(sel).String()``; requirements sorted by key, empty for nil/empty."""
    selector = selector or {}
    requirements: list[tuple[str, str]] = []
    for key, value in (selector.get("matchLabels") or {}).items():
        requirements.append((key, f"{key}={value}"))
    for expr in selector.get("matchExpressions") or []:
        requirements.append((str(expr.get("key", "")), _requirement(expr)))
    return ",".join(text for _, text in sorted(requirements, key=lambda item: item[0]))


def format_label_selector(selector: dict[str, Any] | None) -> str:
    """``metav1.FormatLabelSelector``: like ``selector_string`` but ``<none>`` when it selects nothing."""
    return selector_string(selector) or "<none>"


def join_host_port(host: str, port: int | str) -> str:
    """Go ``net.JoinHostPort``: IPv6 hosts are bracketed."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _shortest_digits(value: float) -> tuple[str, int]:
    """Shortest round-tripping decimal digits of ``abs(value)`` and the decimal point position."""
    _, digit_tuple, exponent = Decimal(repr(abs(value))).as_tuple()
    digits = "".join(str(d) for d in digit_tuple).lstrip("0")
    assert isinstance(exponent, int)
    point = len(digits) + exponent
    stripped = digits.rstrip("0")
    return stripped, point


def go_float(value: float, *, fmt: str = "g") -> str:
    """``strconv.FormatFloat(v, fmt, -1, 64)`` for ``fmt`` in ``g`` (fmt ``%v``, YAML), ``f`` or ``e``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    if value == 0:
        return sign + ("0e+00" if fmt == "e" else "0")
    digits, point = _shortest_digits(value)
    exponent = point - 1
    if fmt == "e" or (fmt == "g" and (exponent < -4 or exponent >= 6)):
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"


def go_json_float(value: float) -> str:
    """encoding/json's float rendering: fixed notation unless tiny or huge (then ``1e-7`` style)."""
    magnitude = abs(value)
    if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21):
        text = go_float(value, fmt="e")
        mantissa, _, exponent = text.partition("e")
        if exponent.startswith("-0"):
            exponent = "-" + exponent[2:]
        return f"{mantissa}e{exponent}"
    return go_float(value, fmt="f")


def go_sprint(value: Any) -> str:
    """``fmt.Sprint`` of a decoded JSON value: ``map[a:1 b:x]``, ``[x y]``, ``<nil>``, ``true``."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_sprint(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_sprint(v) for v in value) + "]"
    return str(value)
