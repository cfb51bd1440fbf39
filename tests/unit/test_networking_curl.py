"""``curl`` in the terminal: output shapes, options, exit codes and error texts of curl 8."""

from __future__ import annotations

import pytest

from cluster.kubectl.traffic_programs import curl_from_pod
from cluster.networking.terminal import curlopts
from cluster.networking.urls import UrlError, parse_url
from tests.unit.test_networking_rig import Sandbox, course


@pytest.fixture(scope="module")
def box() -> Sandbox:
    box = course()
    box.ok("kubectl create deployment web --image=nginx:1.27")
    box.ok("kubectl expose deployment web --type=NodePort --port=80")
    box.ok("kubectl run client --image=nginx:1.25")
    box.settle()
    return box


def web_port(box: Sandbox) -> int:
    svc = box.cluster.get("Service", "default", "web")
    assert svc is not None
    return int(svc["spec"]["ports"][0]["nodePort"])


def test_plain_curl_prints_the_body(box: Sandbox) -> None:
    out = box.sh("curl localhost:30000")
    assert out.exit_code == 0 and out.stderr == []
    (line,) = out.stdout
    assert line.startswith("hostname: hostname-") and ", ip: 10.244." in line


def test_scheme_is_optional_and_http_is_the_same(box: Sandbox) -> None:
    assert box.sh("curl http://localhost:30000/").stdout[0].startswith("hostname: ")


def test_include_prints_status_line_and_headers(box: Sandbox) -> None:
    out = box.sh(f"curl -i localhost:{web_port(box)}")
    assert out.stdout[0] == "HTTP/1.1 200 OK"
    assert out.stdout[1] == "Server: nginx/1.27.3"
    assert out.stdout[2].startswith("Date: ") and out.stdout[2].endswith(" GMT")
    assert "Content-Length: 615" in out.stdout and "Content-Type: text/html" in out.stdout
    blank = out.stdout.index("")
    assert out.stdout[blank + 1] == "<!DOCTYPE html>" and out.stdout[-1] == "</html>"


def test_head_sends_head_and_prints_only_headers(box: Sandbox) -> None:
    out = box.sh(f"curl -I localhost:{web_port(box)}")
    assert out.stdout[0] == "HTTP/1.1 200 OK" and out.stdout[-1] == ""
    assert "<!DOCTYPE html>" not in out.stdout
    assert "Content-Length: 615" in out.stdout
    log = box.private("Pod", "default", box.pods("web-")[0]["metadata"]["name"])["traffic"]["log"]
    assert '"HEAD / HTTP/1.1" 200 0 "-" "curl/8.5.0" "-"' in log[-1][2]


def test_verbose_traces_the_connection_on_stderr(box: Sandbox) -> None:
    out = box.sh(f"curl -v localhost:{web_port(box)}/missing")
    assert out.stderr[:6] == [
        f"*   Trying 127.0.0.1:{web_port(box)}...",
        f"* Connected to localhost (127.0.0.1) port {web_port(box)}",
        "> GET /missing HTTP/1.1",
        f"> Host: localhost:{web_port(box)}",
        "> User-Agent: curl/8.5.0",
        "> Accept: */*",
    ]
    assert "< HTTP/1.1 404 Not Found" in out.stderr
    assert out.stderr[-1] == "* Connection #0 to host localhost left intact"
    assert "<hr><center>nginx/1.27.3</center>" in out.stdout


def test_write_out_http_code_with_output_to_dev_null(box: Sandbox) -> None:
    out = box.sh("curl -s -o /dev/null -w '%{http_code}' localhost:30000")
    assert (out.stdout, out.stderr, out.exit_code) == (["200"], [], 0)
    failed = box.sh("curl -s -o /dev/null -w '%{http_code}\\n' localhost:31999")
    assert (failed.stdout, failed.exit_code) == (["000"], 7)


def test_output_to_a_file_shows_the_progress_meter(box: Sandbox) -> None:
    out = box.sh(f"curl -o page.html localhost:{web_port(box)}")
    assert out.stdout == []
    assert out.stderr[0].startswith("  % Total    % Received % Xferd")
    assert out.stderr[2].startswith("100   615  100   615")
    assert box.env.files["page.html"].startswith("<!DOCTYPE html>")
    assert "page.html" in box.env.files_changed


def test_fail_turns_http_errors_into_exit_22(box: Sandbox) -> None:
    out = box.sh(f"curl -f localhost:{web_port(box)}/nope")
    assert out.stdout == [] and out.exit_code == 22
    assert out.stderr == ["curl: (22) The requested URL returned error: 404"]
    assert box.sh(f"curl -sf localhost:{web_port(box)}/nope").stderr == []


