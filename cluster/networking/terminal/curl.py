"""``curl``: an HTTP request from the learner's laptop (or from inside a pod) through the simulated network.

Output follows curl 8: the body on stdout; ``-i`` adds the status line and
headers, ``-I`` sends HEAD and prints only them; ``-v`` traces the connection
on stderr (``*`` info, ``>`` request, ``<`` response); ``-o FILE`` /
``-w FORMAT`` / ``-f`` / ``-s`` / ``-S`` behave as in curl, and failures print
``curl: (N) …`` with curl's exit code (6 resolve, 7 refused, 28 timeout, 52
empty reply, 56 reset, 22 with ``-f``).

Simplification: the sandbox's curl reads a ``~/.curlrc`` with
``connect-timeout = 3``, so a connection nobody answers (a ClusterIP from the
laptop, a dropped packet) fails after 3 s instead of a real curl's ~2 minutes;
the terminal says so.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from cluster.kubectl.base import Output
from cluster.networking.addresses import API_SERVER_IP
from cluster.networking.apps import HttpResponse
from cluster.networking.network import CURL_USER_AGENT, Call, Client, Network, Outcome, failure_text
from cluster.networking.routing import send
from cluster.networking.terminal import curlopts
from cluster.networking.terminal.context import Terminal
from cluster.networking.terminal.curlout import progress_meter, verbose_request, verbose_response, write_out
from cluster.networking.urls import Url, UrlError, parse_url

DEFAULT_CONNECT_TIMEOUT_S = 3
VERSION = (
    "curl 8.5.0 (x86_64-pc-linux-gnu) libcurl/8.5.0 OpenSSL/3.0.13 zlib/1.3 brotli/1.1.0 zstd/1.5.5 libidn2/2.3.7 "
    "libpsl/0.21.2 (+libidn2/2.3.7) libssh/0.10.6/openssl/zlib nghttp2/1.59.0 librtmp/2.3 OpenLDAP/2.6.7\n"
    "Release-Date: 2023-12-06, security patched: 8.5.0-2ubuntu10.6\n"
    "Protocols: dict file ftp ftps gopher gophers http https imap imaps ldap ldaps mqtt pop3 pop3s rtmp rtsp scp "
    "sftp smb smbs smtp smtps telnet tftp\n"
    "Features: alt-svc AsynchDNS brotli GSS-API HSTS HTTP2 HTTPS-proxy IDN IPv6 Kerberos Largefile libz NTLM PSL "
    "SPNEGO SSL threadsafe TLS-SRP UnixSockets zstd"
)
HELP = """Usage: curl [options...] <url>
 -d, --data <data>          HTTP POST data
 -f, --fail                 Fail fast with no output on HTTP errors
 -h, --help <category>      Get help for commands
 -i, --include              Include protocol response headers in the output
 -o, --output <file>        Write to file instead of stdout
 -O, --remote-name          Write output to a file named as the remote file
 -s, --silent               Silent mode
 -T, --upload-file <file>   Transfer local FILE to destination
 -u, --user <user:password> Server user and password
 -A, --user-agent <name>    Send User-Agent <name> to server
 -v, --verbose              Make the operation more talkative
 -V, --version              Show version number and quit

This is not the full help, this menu is stripped into categories.
Use "--help category" to get an overview of all categories.
For all options use the manual or "--help all"."""
CERT_HELP = """More details here: https://curl.se/docs/sslcerts.html

