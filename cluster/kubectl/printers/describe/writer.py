"""The building blocks every describer shares: the prefix writer and the multi-line sections.

``kubectl describe`` writes ``Key:\\tvalue`` lines at indentation levels of two
spaces into *one* tabwriter region (minwidth 0, padding 2) and flushes once at
the end, so alignment follows Go's column blocks (see ``tabwriter``). Labels,
annotations, taints and tolerations continue on following lines that start
with a tab, which puts them under the first value.
"""

from __future__ import annotations

from typing import Any

from cluster.core.timefmt import parse_rfc3339, since
from cluster.kubectl.printers.gofmt import escape_terminal
from cluster.kubectl.printers.tabwriter import tabbed

Obj = dict[str, Any]
MAX_ANNOTATION_LEN = 140
SKIPPED_ANNOTATIONS = {"kubectl.kubernetes.io/last-applied-configuration"}


class PrefixWriter:
    """describe.PrefixWriter: ``write(level, text)`` indents by two spaces per level."""

    def __init__(self) -> None:
        self._parts: list[str] = []

    def write(self, level: int, text: str) -> None:
        self._parts.append(escape_terminal("  " * level + text))

    def write_line(self, text: str = "") -> None:
        self._parts.append(escape_terminal(text + "\n"))

    def raw(self) -> str:
        """The unaligned text (``rollout history --revision`` prints it without a tabwriter)."""
        return "".join(self._parts)

    def tabbed(self) -> str:
        """The text as ``tabbedString`` returns it: aligned in one flush."""
        return tabbed(self.raw(), minwidth=0, padding=2)


def print_labels_multiline(
    w: PrefixWriter,
    title: str,
    labels: dict[str, str] | None,
    *,
    initial_indent: str = "",
    inner_indent: str = "\t",
    skip: frozenset[str] = frozenset(),
) -> None:
    """``printLabelsMultilineWithIndent``: ``k=v`` per line, sorted; ``<none>`` when empty."""
    w.write(0, f"{initial_indent}{title}:{inner_indent}")
    keys = sorted(key for key in labels or {} if key not in skip)
    if not keys:
        w.write_line("<none>")
        return
    assert labels is not None
    for index, key in enumerate(keys):
        if index:
            w.write(0, initial_indent)
            w.write(0, inner_indent)
        w.write(0, f"{key}={labels[key]}\n")


def _shorten(text: str, max_length: int) -> str:
    raw = text.encode()
    return raw[:max_length].decode(errors="ignore") + "..." if len(raw) > max_length else text


def print_annotations_multiline(w: PrefixWriter, title: str, annotations: dict[str, str] | None) -> None:
    """``printAnnotationsMultiline``: ``k: v`` per line; long or multi-line values go on their own lines."""
    w.write(0, f"{title}:\t")
    annotations = annotations or {}
    keys = sorted(key for key in annotations if key not in SKIPPED_ANNOTATIONS)
    if not keys:
        w.write_line("<none>")
        return
    for index, key in enumerate(keys):
        if index:
            w.write(0, "\t")
        value = annotations[key].removesuffix("\n")
        if len(value.encode()) + len(key.encode()) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(0, f"{key}:\n")
            for line in value.split("\n"):
                w.write(0, f"\t  {_shorten(line, MAX_ANNOTATION_LEN - 2)}\n")
        else:
            w.write(0, f"{key}: {value}\n")


def taint_text(taint: Obj) -> str:
    """``Taint.ToString``: ``key=value:Effect`` (``key:Effect`` without a value)."""
    key, value, effect = taint.get("key", ""), taint.get("value", ""), taint.get("effect", "")
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def print_taints_multiline(w: PrefixWriter, title: str, taints: list[Obj] | None) -> None:
    w.write(0, f"{title}:\t")
    if not taints:
        w.write_line("<none>")
        return
    ordered = sorted(taints, key=lambda t: f"{t.get('effect', '')},{t.get('key', '')}")
    for index, taint in enumerate(ordered):
        if index:
            w.write(0, "\t")
        w.write(0, taint_text(taint) + "\n")


def toleration_text(toleration: Obj) -> str:
    text = str(toleration.get("key", ""))
    if toleration.get("value"):
        text += f"={toleration['value']}"
    if toleration.get("effect"):
        text += f":{toleration['effect']}"
    if toleration.get("operator") == "Exists" and not toleration.get("value"):
        text += " op=Exists" if toleration.get("key") or toleration.get("effect") else "op=Exists"
    if toleration.get("tolerationSeconds") is not None:
        text += f" for {toleration['tolerationSeconds']}s"
    return text


def print_tolerations_multiline(w: PrefixWriter, title: str, tolerations: list[Obj] | None) -> None:
    w.write(0, f"{title}:\t")
    if not tolerations:
        w.write_line("<none>")
        return
    for index, toleration in enumerate(sorted(tolerations, key=lambda t: str(t.get("key", "")))):
        if index:
            w.write(0, "\t")
        w.write(0, toleration_text(toleration) + "\n")


def controlled_by(obj: Obj) -> str:
    """``Kind/name`` of the controller ownerReference, or ""."""
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return f"{ref.get('kind', '')}/{ref.get('name', '')}"
    return ""


def _last_seen_key(event: Obj) -> int:
    stamp = event.get("lastTimestamp")
    return parse_rfc3339(stamp) if stamp else -(2**62)


def event_age(event: Obj, now_ms: int) -> str:
    """The Age cell: ``58s``, or ``63s (x3 over 8h)`` for a repeated event."""
    first = since(event.get("eventTime") or event.get("firstTimestamp"), now_ms)
    series = event.get("series")
    if series:
        return f"{since(series.get('lastObservedTime'), now_ms)} (x{series.get('count', 0)} over {first})"
    count = int(event.get("count") or 0)
    if count > 1:
        return f"{since(event.get('lastTimestamp'), now_ms)} (x{count} over {first})"
    return first


def describe_events(w: PrefixWriter, events: list[Obj] | None, now_ms: int) -> None:
    """``DescribeEvents``: oldest ``lastTimestamp`` first; ``Events:  <none>`` when empty; nothing if ``None``."""
    if events is None:
        return
    if not events:
        w.write(0, "Events:\t<none>\n")
        return
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(1, "----\t------\t----\t----\t-------\n")
    for event in sorted(events, key=_last_seen_key):
        source = (event.get("source") or {}).get("component") or event.get("reportingController") or ""
        message = str(event.get("message", "")).strip()
        age = event_age(event, now_ms)
        w.write(1, f"{event.get('type', '')}\t{event.get('reason', '')}\t{age}\t{source}\t{message}\n")


def bool_text(value: Any) -> str:
    """``printBool``: ``True``/``False``."""
    return "True" if value else "False"


def go_bool(value: Any) -> str:
    """``%v`` of a Go bool: ``true``/``false``."""
    return "true" if value else "false"
