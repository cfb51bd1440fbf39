"""Defaults for networking.k8s.io/v1 Ingress: there are none.

In networking.k8s.io/v1 ``pathType`` is required and deliberately *not*
defaulted (the old ``extensions/v1beta1`` default of ImplementationSpecific
is gone), so an Ingress path without it fails validation with
``spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified``.
"""

from __future__ import annotations

from typing import Any


def default_ingress(_ingress: dict[str, Any]) -> None:
    """Nothing to default; kept so every kind has an explicit defaulter."""
