"""The schema vocabulary: named definitions made of typed, described fields.

Kubernetes publishes one OpenAPI component per Go struct
(``io.k8s.api.apps.v1.DeploymentSpec``); ``kubectl explain``, strict decoding
and the OpenAPI document all read that structure. We keep the same shape as
plain data: a ``Definition`` per struct, a ``Field`` per JSON key, and type
strings in Go-ish notation that point at other definitions by their full name:

* primitives: ``string``, ``integer``, ``number``, ``boolean``;
* ``object``: free-form JSON (nothing below it is checked);
* ``[]T`` and ``map[string]T``;
* anything else: the full name of a ``Definition`` (``io.k8s.api.core.v1.Container``).

Descriptions are short paraphrases, written for learners.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

PRIMITIVES = ("string", "integer", "number", "boolean", "object")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()


@dataclass(frozen=True)
class Definition:
    """One OpenAPI component. ``scalar`` marks wrapper types serialised as a plain JSON value."""

    name: str
    description: str
    fields: tuple[Field, ...] = ()
    gvk: tuple[str, str, str] | None = None  # (group, version, kind)
    scalar: str = ""  # "string" (Time), "int-or-string", "quantity", "object" (free-form)

    @cached_property
    def _by_name(self) -> dict[str, Field]:
        return {fld.name: fld for fld in self.fields}

    def field(self, name: str) -> Field | None:
        return self._by_name.get(name)

    @property
    def short_name(self) -> str:
        return self.name.rsplit(".", 1)[-1]


DEFINITIONS: dict[str, Definition] = {}
# (apiVersion, kind) -> definition name of a top-level kind
KINDS: dict[tuple[str, str], str] = {}
# kind -> the version ``kubectl explain`` and the API server prefer
PREFERRED: dict[str, str] = {}


def f(name: str, type_: str, description: str, *, required: bool = False, enum: tuple[str, ...] = ()) -> Field:
    return Field(name, type_, description, required, enum)


def define(name: str, description: str, *fields: Field) -> str:
    """Register a struct definition; returns its name so callers can use it as a type."""
    DEFINITIONS[name] = Definition(name, description, tuple(fields))
    return name


def define_scalar(name: str, description: str, scalar: str) -> str:
    DEFINITIONS[name] = Definition(name, description, scalar=scalar)
    return name


def define_kind(name: str, description: str, gvk: tuple[str, str, str], *fields: Field, preferred: bool = True) -> str:
    """Register a top-level kind: ``apiVersion``/``kind``/``metadata`` come first, as in every kind."""
    group, version, kind = gvk
    DEFINITIONS[name] = Definition(name, description, tuple(fields), gvk=gvk)
    KINDS[(f"{group}/{version}" if group else version, kind)] = name
    if preferred or kind not in PREFERRED:
        PREFERRED[kind] = name
    return name


def list_of(type_: str) -> str:
    return "[]" + type_


def map_of(type_: str) -> str:
    return "map[string]" + type_


def element_type(type_: str) -> tuple[str, str]:
    """``("list", T)``, ``("map", T)`` or ``("", type_)``."""
    if type_.startswith("[]"):
        return "list", type_[2:]
    if type_.startswith("map[string]"):
        return "map", type_[len("map[string]") :]
    return "", type_


def definition(name: str) -> Definition:
    return DEFINITIONS[name]


def kind_definition(kind: str, api_version: str | None = None) -> Definition | None:
    """The definition for a kind, in ``api_version`` when given and known, else the preferred version."""
    if api_version and (api_version, kind) in KINDS:
        return DEFINITIONS[KINDS[(api_version, kind)]]
    name = PREFERRED.get(kind)
    return DEFINITIONS[name] if name else None
