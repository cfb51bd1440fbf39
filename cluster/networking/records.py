"""``traffic.request`` records: one per request (or per sampled group of a load run) for the page.

The page animates client → entry (``localhost:30000``, a node IP, a LoadBalancer
IP, the ingress) → node → Service → pod and shows the answer, so a record says
exactly that: ``{seq, at_ms, client, entry, node, service, namespace, pod,
pod_ip, status, latency_ms, proxy_mode}`` plus ``method``, ``path``,
``error`` (curl's text for a failed connection, status 0), ``count`` (how many
identical requests it stands for) and ``sampled`` (true for load-run
summaries; the pods' counters stay exact). ``SimCluster.traffic`` collects
them; the shell drains them after each commit and publishes them, like trace
steps.
"""

from __future__ import annotations

from typing import Any

TrafficRecord = dict[str, Any]
FIELDS = (
    "seq",
    "at_ms",
    "client",
    "entry",
    "node",
    "service",
    "namespace",
    "pod",
    "pod_ip",
    "status",
    "latency_ms",
    "proxy_mode",
)


def new_record(**fields: Any) -> TrafficRecord:
    record: TrafficRecord = {
        name: fields.pop(name, "" if name not in ("seq", "at_ms", "status", "latency_ms") else 0) for name in FIELDS
    }
    record.update({"method": "GET", "path": "/", "error": "", "count": 1, "sampled": False})
    record.update(fields)
    return record


def message(record: TrafficRecord) -> dict[str, Any]:
    """The browser message for a record (DESIGN §5)."""
    return {"type": "traffic.request", **record}


class TrafficLog:
    """Records waiting to be published; bounded so an unwatched sandbox cannot grow without limit."""

    def __init__(self, limit: int = 5_000) -> None:
        self.records: list[TrafficRecord] = []
        self.limit = limit

    def extend(self, records: list[TrafficRecord]) -> None:
        self.records.extend(records)
        if len(self.records) > self.limit:
            del self.records[: len(self.records) - self.limit]

    def drain(self) -> list[TrafficRecord]:
        records, self.records = self.records, []
        return records
