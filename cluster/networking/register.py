"""Importing this module plugs the networking reconcilers into every new ``SimCluster``.

The cloud provider's service controller (LoadBalancer IPs), the ingress
controller's status loop and the load generator join the control plane
through ``cluster.extensions`` like any later feature, without touching the
engine.
"""

from __future__ import annotations

from cluster import extensions
from cluster.networking.cloud import LoadBalancerController
from cluster.networking.ingress_controller import IngressController
from cluster.networking.loadgen import LoadGenerator

extensions.register_reconciler(LoadBalancerController)
extensions.register_reconciler(IngressController)
extensions.register_reconciler(LoadGenerator)
