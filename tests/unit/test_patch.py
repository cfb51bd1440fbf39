from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cluster.core.patch import (
    PatchError,
    create_merge_patch,
    create_strategic_patch,
    create_three_way_patch,
    json_patch,
    merge_patch,
    strategic_merge_patch,
)

Obj = dict[str, Any]
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def deployment(**changes: Any) -> Obj:
    """The object ``kubectl create deployment web --image=nginx:1.25`` would POST."""
    obj: Obj = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]},
            },
        },
    }
    obj.update(changes)
    return obj


def containers(obj: Obj) -> list[Obj]:
    result: list[Obj] = obj["spec"]["template"]["spec"]["containers"]
    return result


def live(manifest: Obj) -> Obj:
    """What the API server stores: metadata, defaults and status added to the manifest."""
    obj = copy.deepcopy(manifest)
    obj["metadata"].update(
        {"namespace": "default", "uid": "u-1", "resourceVersion": "42", "creationTimestamp": "2026-11-25T04:18:53Z"}
    )
    obj["metadata"].setdefault("annotations", {})["deployment.kubernetes.io/revision"] = "1"
    obj["spec"]["strategy"] = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}
    obj["spec"]["revisionHistoryLimit"] = 10
    for container in containers(obj):
        container.update(
            {
                "imagePullPolicy": "IfNotPresent",
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
                "resources": {},
            }
        )
    obj["status"] = {"replicas": 3, "conditions": [{"type": "Available", "status": "True"}]}
    return obj


# ---------------------------------------------------------------- RFC 7386 merge patch


@pytest.mark.parametrize(
    ("target", "patch", "expected"),
    [
        (
            {"spec": {"replicas": 1, "paused": True}},
            {"spec": {"replicas": 5}},
            {"spec": {"replicas": 5, "paused": True}},
        ),
        (
            {"metadata": {"labels": {"a": "1", "b": "2"}}},
            {"metadata": {"labels": {"b": None}}},
            {"metadata": {"labels": {"a": "1"}}},
        ),
        ({"l": [1, 2, 3]}, {"l": [4]}, {"l": [4]}),
        ({"a": "x"}, {"a": {"b": "c", "d": None}}, {"a": {"b": "c"}}),
        ({"a": 1}, {}, {"a": 1}),
        ({"a": 1}, [1], [1]),
    ],
)
def test_merge_patch(target: Any, patch: Any, expected: Any) -> None:
    before = copy.deepcopy(target)
    assert merge_patch(target, patch) == expected
    assert target == before


def test_scale_via_merge_patch_keeps_the_rest_of_the_object() -> None:
    obj = live(deployment())
    scaled = merge_patch(obj, {"spec": {"replicas": 5}})
    assert scaled["spec"]["replicas"] == 5
    assert scaled["spec"]["template"] == obj["spec"]["template"]
    assert obj["spec"]["replicas"] == 3


@pytest.mark.parametrize(
    ("original", "modified", "patch"),
    [
        ({"a": 1, "b": 2}, {"a": 1, "b": 3}, {"b": 3}),
        ({"a": 1, "b": 2}, {"a": 1}, {"b": None}),
        ({"m": {"x": 1, "y": 2}}, {"m": {"x": 1, "y": 3}}, {"m": {"y": 3}}),
        ({"l": [1, 2]}, {"l": [1, 2]}, {}),
        ({"l": [1, 2]}, {"l": [2]}, {"l": [2]}),
        ({"flag": 1}, {"flag": True}, {"flag": True}),
    ],
)
def test_create_merge_patch(original: Obj, modified: Obj, patch: Obj) -> None:
    assert create_merge_patch(original, modified) == patch


_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=5)
_json = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=12,
)


def _no_null_members(value: Any) -> Any:
    """RFC 7386 cannot express a member whose value is null, so generated documents contain none."""
    if isinstance(value, dict):
        return {k: _no_null_members(v) for k, v in value.items() if v is not None}
    return value


_docs = st.dictionaries(st.text(max_size=3), _json, max_size=4).map(_no_null_members)


