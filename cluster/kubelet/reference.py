"""Image references parsed the way containerd and the kubelet parse them.

A learner types ``nginx``, ``nginx:1.25``, ``registry.k8s.io/hpa-example`` or
``NGINX``; what the sandbox shows (the fully qualified name in container
statuses, the ``InvalidImageName`` message, the pull error) depends on the
exact normalisation rules of ``github.com/distribution/reference``
(``ParseNormalizedNamed``): a first path component is a registry host only if
it contains ``.`` or ``:`` or is ``localhost``; otherwise the image lives on
Docker Hub, and a single-component name is an official ``library/`` image.

Simplification: IPv6 registry hosts are not recognised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cluster.core.goformat import go_quote

DEFAULT_DOMAIN = "docker.io"
LEGACY_DEFAULT_DOMAIN = "index.docker.io"
OFFICIAL_PREFIX = "library/"
MAX_NAME_LENGTH = 255

_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = rf"{_ALNUM}(?:{_SEPARATOR}{_ALNUM})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_REFERENCE = re.compile(
    rf"^(?P<name>(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*)"
    rf"(?::(?P<tag>{_TAG}))?(?:@(?P<digest>{_DIGEST}))?$"
)
_ANCHORED_ID = re.compile(r"^[a-f0-9]{64}$")


class InvalidReference(ValueError):
    """The reference cannot be parsed; ``str()`` is distribution/reference's error text."""


@dataclass(frozen=True)
class Reference:
    """A normalised reference: ``docker.io`` / ``library/nginx`` / ``1.25`` / ``sha256:…``."""

    domain: str
    path: str
    tag: str
    digest: str

    @property
    def repository(self) -> str:
        """``docker.io/library/nginx``."""
        return f"{self.domain}/{self.path}"

    @property
    def full(self) -> str:
        """What containerd names the image: ``docker.io/library/nginx:1.25`` (or ``…@sha256:…``)."""
        text = self.repository
        if self.tag:
            text += f":{self.tag}"
        if self.digest:
            text += f"@{self.digest}"
        return text


def _split_domain(name: str) -> tuple[str, str]:
    head, sep, rest = name.partition("/")
    if not sep or (not any(c in head for c in ".:") and head != "localhost" and head.lower() == head):
        domain, remainder = DEFAULT_DOMAIN, name
    else:
        domain, remainder = head, rest
    if domain == LEGACY_DEFAULT_DOMAIN:
        domain = DEFAULT_DOMAIN
    if domain == DEFAULT_DOMAIN and "/" not in remainder:
        remainder = OFFICIAL_PREFIX + remainder
    return domain, remainder


def parse(image: str) -> Reference:
    """``ParseNormalizedNamed`` plus the kubelet's default ``latest`` tag; raises ``InvalidReference``."""
    if _ANCHORED_ID.match(image):
        raise InvalidReference(f"invalid repository name ({image}), cannot specify 64-byte hexadecimal strings")
    domain, remainder = _split_domain(image)
    remote = remainder.split(":", 1)[0]
    if remote.lower() != remote:
        raise InvalidReference(f"invalid reference format: repository name ({remote}) must be lowercase")
    full = f"{domain}/{remainder}"
    match = _REFERENCE.match(full)
    if match is None:
        if not image:
            raise InvalidReference("repository name must have at least one component")
        if _REFERENCE.match(full.lower()):
            raise InvalidReference("invalid reference format: repository name must be lowercase")
        raise InvalidReference("invalid reference format")
    if len(match["name"]) > MAX_NAME_LENGTH:
        raise InvalidReference(f"repository name must not be more than {MAX_NAME_LENGTH} characters")
    tag, digest = match["tag"] or "", match["digest"] or ""
    if not tag and not digest:
        tag = "latest"
    return Reference(domain, match["name"].split("/", 1)[1], tag, digest)


def normalize(image: str) -> tuple[str, str, str]:
    """``nginx`` → ``("docker.io/library/nginx", "latest", "")``; raises ``InvalidReference``."""
    ref = parse(image)
    return ref.repository, ref.tag, ref.digest


def invalid_image_message(image: str) -> str | None:
    """The kubelet's ``InvalidImageName`` message for ``image``, or None when it parses."""
    try:
        parse(image)
    except InvalidReference as exc:
        quoted = go_quote(image)
        return f"Failed to apply default image tag {quoted}: couldn't parse image name {quoted}: {exc}"
    return None
