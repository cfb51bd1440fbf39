"""Requests through the simulated cluster: entry points, kube-proxy rules, endpoints and the pods' answers."""

from __future__ import annotations

from collections import Counter

import pytest

from cluster.networking.network import Client
from cluster.networking.proxy import CONFIG_KEY
from tests.unit.test_networking_rig import Sandbox, course, sandbox

LAPTOP = Client()


def pod_client(box: Sandbox, name: str) -> Client:
    pod = box.pod(name)
    return Client(pod["status"]["podIP"], f"pod/default/{name}", "default", name, pod["spec"]["nodeName"])


def cluster_ip(box: Sandbox, name: str) -> str:
    svc = box.cluster.get("Service", "default", name)
    assert svc is not None
    return str(svc["spec"]["clusterIP"])


@pytest.fixture(scope="module")
def web() -> Sandbox:
    """The course app plus an nginx client pod."""
    box = course()
    box.ok("kubectl run client --image=nginx:1.25")
    box.settle()
    return box


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "192.168.49.2", "192.168.49.3", "192.168.49.4"])
def test_node_port_answers_on_localhost_and_every_node(web: Sandbox, host: str) -> None:
    out = web.send(host, 30000)
    assert out.status == 200
    assert out.response is not None and out.response.body == f"hostname: {out.pod}, ip: {out.pod_ip}"
    assert out.service == "hostname-service" and out.entry == f"{host}:30000"
    assert out.node == (web.pod(out.pod)["spec"]["nodeName"] if host in ("localhost", "127.0.0.1") else {
        "192.168.49.2": "control-plane", "192.168.49.3": "worker-1", "192.168.49.4": "worker-2"}[host])  # fmt: skip


def test_thirty_requests_reach_all_three_pods(web: Sandbox) -> None:
    answered = Counter(web.send("localhost", 30000).pod for _ in range(30))
    assert set(answered) == {p["metadata"]["name"] for p in web.pods("hostname-")}


def test_cluster_ip_only_routes_from_inside_the_cluster(web: Sandbox) -> None:
    ip = cluster_ip(web, "hostname-service")
    assert web.send(ip, 80).failure == "timeout"
    inside = web.send(ip, 80, client=pod_client(web, "client"))
    assert inside.status == 200 and inside.pod.startswith("hostname-")
    assert web.send(ip, 8080, client=pod_client(web, "client")).failure == "timeout"  # no rule for that port


def test_pod_ip_is_reachable_from_pods_but_not_from_the_laptop(web: Sandbox) -> None:
    target = web.pods("hostname-")[0]
    ip = target["status"]["podIP"]
    assert web.send(ip, 80).exit_code == 28
    out = web.send(ip, 80, client=pod_client(web, "client"))
    assert (out.status, out.pod) == (200, target["metadata"]["name"])


def test_localhost_inside_a_pod_is_the_pod_itself(web: Sandbox) -> None:
    out = web.send("localhost", 80, client=pod_client(web, "client"))
    assert (out.status, out.pod) == (200, "client")
    assert web.send("localhost", 30000, client=pod_client(web, "client")).failure == "refused"


def test_service_dns_names_resolve_from_pods_only(web: Sandbox) -> None:
    for name in ("hostname-service", "hostname-service.default", "hostname-service.default.svc.cluster.local"):
        assert web.send(name, 80, client=pod_client(web, "client")).status == 200
    assert web.send("hostname-service", 80).failure == "resolve"
    assert web.send("missing", 80, client=pod_client(web, "client")).exit_code == 6


@pytest.mark.parametrize(("port", "failure"), [(31999, "refused"), (22, "refused")])
def test_nothing_listening_on_a_node_port_refuses(web: Sandbox, port: int, failure: str) -> None:
    assert web.send("localhost", port).failure == failure


def test_service_without_endpoints_is_rejected() -> None:
    box = sandbox("kubectl create service nodeport lonely --tcp=80:80 --node-port=30500")
    out = box.send("localhost", 30500)
    assert (out.exit_code, out.failure, out.service) == (7, "refused", "lonely")


def test_target_port_by_name_and_a_port_nothing_listens_on() -> None:
    manifest = """apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: www
    nodePort: 30080
  - name: metrics
    port: 9113
    targetPort: 9113
    nodePort: 30113
"""
    deploy = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports: [{name: www, containerPort: 80}]
