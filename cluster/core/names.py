"""Object names, label keys and values, annotations: apimachinery's rules and exact messages.

Learners meet these messages first (``kubectl run My_Pod`` …) and paste them
into search engines, so every string is the one ``k8s.io/apimachinery``
``util/validation`` produces, including the double space before ``or`` in the
example list (an artefact of how ``RegexError`` joins its examples).

Simplification: lengths are counted in characters, not UTF-8 bytes; the
regexes only accept ASCII anyway, so this only matters for the annotation
size limit, which counts bytes as Kubernetes does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from cluster.core.errors import FieldError, invalid, too_long

DNS1123_LABEL_MAX = 63
DNS1123_SUBDOMAIN_MAX = 253
DNS1035_LABEL_MAX = 63
QUALIFIED_NAME_MAX = 63
LABEL_VALUE_MAX = 63
TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024

_DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character"
)
DNS1123_SUBDOMAIN_FMT = _DNS1123_LABEL_FMT + "(\\." + _DNS1123_LABEL_FMT + ")*"
_DNS1123_SUBDOMAIN_FMT = DNS1123_SUBDOMAIN_FMT
_DNS1123_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character"
)
_DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
_DNS1035_LABEL_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
    "start with an alphabetic character, and end with an alphanumeric character"
)
_QNAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_QNAME_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
)
_LABEL_VALUE_FMT = "(" + _QNAME_FMT + ")?"
_LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)

_DNS1123_LABEL_RE = re.compile(_DNS1123_LABEL_FMT)
_DNS1123_SUBDOMAIN_RE = re.compile(_DNS1123_SUBDOMAIN_FMT)
_DNS1035_LABEL_RE = re.compile(_DNS1035_LABEL_FMT)
_QNAME_RE = re.compile(_QNAME_FMT)
_LABEL_VALUE_RE = re.compile(_LABEL_VALUE_FMT)


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """``validation.RegexError``: ``msg (e.g. 'a',  or 'b', regex used for validation is 'fmt')``."""
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    shown = "".join((" or " if i else "") + f"'{example}', " for i, example in enumerate(examples))
    return f"{msg} (e.g. {shown}regex used for validation is '{fmt}')"


def max_len_error(length: int) -> str:
    return f"must be no more than {length} characters"


def _matches(pattern: re.Pattern[str], value: str) -> bool:
    return pattern.fullmatch(value) is not None


def is_dns1123_label(value: str) -> list[str]:
    """Namespaces, container and port names: ``[a-z0-9]([-a-z0-9]*[a-z0-9])?``, at most 63 characters."""
    errs = []
    if len(value) > DNS1123_LABEL_MAX:
        errs.append(max_len_error(DNS1123_LABEL_MAX))
    if not _matches(_DNS1123_LABEL_RE, value):
        if _matches(_DNS1123_SUBDOMAIN_RE, value):
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(_DNS1123_LABEL_MSG, _DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


def is_dns1123_subdomain(value: str) -> list[str]:
    """Most object names (pods, deployments, configmaps …): dot-separated labels, at most 253 characters."""
    errs = []
    if len(value) > DNS1123_SUBDOMAIN_MAX:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX))
    if not _matches(_DNS1123_SUBDOMAIN_RE, value):
        errs.append(regex_error(_DNS1123_SUBDOMAIN_MSG, _DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


def is_dns1035_label(value: str) -> list[str]:
    """Service names: like a DNS-1123 label but must start with a letter (they become DNS names)."""
    errs = []
    if len(value) > DNS1035_LABEL_MAX:
        errs.append(max_len_error(DNS1035_LABEL_MAX))
    if not _matches(_DNS1035_LABEL_RE, value):
        errs.append(regex_error(_DNS1035_LABEL_MSG, _DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


def is_qualified_name(value: str) -> list[str]:
    """Label and annotation keys: ``[dns-subdomain-prefix/]name`` with a 63-character name part."""
    parts = value.split("/")
    if len(parts) > 2:
        detail = regex_error(_QNAME_MSG, _QNAME_FMT, "MyName", "my.name", "123-abc")
        return [f"a qualified name {detail} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
    errs: list[str] = []
    if len(parts) == 2:
        prefix = parts[0]
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            errs.extend("prefix part " + msg for msg in is_dns1123_subdomain(prefix))
    name = parts[-1]
    if not name:
        errs.append("name part must be non-empty")
    elif len(name) > QUALIFIED_NAME_MAX:
        errs.append("name part " + max_len_error(QUALIFIED_NAME_MAX))
    if not _matches(_QNAME_RE, name):
        errs.append("name part " + regex_error(_QNAME_MSG, _QNAME_FMT, "MyName", "my.name", "123-abc"))
    return errs


def is_valid_label_value(value: str) -> list[str]:
    """Label values: empty, or alphanumerics with ``-_.`` inside, at most 63 characters."""
    errs = []
    if len(value) > LABEL_VALUE_MAX:
        errs.append(max_len_error(LABEL_VALUE_MAX))
    if not _matches(_LABEL_VALUE_RE, value):
        errs.append(regex_error(_LABEL_VALUE_MSG, _LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


def is_valid_path_segment_name(value: str) -> list[str]:
    """``path.IsValidPathSegmentName``: any name that can be a URL path segment."""
    if value in (".", ".."):
        return [f"may not be '{value}'"]
    return [f"may not contain '{bad}'" for bad in ("/", "%") if bad in value]


def _mask_trailing_dash(name: str) -> str:
    """A ``generateName`` prefix may end in ``-``: the random suffix follows it.

    Like upstream, this drops the last *two* characters before appending ``a``;
    only "no longer ends in a dash" matters, and diverging would change which
    prefixes validate.
    """
    return name[:-2] + "a" if len(name) > 1 and name.endswith("-") else name


_NAME_RULES: dict[str, Callable[[str], list[str]]] = {
    "subdomain": is_dns1123_subdomain,
    "label": is_dns1123_label,
    "dns1035": is_dns1035_label,
    "path": is_valid_path_segment_name,
}


def validate_object_name(rule: str, name: str, prefix: bool = False) -> list[str]:
    """Messages for ``metadata.name`` under a kind's name rule (``prefix``: checking a ``generateName``)."""
    check = _NAME_RULES[rule]
    if prefix and rule != "path":
        name = _mask_trailing_dash(name)
    return check(name)


