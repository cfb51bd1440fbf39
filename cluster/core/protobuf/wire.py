"""The protobuf wire format, read field by field.

A message is a sequence of ``(field number, wire type, value)`` records: wire
type 0 is a varint, 1 a fixed 8 bytes, 2 a length-prefixed byte string
(strings, bytes, nested messages, packed repeated scalars) and 5 a fixed 4
bytes. Groups (types 3 and 4) are long deprecated and never produced by
Kubernetes' generated code, so they are rejected.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

VARINT = 0
FIXED64 = 1
LENGTH_DELIMITED = 2
FIXED32 = 5

WireValue = int | bytes


class ProtobufError(ValueError):
    """The bytes are not a message this server can decode (answered with 415 UnsupportedMediaType)."""


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    """The unsigned varint starting at ``pos`` and the position after it."""
    result = 0
    shift = 0
    while True:
        if pos >= len(data):
            raise ProtobufError("unexpected end of data inside a varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
        if shift >= 70:
            raise ProtobufError("varint is longer than 10 bytes")


def signed64(value: int) -> int:
    """Go's int32/int64 on the wire: negative numbers are sign-extended to 64 bits (two's complement)."""
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >= 1 << 63 else value


def _take(data: bytes, pos: int, size: int) -> tuple[bytes, int]:
    end = pos + size
    if end > len(data):
        raise ProtobufError(f"field needs {size} bytes but only {len(data) - pos} are left")
    return data[pos:end], end


def fields(data: bytes) -> Iterator[tuple[int, int, WireValue]]:
    """Each record of a message as ``(field number, wire type, value)``; values of types 1 and 5 as ints."""
    pos = 0
    while pos < len(data):
        key, pos = read_varint(data, pos)
        number, wire_type = key >> 3, key & 0x7
        if number == 0:
            raise ProtobufError("field number 0 is not valid")
        value: WireValue
        if wire_type == VARINT:
            value, pos = read_varint(data, pos)
        elif wire_type == LENGTH_DELIMITED:
            size, pos = read_varint(data, pos)
            value, pos = _take(data, pos, size)
        elif wire_type == FIXED64:
            raw, pos = _take(data, pos, 8)
            value = struct.unpack("<Q", raw)[0]
        elif wire_type == FIXED32:
            raw, pos = _take(data, pos, 4)
            value = struct.unpack("<I", raw)[0]
        else:
            raise ProtobufError(f"wire type {wire_type} (field {number}) is not supported")
        yield number, wire_type, value


def packed_varints(data: bytes) -> list[int]:
    """The values of a packed repeated varint field."""
    values: list[int] = []
    pos = 0
    while pos < len(data):
        value, pos = read_varint(data, pos)
        values.append(value)
    return values
