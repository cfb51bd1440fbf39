"""The Deployment controller package.

``controller`` holds the reconciler and its watches; ``sync`` the plumbing
shared by every path (working copies, the new ReplicaSet, revisions, scaling
one ReplicaSet, cleanup, status); ``scale`` scaling events and paused
deployments; ``rolling`` and ``recreate`` the two strategies; ``progress``
the Progressing condition and deadlines; ``util`` the pure arithmetic that
printers and ``kubectl rollout`` reuse.
"""

from cluster.controllers.deployment.controller import DeploymentController

__all__ = ["DeploymentController"]
