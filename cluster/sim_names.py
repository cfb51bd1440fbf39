"""Names of the simulated machines, shared by bootstrap, fault injection and the map."""

CONTROL_PLANE_NODE = "control-plane"


def worker_name(index: int) -> str:
    return f"worker-{index}"
