"""``validate_object_meta``: bare metadata takes a short cut that must report exactly what the full checks do."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.apiserver.validation.common import validate_object_meta


def messages(meta: dict[str, Any]) -> list[str]:
    return [f"{e.field}: {e.detail or e.type}" for e in validate_object_meta(meta, "subdomain")]


@pytest.mark.parametrize(
    "meta",
    [
        {"name": "a", "namespace": "default"},
        {"name": "a", "labels": {}, "annotations": None, "ownerReferences": [], "finalizers": [], "generateName": ""},
        {"name": "a", "generation": 3},
    ],
)
def test_bare_metadata_is_valid(meta: dict[str, Any]) -> None:
    assert validate_object_meta(meta, "subdomain") == []


def test_bare_metadata_still_rejects_a_negative_generation() -> None:
    assert messages({"name": "a", "generation": -1}) == ["metadata.generation: must be greater than or equal to 0"]


@pytest.mark.parametrize(
    ("meta", "field"),
    [
        ({"labels": {"bad key!": "v"}}, "metadata.labels"),
        ({"annotations": {"bad key!": "v"}}, "metadata.annotations"),
        ({"ownerReferences": [{"apiVersion": "v1", "kind": "Pod"}]}, "metadata.ownerReferences.name"),
        ({"finalizers": ["a", "a"]}, "metadata.finalizers"),
        ({"generateName": "Bad_"}, "metadata.generateName"),
    ],
)
def test_each_populated_field_is_still_checked(meta: dict[str, Any], field: str) -> None:
    assert field in [e.field for e in validate_object_meta({"name": "a", **meta}, "subdomain")]


def test_a_bad_name_is_reported_with_the_other_errors() -> None:
    from cluster.apiserver.context import RequestContext
    from cluster.core import errors
    from cluster.sim import SimCluster

    cluster = SimCluster.new(nodes=1)
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "My_Pod"}, "spec": {"containers": [{"name": "c"}]}}
    with pytest.raises(errors.ApiError) as err:
        cluster.api.create(pod, RequestContext(actor="kubectl", component="kubectl"))
    fields = [cause["field"] for cause in err.value.details["causes"]]
    assert fields == ["metadata.name", "spec.containers[0].image"]