@given(_docs, _docs)
def test_merge_patch_applies_the_created_diff(a: Obj, b: Obj) -> None:
    assert merge_patch(a, create_merge_patch(a, b)) == b


# ---------------------------------------------------------------- RFC 6902 JSON patch


def test_json_patch_applies_operations_in_order() -> None:
    obj = deployment()
    ops = [
        {"op": "test", "path": "/spec/replicas", "value": 3},
        {"op": "replace", "path": "/spec/replicas", "value": 1},
        {"op": "add", "path": "/metadata/labels/tier", "value": "fe"},
        {"op": "remove", "path": "/spec/selector"},
    ]
    patched = json_patch(obj, ops)
    assert patched["spec"]["replicas"] == 1
    assert patched["metadata"]["labels"] == {"app": "web", "tier": "fe"}
    assert "selector" not in patched["spec"]
    assert obj == deployment()


@pytest.mark.parametrize(
    ("ops", "message"),
    [
        (
            [{"op": "add", "path": "/spec/x/y", "value": 1}],
            'jsonpatch add operation does not apply: doc is missing path: "/spec/x/y"',
        ),
        (
            [{"op": "remove", "path": "/spec/x"}],
            'jsonpatch remove operation does not apply: doc is missing path: "/spec/x"',
        ),
        (
            [{"op": "replace", "path": "/nope", "value": 1}],
            'jsonpatch replace operation does not apply: doc is missing path: "/nope"',
        ),
        (
            [{"op": "move", "from": "/nope", "path": "/x"}],
            'jsonpatch move operation does not apply: doc is missing from path: "/nope"',
        ),
        ([{"op": "test", "path": "/spec/replicas", "value": 9}], "testing value /spec/replicas failed: test failed"),
        ([{"op": "frob", "path": "/"}], "Unexpected kind: frob"),
        ([{"op": "add", "path": "/a"}], 'jsonpatch add operation is missing "value"'),
        ({"op": "add"}, "invalid JSON Patch: expected a list of operation objects"),
    ],
)
def test_json_patch_errors(ops: Any, message: str) -> None:
    with pytest.raises(PatchError) as err:
        json_patch(deployment(), ops)
    assert str(err.value) == message


# ---------------------------------------------------------------- strategic merge patch: applying


def with_containers(*items: Obj) -> Obj:
    obj = live(deployment())
    obj["spec"]["template"]["spec"]["containers"] = [copy.deepcopy(c) for c in items]
    return obj


NGINX = {
    "name": "nginx",
    "image": "nginx:1.25",
    "ports": [{"containerPort": 80, "protocol": "TCP"}],
    "imagePullPolicy": "IfNotPresent",
}
SIDECAR = {"name": "sidecar", "image": "busybox", "args": ["sleep", "3600"]}


def pod_spec_patch(spec: Obj) -> Obj:
    return {"spec": {"template": {"spec": spec}}}


def test_set_image_changes_only_that_container() -> None:
    obj = with_containers(NGINX, SIDECAR)
    patch = pod_spec_patch(
        {"$setElementOrder/containers": [{"name": "nginx"}], "containers": [{"image": "nginx:1.27", "name": "nginx"}]}
    )
    before = copy.deepcopy(obj)
    result = strategic_merge_patch(obj, patch, "Deployment")
    assert containers(result) == [{**NGINX, "image": "nginx:1.27"}, SIDECAR]
    assert result["spec"]["replicas"] == 3
    assert result["status"] == obj["status"]
    assert obj == before
    assert "$setElementOrder/containers" not in result["spec"]["template"]["spec"]


def test_adding_a_container_port_merges_by_container_port() -> None:
    obj = with_containers(NGINX)
    patch = pod_spec_patch({"containers": [{"name": "nginx", "ports": [{"containerPort": 443, "name": "https"}]}]})
    result = strategic_merge_patch(obj, patch, "Deployment")
    assert containers(result)[0]["ports"] == [
        {"containerPort": 443, "name": "https"},
        {"containerPort": 80, "protocol": "TCP"},
    ]
    assert containers(result)[0]["image"] == "nginx:1.25"


