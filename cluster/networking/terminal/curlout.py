"""curl's side channels: the ``-v`` trace, the progress meter and ``-w`` write-out variables."""

from __future__ import annotations

from cluster.networking.apps import HttpResponse
from cluster.networking.network import Call, Outcome, failure_text
from cluster.networking.urls import Url

PROGRESS_HEAD = [
    "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current",
    "                                 Dload  Upload   Total   Spent    Left  Speed",
]
EPHEMERAL_PORT = 51234


def verbose_request(url: Url, call: Call, out: Outcome, timeout_ms: int) -> list[str]:
    """The ``*`` and ``>`` lines up to the end of the request (or the failure)."""
    if out.failure == "resolve":
        return [f"* Could not resolve host: {url.host}", "* Closing connection"]
    lines = [f"*   Trying {out.ip}:{url.port}..."]
    if out.failure == "refused":
        return [
            *lines,
            f"* connect to {out.ip} port {url.port} from {out.ip} port {EPHEMERAL_PORT} failed: Connection refused",
            f"* {failure_text(out, url.host, 0)}",
            "* Closing connection",
        ]
    if out.failure == "timeout":
        return [
            *lines,
            f"* ipv4 connect timeout after {max(0, timeout_ms - 4)}ms, move on!",
            f"* {failure_text(out, url.host, timeout_ms)}",
            "* Closing connection",
        ]
    lines.append(f"* Connected to {url.host} ({out.ip}) port {url.port}")
    lines.append(f"> {call.method} {call.path} HTTP/1.1")
    sent = [("Host", call.host_header), ("User-Agent", call.user_agent), ("Accept", "*/*")]
    sent = [(k, v) for k, v in sent if not call.header(k)] + call.headers
    lines += [f"> {k}: {v}" for k, v in sent]
    lines.append("> ")
    if out.failure in ("empty", "reset"):
        lines += [f"* {failure_text(out, url.host)}", "* Closing connection"]
    return lines


def verbose_response(response: HttpResponse) -> list[str]:
    return [f"< {response.status_line}", *(f"< {k}: {v}" for k, v in response.headers), "< "]


def _speed(value: float) -> str:
    """curl's 5-column speed: bytes, then k/M with up to one decimal."""
    if value < 100_000:
        return str(int(value))
    for unit, size in (("k", 1024), ("M", 1024**2), ("G", 1024**3)):
        scaled = value / size
        if scaled < 100:
            return f"{scaled:.1f}{unit}" if scaled < 10 else f"{int(scaled)}{unit}"
        if scaled < 10_000:
            return f"{int(scaled)}{unit}"
    return f"{int(value / 1024**4)}T"


def progress_meter(size: int, latency_ms: int) -> list[str]:
    """What curl draws on stderr when the body goes to a file (its final state)."""
    speed = _speed(size * 1000 / max(latency_ms, 1)) if size else "0"
    percent = 100 if size else 0
    row = (
        f"{percent:>3} {size:>5}  {percent:>3} {size:>5}    0     0  {speed:>5}      0 "
        f"--:--:-- --:--:-- --:--:-- {speed:>5}"
    )
    return [*PROGRESS_HEAD, row]


def _variables(url: Url, out: Outcome) -> dict[str, str]:
    response = out.response
    seconds = f"{out.latency_ms / 1000:.6f}"
    return {
        "http_code": f"{out.status:03d}",
        "response_code": f"{out.status:03d}",
        "time_total": seconds,
        "time_connect": f"{min(out.latency_ms, 1) / 1000:.6f}",
        "time_starttransfer": seconds,
        "remote_ip": out.ip,
        "remote_port": str(url.port) if out.ip else "",
        "size_download": str(response.size if response is not None else 0),
        "url_effective": str(url),
        "url": str(url),
        "content_type": response.header("Content-Type") if response is not None else "",
        "num_connects": "1" if out.response is not None else "0",
        "exitcode": str(out.exit_code),
        "errormsg": failure_text(out, url.host) if out.exit_code else "",
        "scheme": url.scheme.upper(),
        "method": "GET",
    }


def write_out(fmt: str, url: Url, out: Outcome) -> str:
    """Expand ``-w``: ``%{name}`` variables, ``%%`` and the ``\\n``/``\\t``/``\\r`` escapes."""
    values = _variables(url, out)
    text, i = [], 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "%" and fmt.startswith("%{", i) and (end := fmt.find("}", i)) > 0:
            text.append(values.get(fmt[i + 2 : end], ""))
            i = end + 1
            continue
        if ch == "%" and fmt.startswith("%%", i):
            text.append("%")
            i += 2
            continue
        if ch == "\\" and i + 1 < len(fmt) and fmt[i + 1] in "ntr\\":
            text.append({"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}[fmt[i + 1]])
            i += 2
            continue
        text.append(ch)
        i += 1
    return "".join(text)