"""
    box = sandbox("kubectl apply -f d.yaml", "kubectl apply -f s.yaml", files={"d.yaml": deploy, "s.yaml": manifest})
    out = box.send("localhost", 30080)
    assert out.status == 200 and out.response is not None and "Welcome to nginx!" in out.response.body
    assert box.send("localhost", 30113).failure == "refused"  # nginx does not listen on 9113


def test_external_traffic_policy_local() -> None:
    box = sandbox(
        "kubectl create deployment web --image=nginx:1.25", "kubectl expose deployment web --type=NodePort --port=80"
    )
    box.ok("""kubectl patch svc web -p '{"spec":{"externalTrafficPolicy":"Local"}}'""")
    port = box.cluster.get("Service", "default", "web")["spec"]["ports"][0]["nodePort"]  # type: ignore[index]
    node = box.pods("web-")[0]["spec"]["nodeName"]
    ips = {"worker-1": "192.168.49.3", "worker-2": "192.168.49.4"}
    other = next(ip for name, ip in ips.items() if name != node)
    assert box.send(other, port).failure == "timeout"  # a node without a local endpoint drops it
    served = box.send(ips[node], port)
    assert served.status == 200
    log = box.private("Pod", "default", served.pod)["traffic"]["log"]
    assert log[-1][2].startswith("192.168.49.1 - - [")  # the client IP is preserved


def test_cluster_policy_masquerades_the_client_to_the_node() -> None:
    box = course()
    out = box.send("192.168.49.3", 30000)
    line = box.private("Pod", "default", out.pod)["traffic"]["log"][-1][2]
    assert line.startswith("127.0.0.1 - - [")  # the Flask app sees its nginx; the nginx image shows SNAT below
    nginx = sandbox("kubectl create deployment web --image=nginx:1.25 --replicas=1",
                    "kubectl expose deployment web --type=NodePort --port=80")  # fmt: skip
    port = nginx.cluster.get("Service", "default", "web")["spec"]["ports"][0]["nodePort"]  # type: ignore[index]
    pod = nginx.pods("web-")[0]
    entry = "192.168.49.3" if pod["spec"]["nodeName"] == "worker-2" else "192.168.49.4"
    sent = nginx.send(entry, port)
    source = nginx.private("Pod", "default", sent.pod)["traffic"]["log"][-1][2].split(" ")[0]
    assert source == entry  # forwarded from another node: SNAT to that node's IP
    local = nginx.send("localhost", port)
    source = nginx.private("Pod", "default", local.pod)["traffic"]["log"][-1][2].split(" ")[0]
    assert source == ("10.244.1.1" if pod["spec"]["nodeName"] == "worker-1" else "10.244.2.1")  # the node's bridge


def test_internal_traffic_policy_local_only_reaches_pods_on_the_clients_node() -> None:
    box = sandbox(
        "kubectl create deployment web --image=nginx:1.25 --replicas=1",
        "kubectl expose deployment web --port=80",
        "kubectl run a --image=nginx:1.25",
        "kubectl run b --image=nginx:1.25",
    )
    box.ok("""kubectl patch svc web -p '{"spec":{"internalTrafficPolicy":"Local"}}'""")
    target_node = box.pods("web-")[0]["spec"]["nodeName"]
    ip = cluster_ip(box, "web")
    for name in ("a", "b"):
        out = box.send(ip, 80, client=pod_client(box, name))
        if box.pod(name)["spec"]["nodeName"] == target_node:
            assert out.status == 200
        else:
            assert out.failure == "timeout"


def test_terminating_pods_get_no_new_requests_while_others_are_ready() -> None:
    box = course()
    victim = box.pods("hostname-")[0]["metadata"]["name"]
    box.ok(f"kubectl delete pod {victim} --wait=false")
    box.cluster.advance(1000)
    assert box.pod(victim)["metadata"].get("deletionTimestamp")  # the Flask app takes the full 30 s grace period
    answered = Counter(box.send("localhost", 30000).pod for _ in range(60))
    assert victim not in answered and len(answered) >= 2


def test_last_pods_terminating_still_serve_through_the_fallback() -> None:
    box = sandbox("kubectl run solo --image=kubesandbox/hostname:latest --labels=app=solo",
                  "kubectl create service nodeport solo --tcp=80:80 --node-port=30600")  # fmt: skip
    box.ok("kubectl delete pod solo --wait=false")
    box.cluster.advance(5000)
    out = box.send("localhost", 30600)
    assert (out.status, out.pod) == (200, "solo")


def test_request_in_flight_when_sigterm_stops_the_server_gets_an_empty_reply() -> None:
    box = sandbox("kubectl run hog --image=registry.k8s.io/hpa-example --labels=app=hog",
                  "kubectl create service nodeport hog --tcp=80:80 --node-port=30700")  # fmt: skip
    assert box.send("localhost", 30700).status == 200
    box.ok("kubectl delete pod hog --wait=false")
    box.cluster.run_until(box.cluster.now_ms)
    stop = box.private("Pod", "default", "hog")["kubelet"]["kill"]["stops"]["hog"]
    assert stop["signal"] == "SIGTERM"
    box.cluster.run_until(stop["atMs"] - 20)  # 20 ms before Apache exits; a request costs ~50 ms
    out = box.send("localhost", 30700)
    assert (out.exit_code, out.failure, out.pod) == (52, "empty", "hog")
    assert box.private("Pod", "default", "hog")["traffic"]["errors"] == 1


def test_request_in_flight_when_sigkill_lands_is_reset() -> None:
    box = sandbox("kubectl run solo --image=kubesandbox/hostname:latest --labels=app=solo",
                  "kubectl create service nodeport solo --tcp=80:80 --node-port=30600")  # fmt: skip
    box.ok("kubectl delete pod solo --wait=false")
    box.cluster.run_until(box.cluster.now_ms)
    stop = box.private("Pod", "default", "solo")["kubelet"]["kill"]["stops"]["solo"]
    assert stop["signal"] == "SIGKILL"
    box.cluster.run_until(stop["atMs"] - 1)
    out = box.send("localhost", 30600)
    assert (out.exit_code, out.failure) == (56, "reset")


@pytest.mark.parametrize(("image", "port", "failure"), [("redis:7", 6379, "empty"), ("busybox:1.36", 80, "refused")])
def test_servers_that_speak_no_http(image: str, port: int, failure: str) -> None:
    box = sandbox(f"kubectl run x --image={image} --labels=app=x -- sleep 3600" if "busybox" in image
                  else f"kubectl run x --image={image} --labels=app=x",
                  f"kubectl create service nodeport x --tcp={port}:{port} --node-port=30800")  # fmt: skip
    assert box.send("localhost", 30800).failure == failure


def test_load_balancer_ip_reaches_the_service_port() -> None:
    box = sandbox(
        "kubectl create deployment web --image=httpd:2.4",
        "kubectl expose deployment web --type=LoadBalancer --port=8080 --target-port=80",
    )
    svc = box.cluster.get("Service", "default", "web")
    assert svc is not None
    ip = svc["status"]["loadBalancer"]["ingress"][0]["ip"]
    out = box.send(ip, 8080)
    assert out.status == 200 and out.response is not None
    assert out.response.body == "<html><body><h1>It works!</h1></body></html>\n"
    assert out.response.header("Server") == "Apache/2.4.62 (Unix)"
    assert box.send(ip, 80).failure == "timeout"


INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: site
spec:
  rules:
  - host: hello.local
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
      - path: /empty
        pathType: Prefix
        backend:
          service:
            name: nobody
            port:
              number: 80
"""


