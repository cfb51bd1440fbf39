"""What the simulated apps answer, the access-log lines they write and the per-pod counters."""

from __future__ import annotations

import json

import pytest

from cluster.networking import counters
from cluster.networking.accesslog import access_log_lines, line_for
from cluster.networking.apps import App, HttpRequest, PodInfo, error_page, http_date, respond
from cluster.networking.containers import container_app, container_state, serving_container

NOW = 1_764_044_333_000  # Tue, 25 Nov 2025 04:18:53 GMT
POD = PodInfo("web-7c5ddbdf54-x7k2p", "default", "10.244.1.5", "worker-1")


def get(path: str = "/", method: str = "GET") -> HttpRequest:
    headers = [("Host", "localhost:30000"), ("User-Agent", "curl/8.5.0"), ("Accept", "*/*")]
    return HttpRequest(method, path, "localhost:30000", headers, "", "10.244.1.1")


def test_http_date_is_rfc_1123_gmt() -> None:
    assert http_date(NOW) == "Tue, 25 Nov 2025 04:18:53 GMT"


@pytest.mark.parametrize(("version", "length"), [("1.27.3", 615), ("1.21.6", 615), ("1.16.0", 612)])
def test_nginx_welcome_page_matches_the_version(version: str, length: int) -> None:
    response = respond(App("nginx", version, f"nginx/{version}", (80,)), get(), POD, NOW)
    assert response is not None and response.status == 200
    assert response.header("Server") == f"nginx/{version}"
    assert response.header("Content-Length") == str(length) and response.size == length
    assert "<h1>Welcome to nginx!</h1>" in response.body


def test_nginx_404_and_405_pages() -> None:
    app = App("nginx", "1.27.3", "nginx/1.27.3", (80,))
    missing = respond(app, get("/nope"), POD, NOW)
    assert missing is not None and (missing.status, missing.status_line) == (404, "HTTP/1.1 404 Not Found")
    assert missing.size == 153 and "<hr><center>nginx/1.27.3</center>" in missing.body
    post = respond(app, get("/", "POST"), POD, NOW)
    assert post is not None and post.status_line == "HTTP/1.1 405 Not Allowed"


def test_head_keeps_content_length_but_drops_the_body() -> None:
    response = respond(App("nginx", "1.27.3", "nginx/1.27.3"), get(method="HEAD"), POD, NOW)
    assert response is not None and response.body == "" and response.header("Content-Length") == "615"


def test_hostname_app_answers_with_the_pods_hostname_and_ip() -> None:
    response = respond(App("hostname", "1.0", "nginx/1.25.5", (80,)), get(), POD, NOW)
    assert response is not None
    assert response.body == "hostname: web-7c5ddbdf54-x7k2p, ip: 10.244.1.5"
    assert response.header("Content-Type") == "text/html; charset=utf-8"
    missing = respond(App("hostname"), get("/x"), POD, NOW)
    assert missing is not None and missing.status == 404 and "<title>404 Not Found</title>" in missing.body


def test_httpd_echo_and_cpu_hog() -> None:
    httpd = respond(App("httpd", "2.4.62", "Apache/2.4.62 (Unix)"), get(), POD, NOW)
    assert httpd is not None and httpd.body == "<html><body><h1>It works!</h1></body></html>\n"
    assert httpd.header("Content-Length") == "45"
    hog = respond(App("cpu-hog", "", "Apache/2.4.10 (Debian)"), get(), POD, NOW)
    assert hog is not None and hog.body == "OK!" and hog.header("X-Powered-By") == "PHP/5.6.14"
    echo = respond(App("echo"), get("/a?b=1", "DELETE"), POD, NOW)
    assert echo is not None
    data = json.loads(echo.body)
    assert data["http"] == {"method": "DELETE", "path": "/a", "query": "b=1", "protocol": "HTTP/1.1"}
    assert data["request"]["headers"]["user-agent"] == "curl/8.5.0" and data["host"]["hostname"] == POD.name


def test_redis_gives_no_http_reply() -> None:
    assert respond(App("redis", "7.4.1", "", (6379,)), get(), POD, NOW) is None