def test_changing_a_port_merges_into_the_existing_item() -> None:
    obj = with_containers(NGINX)
    patch = pod_spec_patch({"containers": [{"name": "nginx", "ports": [{"containerPort": 80, "name": "http"}]}]})
    ports = containers(strategic_merge_patch(obj, patch, "Deployment"))[0]["ports"]
    assert ports == [{"containerPort": 80, "protocol": "TCP", "name": "http"}]


def test_new_container_goes_first_and_nulls_in_it_are_dropped() -> None:
    # Without $setElementOrder, items named by the patch precede server-only items (as in the
    # Kubernetes docs' "kubectl patch" walkthrough, where the added container is listed first).
    obj = with_containers(NGINX)
    patch = pod_spec_patch({"containers": [{"name": "sidecar", "image": "busybox", "command": None}]})
    assert containers(strategic_merge_patch(obj, patch, "Deployment")) == [
        {"name": "sidecar", "image": "busybox"},
        NGINX,
    ]


def test_set_element_order_reorders_the_live_list() -> None:
    obj = with_containers(NGINX, SIDECAR)
    patch = pod_spec_patch({"$setElementOrder/containers": [{"name": "sidecar"}, {"name": "nginx"}]})
    assert [c["name"] for c in containers(strategic_merge_patch(obj, patch, "Deployment"))] == ["sidecar", "nginx"]


def test_delete_directive_removes_a_list_item_by_merge_key() -> None:
    obj = with_containers(NGINX, SIDECAR)
    patch = pod_spec_patch({"containers": [{"$patch": "delete", "name": "sidecar"}]})
    assert containers(strategic_merge_patch(obj, patch, "Deployment")) == [NGINX]


def test_replace_directive_in_a_list_replaces_the_whole_list() -> None:
    obj = with_containers(NGINX, SIDECAR)
    patch = pod_spec_patch({"containers": [{"name": "solo", "image": "redis"}, {"$patch": "replace"}]})
    assert containers(strategic_merge_patch(obj, patch, "Deployment")) == [{"name": "solo", "image": "redis"}]


def test_replace_directive_in_a_map_replaces_the_map() -> None:
    obj = live(deployment())
    patch = {"metadata": {"labels": {"$patch": "replace", "only": "this"}}}
    assert strategic_merge_patch(obj, patch, "Deployment")["metadata"]["labels"] == {"only": "this"}


def test_delete_directive_in_a_map_empties_it() -> None:
    obj = live(deployment())
    result = strategic_merge_patch(obj, {"metadata": {"labels": {"$patch": "delete"}}}, "Deployment")
    assert result["metadata"]["labels"] == {}


def test_null_deletes_a_key() -> None:
    obj = live(deployment())
    result = strategic_merge_patch(obj, {"metadata": {"labels": {"app": None}}, "status": None}, "Deployment")
    assert result["metadata"]["labels"] == {}
    assert "status" not in result


def test_lists_without_merge_key_are_replaced() -> None:
    obj = live(deployment())
    obj["spec"]["template"]["spec"]["tolerations"] = [{"key": "a", "operator": "Exists"}]
    patch = pod_spec_patch({"tolerations": [{"key": "b", "operator": "Exists"}]})
    result = strategic_merge_patch(obj, patch, "Deployment")
    assert result["spec"]["template"]["spec"]["tolerations"] == [{"key": "b", "operator": "Exists"}]


def test_container_args_are_atomic() -> None:
    obj = with_containers(SIDECAR)
    patch = pod_spec_patch({"containers": [{"name": "sidecar", "args": ["sleep", "10"]}]})
    assert containers(strategic_merge_patch(obj, patch, "Deployment"))[0]["args"] == ["sleep", "10"]


