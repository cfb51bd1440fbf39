"""Kubernetes ``resource.Quantity``: parsing, canonical printing and pod resource totals.

Requests and limits are what the scheduler fits, the kubelet enforces and
``kubectl describe node`` adds up, so every component must read ``"0.5"``,
``"500m"`` and ``"512Mi"`` exactly as apimachinery does. Values are exact
``Fraction`` objects; like apimachinery, a parsed value is rounded away from
zero to a whole nano-unit and capped at 2^63-1. ``canonical_quantity`` gives
the string the API server would store back (``"1000m"`` -> ``"1"``,
``"1024Mi"`` -> ``"1Gi"``), keeping the user's spelling when apimachinery does.

Pod totals follow ``resourcehelper.PodRequests``/``PodLimits``: the sum of the
app containers (and restartable "sidecar" init containers), at least the
largest init container, plus ``spec.overhead``. CPU comes out in millicores
(``MilliValue``, rounded up), everything else in whole units (``Value``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from functools import lru_cache
from typing import Any

QUANTITY_REGEX = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
ERR_FORMAT_INVALID = f"quantities must match the regular expression '{QUANTITY_REGEX}'"
ERR_NUMERIC = "unable to parse numeric part of quantity"
ERR_SUFFIX = "unable to parse quantity's suffix"

DECIMAL_SI = "DecimalSI"
BINARY_SI = "BinarySI"
DECIMAL_EXPONENT = "DecimalExponent"

# scheduler/util: what a container without a request counts as when *scoring* (never when fitting).
DEFAULT_MILLI_CPU_REQUEST = 100
DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024

_DEC_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BIN_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DEC_BY_EXP = {exp: suffix for suffix, exp in _DEC_SUFFIXES.items()}
_BIN_BY_EXP = {0: "", **{exp: suffix for suffix, exp in _BIN_SUFFIXES.items()}}
_SUFFIX_CHARS = frozenset("eEinumkKMGTP")
_DIGITS = frozenset("0123456789")
_NANO = Fraction(1, 10**9)
_MAX = Fraction(2**63 - 1)
_INT64_MAX = 2**63 - 1
_MAX_INT64_FACTORS = 18
_NON_ZERO = {"cpu": Fraction(DEFAULT_MILLI_CPU_REQUEST, 1000), "memory": Fraction(DEFAULT_MEMORY_REQUEST)}


class QuantityError(ValueError):
    """A string that is not a quantity; the message is apimachinery's."""


# ------------------------------------------------------------------------------------------- parsing


