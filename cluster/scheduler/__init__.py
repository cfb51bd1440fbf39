"""The simulated kube-scheduler: filter and score plugins, and the reconciler that binds pods."""

from cluster.scheduler.framework import Decision, schedule_pod
from cluster.scheduler.scheduler import Scheduler

__all__ = ["Decision", "Scheduler", "schedule_pod"]