@pytest.mark.parametrize(
    ("kind", "path", "live_list", "patch_list", "expected"),
    [
        (
            "Pod",
            ("spec", "containers", 0, "env"),
            [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
            [{"name": "B", "value": "3"}],
            [{"name": "A", "value": "1"}, {"name": "B", "value": "3"}],
        ),
        (
            "Pod",
            ("spec", "containers", 0, "volumeMounts"),
            [{"mountPath": "/data", "name": "d"}],
            [{"mountPath": "/cache", "name": "c"}],
            [{"mountPath": "/cache", "name": "c"}, {"mountPath": "/data", "name": "d"}],
        ),
        (
            "Pod",
            ("spec", "volumes"),
            [{"name": "d", "emptyDir": {}}],
            [{"name": "c", "emptyDir": {}}],
            [{"name": "c", "emptyDir": {}}, {"name": "d", "emptyDir": {}}],
        ),
        (
            "Pod",
            ("spec", "imagePullSecrets"),
            [{"name": "r1"}],
            [{"name": "r2"}],
            [{"name": "r2"}, {"name": "r1"}],
        ),
        (
            "Pod",
            ("spec", "hostAliases"),
            [{"ip": "10.0.0.1", "hostnames": ["a"]}],
            [{"ip": "10.0.0.1", "hostnames": ["b"]}],
            [{"ip": "10.0.0.1", "hostnames": ["b"]}],
        ),
        (
            "Pod",
            ("status", "conditions"),
            [{"type": "Ready", "status": "False"}, {"type": "PodScheduled", "status": "True"}],
            [{"type": "Ready", "status": "True"}],
            [{"type": "Ready", "status": "True"}, {"type": "PodScheduled", "status": "True"}],
        ),
        (
            "Service",
            ("spec", "ports"),
            [{"port": 80, "targetPort": 8080}],
            [{"port": 443, "targetPort": 8443}],
            [{"port": 443, "targetPort": 8443}, {"port": 80, "targetPort": 8080}],
        ),
        (
            "Pod",
            ("metadata", "ownerReferences"),
            [{"uid": "u1", "name": "rs-a"}],
            [{"uid": "u1", "controller": True}],
            [{"uid": "u1", "name": "rs-a", "controller": True}],
        ),
        ("Pod", ("metadata", "finalizers"), ["a", "b"], ["b", "c"], ["a", "b", "c"]),
        ("Node", ("spec", "taints"), [{"key": "a", "effect": "NoSchedule"}], [], []),
    ],
)
def test_merge_keys(
    kind: str, path: tuple[Any, ...], live_list: list[Any], patch_list: list[Any], expected: list[Any]
) -> None:
    obj = _nest(path, live_list)
    patch = _nest(path, patch_list)
    assert _dig(strategic_merge_patch(obj, patch, kind), path) == expected


def _nest(path: tuple[Any, ...], leaf: Any) -> Any:
    """Build ``{"spec": {"containers": [{"name": "c", "env": leaf}]}}`` style documents from a path."""
    if not path:
        return copy.deepcopy(leaf)
    head, *rest = path
    if isinstance(head, int):
        return [{"name": "c", **_nest(tuple(rest), leaf)}]
    return {head: _nest(tuple(rest), leaf)}


def _dig(obj: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        obj = obj[part]
    return obj


def test_delete_from_primitive_list() -> None:
    obj = {"metadata": {"name": "p", "finalizers": ["a", "b", "c"]}}
    patch = {"metadata": {"$deleteFromPrimitiveList/finalizers": ["b"]}}
    assert strategic_merge_patch(obj, patch, "Pod")["metadata"]["finalizers"] == ["a", "c"]


def test_retain_keys_clears_unlisted_fields() -> None:
    obj = live(deployment())
    patch = {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}
    assert strategic_merge_patch(obj, patch, "Deployment")["spec"]["strategy"] == {"type": "Recreate"}


def test_retain_keys_must_list_every_patched_field() -> None:
    patch = {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate", "rollingUpdate": {}}}}
    with pytest.raises(PatchError, match="invalid patch format of retainKeys"):
        strategic_merge_patch(live(deployment()), patch, "Deployment")


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"metadata": {"$patch": "explode"}}, "unknown patch type: explode in map: map[$patch:explode]"),
        (
            pod_spec_patch({"containers": [{"image": "x"}]}),
            "map: map[image:x] does not contain declared merge key: name",
        ),
        (
            pod_spec_patch({"$setElementOrder/containers": [{"name": "a"}], "containers": [{"name": "b"}]}),
            "doesn't match $setElementOrder list",
        ),
        ([1], "invalid JSON document"),
    ],
)
def test_strategic_merge_patch_errors(patch: Any, message: str) -> None:
    with pytest.raises(PatchError) as err:
        strategic_merge_patch(with_containers(NGINX), patch, "Deployment")
    assert message in str(err.value)