def test_ingress_routes_by_host_and_path_and_answers_404_and_503_itself() -> None:
    box = sandbox(
        "kubectl create deployment web --image=nginx:1.25 --replicas=2",
        "kubectl expose deployment web --port=80",
        "kubectl create service clusterip nobody --tcp=80:80",
        "kubectl apply -f ing.yaml",
        files={"ing.yaml": INGRESS},
    )
    ok = box.send("hello.local", 80)
    assert (ok.status, ok.entry, ok.ingress, ok.service) == (200, "ingress", "default/site", "web")
    assert ok.response is not None and ok.response.header("Server") == "nginx"
    by_header = box.send("localhost", 80, headers=[("Host", "hello.local")])
    assert by_header.status == 200 and by_header.pod.startswith("web-")
    missing = box.send("localhost", 80)
    assert missing.status == 404 and missing.response is not None
    assert "<hr><center>nginx</center>" in missing.response.body
    unavailable = box.send("hello.local", 80, path="/empty/x")
    assert unavailable.status == 503
    assert box.send("other.local", 80).failure == "resolve"
    pods = Counter(box.send("hello.local", 80).pod for _ in range(4))
    assert sorted(pods.values()) == [2, 2]  # ingress-nginx balances round robin


def test_kubernetes_service_leads_to_the_api_server() -> None:
    box = sandbox("kubectl run c --image=nginx:1.25")
    out = box.send("10.96.0.1", 443, client=pod_client(box, "c"))
    assert out.status == 400 and out.response is not None
    assert out.response.body == "Client sent an HTTP request to an HTTPS server.\n"


