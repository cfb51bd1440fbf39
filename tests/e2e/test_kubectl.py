"""The course's kubectl sequence, run by the real kubectl against a live sandbox.

Assertions are on kubectl's own output and exit codes. Sandboxes are paused:
``advance`` moves simulated time between steps, and commands that wait on a
watch run while the clock plays at 50x.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.e2e.conftest import Sandbox

MakeSandbox = Callable[[str], Sandbox]
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels:
    app: api
spec:
  replicas: 2
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: nginx:1.25
        ports:
        - containerPort: 80
"""
SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
  - port: 80
    targetPort: 80
"""


def rows(table: str) -> list[list[str]]:
    """The cells of a kubectl table (header excluded), split on runs of two or more spaces."""
    return [re.split(r"\s{2,}", line.strip()) for line in table.strip().splitlines()[1:]]


def header(table: str) -> list[str]:
    return re.split(r"\s{2,}", table.strip().splitlines()[0].strip())


def test_get_nodes(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox("nodes")
    out = sandbox.ok("get", "nodes")
    assert header(out) == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
    assert [(r[0], r[1], r[2], r[4]) for r in rows(out)] == [
        ("control-plane", "Ready", "control-plane", "v1.32.4"),
        ("worker-1", "Ready", "<none>", "v1.32.4"),
        ("worker-2", "Ready", "<none>", "v1.32.4"),
    ]
    wide = sandbox.ok("get", "nodes", "-o", "wide")
    assert header(wide) == ["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE",
                            "KERNEL-VERSION", "CONTAINER-RUNTIME"]  # fmt: skip
    assert [r[5] for r in rows(wide)] == ["192.168.49.2", "192.168.49.3", "192.168.49.4"]


def test_run_create_scale_expose_and_delete(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox("workloads")
    assert sandbox.ok("run", "nginx", "--image=nginx") == "pod/nginx created\n"
    assert sandbox.ok("create", "deployment", "web", "--image=nginx") == "deployment.apps/web created\n"
    sandbox.advance("20s")
    described = sandbox.ok("describe", "deployment", "web")
    assert "Replicas:               1 desired | 1 updated | 1 total | 1 available | 0 unavailable" in described
    assert re.search(r"NewReplicaSet:   web-[a-z0-9]+ \(1/1 replicas created\)", described)

    assert sandbox.ok("scale", "deployment", "web", "--replicas=3") == "deployment.apps/web scaled\n"
    sandbox.advance("20s")
    wide = sandbox.ok("get", "pods", "-o", "wide", "-l", "app=web")
    assert header(wide) == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE",
                            "READINESS GATES"]  # fmt: skip
    pods = rows(wide)
    assert [(r[1], r[2]) for r in pods] == [("1/1", "Running")] * 3
    assert len({r[5] for r in pods}) == 3
    assert all(r[5].startswith("10.244.") for r in pods)

    assert sandbox.ok("expose", "deployment", "web", "--type=NodePort", "--port=80") == "service/web exposed\n"
    assert sandbox.ok("expose", "pod", "nginx", "--port=80") == "service/nginx exposed\n"
    services = {r[0]: r for r in rows(sandbox.ok("get", "services"))}
    assert services["web"][1] == "NodePort"
    assert re.fullmatch(r"80:3\d{4}/TCP", services["web"][4])
    assert services["nginx"][1:5:3] == ["ClusterIP", "80/TCP"]

    victim = pods[0][0]
    assert sandbox.waiting("delete", "pod", victim) == (sandbox.deleted(f'pod "{victim}"'), "")
    sandbox.advance("20s")
    after = rows(sandbox.ok("get", "pods", "-l", "app=web"))
    assert victim not in [r[0] for r in after]
    assert [r[2] for r in after] == ["Running"] * 3  # the ReplicaSet replaced it

    assert sandbox.waiting("delete", "deployment", "web") == (sandbox.deleted('deployment.apps "web"'), "")
    sandbox.advance("60s")
    result = sandbox.kubectl("get", "deployments,replicasets")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "No resources found in default namespace.\n")
    assert [r[0] for r in rows(sandbox.ok("get", "pods"))] == ["nginx"]  # cascade: only the bare pod is left


def test_apply_rollout_and_autoscale(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox("rollout")
    sandbox.write("deployment.yaml", DEPLOYMENT)
    sandbox.write("service.yaml", SERVICE)
    assert sandbox.ok("apply", "-f", "deployment.yaml") == "deployment.apps/api created\n"
    assert sandbox.ok("apply", "-f", "service.yaml") == "service/api created\n"
    assert sandbox.ok("apply", "-f", "deployment.yaml") == "deployment.apps/api unchanged\n"
    assert sandbox.ok("apply", "-f", "service.yaml") == "service/api unchanged\n"
    sandbox.write("deployment.yaml", DEPLOYMENT.replace("replicas: 2", "replicas: 3"))
    assert sandbox.ok("apply", "-f", "deployment.yaml") == "deployment.apps/api configured\n"
    first, rest = sandbox.waiting("rollout", "status", "deployment/api", "--timeout=90s")
    assert first == "Waiting for deployment spec update to be observed...\n"
    assert rest.splitlines()[-1] == 'deployment "api" successfully rolled out'

    assert sandbox.ok("set", "image", "deployment/api", "api=nginx:1.27") == "deployment.apps/api image updated\n"
    first, rest = sandbox.waiting("rollout", "status", "deployment/api", "--timeout=90s")
    assert first == "Waiting for deployment spec update to be observed...\n"
    assert 'Waiting for deployment "api" rollout to finish: 1 out of 3 new replicas have been updated...' in rest
    assert rest.splitlines()[-1] == 'deployment "api" successfully rolled out'
    history = sandbox.ok("rollout", "history", "deployment/api")
    assert history == "deployment.apps/api \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n"
    assert sandbox.ok("rollout", "undo", "deployment/api") == "deployment.apps/api rolled back\n"
    sandbox.waiting("rollout", "status", "deployment/api", "--timeout=90s")
    image = sandbox.ok("get", "deployment", "api", "-o", "jsonpath={.spec.template.spec.containers[0].image}")
    assert image == "nginx:1.25"
    assert sandbox.ok("rollout", "history", "deployment/api").splitlines()[2:4] == [
        "2         <none>",
        "3         <none>",
    ]

    autoscaled = sandbox.ok("autoscale", "deployment", "api", "--min=2", "--max=5", "--cpu-percent=80")
    assert autoscaled == "horizontalpodautoscaler.autoscaling/api autoscaled\n"
    everything = sandbox.ok("get", "all")
    groups = [block.splitlines()[1:] for block in everything.strip().split("\n\n")]
    names = [[line.split()[0] for line in block] for block in groups]
    assert [n.split("/")[0] for n in (block[0] for block in names)] == [
        "pod",
        "service",
        "deployment.apps",
        "replicaset.apps",
        "horizontalpodautoscaler.autoscaling",
    ]
    assert "deployment.apps/api" in names[2]
    assert names[4] == ["horizontalpodautoscaler.autoscaling/api"]


def test_get_pods_watch_sees_changes_and_ends_at_the_request_timeout(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox("watch")
    sandbox.ok("create", "deployment", "web", "--image=nginx")
    sandbox.advance("20s")
    with sandbox.popen("get", "pods", "-w", "--request-timeout=8s") as watch:
        assert watch.stdout is not None and watch.stderr is not None
        first = watch.stdout.readline()
        assert first.split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
        sandbox.ok("scale", "deployment", "web", "--replicas=2")
        sandbox.advance("20s")
        out = watch.stdout.read()  # until kubectl ends the watch at its request timeout
        err = watch.stderr.read()
        watch.wait(timeout=60)
    assert watch.returncode == 0, err
    lines = [line.split() for line in out.splitlines()]
    assert lines[0][1:3] == ["1/1", "Running"]  # the list, then the changes the watch saw
    new_pod = lines[-1][0]
    assert new_pod != lines[0][0]
    assert [line[2] for line in lines if line[0] == new_pod] == ["Pending", "Pending", "ContainerCreating", "Running"]


def test_explain(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox("explain")
    out = sandbox.ok("explain", "deployment.spec.replicas")
    assert out.startswith("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: replicas <integer>\n")
    assert "Number of desired pods." in out


def test_errors(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox("errors")
    missing = sandbox.kubectl("get", "deployment", "nope")
    assert (missing.returncode, missing.stderr) == (
        1,
        'Error from server (NotFound): deployments.apps "nope" not found\n',
    )
    sandbox.write("service.yaml", SERVICE)
    sandbox.ok("create", "-f", "service.yaml")
    again = sandbox.kubectl("create", "-f", "service.yaml")
    assert (again.returncode, again.stderr) == (
        1,
        'Error from server (AlreadyExists): error when creating "service.yaml": services "api" already exists\n',
    )
    sandbox.write("bad.yaml", DEPLOYMENT.replace("        app: api\n    spec:", "        app: other\n    spec:"))
    invalid = sandbox.kubectl("apply", "-f", "bad.yaml")
    assert (invalid.returncode, invalid.stderr) == (
        1,
        'The Deployment "api" is invalid: spec.template.metadata.labels: Invalid value: '
        'map[string]string{"app":"other"}: `selector` does not match template `labels`\n',
    )
    sandbox.write("typo.yaml", DEPLOYMENT.replace("replicas: 2", "replica: 2"))
    unknown = sandbox.kubectl("apply", "-f", "typo.yaml")
    assert (unknown.returncode, unknown.stderr) == (
        1,
        'Error from server (BadRequest): error when creating "typo.yaml": Deployment in version "v1" cannot be '
        'handled as a Deployment: strict decoding error: unknown field "spec.replica"\n',
    )
    sandbox.write("kind.yaml", "apiVersion: v1\nkind: Pood\nmetadata:\n  name: x\n")
    no_kind = sandbox.kubectl("apply", "-f", "kind.yaml")
    assert (no_kind.returncode, no_kind.stderr) == (
        1,
        'error: resource mapping not found for name: "x" namespace: "" from "kind.yaml": no matches for kind '
        '"Pood" in version "v1"\nensure CRDs are installed first\n',
    )
    warned = sandbox.kubectl("apply", "-f", "typo.yaml", "--validate=warn")
    assert warned.returncode == 0
    assert warned.stderr == 'Warning: unknown field "spec.replica"\n'
    sandbox.advance("20s")
    # exec over the API's WebSocket runs the command in the simulated container; exit codes come back as kubectl's.
    found = sandbox.kubectl("exec", "deployment/api", "--", "hostname")
    assert found.returncode == 0 and found.stdout.startswith("api-"), found.stderr
    missing = sandbox.kubectl("exec", "deployment/api", "--", "nosuch")
    assert missing.returncode == 126
    assert missing.stdout.startswith("OCI runtime exec failed: ")
    assert missing.stderr.endswith("command terminated with exit code 126\n")


def test_logs(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox("logs")
    sandbox.ok("create", "deployment", "web", "--image=nginx", "--replicas=2")
    sandbox.advance("20s")
    result = sandbox.kubectl("logs", "deployment/web", "--tail=1")
    assert result.returncode == 0
    assert re.fullmatch(r"Found 2 pods, using pod/web-[a-z0-9]+-[a-z0-9]+\n", result.stderr)
    assert "start worker process" in result.stdout