def _scan_digits(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _DIGITS:
        pos += 1
    return pos


def _split(text: str) -> tuple[bool, str, str, str, str]:
    """``parseQuantityString``: (positive, value, numerator, denominator, suffix), quirks included.

    Like Go, a lone sign or ``"."`` is zero and ``"1."`` is one; only the
    suffix part can make the string malformed.
    """
    end, pos = len(text), 0
    positive = not text.startswith("-")
    if text[:1] in ("+", "-"):
        pos = 1
    while pos < end and text[pos] == "0":
        pos += 1
    if pos >= end:
        return positive, "0", "0", "", ""
    stop = _scan_digits(text, pos)
    num = text[pos:stop] or "0"
    if stop >= end:
        return positive, text, num, "", ""
    pos, denom = stop, ""
    if text[pos] == ".":
        stop = _scan_digits(text, pos + 1)
        denom, pos = text[pos + 1 : stop], stop
        if pos >= end:
            return positive, text, num, denom, ""
    value, start = text[:pos], pos
    while pos < end and text[pos] in _SUFFIX_CHARS:
        pos += 1
    if pos < end and text[pos] in "+-":
        pos += 1
    if _scan_digits(text, pos) < end:
        raise QuantityError(ERR_FORMAT_INVALID)
    return positive, value, num, denom, text[start:]


def _interpret(suffix: str) -> tuple[int, int, str]:
    """(base, exponent, format) of a suffix, as ``suffixHandler.interpret``."""
    if suffix in _DEC_SUFFIXES:
        return 10, _DEC_SUFFIXES[suffix], DECIMAL_SI
    if suffix in _BIN_SUFFIXES:
        return 2, _BIN_SUFFIXES[suffix], BINARY_SI
    if len(suffix) > 1 and suffix[0] in "eE":
        digits = suffix[1:].lstrip("+-")
        if digits and set(digits) <= _DIGITS and suffix[1:].count("+") + suffix[1:].count("-") <= 1:
            parsed = int(suffix[1:])
            if -(2**63) <= parsed < 2**63:
                return 10, (parsed + 2**31) % 2**32 - 2**31, DECIMAL_EXPONENT  # Go's int32() conversion
    raise QuantityError(ERR_SUFFIX)


def _decimal(value: str) -> Fraction:
    """``inf.Dec.SetString`` of the numeric part (sign, digits, optional fraction)."""
    sign = -1 if value.startswith("-") else 1
    body = value.lstrip("+-")
    whole, _, frac = body.partition(".")
    if not (whole or frac) or not set(whole + frac) <= _DIGITS or value.count(".") > 1:
        raise QuantityError(ERR_NUMERIC)
    return sign * Fraction(int(whole + frac or "0"), 10 ** len(frac))


def _scaled(amount: Fraction, base: int, exponent: int) -> Fraction:
    """Apply the suffix; absurd exponents saturate (capped, or rounded up to 1n) instead of exploding."""
    if amount == 0:
        return amount
    if base == 2:
        return amount * (1 << exponent)
    if exponent > 40:
        return _MAX if amount > 0 else -_MAX
    if exponent < -80:
        return _NANO if amount > 0 else -_NANO
    return amount * Fraction(10) ** exponent


def _round_up_nano(amount: Fraction) -> Fraction:
    """Round away from zero to a whole nano (``inf.RoundUp``): a tiny request still gets something."""
    nanos = amount / _NANO
    whole = -((-abs(nanos.numerator)) // nanos.denominator)
    return Fraction(whole if amount > 0 else -whole, 10**9)


def _fast_path(
    positive: bool, num: str, denom: str, base: int, exponent: int, fmt: str
) -> tuple[Fraction, bool] | None:
    """The int64 path of ``ParseQuantity``; also answers "is the input already canonical?"."""
    if fmt == BINARY_SI:
        if denom:
            return None
        mantissa, scale = 2**exponent, 0
        precision = 15 - len(num) - exponent * 3 // 10 - 1
    else:
        mantissa, scale = 1, exponent
        precision = _MAX_INT64_FACTORS - (len(num) + len(denom))
    scale -= len(denom)
    if precision < 0 or not -9 <= scale <= 18:
        return None
    shifted = num + denom
    value = int(shifted)
    if value > _INT64_MAX or value * mantissa > _INT64_MAX:
        return None
    result = value * mantissa if positive else -value * mantissa
    if fmt == BINARY_SI:
        keep = exponent % 10 == 0 and value & 0x07 != 0
    else:
        keep = scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0"
    return result * Fraction(10) ** scale, keep


@lru_cache(maxsize=8192)
def _parse(text: str) -> tuple[Fraction, str, bool]:
    """(value, format, keep original spelling); cached because pods repeat the same few strings."""
    if not text:
        raise QuantityError(ERR_FORMAT_INVALID)
    if text == "0":
        return Fraction(0), DECIMAL_SI, True
    positive, value, num, denom, suffix = _split(text)
    base, exponent, fmt = _interpret(suffix)
    fast = _fast_path(positive, num, denom, base, exponent, fmt)
    if fast is not None:
        return fast[0], fmt, fast[1]
    amount = abs(_scaled(_decimal(value), base, exponent))
    amount = min(amount, _MAX)
    if fmt == BINARY_SI and 0 < amount < 1:
        fmt = DECIMAL_SI
    if value.startswith("-"):
        amount = -amount
    return (_round_up_nano(amount) if amount else amount), fmt, False


def _as_text(text: str | int | float) -> str:
    if isinstance(text, bool):
        raise QuantityError(ERR_FORMAT_INVALID)
    if isinstance(text, int):
        return str(text)
    if isinstance(text, float):
        return repr(text)  # the JSON number a YAML float becomes (0.5, 1e-05)
    if isinstance(text, str):
        return text.strip()
    raise QuantityError(ERR_FORMAT_INVALID)


def parse_quantity(text: str | int | float) -> Fraction:
    """The exact value of a quantity (``"250m"`` -> 1/4, ``"1Ki"`` -> 1024); ``QuantityError`` if malformed."""
    return _parse(_as_text(text))[0]


def quantity_format(text: str | int | float) -> str:
    """``DecimalSI``, ``BinarySI`` or ``DecimalExponent``: how the API server will print it back."""
    return _parse(_as_text(text))[1]


# ------------------------------------------------------------------------------------------ printing


def _canonical_decimal(value: Fraction) -> tuple[int, int]:
    """``AsCanonicalBytes``: mantissa and a power-of-ten exponent that is a multiple of 3."""
    mantissa, exponent = int(value / _NANO), -9
    while mantissa and mantissa % 10 == 0:
        mantissa //= 10
        exponent += 1
    shift = exponent % 3
    return mantissa * 10**shift, exponent - shift


def _canonical_binary(value: int) -> tuple[int, int]:
    """``AsCanonicalBase1024Bytes``: strip whole factors of 1024."""
    exponent = 0
    while value and value % 1024 == 0 and exponent < 60:
        value //= 1024
        exponent += 10
    return value, exponent


def format_quantity(value: Fraction | int, fmt: str = DECIMAL_SI) -> str:
    """The canonical string of a value in a format (``Quantity.String`` without a cached spelling)."""
    value = _round_up_nano(Fraction(value)) if value else Fraction(0)
    if value == 0:
        return "0"
    if fmt == BINARY_SI and (-1024 < value < 1024 or value.denominator != 1):
        fmt = DECIMAL_SI
    if fmt == BINARY_SI:
        number, exponent = _canonical_binary(int(value))
        return f"{number}{_BIN_BY_EXP[exponent]}"
    number, exponent = _canonical_decimal(value)
    if fmt == DECIMAL_EXPONENT:
        return f"{number}e{exponent}" if exponent else str(number)
    return f"{number}{_DEC_BY_EXP.get(exponent, '')}"


def canonical_quantity(text: str | int | float) -> str:
    """What the API server stores for a quantity the user wrote (``"0.5"`` -> ``"500m"``)."""
    raw = _as_text(text)
    value, fmt, keep = _parse(raw)
    return raw if keep else format_quantity(value, fmt)


def format_cpu_millis(millis: int) -> str:
    """``100m``, ``1500m``, ``2``: a millicore count as kubectl prints a CPU quantity."""
    return format_quantity(Fraction(millis, 1000), DECIMAL_SI)


def format_bytes(count: int) -> str:
    """``128Mi``, ``4015948Ki``, ``1536``: a byte count in canonical binary-SI form."""
    return format_quantity(count, BINARY_SI)


def cpu_millis(quantity: str | int | float | Fraction) -> int:
    """``MilliValue``: millicores, rounded up (``"0.0001"`` -> 1)."""
    value = quantity if isinstance(quantity, Fraction) else parse_quantity(quantity)
    return -((-value.numerator * 1000) // value.denominator)


def memory_bytes(quantity: str | int | float | Fraction) -> int:
    """``Value``: whole units (bytes for memory), rounded up."""
    value = quantity if isinstance(quantity, Fraction) else parse_quantity(quantity)
    return -((-value.numerator) // value.denominator)


# ------------------------------------------------------------------------------------ pod resources

ResourceList = dict[str, Fraction]


def _resource_list(values: Mapping[str, Any] | None) -> ResourceList:
    return {name: parse_quantity(q) for name, q in (values or {}).items()}


def _add(into: ResourceList, other: Mapping[str, Fraction]) -> None:
    for name, value in other.items():
        into[name] = into.get(name, Fraction(0)) + value


def _max(into: ResourceList, other: Mapping[str, Fraction]) -> None:
    for name, value in other.items():
        if name not in into or value > into[name]:
            into[name] = value


def _container_requests(container: Mapping[str, Any], non_zero: bool) -> ResourceList:
    """A container's requests; a limit stands in for a missing request (the API server's defaulting)."""
    resources = container.get("resources") or {}
    values = _resource_list(resources.get("limits"))
    values.update(_resource_list(resources.get("requests")))
    if non_zero:
        for name, default in _NON_ZERO.items():
            values.setdefault(name, default)
    return values


def _container_limits(container: Mapping[str, Any], _non_zero: bool) -> ResourceList:
    return _resource_list((container.get("resources") or {}).get("limits"))


def _is_sidecar(container: Mapping[str, Any]) -> bool:
    return container.get("restartPolicy") == "Always"


def _pod_total(spec: Mapping[str, Any], per_container: Any, non_zero: bool) -> ResourceList:
    total: ResourceList = {}
    for container in spec.get("containers") or []:
        _add(total, per_container(container, non_zero))
    sidecars: ResourceList = {}
    init_peak: ResourceList = {}
    for container in spec.get("initContainers") or []:
        own = per_container(container, non_zero)
        if _is_sidecar(container):
            _add(total, own)
            _add(sidecars, own)
            _max(init_peak, sidecars)
        else:
            running = dict(own)
            _add(running, sidecars)
            _max(init_peak, running)
    _max(total, init_peak)
    return total


def _to_units(values: Mapping[str, Fraction]) -> dict[str, int]:
    return {name: cpu_millis(v) if name == "cpu" else memory_bytes(v) for name, v in values.items()}


def pod_requests(pod: Mapping[str, Any], *, non_zero: bool = False) -> dict[str, int]:
    """Effective requests: ``{"cpu": millicores, "memory": bytes, …}`` (only resources that appear).

    ``non_zero`` counts a container without a cpu/memory request as 100m /
    200Mi, which is what the scheduler's scoring (not its fit check) uses.
    """
    spec = pod.get("spec") or {}
    total = _pod_total(spec, _container_requests, non_zero)
    _add(total, _resource_list(spec.get("overhead")))
    return _to_units(total)


def pod_limits(pod: Mapping[str, Any]) -> dict[str, int]:
    """Effective limits (same units); overhead is added only to resources that have a limit."""
    spec = pod.get("spec") or {}
    total = _pod_total(spec, _container_limits, False)
    for name, value in _resource_list(spec.get("overhead")).items():
        if name in total:
            total[name] += value
    return _to_units(total)


def sum_resources(items: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """Add up per-pod totals (``kubectl describe node``'s "Allocated resources")."""
    out: dict[str, int] = {}
    for item in items:
        for name, value in item.items():
            out[name] = out.get(name, 0) + value
    return out
