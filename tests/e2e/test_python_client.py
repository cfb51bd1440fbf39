"""The official ``kubernetes`` Python client against a live sandbox, configured from the sandbox's kubeconfig."""

from __future__ import annotations

from collections.abc import Callable

from kubernetes import client, config, watch

from tests.e2e.conftest import Sandbox

MakeSandbox = Callable[[str], Sandbox]


def api_client(sandbox: Sandbox) -> client.ApiClient:
    return config.new_client_from_config(config_file=str(sandbox.kubeconfig))


def web_deployment() -> client.V1Deployment:
    labels = {"app": "pyweb"}
    return client.V1Deployment(
        metadata=client.V1ObjectMeta(name="pyweb", labels=labels),
        spec=client.V1DeploymentSpec(
            replicas=1,
            selector=client.V1LabelSelector(match_labels=labels),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels=labels),
                spec=client.V1PodSpec(containers=[client.V1Container(name="web", image="nginx:1.25")]),
            ),
        ),
    )


def test_create_list_patch_watch_delete(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox("python")
    with api_client(sandbox) as api:
        apps, core = client.AppsV1Api(api), client.CoreV1Api(api)
        created = apps.create_namespaced_deployment("default", web_deployment())
        assert created.metadata.uid
        assert created.spec.strategy.type == "RollingUpdate"
        sandbox.advance("20s")

        pods = core.list_namespaced_pod("default", label_selector="app=pyweb")
        assert [p.status.phase for p in pods.items] == ["Running"]
        assert core.list_namespaced_pod("default", label_selector="app=other").items == []

        patched = apps.patch_namespaced_deployment("pyweb", "default", {"metadata": {"labels": {"tier": "fe"}}})
        assert patched.metadata.labels == {"app": "pyweb", "tier": "fe"}
        scale = apps.patch_namespaced_deployment_scale("pyweb", "default", {"spec": {"replicas": 3}})
        assert (scale.spec.replicas, scale.status.selector) == (3, "app=pyweb")

        stream = watch.Watch()
        events = stream.stream(
            apps.list_namespaced_deployment, "default", field_selector="metadata.name=pyweb", timeout_seconds=60
        )
        ready = [next(events)["object"].status.ready_replicas]  # the current state, while the clock is paused
        with sandbox.playing():
            for event in events:
                ready.append(event["object"].status.ready_replicas)
                if ready[-1] == 3:
                    stream.stop()
        assert ready[0] == 1
        assert ready[-1] == 3
        assert ready == sorted(ready)

        status = apps.delete_namespaced_deployment("pyweb", "default")
        assert status["status"] == "Success"
        assert status["details"]["name"] == "pyweb"
        try:
            apps.read_namespaced_deployment("pyweb", "default")
            raise AssertionError("the deployment should be gone")
        except client.ApiException as exc:
            assert exc.status == 404
