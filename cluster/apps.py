"""The ``cluster`` Django app: the thin shell around the pure simulation core."""

from __future__ import annotations

import gc

from django.apps import AppConfig

# The cyclic garbage collector runs a generation-0 pass every GC_GEN0_THRESHOLD net allocations (CPython's
# default is 700). The simulation allocates dicts by the million - API objects are JSON maps, copied on every
# write - while a process keeps whole clusters in memory, so at the default most passes find nothing to free and
# the older generations are rescanned often: scaling a deployment to 1,000 pods spent about 40 % of its time in
# the collector (``manage.py bench control-plane``: 295-324 pods/s through the database at 700, 511-592 at
# 20,000, the same peak memory). Reference cycles are still collected, only less often.
GC_GEN0_THRESHOLD = 20_000


class ClusterConfig(AppConfig):
    name = "cluster"
    verbose_name = "Simulated clusters"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Tune the collector once per process (web server, worker, management command, test run)."""
        _, gen1, gen2 = gc.get_threshold()
        gc.set_threshold(GC_GEN0_THRESHOLD, gen1, gen2)
