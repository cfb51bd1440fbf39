"""Tab completion: programs, verbs, subcommands, flags, resource types, object names, files."""

from __future__ import annotations

import pytest

from cluster.kubectl.completion import complete
from tests.unit.test_kubectl_support import FILES, Session


@pytest.fixture(scope="module")
def session() -> Session:
    s = Session({**FILES, "k8s/ns.yaml": "kind: Namespace\n"})
    s.run("kubectl create deployment web --image=nginx --replicas=2")
    s.run("kubectl create deployment api --image=redis")
    s.settle()
    return s


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("ku", ["kubectl"]),
        ("kubectl g", ["get"]),
        ("kubectl rollout ", ["history", "pause", "restart", "resume", "status", "undo"]),
        ("kubectl rollout st", ["status"]),
        ("kubectl create service n", ["nodeport"]),
        ("kubectl get deploy", ["deploy", "deployment", "deployments"]),
        ("kubectl get deployments ", ["api", "web"]),
        ("kubectl get deploy/w", ["deploy/web"]),
        ("kubectl get po,svc,dep", ["po,svc,deploy", "po,svc,deployment", "po,svc,deployments"]),
        ("kubectl describe deploy a", ["api"]),
        ("kubectl get pods -o js", ["json", "jsonpath="]),
        ("kubectl get pods -n kube-", ["kube-node-lease", "kube-public", "kube-system"]),
        ("kubectl apply -f dep", ["deployment.yaml"]),
        ("kubectl apply -f k8s/", ["k8s/", "k8s/ns.yaml"]),
        ("cat serv", ["service.yaml"]),
        ("kubectl cordon worker-", ["worker-1", "worker-2"]),
        ("kubectl drain c", ["control-plane"]),
        ("kubectl taint nodes worker-2", ["worker-2"]),
        ("kubectl config set", ["set-context"]),
        ("kubectl scale --repl", ["--replicas"]),
        ("kubectl get --show-l", ["--show-labels"]),
        ("kubectl get pods --namespace=kube-p", ["--namespace=kube-public"]),
        ("kubectl get pods -n kube-system ", []),
        ("curl ", []),
        ("kubectl nosuchverb ", []),
    ],
)
def test_candidates(session: Session, line: str, expected: list[str]) -> None:
    assert complete(session.env, line) == expected


def test_names_of_pods_for_logs_and_exec(session: Session) -> None:
    pods = complete(session.env, "kubectl logs web-")
    assert len(pods) == 2 and all(p.startswith("web-") for p in pods)
    assert complete(session.env, "kubectl exec deploy/") == ["deploy/api", "deploy/web"]


def test_names_follow_the_namespace_flag(session: Session) -> None:
    assert complete(session.env, "kubectl get svc ") == ["kubernetes"]
    assert complete(session.env, "kubectl -n kube-system get svc ") == []


def test_unclosed_quotes_still_complete(session: Session) -> None:
    assert complete(session.env, 'kubectl get deploy "w') == ["web"]


def test_all_verbs_offered_on_an_empty_word(session: Session) -> None:
    verbs = complete(session.env, "kubectl ")
    assert {"get", "apply", "rollout", "logs", "exec", "explain", "config", "drain", "taint"} <= set(verbs)
