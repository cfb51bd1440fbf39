"""Label and field selectors on list requests (400 BadRequest on a malformed or unsupported selector)."""

from __future__ import annotations

from cluster.core import errors
from cluster.core.kinds import KindInfo
from cluster.core.objects import Obj


def select(info: KindInfo, items: list[Obj], label_selector: str | None, field_selector: str | None) -> list[Obj]:
    if label_selector:
        from cluster.core.labels import SelectorError, parse

        try:
            selector = parse(label_selector)
        except SelectorError as exc:
            raise errors.bad_request(str(exc)) from exc
        items = [o for o in items if selector.matches(o.get("metadata", {}).get("labels") or {})]
    if field_selector:
        from cluster.core.fields import FieldSelectorError, convert_for_kind, parse_field_selector

        try:
            fsel = convert_for_kind(info.kind, parse_field_selector(field_selector))
        except FieldSelectorError as exc:
            raise errors.bad_request(str(exc)) from exc
        items = [o for o in items if fsel.matches(o)]
    return items
