"""Content negotiation and request parameters, as the API server reads them.

``Accept`` chooses the response form: a ``meta.k8s.io`` Table (``as=Table``,
what ``kubectl get`` asks for), ``PartialObjectMetadata[List]``, or the
aggregated discovery document (``as=APIGroupDiscoveryList``); everything
else is answered in plain JSON (also to clients that prefer protobuf, which
all accept JSON). ``Content-Type`` decides how a body is read: JSON, YAML,
or Kubernetes protobuf.
"""

from __future__ import annotations

import json
from typing import Any

from cluster.core import errors
from cluster.core.protobuf import MEDIA_TYPE as PROTOBUF
from cluster.core.protobuf import ProtobufError, decode_object

MediaRange = tuple[str, dict[str, str]]
FIELD_VALIDATION = ("Ignore", "Warn", "Strict")
TRUE = ("true", "1", "True")


def media_ranges(header: str) -> list[MediaRange]:
    """``type/subtype;k=v`` entries of an Accept (or Content-Type) header, in order."""
    out: list[MediaRange] = []
    for entry in header.split(","):
        pieces = [p.strip() for p in entry.split(";")]
        if not pieces[0]:
            continue
        params = {}
        for piece in pieces[1:]:
            key, _, value = piece.partition("=")
            params[key.strip()] = value.strip().strip('"')
        out.append((pieces[0].lower(), params))
    return out


def _as(accept: str, as_values: tuple[str, ...], group: str, versions: tuple[str, ...]) -> tuple[str, str] | None:
    for media, params in media_ranges(accept):
        if media not in ("application/json", "*/*") or params.get("as") not in as_values:
            continue
        if params.get("g") == group and params.get("v") in versions:
            return params["as"], params["v"]
    return None


def table_version(accept: str) -> str | None:
    """``v1``/``v1beta1`` when the client asks for a server-side Table."""
    found = _as(accept, ("Table",), "meta.k8s.io", ("v1", "v1beta1"))
    return found[1] if found else None


def partial_metadata(accept: str) -> tuple[str, str] | None:
    """``(PartialObjectMetadata[List], version)`` when the client asks for metadata only."""
    return _as(accept, ("PartialObjectMetadata", "PartialObjectMetadataList"), "meta.k8s.io", ("v1", "v1beta1"))


def discovery_version(accept: str) -> str | None:
    """``v2``/``v2beta1`` when the client understands the aggregated discovery document."""
    found = _as(accept, ("APIGroupDiscoveryList",), "apidiscovery.k8s.io", ("v2", "v2beta1"))
    return found[1] if found else None


# -- bodies ----------------------------------------------------------------------------------------------------
def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def decode_body(body: bytes, content_type: str) -> Any:
    """The request body as JSON-form data; 400 when it cannot be parsed, 415 for an unknown media type."""
    media = media_type(content_type)
    if media == PROTOBUF:
        try:
            return decode_object(body)
        except ProtobufError as exc:
            raise errors.ApiError(
                415, "UnsupportedMediaType", f"the protobuf body could not be decoded: {exc}"
            ) from exc
    if media in (
        "",
        "application/json",
        "application/merge-patch+json",
        "application/strategic-merge-patch+json",
        "application/json-patch+json",
    ):
        return _json(body)
    if media in ("application/yaml", "application/apply-patch+yaml"):
        return _yaml(body)
    raise errors.unsupported_media_type(media)


def _json(body: bytes) -> Any:
    from cluster.kubectl.manifests import MAX_DEPTH, nesting_depth

    if not body.strip():
        raise errors.bad_request("the request body is empty")
    too_deep = errors.bad_request(f"the request body is nested more than {MAX_DEPTH} levels deep")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.bad_request(f"the request body is not valid JSON: {exc}") from exc
    except RecursionError:
        raise too_deep from None
    if nesting_depth(data) > MAX_DEPTH:
        raise too_deep
    return data


def _yaml(body: bytes) -> Any:
    from cluster.kubectl.manifests import ManifestError, load_documents

    try:
        docs = load_documents(body.decode("utf-8", "replace"), "the request body")
    except ManifestError as exc:
        raise errors.bad_request(str(exc)) from exc
    if len(docs) != 1:
        raise errors.bad_request("the request body must hold exactly one object")
    return docs[0]


# -- query parameters ----------------------------------------------------------------------------------------------
def flag(query: dict[str, list[str]], name: str) -> bool:
    return any(v in TRUE for v in query.get(name, []))


def text(query: dict[str, list[str]], name: str, default: str = "") -> str:
    values = query.get(name)
    return values[-1] if values else default


def integer(query: dict[str, list[str]], name: str) -> int | None:
    raw = text(query, name)
    if raw == "":
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise errors.bad_request(f'invalid value "{raw}" for query parameter {name}: not an integer') from exc


def dry_run(query: dict[str, list[str]], body_values: list[str] | None = None) -> bool:
    values = [*query.get("dryRun", []), *(body_values or [])]
    for value in values:
        if value != "All":
            raise errors.bad_request(f'dryRun: Unsupported value: "{value}": supported values: "All"')
    return bool(values)


def field_validation(query: dict[str, list[str]]) -> str:
    """``fieldValidation`` (Warn when absent, as on Kubernetes 1.23+)."""
    value = text(query, "fieldValidation") or "Warn"
    if value not in FIELD_VALIDATION:
        raise errors.bad_request(
            f'fieldValidation: Unsupported value: "{value}": supported values: "Ignore", "Warn", "Strict"'
        )
    return value


def warning_header(text_: str) -> str:
    """A ``Warning`` response header value (RFC 7234 form kubectl prints as ``Warning: <text>``)."""
    escaped = text_.replace("\\", "\\\\").replace('"', '\\"')
    return f'299 - "{escaped}"'