def test_unknown_kind_replaces_lists_but_keeps_metadata_semantics() -> None:
    obj = {"metadata": {"finalizers": ["a"]}, "spec": {"items": [{"name": "x", "v": 1}]}}
    patch = {"metadata": {"finalizers": ["b"]}, "spec": {"items": [{"name": "x", "w": 2}]}}
    result = strategic_merge_patch(obj, patch, "Widget")
    assert result == {"metadata": {"finalizers": ["b", "a"]}, "spec": {"items": [{"name": "x", "w": 2}]}}


# ---------------------------------------------------------------- strategic merge patch: computing


def test_two_way_patch_for_set_image_is_what_kubectl_sends() -> None:
    original = with_containers(NGINX, SIDECAR)
    modified = copy.deepcopy(original)
    containers(modified)[0]["image"] = "nginx:1.27"
    patch = create_strategic_patch(original, modified, "Deployment")
    assert json.dumps(patch, separators=(",", ":")) == (
        '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"},{"name":"sidecar"}],'
        '"containers":[{"image":"nginx:1.27","name":"nginx"}]}}}}'
    )
    assert strategic_merge_patch(original, patch, "Deployment") == modified


@pytest.mark.parametrize(
    "edit",
    [
        lambda o: containers(o).pop(),
        lambda o: containers(o).reverse(),
        lambda o: containers(o).append({"name": "extra", "image": "redis"}),
        lambda o: containers(o)[0]["ports"].append({"containerPort": 443}),
        lambda o: containers(o)[0].pop("ports"),
        lambda o: o["metadata"]["labels"].update({"tier": "fe"}),
        lambda o: o["metadata"].update({"finalizers": ["x"]}),
        lambda o: o["spec"].update({"strategy": {"type": "Recreate"}}),
        lambda o: o.pop("status"),
    ],
)
def test_two_way_patch_round_trips(edit: Any) -> None:
    original = with_containers(NGINX, SIDECAR)
    modified = copy.deepcopy(original)
    edit(modified)
    patch = create_strategic_patch(original, modified, "Deployment")
    assert strategic_merge_patch(original, patch, "Deployment") == modified


def test_two_way_patch_of_equal_objects_is_empty() -> None:
    obj = with_containers(NGINX, SIDECAR)
    assert create_strategic_patch(obj, copy.deepcopy(obj), "Deployment") == {}


def test_two_way_patch_deletes_a_container_with_a_directive() -> None:
    original = with_containers(NGINX, SIDECAR)
    modified = with_containers(NGINX)
    assert create_strategic_patch(original, modified, "Deployment") == pod_spec_patch(
        {"$setElementOrder/containers": [{"name": "nginx"}], "containers": [{"$patch": "delete", "name": "sidecar"}]}
    )


def test_two_way_patch_builds_retain_keys_for_the_deployment_strategy() -> None:
    original = live(deployment())
    modified = copy.deepcopy(original)
    modified["spec"]["strategy"] = {"type": "Recreate"}
    patch = create_strategic_patch(original, modified, "Deployment")
    assert patch == {"spec": {"strategy": {"$retainKeys": ["type"], "rollingUpdate": None, "type": "Recreate"}}}


def test_two_way_patch_for_primitive_set_lists() -> None:
    original = {"metadata": {"finalizers": ["a", "b"]}}
    modified = {"metadata": {"finalizers": ["b", "c"]}}
    assert create_strategic_patch(original, modified, "Pod") == {
        "metadata": {
            "$deleteFromPrimitiveList/finalizers": ["a"],
            "$setElementOrder/finalizers": ["b", "c"],
            "finalizers": ["c"],
        }
    }


