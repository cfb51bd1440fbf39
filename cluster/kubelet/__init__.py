"""The simulated kubelet: pod stages over simulated time, node status, and the built-in image registry."""

from cluster.kubelet.kubelet import Kubelet
from cluster.kubelet.logs import container_logs
from cluster.kubelet.nodestatus import new_node, node_ready_conditions

__all__ = ["Kubelet", "container_logs", "new_node", "node_ready_conditions"]