def test_ipvs_mode_alternates_pods_and_is_persisted(web: Sandbox) -> None:
    web.ok("kube-proxy --proxy-mode=ipvs")
    try:
        picks = [web.send("localhost", 30000).pod for _ in range(6)]
        assert picks[:3] == picks[3:] and len(set(picks[:3])) == 3
        assert web.private("KubeProxy", "", "config")["mode"] == "ipvs"
    finally:
        web.ok("kube-proxy --proxy-mode=iptables")
    assert web.cluster.store.private(CONFIG_KEY)["mode"] == "iptables"  # type: ignore[index]


def test_each_request_is_recorded_for_the_page(web: Sandbox) -> None:
    web.cluster.traffic.drain()
    out = web.sh("curl -s localhost:30000")
    (record,) = web.cluster.traffic.drain()
    assert record["client"] == "laptop" and record["entry"] == "localhost:30000"
    assert record["status"] == 200 and record["service"] == "hostname-service"
    assert out.stdout == [f"hostname: {record['pod']}, ip: {record['pod_ip']}"]
    assert record["proxy_mode"] == "iptables" and record["sampled"] is False and record["count"] == 1
    assert set(record) >= {"seq", "at_ms", "node", "namespace", "latency_ms"}


def probe_pod(name: str, probe_port: int, delay: int = 0) -> str:
    return f"""apiVersion: v1
kind: Pod
metadata:
  name: {name}
  labels: {{app: web}}
spec:
  containers:
  - name: nginx
    image: nginx:1.25
    readinessProbe:
      httpGet: {{path: /, port: {probe_port}}}
      initialDelaySeconds: {delay}
      periodSeconds: 5
"""


def test_only_ready_pods_are_endpoints_and_get_traffic() -> None:
    files = {
        "good.yaml": probe_pod("good", 80),
        "bad.yaml": probe_pod("bad", 8080),
        "late.yaml": probe_pod("late", 80, 30),
    }
    box = sandbox(
        "kubectl apply -f good.yaml",
        "kubectl apply -f bad.yaml",
        "kubectl apply -f late.yaml",
        "kubectl create service nodeport web --tcp=80:80 --node-port=30900",
        files=files,
        settle=False,
    )
    box.cluster.advance(10_000)
    assert box.ok("kubectl get pods").text.count("0/1") == 2  # "bad" never passes, "late" not yet
    assert Counter(box.send("localhost", 30900).pod for _ in range(30)) == Counter({"good": 30})
    box.cluster.advance(30_000)
    answered = Counter(box.send("localhost", 30900).pod for _ in range(60))
    assert set(answered) == {"good", "late"}  # ready now: it joins the endpoints and takes new connections


def test_client_ip_session_affinity_sticks_to_one_pod(web: Sandbox) -> None:
    web.ok("""kubectl patch svc hostname-service -p '{"spec":{"sessionAffinity":"ClientIP"}}'""")
    try:
        svc = web.cluster.get("Service", "default", "hostname-service")
        assert svc is not None and svc["spec"]["sessionAffinityConfig"]["clientIP"]["timeoutSeconds"] == 10800
        assert len({web.send("localhost", 30000).pod for _ in range(20)}) == 1
        spread = {web.send("localhost", 30000, client=Client(f"203.0.113.{i}")).pod for i in range(30)}
        assert len(spread) == 3  # other client addresses are balanced as usual
    finally:
        web.ok("""kubectl patch svc hostname-service -p '{"spec":{"sessionAffinity":"None"}}'""")
