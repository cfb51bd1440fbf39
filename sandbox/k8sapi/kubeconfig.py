"""A ready-to-use kubeconfig for a sandbox: its API URL, its token, a context named after it.

``kubectl --kubeconfig <file>`` (or ``KUBECONFIG=<file>``) then talks to the
sandbox exactly as to a cluster; the context's namespace is ``default``.

kubectl attaches a kubeconfig's ``token`` only to TLS connections, never to
an ``http://`` server (kubernetes/kubectl#744). For a site served over plain
HTTP (a laptop's ``manage.py serve``) the token is therefore also carried in
the server URL's path, ``http://host/k8s/<id>/token/<token>``, which every
request kubectl makes starts with. (Userinfo, ``http://user:token@host``,
would reach the server as Basic credentials too, but kubectl's WebSocket
dialer refuses such URLs, which turns ``kubectl exec`` into a confusing
client-side error.) Over HTTPS the URL stays ``…/k8s/<id>`` and the bearer
token is used.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import yaml

from cluster.models import Sandbox
from sandbox.k8sapi.auth import sandbox_api_token

PREFIX = "k8s"


def api_url(sandbox: Sandbox, server_url: str, token: str = "") -> str:
    """The sandbox's API server URL ``<site>/k8s/<id>``; with ``token``, carried in the path on ``http://`` sites.

    ``server_url`` is the site's URL (or already the sandbox's API URL).
    """
    base = server_url.rstrip("/")
    suffix = f"/{PREFIX}/{sandbox.pk}"
    url = base if base.endswith(suffix) else base + suffix
    if token and urlsplit(url).scheme == "http":
        return f"{url}/token/{token}"
    return url


def kubeconfig_for(sandbox: Sandbox, server_url: str) -> str:
    """The kubeconfig YAML for ``sandbox`` served at ``server_url`` (mints the sandbox's token if it has none)."""
    name = sandbox.name or f"sandbox-{sandbox.pk}"
    token = sandbox_api_token(sandbox)
    config: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": name, "cluster": {"server": api_url(sandbox, server_url, token)}}],
        "contexts": [{"name": name, "context": {"cluster": name, "user": name, "namespace": "default"}}],
        "current-context": name,
        "users": [{"name": name, "user": {"token": token}}],
        "preferences": {},
    }
    return yaml.safe_dump(config, sort_keys=False, default_flow_style=False)