# ---------------------------------------------------------------- three-way apply patch


def applied(manifest: Obj) -> Obj:
    """The manifest as ``kubectl apply`` sends it: with its own last-applied annotation."""
    out = copy.deepcopy(manifest)
    out["metadata"].setdefault("annotations", {})[LAST_APPLIED] = json.dumps(manifest, separators=(",", ":")) + "\n"
    return out


def apply_patch(old_manifest: Obj, new_manifest: Obj, current: Obj | None = None) -> Obj:
    current = current if current is not None else live(applied(old_manifest))
    return create_three_way_patch(applied(old_manifest), applied(new_manifest), current, "Deployment")


def test_apply_unchanged_manifest_is_empty() -> None:
    assert apply_patch(deployment(), deployment()) == {}


def test_apply_changed_replicas_sends_only_replicas_and_the_annotation() -> None:
    new = deployment()
    new["spec"]["replicas"] = 5
    patch = apply_patch(deployment(), new)
    annotation = patch["metadata"]["annotations"].pop(LAST_APPLIED)
    assert patch == {"metadata": {"annotations": {}}, "spec": {"replicas": 5}}
    assert json.loads(annotation)["spec"]["replicas"] == 5


def test_apply_without_annotation_bookkeeping() -> None:
    new = deployment()
    new["spec"]["replicas"] = 5
    patch = create_three_way_patch(deployment(), new, live(deployment()), "Deployment")
    assert patch == {"spec": {"replicas": 5}}


def test_apply_deletes_a_label_removed_from_the_manifest() -> None:
    old = deployment()
    old["metadata"]["labels"]["tier"] = "fe"
    patch = create_three_way_patch(old, deployment(), live(old), "Deployment")
    assert patch == {"metadata": {"labels": {"tier": None}}}
    result = strategic_merge_patch(live(old), patch, "Deployment")
    assert result["metadata"]["labels"] == {"app": "web"}


def test_apply_leaves_server_defaults_and_status_alone() -> None:
    current = live(deployment())
    current["metadata"]["labels"]["added-by-someone-else"] = "yes"
    assert create_three_way_patch(deployment(), deployment(), current, "Deployment") == {}


def test_apply_only_deletes_what_the_last_applied_configuration_had() -> None:
    current = live(deployment())
    assert "imagePullPolicy" in containers(current)[0]
    new = deployment()
    containers(new)[0]["image"] = "nginx:1.27"
    patch = create_three_way_patch(deployment(), new, current, "Deployment")
    assert patch == pod_spec_patch(
        {"$setElementOrder/containers": [{"name": "nginx"}], "containers": [{"image": "nginx:1.27", "name": "nginx"}]}
    )
    result = strategic_merge_patch(current, patch, "Deployment")
    assert containers(result)[0] == {**containers(current)[0], "image": "nginx:1.27"}


def test_apply_removes_a_container_dropped_from_the_manifest() -> None:
    old = deployment()
    containers(old).append({"name": "sidecar", "image": "busybox"})
    patch = create_three_way_patch(old, deployment(), live(old), "Deployment")
    assert patch == pod_spec_patch(
        {"$setElementOrder/containers": [{"name": "nginx"}], "containers": [{"$patch": "delete", "name": "sidecar"}]}
    )
    assert [c["name"] for c in containers(strategic_merge_patch(live(old), patch, "Deployment"))] == ["nginx"]


def test_apply_adds_and_deletes_in_one_patch() -> None:
    old = deployment()
    containers(old).append({"name": "sidecar", "image": "busybox"})
    new = deployment()
    containers(new)[0]["image"] = "nginx:1.27"
    new["metadata"]["labels"]["tier"] = "fe"
    patch = create_three_way_patch(old, new, live(old), "Deployment")
    assert patch == {
        "metadata": {"labels": {"tier": "fe"}},
        "spec": {
            "template": {
                "spec": {
                    "$setElementOrder/containers": [{"name": "nginx"}],
                    "containers": [{"image": "nginx:1.27", "name": "nginx"}, {"$patch": "delete", "name": "sidecar"}],
                }
            }
        },
    }
    result = strategic_merge_patch(live(old), patch, "Deployment")
    assert containers(result) == [{**containers(live(old))[0], "image": "nginx:1.27"}]
    assert result["metadata"]["labels"] == {"app": "web", "tier": "fe"}


