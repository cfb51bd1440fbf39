"""What a cluster keeps for itself: immortal namespaces and the API server's ``kubernetes`` Service."""

from __future__ import annotations

import pytest

from cluster.apiserver.context import RequestContext
from cluster.core import errors
from cluster.sim import SimCluster

KUBECTL = RequestContext(actor="kubectl", component="kubectl")


@pytest.mark.parametrize("name", ["default", "kube-system", "kube-public"])
def test_an_immortal_namespace_may_not_be_deleted(name: str) -> None:
    cluster = SimCluster.new(nodes=1)
    with pytest.raises(errors.ApiError) as err:
        cluster.api.delete("Namespace", "", name, KUBECTL)
    assert (err.value.code, err.value.reason) == (403, "Forbidden")
    assert err.value.message == f'namespaces "{name}" is forbidden: this namespace may not be deleted'
    cluster.advance(60_000)
    ns = cluster.get("Namespace", "", name)
    assert ns is not None and not ns["metadata"].get("deletionTimestamp")


def test_another_namespace_can_still_be_deleted() -> None:
    cluster = SimCluster.new(nodes=1)
    cluster.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}}, KUBECTL)
    cluster.api.delete("Namespace", "", "dev", KUBECTL)
    cluster.advance(30_000)
    assert cluster.get("Namespace", "", "dev") is None


def test_the_kubernetes_service_comes_back_on_the_next_ten_second_tick() -> None:
    cluster = SimCluster.new(nodes=1)
    cluster.advance(2_500 - cluster.now_ms % 10_000 + 10_000)  # a little after a tick
    cluster.api.delete("Service", "default", "kubernetes", KUBECTL)
    cluster.advance(1_000)
    assert cluster.get("Service", "default", "kubernetes") is None
    cluster.advance(10_000)
    service = cluster.get("Service", "default", "kubernetes")
    assert service is not None and service["spec"]["clusterIP"] == "10.96.0.1"
    endpoints = cluster.get("Endpoints", "default", "kubernetes")
    assert endpoints is not None and endpoints["subsets"][0]["ports"][0]["port"] == 6443
