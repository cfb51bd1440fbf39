"""Taints against tolerations, and nodes against a pod's node selector and node affinity.

These are the predicates of ``k8s.io/api/core/v1`` (``Toleration.ToleratesTaint``)
and ``component-helpers/scheduling/corev1/nodeaffinity``, which the scheduler,
the kubelet's admission and the taint-eviction controller all share. A term
that cannot be parsed (an ``In`` without values, a ``Gt`` with a non-integer)
matches no node, as in Kubernetes, instead of failing the whole pod.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

Obj = dict[str, Any]

NO_SCHEDULE = "NoSchedule"
PREFER_NO_SCHEDULE = "PreferNoSchedule"
NO_EXECUTE = "NoExecute"
OBJECT_NAME_FIELD = "metadata.name"


# ------------------------------------------------------------------------------------- taints


def tolerates(toleration: Mapping[str, Any], taint: Mapping[str, Any]) -> bool:
    """``Toleration.ToleratesTaint``: empty effect/key match any; operator "" means Equal."""
    effect = toleration.get("effect") or ""
    if effect and effect != taint.get("effect"):
        return False
    key = toleration.get("key") or ""
    if key and key != taint.get("key"):
        return False
    operator = toleration.get("operator") or "Equal"
    if operator == "Exists":
        return True
    return operator == "Equal" and (toleration.get("value") or "") == (taint.get("value") or "")


def tolerated(tolerations: Iterable[Mapping[str, Any]], taint: Mapping[str, Any]) -> bool:
    return any(tolerates(t, taint) for t in tolerations)


def first_untolerated(
    taints: Iterable[Mapping[str, Any]], tolerations: list[Mapping[str, Any]], effects: tuple[str, ...]
) -> Mapping[str, Any] | None:
    """The first taint with one of ``effects`` that no toleration tolerates (``FindMatchingUntoleratedTaint``)."""
    for taint in taints:
        if taint.get("effect") in effects and not tolerated(tolerations, taint):
            return taint
    return None


def taint_text(taint: Mapping[str, Any]) -> str:
    """``{key: value}`` as the TaintToleration filter prints it (an empty value prints as nothing)."""
    return "{" + f"{taint.get('key', '')}: {taint.get('value') or ''}" + "}"


# ------------------------------------------------------------------------------ node selector terms


def _int(text: str) -> int | None:
    try:
        return int(text, 10)
    except ValueError:
        return None


def _label_requirement(req: Mapping[str, Any], labels: Mapping[str, str]) -> bool | None:
    """One ``matchExpressions`` entry; None when it does not parse (the whole term then matches nothing)."""
    key, op = str(req.get("key", "")), str(req.get("operator", ""))
    values = [str(v) for v in req.get("values") or []]
    present = key in labels
    if op in ("In", "NotIn"):
        if not values:
            return None
        return (present and labels[key] in values) == (op == "In")
    if op in ("Exists", "DoesNotExist"):
        if values:
            return None
        return present == (op == "Exists")
    if op in ("Gt", "Lt"):
        bound = _int(values[0]) if len(values) == 1 else None
        if bound is None:
            return None
        actual = _int(labels[key]) if present else None
        if actual is None:
            return False
        return actual > bound if op == "Gt" else actual < bound
    return None


def _field_requirement(req: Mapping[str, Any], node_name: str) -> bool | None:
    """One ``matchFields`` entry: only ``metadata.name`` with In/NotIn and exactly one value parse."""
    values = list(req.get("values") or [])
    if req.get("key") != OBJECT_NAME_FIELD or len(values) != 1:
        return None
    value = str(values[0])
    if req.get("operator") == "In":
        return node_name == value
    if req.get("operator") == "NotIn":
        return node_name != value
    return None


def term_matches(term: Mapping[str, Any], labels: Mapping[str, str], node_name: str) -> bool:
    """A ``NodeSelectorTerm``: its expressions and fields are ANDed; an empty term matches nothing."""
    exprs = term.get("matchExpressions") or []
    fields = term.get("matchFields") or []
    if not exprs and not fields:
        return False
    results = [_label_requirement(r, labels) for r in exprs]
    results += [_field_requirement(r, node_name) for r in fields]
    return all(r is True for r in results)


@dataclass(frozen=True)
class RequiredNodeAffinity:
    """``nodeSelector`` AND the required node-affinity terms (ORed), as ``GetRequiredNodeAffinity``."""

    node_selector: Mapping[str, str]
    terms: tuple[Mapping[str, Any], ...] | None  # None: no required node affinity at all

    @staticmethod
    def of(pod: Obj) -> RequiredNodeAffinity:
        spec = pod.get("spec") or {}
        required = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
            "requiredDuringSchedulingIgnoredDuringExecution"
        )
        terms = None if required is None else tuple(required.get("nodeSelectorTerms") or [])
        return RequiredNodeAffinity(spec.get("nodeSelector") or {}, terms)

    @property
    def empty(self) -> bool:
        return not self.node_selector and self.terms is None

    def matches(self, node: Obj) -> bool:
        meta = node.get("metadata") or {}
        labels = meta.get("labels") or {}
        if any(labels.get(k) != v for k, v in self.node_selector.items()):
            return False
        if self.terms is None:
            return True
        return any(term_matches(t, labels, meta.get("name", "")) for t in self.terms)


def preferred_terms(pod: Obj) -> list[tuple[int, Mapping[str, Any]]]:
    """``(weight, preference)`` of the preferred node-affinity terms; weight-0 terms are dropped."""
    spec = pod.get("spec") or {}
    preferred = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
        "preferredDuringSchedulingIgnoredDuringExecution"
    )
    out = []
    for item in preferred or []:
        weight = int(item.get("weight") or 0)
        if weight:
            out.append((weight, item.get("preference") or {}))
    return out


def required_node_names(pod: Obj) -> set[str] | None:
    """NodeAffinity's PreFilter: the node names a ``matchFields metadata.name In`` pins the pod to.

    None when every term leaves all nodes possible (one term without such a
    field is enough, terms being ORed); an empty set when the terms conflict.
    """
    required = RequiredNodeAffinity.of(pod).terms
    if not required:
        return None
    names: set[str] = set()
    for term in required:
        term_names: set[str] | None = None
        for req in term.get("matchFields") or []:
            if req.get("key") == OBJECT_NAME_FIELD and req.get("operator") == "In":
                values = set(req.get("values") or [])
                term_names = values if term_names is None else term_names & values
        if term_names is None:
            return None
        names |= term_names
    return names
