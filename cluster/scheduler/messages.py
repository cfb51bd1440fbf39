"""The FailedScheduling text: ``FitError.Error()`` followed by the preemption (PostFilter) verdict.

Reasons are counted over nodes, printed ``"<count> <reason>"``, sorted as
strings (so ``"10 …"`` sorts before ``"2 …"``, as in Go), joined with ", "
and closed with a period. The preemption part repeats the exercise for
DefaultPreemption: a node rejected for an unresolvable reason is "not
helpful"; any other node could only be freed by evicting lower-priority pods,
and the sandbox's pods all share priority 0, so none are victims.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from cluster.scheduler.filters import Rejection

NO_NODES_AVAILABLE = "no nodes available to schedule pods"
PREEMPTION_NOT_HELPFUL = "Preemption is not helpful for scheduling"
NO_PREEMPTION_VICTIMS = "No preemption victims found for incoming pod"
PREEMPT_NEVER = "not eligible due to preemptionPolicy=Never."


def _histogram(reasons: Iterable[str]) -> str:
    counts = Counter(reasons)
    return ", ".join(sorted(f"{count} {reason}" for reason, count in counts.items()))


def fit_error(num_nodes: int, rejections: Iterable[Rejection], prefilter_msg: str = "") -> str:
    """``0/N nodes are available: <histogram>.`` (or the PreFilter message in place of the histogram)."""
    text = f"0/{num_nodes} nodes are available:"
    if prefilter_msg:
        return f"{text} {prefilter_msg}."
    histogram = _histogram(reason for r in rejections for reason in r.reasons)
    return f"{text} {histogram}." if histogram else text


def preemption_message(num_nodes: int, rejections: Iterable[Rejection], preempt_never: bool) -> str:
    """The PostFilter message, already prefixed with ``preemption: ``."""
    if preempt_never:
        return f"preemption: {PREEMPT_NEVER}"
    verdicts = (PREEMPTION_NOT_HELPFUL if r.unresolvable else NO_PREEMPTION_VICTIMS for r in rejections)
    return f"preemption: 0/{num_nodes} nodes are available: {_histogram(verdicts)}."


def failed_scheduling(
    num_nodes: int, rejections: list[Rejection], *, prefilter_msg: str = "", preempt_never: bool = False
) -> str:
    """The whole message of the ``PodScheduled=False`` condition and the FailedScheduling event."""
    if num_nodes == 0:
        return NO_NODES_AVAILABLE
    fit = fit_error(num_nodes, rejections, prefilter_msg)
    return f"{fit} {preemption_message(num_nodes, rejections, preempt_never)}"