def test_apply_creation_timestamp_null_is_resent_every_time() -> None:
    manifest = deployment()
    manifest["metadata"]["creationTimestamp"] = None
    current = live(manifest)
    current["metadata"]["creationTimestamp"] = "2026-11-25T04:18:53Z"
    patch = create_three_way_patch(manifest, manifest, current, "Deployment")
    assert patch == {"metadata": {"creationTimestamp": None}}


def test_apply_with_no_last_applied_never_deletes() -> None:
    current = live(deployment())
    current["metadata"]["labels"]["tier"] = "fe"
    assert create_three_way_patch(None, deployment(), current, "Deployment") == {}


def test_apply_switching_to_recreate_retains_only_type() -> None:
    old = deployment()
    new = deployment()
    new["spec"]["strategy"] = {"type": "Recreate"}
    patch = create_three_way_patch(old, new, live(old), "Deployment")
    assert patch == {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}
    assert strategic_merge_patch(live(old), patch, "Deployment")["spec"]["strategy"] == {"type": "Recreate"}


def test_three_way_patch_does_not_mutate_inputs() -> None:
    old, new, current = deployment(), deployment(), live(deployment())
    new["spec"]["replicas"] = 9
    snapshot = copy.deepcopy((old, new, current))
    create_three_way_patch(old, new, current, "Deployment")
    assert (old, new, current) == snapshot


_names = st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True, max_size=4)


@st.composite
def _pod_specs(draw: st.DrawFn) -> Obj:
    """Pod-shaped objects exercising merge lists (containers, ports, env), set lists and atomic lists."""

    def container(name: str) -> Obj:
        item: Obj = {"name": name, "image": draw(st.sampled_from(["nginx", "redis", "busybox"]))}
        ports = draw(st.lists(st.sampled_from([80, 443, 8080]), unique=True, max_size=3))
        if ports or draw(st.booleans()):
            item["ports"] = [{"containerPort": p} for p in ports]
        env = draw(_names)
        if env:
            item["env"] = [{"name": e.upper(), "value": draw(st.sampled_from(["1", "2"]))} for e in env]
        if draw(st.booleans()):
            item["args"] = draw(st.lists(st.sampled_from(["x", "y"]), max_size=2))
        return item

    metadata: Obj = {"name": "p", "labels": draw(st.dictionaries(st.sampled_from(["app", "tier"]), st.just("v")))}
    finalizers = draw(_names)
    if finalizers:
        metadata["finalizers"] = finalizers
    return {"metadata": metadata, "spec": {"containers": [container(n) for n in draw(_names)]}}


@given(_pod_specs(), _pod_specs())
def test_strategic_patch_applies_the_created_diff(a: Obj, b: Obj) -> None:
    assert strategic_merge_patch(a, create_strategic_patch(a, b, "Pod"), "Pod") == b


@given(_pod_specs(), _pod_specs())
def test_three_way_patch_turns_live_into_manifest_and_keeps_server_fields(original: Obj, modified: Obj) -> None:
    current = copy.deepcopy(original)
    for container in current["spec"]["containers"]:
        container["imagePullPolicy"] = "Always"  # a server default the manifests never mention
    current["status"] = {"phase": "Running"}
    patch = create_three_way_patch(original, modified, current, "Pod")
    expected = copy.deepcopy(modified)
    existing = {c["name"] for c in original["spec"]["containers"]}
    for container in expected["spec"]["containers"]:
        if container["name"] in existing:
            container["imagePullPolicy"] = "Always"
    expected["status"] = {"phase": "Running"}
    assert strategic_merge_patch(current, patch, "Pod") == expected
    assert (patch == {}) is (original == modified)