@pytest.mark.parametrize(
    ("line", "code", "message"),
    [
        ("curl localhost:31999", 7, "curl: (7) Failed to connect to localhost port 31999 after 0 ms: "
         "Couldn't connect to server"),
        ("curl nosuchhost", 6, "curl: (6) Could not resolve host: nosuchhost"),
        ("curl 10.96.0.1", 28, "curl: (28) Failed to connect to 10.96.0.1 port 80 after 3000 ms: Timeout was reached"),
        ("curl -m 5 10.96.0.1", 28, "curl: (28) Failed to connect to 10.96.0.1 port 80 after 5000 ms: "
         "Timeout was reached"),
        ("curl localhost:99999", 3, "curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535"),
        ("curl ftp://localhost", 1, 'curl: (1) Protocol "ftp" not supported'),
        ("curl https://localhost:30000", 35, "curl: (35) OpenSSL/3.0.13: "
         "error:0A00010B:SSL routines::wrong version number"),
    ],
)  # fmt: skip
def test_failures_print_curls_message_and_exit_code(box: Sandbox, line: str, code: int, message: str) -> None:
    out = box.sh(line)
    assert (out.exit_code, out.stderr[0], out.stdout) == (code, message, [])
    assert box.sh(line.replace("curl ", "curl -s ", 1)).stderr == []
    assert box.sh(line.replace("curl ", "curl -sS ", 1)).stderr == [message]


def test_a_cluster_ip_timeout_from_the_laptop_carries_a_note(box: Sandbox) -> None:
    out = box.sh("curl 10.96.0.1")
    assert out.hints and "2 minutes" in out.hints[0]
    assert box.sh("curl --connect-timeout 1 10.96.0.1").hints == []


@pytest.mark.parametrize(
    ("line", "lines"),
    [
        ("curl", ["curl: no URL specified!", curlopts.TRY]),
        ("curl --bogus x", ["curl: option --bogus: is unknown", curlopts.TRY]),
        ("curl -o", ["curl: option -o: requires parameter", curlopts.TRY]),
        ("curl -Z x", ["curl: option -Z: is unknown", curlopts.TRY]),
    ],
)
def test_usage_errors_exit_2(box: Sandbox, line: str, lines: list[str]) -> None:
    out = box.sh(line)
    assert (out.exit_code, out.stderr) == (2, lines)


def test_post_data_and_custom_headers_reach_the_app() -> None:
    box = course()
    box.ok("kubectl create deployment echo --image=kubesandbox/echo:1.0")
    box.ok("kubectl expose deployment echo --type=NodePort --port=80 --target-port=8080")
    box.settle()
    port = box.cluster.get("Service", "default", "echo")["spec"]["ports"][0]["nodePort"]  # type: ignore[index]
    out = box.sh(f"curl -s -H 'X-Team: blue' -d name=kim localhost:{port}/hello?x=1")
    body = out.stdout[0]
    assert '"method":"POST"' in body and '"path":"/hello"' in body and '"query":"x=1"' in body
    assert '"x-team":"blue"' in body and '"body":"name=kim"' in body


def test_combined_short_options_and_attached_values() -> None:
    opts = curlopts.parse(["-sSLo/dev/null", "-w%{http_code}", "-XPUT", "--max-time=2", "a", "b"])
    assert (opts.silent, opts.show_error, opts.location, opts.output) == (True, True, True, "/dev/null")
    assert (opts.write_out, opts.method, opts.max_time, opts.urls) == ("%{http_code}", "PUT", "2", ["a", "b"])


def test_curl_from_a_pod_uses_cluster_dns_and_cluster_ips(box: Sandbox) -> None:
    pod = box.pod("client")
    out = curl_from_pod(box.env, pod, ["curl", "-s", "hostname-service"])
    assert out.exit_code == 0 and out.stdout[0].startswith("hostname: ")
    svc_ip = box.cluster.get("Service", "default", "hostname-service")["spec"]["clusterIP"]  # type: ignore[index]
    out = curl_from_pod(box.env, pod, ["-s", "-w", "%{remote_ip}", "-o", "/dev/null", "hostname-service.default.svc"])
    assert out.stdout == [svc_ip]
    assert curl_from_pod(box.env, pod, ["curl", "-s", "localhost"]).stdout[3] == "<title>Welcome to nginx!</title>"
    api = curl_from_pod(box.env, pod, ["curl", "-sk", "https://kubernetes.default"])
    assert '"message": "forbidden: User \\"system:anonymous\\" cannot get path \\"/\\""' in "\n".join(api.stdout)
    nope = curl_from_pod(box.env, pod, ["curl", "https://kubernetes.default"])
    assert nope.exit_code == 60


def test_env_client_runs_curl_inside_that_pod(box: Sandbox) -> None:
    box.env.client = {"namespace": "default", "pod": "client"}
    try:
        assert box.sh("curl -s hostname-service").stdout[0].startswith("hostname: ")
    finally:
        box.env.client = None
    assert box.sh("curl -s hostname-service").exit_code == 6


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("localhost:30000", "http://localhost:30000/"),
        ("http://Example.test/a/b?c=d#frag", "http://example.test/a/b?c=d"),
        ("https://k8s:443", "https://k8s/"),
        ("user:pw@host:8080/x", "http://host:8080/x"),
    ],
)
def test_url_parsing(text: str, expected: str) -> None:
    assert str(parse_url(text)) == expected


def test_url_without_host_is_rejected() -> None:
    with pytest.raises(UrlError) as exc:
        parse_url("http:///path")
    assert exc.value.code == 3