def validate_generate_name(
    rule: str, generate_name: str | None, path: str = "metadata.generateName"
) -> list[FieldError]:
    if not generate_name:
        return []
    return [invalid(path, generate_name, msg) for msg in validate_object_name(rule, generate_name, prefix=True)]


def validate_labels(labels: dict[str, Any] | None, path: str) -> list[FieldError]:
    """``ValidateLabels``: every error is reported at ``path`` itself (e.g. ``metadata.labels``), keys sorted."""
    errors: list[FieldError] = []
    for key in sorted(labels or {}):
        errors.extend(invalid(path, key, msg) for msg in is_qualified_name(key))
        value = (labels or {})[key]
        text = value if isinstance(value, str) else str(value)
        errors.extend(invalid(path, text, msg) for msg in is_valid_label_value(text))
    return errors


def annotations_size(annotations: dict[str, Any]) -> int:
    return sum(len(str(k).encode()) + len(str(v).encode()) for k, v in annotations.items())


def validate_annotations(annotations: dict[str, Any] | None, path: str) -> list[FieldError]:
    """``ValidateAnnotations``: keys are qualified names (case-insensitive); total size at most 256 KiB."""
    annotations = annotations or {}
    errors: list[FieldError] = []
    for key in sorted(annotations):
        errors.extend(invalid(path, key, msg) for msg in is_qualified_name(key.lower()))
    if annotations_size(annotations) > TOTAL_ANNOTATION_SIZE_LIMIT:
        errors.append(too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT))
    return errors
