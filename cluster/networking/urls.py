"""URLs as curl reads them: the scheme is optional (``localhost:30000`` means ``http://localhost:30000/``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_PORTS = {"http": 80, "https": 443}
_URL = re.compile(r"^(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?(?P<rest>.*)$", re.S)


class UrlError(ValueError):
    """A URL curl rejects: ``code`` is its exit code, ``str()`` its message."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Url:
    scheme: str
    host: str
    port: int
    path: str

    def __str__(self) -> str:
        default = DEFAULT_PORTS.get(self.scheme)
        port = "" if self.port == default else f":{self.port}"
        return f"{self.scheme}://{self.host}{port}{self.path}"


def _split_host_port(authority: str) -> tuple[str, str]:
    if authority.startswith("["):
        end = authority.find("]")
        if end < 0:
            raise UrlError(3, "URL rejected: Bad IPv6 address")
        return authority[: end + 1], authority[end + 2 :] if authority[end + 1 : end + 2] == ":" else ""
    host, _, port = authority.partition(":")
    return host, port


def parse_url(text: str) -> Url:
    match = _URL.match(text.strip())
    assert match is not None
    scheme = (match["scheme"] or "http").lower()
    if scheme not in DEFAULT_PORTS:
        raise UrlError(1, f'Protocol "{scheme}" not supported')
    rest = match["rest"]
    cut = min((i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0), default=len(rest))
    authority, path = rest[:cut], rest[cut:].split("#")[0]
    authority = authority.rsplit("@", 1)[-1]
    host, port_text = _split_host_port(authority)
    if not host:
        raise UrlError(3, "URL rejected: No host part in the URL")
    if port_text and (not port_text.isdigit() or int(port_text) > 65535):
        raise UrlError(3, "URL rejected: Port number was not a decimal number between 0 and 65535")
    port = int(port_text) if port_text else DEFAULT_PORTS[scheme]
    if path.startswith("?"):
        path = "/" + path
    return Url(scheme, host.lower(), port, path or "/")
