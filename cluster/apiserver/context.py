"""Who is asking, and how: the request context every API call carries."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RequestContext:
    """``actor`` is the box on the cluster map (kubectl, controller-manager, scheduler, kubelet:worker-1).

    ``field_validation`` follows the ``fieldValidation`` query parameter:
    Strict rejects unknown fields, Warn reports them, Ignore drops them.
    ``warnings`` collects ``Warning:`` texts to show the client.
    """

    actor: str = "kubectl"
    component: str = ""
    dry_run: bool = False
    field_manager: str = ""
    field_validation: str = "Strict"
    user_agent: str = ""
    warnings: list[str] = field(default_factory=list)
    # Control-plane components send typed objects: no strict decoding, and callers get the stored
    # object itself (read-only by contract) instead of a copy. Clients never set this.
    internal: bool = False

    @property
    def is_user(self) -> bool:
        return self.actor.startswith("kubectl") or self.actor in ("client", "lesson")


KUBECTL = "kubectl"