def test_ingress_controller_error_pages_hide_the_version() -> None:
    page = error_page(503, "nginx", NOW)
    assert page.status_line == "HTTP/1.1 503 Service Temporarily Unavailable"
    assert "<hr><center>nginx</center>" in page.body and page.header("Server") == "nginx"


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("nginx", '10.244.1.1 - - [25/Nov/2025:04:18:53 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.5.0" "-"'),
        ("hostname", '127.0.0.1 - - [25/Nov/2025 04:18:53] "GET / HTTP/1.0" 200 -'),
        ("httpd", '10.244.1.1 - - [25/Nov/2025:04:18:53 +0000] "GET / HTTP/1.1" 200 615'),
        ("redis", None),
    ],
)
def test_access_log_formats(kind: str, expected: str | None) -> None:
    response = respond(App("nginx", "1.27.3", "nginx/1.27.3"), get(), POD, NOW)
    assert response is not None
    assert line_for(kind, get(), response, NOW) == expected


def test_access_log_lines_for_the_current_instance() -> None:
    traffic = counters.fresh("uid-1")
    counters.append_log(traffic, 1000, "web", "old line")
    counters.append_log(traffic, 5000, "web", "new line")
    counters.append_log(traffic, 6000, "sidecar", "other")
    private = {"kubelet": {"uid": "uid-1"}, "traffic": traffic}
    assert access_log_lines(private, "web") == ["old line", "new line"]
    assert access_log_lines(private, "web", since_ms=2000) == ["new line"]
    assert access_log_lines(None, "web") == []


def test_counters_bucket_requests_per_second_and_keep_120_seconds() -> None:
    traffic = counters.fresh("uid")
    counters.count(traffic, 10_100, latency_ms=3)
    counters.count(traffic, 10_900, errors=1, latency_ms=5)
    counters.count(traffic, 11_000, requests=4)
    counters.count(traffic, 10_500)  # late: still counted in the second it belongs to
    assert traffic["perSecond"] == [[10_000, 3], [11_000, 4]]
    assert (traffic["requests"], traffic["errors"], traffic["latencyMsSum"]) == (7, 1, 8)
    assert counters.rate_last_second(traffic, 11_500) == 3
    counters.prune(traffic, 131_500)
    assert traffic["perSecond"] == [[11_000, 4]]


def test_access_log_is_bounded() -> None:
    traffic = counters.fresh("uid")
    for i in range(1000):
        counters.append_log(traffic, i, "c", str(i))
    assert len(traffic["log"]) <= counters.MAX_LOG_LINES * 5 // 4 and traffic["log"][-1][2] == "999"


def test_which_container_serves_a_port() -> None:
    pod = {"spec": {"containers": [
        {"name": "sleeper", "image": "busybox:1.36", "command": ["sleep", "3600"]},
        {"name": "web", "image": "nginx:1.25"},
        {"name": "echo", "image": "kubesandbox/echo:1.0"},
    ]}}  # fmt: skip
    assert serving_container(pod, 80, None) == ("web", App("nginx", "1.25.5", "nginx/1.25.5", (80,)))
    assert serving_container(pod, 8080, None)[0] == "echo"  # type: ignore[index]
    assert serving_container(pod, 9999, None) is None
    assert container_app({"image": "nginx", "command": ["sleep", "10"]}, None) is None
    assert container_app({"image": "nginx", "command": ["nginx", "-g", "daemon off;"]}, None) is not None


def test_pushed_images_answer_as_their_app_on_their_exposed_ports() -> None:
    pushed = {"alice/flask:latest": {"app": "hostname", "size": 1, "digest": "sha256:" + "a" * 64, "ports": [5000]}}
    app = container_app({"image": "docker.io/alice/flask"}, pushed)
    assert app is not None and (app.kind, app.ports) == ("hostname", (5000,))
    assert container_app({"image": "alice/other:latest"}, pushed) is None


def test_container_state_from_the_kubelets_memory() -> None:
    private = {"kubelet": {"containers": [{"name": "web", "stage": "running"}],
                           "kill": {"stops": {"web": {"atMs": 500, "signal": "SIGTERM"}}}}}  # fmt: skip
    state = container_state(private, "web")
    assert (state.running, state.stop_at_ms, state.signal) == (True, 500, "SIGTERM")
    private["kubelet"]["kill"]["stops"]["web"]["applied"] = True  # type: ignore[index]
    assert container_state(private, "web").running is False
    assert container_state({"kubelet": {"containers": [{"name": "web", "stage": "pulling"}]}}, "web").running is False
