"""Field tables of the Kubernetes protobuf messages, and the decoder that turns them into JSON-form dicts.

Kubernetes' ``generated.proto`` files are proto2: every field is
``optional``, and the generated marshallers write every non-pointer field,
zero or not, while pointer fields (``replicas``, ``minReplicas``, ``optional``
flags …) appear only when set. So a zero scalar means "unset" unless the field
is a pointer (``keep_zero``). The JSON form the rest of the API server works
with is produced directly: camelCase names, ``Quantity`` as its string,
``IntOrString`` as int or string, ``Time`` as RFC 3339, ``bytes`` as base64,
and ``inline`` members (``LocalObjectReference`` in key selectors,
``ProbeHandler`` in probes, ``IngressRuleValue`` in rules) merged into their
parent as Go's JSON encoding does.

Simplification: zero-valued non-pointer scalars are always left out, also for
the few fields whose JSON tag lacks ``omitempty`` (the server defaults or
rejects them the same way). A field number missing from a table is an error,
never silently dropped: the request is refused rather than stored incomplete.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from cluster.core.protobuf.wire import LENGTH_DELIMITED, VARINT, ProtobufError, fields, packed_varints, signed64
from cluster.core.timefmt import rfc3339

# Scalar and well-known types; anything else names a message in MESSAGES.
STRING = "string"
INT = "int"
BOOL = "bool"
BYTES = "bytes"
QUANTITY = "quantity"
TIME = "time"
INT_OR_STRING = "intorstr"
RAW_JSON = "rawjson"
SCALARS = frozenset({STRING, INT, BOOL, BYTES, QUANTITY, TIME, INT_OR_STRING, RAW_JSON})

Obj = dict[str, Any]


@dataclass(frozen=True)
class F:
    """One field: its JSON name and type; ``map_of`` makes it ``map<string, map_of>``."""

    name: str
    type: str = STRING
    repeated: bool = False
    keep_zero: bool = False
    inline: bool = False
    map_of: str = ""


MESSAGES: dict[str, dict[int, F]] = {}


def message(name: str, table: dict[int, F]) -> None:
    MESSAGES[name] = table


# -- shorthands for the tables --------------------------------------------------------------------------------
def s(name: str, *, keep: bool = False) -> F:
    return F(name, STRING, keep_zero=keep)


def i(name: str, *, keep: bool = False) -> F:
    return F(name, INT, keep_zero=keep)


def b(name: str, *, keep: bool = False) -> F:
    return F(name, BOOL, keep_zero=keep)


def m(name: str, type_: str, *, inline: bool = False) -> F:
    return F(name, type_, inline=inline)


def rs(name: str) -> F:
    return F(name, STRING, repeated=True)


def rm(name: str, type_: str) -> F:
    return F(name, type_, repeated=True)


def smap(name: str) -> F:
    return F(name, map_of=STRING)


def qmap(name: str) -> F:
    return F(name, map_of=QUANTITY)


# -- decoding --------------------------------------------------------------------------------------------------
def _as_bytes(value: int | bytes, what: str) -> bytes:
    if not isinstance(value, bytes):
        raise ProtobufError(f"{what} should be length-delimited")
    return value


def _as_int(value: int | bytes, what: str) -> int:
    if not isinstance(value, int):
        raise ProtobufError(f"{what} should be a number")
    return value


def _text(value: int | bytes, what: str) -> str:
    try:
        return _as_bytes(value, what).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtobufError(f"{what} is not valid UTF-8") from exc


def _quantity(data: bytes) -> str:
    for number, _, value in fields(data):
        if number == 1:
            return _text(value, "Quantity.string")
    return ""


def _time(data: bytes) -> str | None:
    """``metav1.Time``: a Timestamp whose seconds count (nanos are ignored, as Kubernetes does); empty = zero."""
    seconds = 0
    for number, _, value in fields(data):
        if number == 1:
            seconds = signed64(_as_int(value, "Time.seconds"))
    return rfc3339(seconds * 1000) if data else None


def _int_or_string(data: bytes) -> int | str:
    kind, int_val, str_val = 0, 0, ""
    for number, _, value in fields(data):
        if number == 1:
            kind = signed64(_as_int(value, "IntOrString.type"))
        elif number == 2:
            int_val = signed64(_as_int(value, "IntOrString.intVal"))
        elif number == 3:
            str_val = _text(value, "IntOrString.strVal")
    return str_val if kind == 1 else int_val


def _scalar(type_: str, value: int | bytes, what: str) -> Any:
    if type_ == STRING:
        return _text(value, what)
    if type_ == INT:
        return signed64(_as_int(value, what))
    if type_ == BOOL:
        return bool(_as_int(value, what))
    data = _as_bytes(value, what)
    if type_ == BYTES:
        return base64.b64encode(data).decode("ascii")
    if type_ == QUANTITY:
        return _quantity(data)
    if type_ == TIME:
        return _time(data)
    if type_ == INT_OR_STRING:
        return _int_or_string(data)
    try:
        return json.loads(data) if data else {}
    except ValueError as exc:
        raise ProtobufError(f"{what} is not valid JSON") from exc


def _value(type_: str, value: int | bytes, what: str) -> Any:
    if type_ in SCALARS:
        return _scalar(type_, value, what)
    return decode_message(type_, _as_bytes(value, what))


def _map_entry(spec: F, data: bytes, what: str) -> tuple[str, Any]:
    key: str = ""
    found: Any = "" if spec.map_of in (STRING, BYTES, QUANTITY) else {}
    for number, _, value in fields(data):
        if number == 1:
            key = _text(value, f"{what} key")
        elif number == 2:
            found = _value(spec.map_of, value, f"{what}[{key}]")
    return key, found


def _is_zero(value: Any) -> bool:
    return value is None or value == "" or value == 0 or value is False


def _repeated(spec: F, wire_type: int, value: int | bytes, what: str) -> list[Any]:
    if spec.type in (INT, BOOL) and wire_type == LENGTH_DELIMITED:
        return [_scalar(spec.type, item, what) for item in packed_varints(_as_bytes(value, what))]
    if spec.type in (INT, BOOL) and wire_type != VARINT:
        raise ProtobufError(f"{what} has wire type {wire_type}")
    return [_value(spec.type, value, what)]


def _put(out: Obj, spec: F, wire_type: int, value: int | bytes, what: str) -> None:
    if spec.map_of:
        key, item = _map_entry(spec, _as_bytes(value, what), what)
        out.setdefault(spec.name, {})[key] = item
    elif spec.repeated:
        out.setdefault(spec.name, []).extend(_repeated(spec, wire_type, value, what))
    elif spec.inline:
        out.update(_value(spec.type, value, what))
    else:
        decoded = _value(spec.type, value, what)
        if spec.type in SCALARS and not spec.keep_zero and spec.type != INT_OR_STRING and _is_zero(decoded):
            out.pop(spec.name, None)
            return
        previous = out.get(spec.name)
        if isinstance(previous, dict) and isinstance(decoded, dict):
            previous.update(decoded)  # a message field seen twice merges, as protobuf specifies
        else:
            out[spec.name] = decoded


def decode_message(name: str, data: bytes) -> Obj:
    """Decode the message ``name`` (a key of ``MESSAGES``) into its JSON-form dict."""
    table = MESSAGES.get(name)
    if table is None:
        raise ProtobufError(f"no decoder for message {name}")
    out: Obj = {}
    for number, wire_type, value in fields(data):
        spec = table.get(number)
        if spec is None:
            raise ProtobufError(f"{name} has no field {number} this server knows")
        _put(out, spec, wire_type, value, f"{name}.{spec.name}")
    return out
