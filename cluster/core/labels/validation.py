"""Label key/value and ``LabelSelector`` validation with apimachinery's exact messages.

Learners meet these texts in ``kubectl`` errors (``name part must consist of
alphanumeric characters …``), so they are reproduced word for word, including
Go's ``RegexError`` quirk of two spaces before ``or``.
"""

from __future__ import annotations

import re
from typing import Any

from cluster.core.errors import FieldError, forbidden, invalid, required

_QNAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_QNAME_RE = re.compile(_QNAME_FMT)
_QNAME_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
)
_LABEL_VALUE_FMT = f"({_QNAME_FMT})?"
_LABEL_VALUE_RE = re.compile(_LABEL_VALUE_FMT)
_LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)
_DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_SUBDOMAIN_FMT = _DNS1123_LABEL_FMT + "(\\." + _DNS1123_LABEL_FMT + ")*"
_DNS1123_SUBDOMAIN_RE = re.compile(_DNS1123_SUBDOMAIN_FMT)
_DNS1123_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character"
)


def _regex_error(msg: str, fmt: str, *examples: str) -> str:
    """Go ``validation.RegexError``; note the double space before ``or``."""
    shown = "".join((" or " if i else "") + f"'{example}', " for i, example in enumerate(examples))
    return f"{msg} (e.g. {shown}regex used for validation is '{fmt}')"


def _dns1123_subdomain_errors(value: str) -> list[str]:
    errs = []
    if len(value) > 253:
        errs.append("must be no more than 253 characters")
    if not _DNS1123_SUBDOMAIN_RE.fullmatch(value):
        errs.append(_regex_error(_DNS1123_SUBDOMAIN_MSG, _DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


def qualified_name_errors(value: str) -> list[str]:
    """``validation.IsQualifiedName``: ``[prefix/]name`` as used by label and annotation keys."""
    parts = value.split("/")
    errs: list[str] = []
    if len(parts) > 2:
        detail = _regex_error(_QNAME_MSG, _QNAME_FMT, "MyName", "my.name", "123-abc")
        return [f"a qualified name {detail} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
    name = parts[-1]
    if len(parts) == 2:
        prefix = parts[0]
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            errs.extend("prefix part " + msg for msg in _dns1123_subdomain_errors(prefix))
    if not name:
        errs.append("name part must be non-empty")
    elif len(name) > 63:
        errs.append("name part must be no more than 63 characters")
    if not _QNAME_RE.fullmatch(name):
        errs.append("name part " + _regex_error(_QNAME_MSG, _QNAME_FMT, "MyName", "my.name", "123-abc"))
    return errs


def label_value_errors(value: str) -> list[str]:
    """``validation.IsValidLabelValue``: empty is allowed."""
    errs = []
    if len(value) > 63:
        errs.append("must be no more than 63 characters")
    if not _LABEL_VALUE_RE.fullmatch(value):
        errs.append(_regex_error(_LABEL_VALUE_MSG, _LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


def validate_labels(labels: dict[str, Any] | None, path: str) -> list[FieldError]:
    """``ValidateLabels``: every error is reported at ``path`` itself (e.g. ``metadata.labels``)."""
    errors: list[FieldError] = []
    for key, value in sorted((labels or {}).items()):
        errors.extend(invalid(path, key, msg) for msg in qualified_name_errors(key))
        errors.extend(invalid(path, value, msg) for msg in label_value_errors(str(value)))
    return errors


def validate_label_selector(sel: dict[str, Any] | None, path: str) -> list[FieldError]:
    """``ValidateLabelSelector`` with Kubernetes' wording, e.g. ``spec.selector.matchExpressions[0].operator``."""
    if sel is None:
        return []
    errors = validate_labels(sel.get("matchLabels"), f"{path}.matchLabels")
    for i, expr in enumerate(sel.get("matchExpressions") or []):
        errors.extend(_validate_requirement(expr, f"{path}.matchExpressions[{i}]"))
    return errors


def _validate_requirement(expr: dict[str, Any], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    operator, values = expr.get("operator", ""), expr.get("values") or []
    if operator in ("In", "NotIn"):
        if not values:
            errors.append(required(f"{path}.values", "must be specified when `operator` is 'In' or 'NotIn'"))
    elif operator in ("Exists", "DoesNotExist"):
        if values:
            errors.append(
                forbidden(f"{path}.values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")
            )
    else:
        errors.append(invalid(f"{path}.operator", operator, "not a valid selector operator"))
    key = expr.get("key", "")
    errors.extend(invalid(f"{path}.key", key, msg) for msg in qualified_name_errors(key))
    for j, value in enumerate(values):
        errors.extend(invalid(f"{path}.values[{j}]", value, msg) for msg in label_value_errors(str(value)))
    return errors


def aggregate(errors: list[FieldError]) -> str:
    """``utilerrors.Aggregate.Error()``: one message, or ``[a, b]`` with duplicates dropped."""
    messages = list(dict.fromkeys(e.message() for e in errors))
    return messages[0] if len(messages) == 1 else "[" + ", ".join(messages) + "]"
