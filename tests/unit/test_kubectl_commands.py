"""What each verb does to the cluster: the objects and patches it sends, not only what it prints."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cluster.core.timefmt import rfc3339
from cluster.kubectl.commands.edit import edit_save
from tests.unit.test_kubectl_support import FILES, Session, obj


def record_patches(s: Session, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any, str]]:
    sent: list[tuple[str, Any, str]] = []
    original = s.cluster.api.patch

    def spy(kind: str, namespace: str, name: str, patch: Any, patch_type: str = "merge", *a: Any, **k: Any) -> Any:
        sent.append((kind, patch, patch_type))
        return original(kind, namespace, name, patch, patch_type, *a, **k)

    monkeypatch.setattr(s.cluster.api, "patch", spy)
    return sent


def test_run_builds_the_pod_kubectl_builds() -> None:
    s = Session()
    out = s.run("kubectl run web --image=nginx --port=80 --env=A=1 --labels=app=web -- --flag")
    assert out.stdout == ["pod/web created"]
    pod = obj(s, "Pod", "default", "web")
    container = pod["spec"]["containers"][0]
    assert pod["metadata"]["labels"] == {"app": "web"}
    assert container["name"] == "web" and container["args"] == ["--flag"]
    assert container["env"] == [{"name": "A", "value": "1"}]
    assert container["ports"][0]["containerPort"] == 80
    assert container["imagePullPolicy"] == "Always"  # defaulted by the server for an untagged image


def test_run_expose_creates_the_service_first() -> None:
    s = Session()
    out = s.run("kubectl run web --image=nginx --port=8080 --expose")
    assert out.stdout == ["service/web created", "pod/web created"]
    svc = obj(s, "Service", "default", "web")
    assert svc["spec"]["selector"] == {"run": "web"}
    assert svc["spec"]["ports"][0]["port"] == 8080 and svc["spec"]["ports"][0]["targetPort"] == 8080


def test_expose_copies_labels_and_uses_the_selector() -> None:
    s = Session()
    s.run("kubectl create deployment web --image=nginx --port=8080")
    out = s.run("kubectl expose deployment web --type=NodePort --port=80 --target-port=8080 --name=web-svc")
    assert out.stdout == ["service/web-svc exposed"]
    svc = obj(s, "Service", "default", "web-svc")
    assert svc["metadata"]["labels"] == {"app": "web"}
    assert svc["spec"]["selector"] == {"app": "web"}
    assert svc["spec"]["type"] == "NodePort"
    port = svc["spec"]["ports"][0]
    assert (port["port"], port["targetPort"], port["protocol"]) == (80, 8080, "TCP")
    assert 30000 <= port["nodePort"] <= 32767


def test_expose_introspects_container_ports() -> None:
    s = Session()
    s.run("kubectl create deployment web --image=nginx --port=8080")
    s.run("kubectl expose deploy web")
    assert obj(s, "Service", "default", "web")["spec"]["ports"][0]["port"] == 8080


def test_apply_stores_last_applied_and_reports_unchanged_then_configured() -> None:
    s = Session(FILES)
    assert s.run("kubectl apply -f deployment.yaml").stdout == ["deployment.apps/nginx-deployment created"]
    annotation = obj(s, "Deployment", "default", "nginx-deployment")["metadata"]["annotations"]
    last = annotation["kubectl.kubernetes.io/last-applied-configuration"]
    assert last.endswith("\n") and json.loads(last)["metadata"] == {
        "annotations": {}, "labels": {"app": "nginx"}, "name": "nginx-deployment", "namespace": "default"}  # fmt: skip
    assert s.run("kubectl apply -f deployment.yaml").stdout == ["deployment.apps/nginx-deployment unchanged"]
    s.env.files["deployment.yaml"] = FILES["deployment.yaml"].replace("replicas: 3", "replicas: 5")
    assert s.run("kubectl apply -f deployment.yaml").stdout == ["deployment.apps/nginx-deployment configured"]
    assert obj(s, "Deployment", "default", "nginx-deployment")["spec"]["replicas"] == 5


def test_apply_unchanged_sends_no_patch(monkeypatch: pytest.MonkeyPatch) -> None:
    s = Session(FILES)
    s.run("kubectl apply -f deployment.yaml")
    sent = record_patches(s, monkeypatch)
    s.run("kubectl apply -f deployment.yaml")
    assert sent == []


def test_set_image_sends_kubectls_strategic_merge_patch(monkeypatch: pytest.MonkeyPatch) -> None:
    s = Session()
    s.run("kubectl create deployment web --image=nginx:1.25")
    sent = record_patches(s, monkeypatch)
    assert s.run("kubectl set image deployment/web nginx=nginx:1.27").stdout == ["deployment.apps/web image updated"]
    assert sent == [("Deployment", {"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "nginx"}],
        "containers": [{"image": "nginx:1.27", "name": "nginx"}]}}}}, "strategic")]  # fmt: skip


def test_rollout_undo_restores_the_previous_template(monkeypatch: pytest.MonkeyPatch) -> None:
    s = Session()
    s.run("kubectl create deployment web --image=nginx:1.25")
    s.settle()
    s.run("kubectl set image deployment/web nginx=nginx:1.27")
    s.settle()
    sent = record_patches(s, monkeypatch)
    assert s.run("kubectl rollout undo deployment/web").stdout == ["deployment.apps/web rolled back"]
    _, patch, patch_type = sent[0]
    assert patch_type == "json" and [op["path"] for op in patch] == ["/spec/template", "/metadata/annotations"]
    assert "pod-template-hash" not in patch[0]["value"]["metadata"]["labels"]
    assert obj(s, "Deployment", "default", "web")["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.25"


def test_rollout_undo_with_one_revision_has_no_history() -> None:
    s = Session()
    s.run("kubectl create deployment web --image=nginx")
    s.settle()
    out = s.run("kubectl rollout undo deployment/web")
    assert out.stderr == ['error: no rollout history found for deployment "web"']


def test_rollout_restart_stamps_the_template() -> None:
    s = Session()
    s.run("kubectl create deployment web --image=nginx")
    s.run("kubectl rollout restart deployment web")
    annotations = obj(s, "Deployment", "default", "web")["spec"]["template"]["metadata"]["annotations"]
    assert annotations == {"kubectl.kubernetes.io/restartedAt": "2025-11-25T04:18:53Z"}
    again = s.run("kubectl rollout restart deployment web")
    assert again.exit_code == 1 and "within the past second" in again.stderr[0]


def test_label_and_annotate_use_merge_patches(monkeypatch: pytest.MonkeyPatch) -> None:
    s = Session()
    s.run("kubectl run web --image=nginx")
    sent = record_patches(s, monkeypatch)
    s.run("kubectl label pod web tier=fe")
    s.run("kubectl annotate pod web note=hi")
    s.run("kubectl label pod web tier-")
    assert sent == [
        ("Pod", {"metadata": {"labels": {"tier": "fe"}}}, "merge"),
        ("Pod", {"metadata": {"annotations": {"note": "hi"}}}, "merge"),
        ("Pod", {"metadata": {"labels": {"tier": None}}}, "merge"),
    ]


def test_scale_uses_the_scale_subresource() -> None:
    s = Session()
    s.run("kubectl create deployment web --image=nginx")
    assert s.run("kubectl scale deploy/web --replicas=4").stdout == ["deployment.apps/web scaled"]
    assert obj(s, "Deployment", "default", "web")["spec"]["replicas"] == 4
    mismatch = s.run("kubectl scale deploy/web --replicas=2 --current-replicas=3")
    assert mismatch.stderr == ["error: Expected replicas to be 3, was 4"]


def test_cordon_drain_and_taint_change_the_node() -> None:
    s = Session()
    s.run("kubectl create deployment web --image=nginx --replicas=2")
    s.settle()
    s.run("kubectl drain worker-1 --ignore-daemonsets")
    node = obj(s, "Node", "", "worker-1")
    assert node["spec"]["unschedulable"] is True
    remaining = [p for p in s.cluster.list("Pod", "default") if p["spec"].get("nodeName") == "worker-1"]
    assert all(p["metadata"].get("deletionTimestamp") for p in remaining)
    s.run("kubectl uncordon worker-1")
    assert "unschedulable" not in obj(s, "Node", "", "worker-1")["spec"]
    s.run("kubectl taint nodes worker-2 gpu=yes:NoExecute")
    taints = obj(s, "Node", "", "worker-2")["spec"]["taints"]
    assert taints[-1]["key"] == "gpu" and taints[-1]["timeAdded"] == rfc3339(s.cluster.now_ms)


def test_autoscale_stores_a_v2_hpa_from_v1_flags() -> None:
    s = Session()
    s.run("kubectl create deployment web --image=nginx")
    assert s.run("kubectl autoscale deployment web --min=2 --max=5 --cpu-percent=70").stdout == [
        "horizontalpodautoscaler.autoscaling/web autoscaled"
    ]
    spec = obj(s, "HorizontalPodAutoscaler", "default", "web")["spec"]
    assert spec["minReplicas"] == 2 and spec["maxReplicas"] == 5
    assert spec["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}
    assert spec["metrics"][0]["resource"]["target"] == {"type": "Utilization", "averageUtilization": 70}
    assert s.run("kubectl autoscale deployment web --max=0").stderr == [
        "error: --max=MAXPODS is required and must be at least 1, max: 0"
    ]


def test_config_set_context_switches_the_namespace() -> None:
    s = Session()
    out = s.run("kubectl config set-context --current --namespace=kube-system")
    assert out.stdout == ['Context "kubesandbox" modified.']
    assert out.effects == [{"type": "namespace", "namespace": "kube-system"}]
    assert s.env.namespace == "kube-system"
    assert s.run("kubectl get pods").stderr == ["No resources found in kube-system namespace."]


def test_edit_opens_the_editor_and_save_patches_the_object() -> None:
    s = Session()
    s.run("kubectl create deployment web --image=nginx")
    out = s.run("kubectl edit deployment/web")
    effect = out.effects[0]
    assert (effect["type"], effect["kind"], effect["namespace"], effect["name"]) == (
        "edit-object", "Deployment", "default", "web")  # fmt: skip
    assert effect["yaml"].startswith("# Please edit the object below.")
    s.settle()  # status and resourceVersion move on while the editor is open
    assert edit_save(s.env, "Deployment", "default", "web", effect["yaml"]).stdout == [
        "Edit cancelled, no changes made."
    ]
    saved = edit_save(s.env, "Deployment", "default", "web", effect["yaml"].replace("replicas: 1", "replicas: 2"))
    assert saved.stdout == ["deployment.apps/web edited"]
    assert obj(s, "Deployment", "default", "web")["spec"]["replicas"] == 2


def test_edit_save_reopens_with_the_validation_errors() -> None:
    s = Session()
    s.run("kubectl create deployment web --image=nginx")
    text = s.run("kubectl edit deploy web").effects[0]["yaml"]
    result = edit_save(s.env, "Deployment", "default", "web", text.replace("replicas: 1", "replicas: -3"))
    assert result.exit_code == 1
    assert result.stderr == ['error: deployments.apps "web" is invalid']
    reopened = result.effects[0]["yaml"]
    assert '# deployments.apps "web" was not valid:\n# * spec.replicas: Invalid value: -3:' in reopened
    assert obj(s, "Deployment", "default", "web")["spec"]["replicas"] == 1


def test_delete_force_removes_at_once_with_the_warning() -> None:
    s = Session()
    s.run("kubectl run web --image=nginx")
    s.settle()
    out = s.run("kubectl delete pod web --grace-period=0 --force")
    assert out.stdout == ['pod "web" force deleted']
    assert out.stderr[0].startswith("Warning: Immediate deletion does not wait")
    assert s.cluster.get("Pod", "default", "web") is None


def test_pipes_and_redirection() -> None:
    s = Session()
    s.run("kubectl create namespace team --dry-run=client -o yaml > ns.yaml")
    assert s.env.files["ns.yaml"].startswith("apiVersion: v1\nkind: Namespace\n")
    assert s.run("cat ns.yaml | kubectl apply -f -").stdout == ["namespace/team created"]
    assert s.run("kubectl get ns -o name | grep team").stdout == ["namespace/team"]
    out = s.run("kubectl get nope | grep x")
    assert out.stderr == ['error: the server doesn\'t have a resource type "nope"'] and out.exit_code == 1


def test_at_most_one_hint_and_in_the_learners_language() -> None:
    s = Session(lang="ko")
    out = s.run("kubectl create deployment My_App --image=nginx")
    assert len(out.hints) == 1 and out.hints[0].startswith("힌트:")


@pytest.mark.parametrize(
    ("line", "stdout"),
    [
        ("kubectl version", ["Client Version: v1.32.4", "Kustomize Version: v5.5.0", "Server Version: v1.32.4"]),
        ("kubectl config current-context", ["kubesandbox"]),
        ("kubectl get ns default -o jsonpath={.status.phase}", ["Active"]),
        ("k get ns kube-system -o name", ["namespace/kube-system"]),
        ("kubectl -n kube-system get ns default -o name", ["namespace/default"]),
    ],
)
def test_small_commands(line: str, stdout: list[str]) -> None:
    assert Session().run(line).stdout == stdout


def test_edit_save_without_the_opened_copy_keeps_controller_changes() -> None:
    from cluster.kubectl.commands import edit as edit_module

    s = Session()
    s.run("kubectl create deployment web --image=nginx")
    text = s.run("kubectl edit deploy web").effects[0]["yaml"]
    edit_module._OPENED.clear()  # another process: only the edited text comes back
    s.settle()  # the controller adds the revision annotation meanwhile
    saved = edit_save(s.env, "Deployment", "default", "web", text.replace("replicas: 1", "replicas: 3"))
    assert saved.stdout == ["deployment.apps/web edited"]
    live = obj(s, "Deployment", "default", "web")
    assert live["spec"]["replicas"] == 3
    assert live["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"


def test_edit_save_with_the_original_removes_fields() -> None:
    s = Session()
    s.run("kubectl create deployment web --image=nginx")
    s.run("kubectl label deploy web tier=fe")
    effect = s.run("kubectl edit deploy web").effects[0]
    edited = effect["yaml"].replace("    tier: fe\n", "")
    saved = edit_save(s.env, "Deployment", "default", "web", edited, original=effect["original"])
    assert saved.stdout == ["deployment.apps/web edited"]
    assert "tier" not in obj(s, "Deployment", "default", "web")["metadata"]["labels"]


def test_command_lists_and_descriptor_redirection() -> None:
    s = Session()
    out = s.run("kubectl get pods 2>&1 | grep -c resources")
    assert out.stdout == ["1"] and not out.stderr  # "No resources found" went down the pipe
    out = s.run("kubectl get deploy nope 2>/dev/null")
    assert (out.stdout, out.stderr, out.exit_code) == ([], [], 1)
    assert "dev/null" not in s.env.files and "&1" not in s.env.files
    out = s.run("kubectl get deploy nope 2> err.txt; kubectl get ns default -o name")
    assert out.stdout == ["namespace/default"] and out.exit_code == 0
    assert s.env.files["err.txt"] == 'Error from server (NotFound): deployments.apps "nope" not found\n'
    out = s.run("kubectl get deploy nope && kubectl create namespace never")
    assert out.exit_code == 1 and s.cluster.get("Namespace", "", "never") is None
    out = s.run("kubectl get deploy nope || kubectl create namespace fallback")
    assert out.stdout == ["namespace/fallback created"] and out.exit_code == 0
    s.run("kubectl create namespace piped --dry-run=client -o yaml > ns.yaml")
    assert s.run("kubectl apply -f - < ns.yaml").stdout == ["namespace/piped created"]
    out = s.run("kubectl apply -f - < missing.yaml")
    assert out.stderr == ["bash: missing.yaml: No such file or directory"] and out.exit_code == 1
    out = s.run("kubectl get ns default -o name &> both.txt")
    assert out.stdout == [] and s.env.files["both.txt"] == "namespace/default\n"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("kubectl get pods ;; ls", "bash: syntax error near unexpected token `;'"),
        ("kubectl get pods &&", "bash: syntax error near unexpected token `newline'"),
        ("| kubectl get pods", "bash: syntax error near unexpected token `|'"),
        ("kubectl get pods >", "bash: syntax error near unexpected token `newline'"),
        ("kubectl get pods 3>&7", ""),
        ("echo 'open", "bash: unexpected EOF while looking for matching `''"),
        ('echo "open', "bash: unexpected EOF while looking for matching `\"'"),
    ],
)
def test_shell_syntax_errors_use_bash_wording(line: str, message: str) -> None:
    out = Session().run(line)
    if message:
        assert out.stderr == [message] and out.exit_code == 2
    else:
        assert out.exit_code == 0  # redirections of other descriptors are accepted and change nothing


@pytest.mark.parametrize(
    ("line", "stdout", "stderr"),
    [
        ("kubectl get rs -o name", [], []),
        ("kubectl get rs -o custom-columns=NAME:.metadata.name", ["NAME"], []),
        ("kubectl get rs -o jsonpath={.items[*].metadata.name}", [], []),
        ("kubectl get rs -o 'jsonpath={.items[*'", [], ["error: error parsing jsonpath {.items[*, unterminated array"]),
        ("kubectl get rs", [], ["No resources found in default namespace."]),
    ],
)
def test_structured_output_of_nothing_is_an_empty_list(line: str, stdout: list[str], stderr: list[str]) -> None:
    out = Session().run(line)
    assert (out.stdout, out.stderr) == (stdout, stderr)


def test_logs_with_a_selector_prints_every_matching_pod_with_the_last_ten_lines() -> None:
    s = Session()
    s.run("kubectl create deployment web --image=nginx:1.27 --replicas=3")
    s.settle()
    pods = sorted(p["metadata"]["name"] for p in s.cluster.list("Pod", "default"))
    out = s.run("kubectl logs -l app=web --prefix")
    sources = [line.split("]", 1)[0].removeprefix("[pod/").split("/")[0] for line in out.stdout]
    assert sorted(set(sources)) == pods
    assert all(sources.count(name) <= 10 for name in pods)
    single = s.run(f"kubectl logs {pods[0]}")
    assert len(single.stdout) > 10  # without a selector the whole log


def test_apply_of_a_folder_applies_the_good_files_and_reports_the_broken_one_last() -> None:
    s = Session(
        {
            **FILES,
            "k8s/a.yaml": FILES["deployment.yaml"],
            "k8s/b.yaml": "kind: [\n",
            "k8s/c.yaml": FILES["service.yaml"],
        }
    )
    out = s.run("kubectl apply -f k8s/")
    assert out.stdout == ["deployment.apps/nginx-deployment created", "service/nginx-service created"]
    assert out.stderr[0].startswith("error: error parsing k8s/b.yaml: error converting YAML to JSON: yaml: ")
    assert out.exit_code == 1


def test_scale_the_objects_a_manifest_names() -> None:
    s = Session(FILES)
    s.run("kubectl apply -f deployment.yaml")
    assert s.run("kubectl scale --replicas=5 -f deployment.yaml").stdout == ["deployment.apps/nginx-deployment scaled"]
    assert obj(s, "Deployment", "default", "nginx-deployment")["spec"]["replicas"] == 5
    missing = s.run("kubectl scale --replicas=2 -f service.yaml")  # never applied
    assert missing.stderr == ['Error from server (NotFound): services "nginx-service" not found']


def test_ls_prints_one_name_per_line_into_a_pipe_or_a_file() -> None:
    s = Session(FILES)
    assert s.run("ls").stdout == ["deployment.yaml  service.yaml"]
    assert s.run("ls | grep svc").stdout == []
    assert s.run("ls | grep service").stdout == ["service.yaml"]
    s.run("ls > listing.txt")
    assert s.env.files["listing.txt"] == "deployment.yaml\nservice.yaml\n"
