"""The metrics pipeline: what metrics-server would report for the simulated cluster.

Pure like the rest of the core (time is passed in). ``profiles`` says what
each app and node costs, ``usage`` turns a pod's request counters into CPU
and memory over metrics-server's 15 s window, ``server`` answers per pod,
container and node, and ``model`` holds the ``metrics.k8s.io`` objects.
The HPA controller and ``kubectl top`` read the same numbers.
"""

from cluster.metrics.model import ContainerUsage, NodeMetrics, PodMetrics, milli_cpu
from cluster.metrics.profiles import PROFILES, AppProfile, app_for_image, node_baseline
from cluster.metrics.server import MetricsServer, Reader
from cluster.metrics.usage import WINDOW_MS, requests_in_window, scrape_time

__all__ = [
    "PROFILES",
    "WINDOW_MS",
    "AppProfile",
    "ContainerUsage",
    "MetricsServer",
    "NodeMetrics",
    "PodMetrics",
    "Reader",
    "app_for_image",
    "milli_cpu",
    "node_baseline",
    "requests_in_window",
    "scrape_time",
]