curl failed to verify the legitimacy of the server and therefore could not
establish a secure connection to it. To learn more about this situation and
how to fix it, please visit the web page mentioned above."""
TIMEOUT_NOTE = {
    "en": "Note: this sandbox's curl gives up connecting after 3 s (a ~/.curlrc sets connect-timeout); "
    "a real curl would wait about 2 minutes before failing the same way.",
    "ko": "참고: 이 샌드박스의 curl 은 3초 뒤 연결을 포기합니다(~/.curlrc 의 connect-timeout). "
    "실제 curl 은 약 2분을 기다린 뒤 같은 이유로 실패합니다.",
}


def _print(write: Callable[[str], None], lines: Iterable[str]) -> None:
    """Write lines one by one, so a terminal interleaves stdout and stderr in the order they were printed."""
    for line in lines:
        write(line)


def _call(opts: curlopts.CurlOptions, url: Url) -> Call:
    headers: list[tuple[str, str]] = []
    for raw in opts.headers:
        name, _, value = raw.partition(":")
        if name.strip() and value.strip():
            headers.append((name.strip(), value.strip()))
    if opts.referer:
        headers.append(("Referer", opts.referer))
    method = (
        opts.method.upper() if opts.method else ("HEAD" if opts.head else "POST" if opts.data is not None else "GET")
    )
    body = opts.data or ""
    if body:
        headers.append(("Content-Length", str(len(body.encode()))))
        if not any(k.lower() == "content-type" for k, _ in headers):
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    return Call(
        url.host.strip("[]"), url.port, url.path, method, headers, body, url.scheme, opts.user_agent or CURL_USER_AGENT
    )


def _timeout_ms(opts: curlopts.CurlOptions) -> int:
    limits = [curlopts.seconds(t) for t in (opts.max_time, opts.connect_timeout) if t]
    return int(min(limits) * 1000) if limits else DEFAULT_CONNECT_TIMEOUT_S * 1000


def _tls(opts: curlopts.CurlOptions, out: Outcome) -> tuple[int, str] | None:
    """HTTPS: only the API server speaks TLS here; anything else answers a TLS hello with plain HTTP."""
    if out.exit_code or out.response is None:
        return None
    if out.pod_ip != API_SERVER_IP:
        return 35, "OpenSSL/3.0.13: error:0A00010B:SSL routines::wrong version number"
    if not opts.insecure:
        return 60, "SSL certificate problem: unable to get local issuer certificate"
    status = {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": 'forbidden: User "system:anonymous" cannot get path "/"', "reason": "Forbidden",
        "details": {}, "code": 403,
    }  # fmt: skip
    body = json.dumps(status, indent=2) + "\n"
    out.response = HttpResponse(403, [("Audit-Id", "00000000-0000-4000-8000-000000000000"),
                                      ("Cache-Control", "no-cache, private"), ("Content-Type", "application/json"),
                                      ("X-Content-Type-Options", "nosniff"), ("Content-Length", str(len(body)))],
                                body, "Forbidden")  # fmt: skip
    return None


def _error(result: Output, opts: curlopts.CurlOptions, code: int, text: str) -> None:
    result.exit_code = code
    if not opts.silent or opts.show_error:
        result.err(f"curl: ({code}) {text}")


def _body_lines(body: str) -> list[str]:
    return body[:-1].split("\n") if body.endswith("\n") else body.split("\n")


def _deliver(term: Terminal, result: Output, opts: curlopts.CurlOptions, url: Url, out: Outcome) -> str:
    """Print the response as the options ask; returns the text bound for stdout."""
    response = out.response
    assert response is not None
    if opts.verbose:
        _print(result.err, verbose_response(response))
    failed = opts.fail and response.status >= 400
    text = ""
    if opts.include or opts.head:
        text += "\r\n".join([response.status_line, *(f"{k}: {v}" for k, v in response.headers)]) + "\r\n\r\n"
    if not opts.head and not failed:
        text += response.body
    if opts.output and opts.output != "-":
        if opts.output != "/dev/null":
            term.files[opts.output] = text
            term.changed_files.add(opts.output)
        if not opts.silent and not opts.no_progress:
            _print(result.err, progress_meter(response.size, out.latency_ms))
        text = ""
    if opts.verbose:
        result.err(f"* Connection #0 to host {url.host} left intact")
    if failed:
        _error(result, opts, 22, f"The requested URL returned error: {response.status}")
    return text.replace("\r\n", "\n")


def _one(term: Terminal, net: Network, client: Client, opts: curlopts.CurlOptions, raw: str, result: Output) -> None:
    try:
        url = parse_url(raw)
    except UrlError as exc:
        _error(result, opts, exc.code, str(exc))
        return
    call = _call(opts, url)
    out = send(net, client, call, term.now_ms)
    text = ""
    tls = _tls(opts, out) if url.scheme == "https" else None
    if opts.verbose:
        _print(result.err, verbose_request(url, call, out, _timeout_ms(opts)))
    if tls is not None:
        _error(result, opts, *tls)
        if tls[0] == 60 and (not opts.silent or opts.show_error):
            _print(result.err, CERT_HELP.split("\n"))
    elif out.exit_code:
        elapsed = _timeout_ms(opts) if out.failure == "timeout" else 0
        _error(result, opts, out.exit_code, failure_text(out, url.host, elapsed))
        if out.failure == "timeout" and not (opts.max_time or opts.connect_timeout):
            result.hints.append(TIMEOUT_NOTE.get(term.lang, TIMEOUT_NOTE["en"]))
    else:
        text = _deliver(term, result, opts, url, out)
    if opts.write_out:
        text += write_out(opts.write_out, url, out)
    if text:
        _print(result.out, _body_lines(text))


def curl(term: Terminal, client: Client, argv: list[str]) -> Output:
    result = Output()
    try:
        opts = curlopts.parse(argv)
    except curlopts.CurlUsageError as exc:
        _print(result.err, str(exc).split("\n"))
        result.exit_code = 2
        return result
    if opts.help:
        _print(result.out, HELP.split("\n"))
        return result
    if opts.version:
        _print(result.out, VERSION.split("\n"))
        return result
    if not opts.urls:
        _print(result.err, ["curl: no URL specified!", curlopts.TRY])
        result.exit_code = 2
        return result
    net = term.network()
    for raw in opts.urls:
        _one(term, net, client, opts, raw, result)
    term.commit(net)
    return result
