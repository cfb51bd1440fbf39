"""The HorizontalPodAutoscaler controller package.

``controller`` holds the reconciler and ``reconcileAutoscaler``; ``target``
reads the target's scale subresource; ``metrics`` turns each metric into a
proposal and a ``currentMetrics`` entry; ``calculator`` is the replica
calculator; ``behavior`` stabilizes and rate-limits the result; ``sync``
holds one sync's working status and actions; ``memory`` what persists
between syncs. Importing the package registers the controller with the
engine (``cluster.extensions``).
"""

from cluster import extensions
from cluster.controllers.hpa.controller import HorizontalPodAutoscalerController

extensions.register_reconciler(HorizontalPodAutoscalerController)

__all__ = ["HorizontalPodAutoscalerController"]
