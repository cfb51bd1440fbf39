"""Label selectors: how every controller, Service and ``kubectl get -l`` picks objects.

A Deployment owns its ReplicaSets, a ReplicaSet its Pods and a Service its
endpoints *only* through label selectors, so this package is the glue of the
whole control plane. It follows apimachinery's ``labels`` package closely —
grammar, canonical string form and error texts — because learners compare
what they see with real clusters and paste error messages into search engines.

Simplification: Unicode in keys and values is handled per character rather
than per UTF-8 byte.
"""

from cluster.core.labels.parser import parse
from cluster.core.labels.selector import (
    DOES_NOT_EXIST,
    DOUBLE_EQUALS,
    EQUALS,
    EXISTS,
    GREATER_THAN,
    IN,
    LESS_THAN,
    NOT_EQUALS,
    NOT_IN,
    Requirement,
    Selector,
    SelectorError,
    everything,
    format_label_selector,
    format_labels,
    from_label_selector,
    new_requirement,
    nothing,
    selector_from_set,
    selector_string,
)
from cluster.core.labels.validation import (
    label_value_errors,
    qualified_name_errors,
    validate_label_selector,
    validate_labels,
)

__all__ = [
    "DOES_NOT_EXIST",
    "DOUBLE_EQUALS",
    "EQUALS",
    "EXISTS",
    "GREATER_THAN",
    "IN",
    "LESS_THAN",
    "NOT_EQUALS",
    "NOT_IN",
    "Requirement",
    "Selector",
    "SelectorError",
    "everything",
    "format_label_selector",
    "format_labels",
    "from_label_selector",
    "label_value_errors",
    "new_requirement",
    "nothing",
    "parse",
    "qualified_name_errors",
    "selector_from_set",
    "selector_string",
    "validate_label_selector",
    "validate_labels",
]
