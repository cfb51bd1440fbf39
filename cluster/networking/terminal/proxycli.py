"""``kube-proxy --proxy-mode=iptables|ipvs``: switch how every node's kube-proxy balances new connections.

On a real cluster the mode is ``mode:`` in the ``kube-proxy`` ConfigMap of
``kube-system`` and takes effect when the kube-proxy pods restart; the sandbox
switches all nodes at once. iptables picks a random endpoint per new
connection; IPVS (``rr``) takes them strictly in turn.
"""

from __future__ import annotations

from cluster.kubectl.base import Output
from cluster.networking.proxy import CONFIG_KEY, MODES, mode_of
from cluster.networking.terminal.context import Terminal

EXPLAIN = {
    "iptables": "each new connection goes to a random ready endpoint, each with probability 1/n",
    "ipvs": "new connections go to the ready endpoints in turn (round robin)",
}


def _requested(args: list[str]) -> str | None:
    for i, arg in enumerate(args):
        if arg.startswith("--proxy-mode="):
            return arg.split("=", 1)[1]
        if arg == "--proxy-mode":
            return args[i + 1] if i + 1 < len(args) else ""
    return None


def kube_proxy(term: Terminal, args: list[str]) -> Output:
    out = Output()
    config = dict(term.view.private(CONFIG_KEY) or {})
    wanted = _requested(args)
    if wanted is None:
        mode = mode_of(config)
        out.out(f"kube-proxy mode: {mode} ({EXPLAIN[mode]})")
        out.out("Switch with: kube-proxy --proxy-mode=ipvs  (or --proxy-mode=iptables)")
        return out
    if wanted not in MODES:
        supported = ", ".join(f'"{m}"' for m in MODES)
        out.fail(
            f'kube-proxy: KubeProxyConfiguration.mode: Unsupported value: "{wanted}": supported values: {supported}'
        )
        return out
    config["mode"] = wanted
    config.pop("rr", None)  # new rules: IPVS starts its round robin afresh
    term.apply([(CONFIG_KEY, config)])
    out.out(f"kube-proxy: mode set to {wanted} on every node: {EXPLAIN[wanted]}")
    return out
