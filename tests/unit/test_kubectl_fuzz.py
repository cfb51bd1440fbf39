"""Property tests: whatever a learner types or pastes, the terminal answers with a message, never a traceback.

Thousands of generated command lines (real verbs, types, names and flags
mixed with noise, quotes and pipes) and manifests (valid ones mutated
character by character, or arbitrary YAML/JSON values) go through
``run_line``; every run must return an ``Output`` whose failures carry text.
"""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cluster.kubectl.base import Output
from cluster.kubectl.completion import complete
from tests.unit.test_kubectl_support import FILES, Session

VERBS = ["get", "describe", "create", "apply", "delete", "run", "expose", "scale", "set", "rollout", "label",
         "annotate", "patch", "edit", "cordon", "uncordon", "drain", "taint", "logs", "exec", "explain", "autoscale",
         "api-resources", "api-versions", "version", "cluster-info", "config", "replace", "gett", ""]  # fmt: skip
WORDS = ["pods", "po", "deploy", "deployment", "svc", "service", "nodes", "ns", "rs", "all", "hpa", "cm", "ep", "ev",
         "ing", "web", "nginx", "worker-1", "control-plane", "deployment/web", "pod/web", "image", "status", "history",
         "undo", "view", "set-context", "nodeport", "clusterip", "namespace", "configmap", "nginx=nginx:1.27",
         "app=web", "app-", "key=value:NoSchedule", "key:NoSchedule-", "--", "hostname", "env", "-", "x.y.z",
         "deployment.spec.replicas", "'{\"spec\":{\"replicas\":2}}'", "'[{\"op\":\"remove\",\"path\":\"/spec\"}]'",
         "deployment.yaml", "service.yaml", "nothere.yaml", "Ω", "\"unterminated"]  # fmt: skip
FLAGS = ["-o", "-o yaml", "-o json", "-o wide", "-o name", "-o jsonpath={.items[*].metadata.name}", "-o jsonpath={",
         "-o custom-columns=N:.metadata.name", "-o custom-columns=", "-n kube-system", "-n", "-A", "-w", "-l app=web",
         "-l 'app in (web'", "--field-selector status.phase=Running", "--field-selector bad", "--show-labels",
         "--sort-by=.metadata.name", "--sort-by={", "--replicas=2", "--replicas=-1", "--replicas=x", "--image=nginx",
         "--image=", "--port=80", "--port=99999", "--dry-run=client", "--dry-run=bogus", "--type=NodePort",
         "--type=json", "-p {}", "--to-revision=1", "--overwrite", "--force", "--ignore-daemonsets", "--tail=1",
         "--previous", "-f", "-f -", "-c x", "--help", "-h", "--unknown", "-z", "--current", "--namespace=dev",
         "--recursive", "--cascade=orphan", "--grace-period=0", "--all", "--min=3", "--max=1", "--from-literal=a=b",
         "--tcp=80:8080", "--tcp=bad", "--watch=false", "--revision=2"]  # fmt: skip
TAILS = ["", " | grep web", " | head -n 1", " > out.yaml", " | kubectl apply -f -", " | wc -l", " |", " >"]


def session() -> Session:
    s = Session(FILES)
    s.script("kubectl create deployment web --image=nginx --replicas=2", "kubectl run nginx --image=nginx",
             "kubectl expose deployment web --port=80")  # fmt: skip
    s.settle()
    return s


SHARED = session()


def check(out: Output, line: str = "") -> None:
    assert isinstance(out, Output)
    assert isinstance(out.exit_code, int)
    assert all(isinstance(text, str) for text in out.stdout + out.stderr)
    silent_grep = line.rsplit("|", 1)[-1].strip().startswith("grep") and out.exit_code == 1
    if out.exit_code and not silent_grep:
        assert out.stderr and any(line.strip() for line in out.stderr), out
    assert len(out.hints) <= 1


command_lines = st.builds(
    lambda verb, parts, tail: " ".join(["kubectl", verb, *parts]) + tail,
    st.sampled_from(VERBS),
    st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(FLAGS)), max_size=6),
    st.sampled_from(TAILS),
)


@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(command_lines)
def test_generated_command_lines_always_answer(line: str) -> None:
    check(SHARED.run(line), line)
    assert isinstance(complete(SHARED.env, line), list)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=80))
def test_arbitrary_text_always_answers(line: str) -> None:
    check(SHARED.run(line))
    check(SHARED.run("kubectl " + line))
    assert isinstance(complete(SHARED.env, line), list)


MUTATION_CHARS = ["\t", " ", ":", "-", "\n", "{", "[", "&", "*", '"', "'", "#", "|", ">", "!", "%", "@", "`", "0"]


@st.composite
def mutated_manifest(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from([FILES["deployment.yaml"], FILES["service.yaml"],
                                 FILES["deployment.yaml"] + "---\n" + FILES["service.yaml"]]))  # fmt: skip
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        position = draw(st.integers(min_value=0, max_value=len(text)))
        action = draw(st.sampled_from(["insert", "delete", "swap-line", "duplicate-line"]))
        if action == "insert":
            text = text[:position] + draw(st.sampled_from(MUTATION_CHARS)) + text[position:]
        elif action == "delete" and text:
            text = text[:position] + text[position + 1 :]
        else:
            lines = text.split("\n")
            index = min(position % max(len(lines), 1), len(lines) - 1)
            if action == "duplicate-line":
                lines.insert(index, lines[index])
            elif index + 1 < len(lines):
                lines[index], lines[index + 1] = lines[index + 1], lines[index]
            text = "\n".join(lines)
    return text


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@st.composite
def structured_manifest(draw: st.DrawFn) -> str:
    doc = draw(st.dictionaries(st.sampled_from(["apiVersion", "kind", "metadata", "spec", "data", "status", "x"]),
                               json_values, max_size=5))  # fmt: skip
    if draw(st.booleans()):
        doc["apiVersion"], doc["kind"] = draw(st.sampled_from([("v1", "Pod"), ("apps/v1", "Deployment"),
                                                               ("v1", "Service"), ("v1", "ConfigMap")]))  # fmt: skip
    if draw(st.booleans()):
        doc["metadata"] = {"name": draw(st.sampled_from(["web", "x", "Bad_Name", ""]))}
    return yaml.safe_dump(doc)


@settings(max_examples=1200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated_manifest(), structured_manifest()), st.sampled_from(["apply", "create", "replace", "delete"]))
def test_mutated_and_random_manifests_always_answer(text: str, verb: str) -> None:
    SHARED.env.files["fuzz.yaml"] = text
    check(SHARED.run(f"kubectl {verb} -f fuzz.yaml"))
    SHARED.env.stdin = None
    check(SHARED.run("cat fuzz.yaml | kubectl apply --server-side -f -"))
