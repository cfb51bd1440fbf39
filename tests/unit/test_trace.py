"""Trace steps: what the tracer records and the ``trace.step`` payload the browser receives."""

from __future__ import annotations

import dataclasses

import pytest

from cluster.engine.trace import Tracer, TraceStep


def test_emitted_steps_are_ordinary_frozen_trace_steps() -> None:
    tracer = Tracer(seq=7)
    tracer.emit(
        5,
        "kubectl",
        "api-server",
        "POST",
        "create pod web",
        obj="pods/default/web",
        code="api.post",
        params={"name": "web"},
    )
    tracer.emit(6, "api-server", "etcd", "write", "create pod web (rv=3)")
    first, second = tracer.steps
    assert first == TraceStep(
        8, 5, "kubectl", "api-server", "POST", "create pod web", "pods/default/web", "api.post", {"name": "web"}
    )
    assert second == TraceStep(9, 6, "api-server", "etcd", "write", "create pod web (rv=3)")
    assert list(vars(first)) == [f.name for f in dataclasses.fields(TraceStep)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.seq = 1  # type: ignore[misc]


def test_to_json_lists_the_fields_in_order_with_from_and_to_last_and_copies_params() -> None:
    params = {"nested": {"rv": 3}}
    step = TraceStep(1, 2, "scheduler", "api-server", "POST binding", "bind", "pods/web", "api.post binding", params)
    data = step.to_json()
    assert list(data) == ["seq", "at_ms", "verb", "text", "object", "code", "params", "from", "to"]
    assert (data["from"], data["to"], data["params"]) == ("scheduler", "api-server", params)
    data["params"]["nested"]["rv"] = 4
    assert step.params == {"nested": {"rv": 3}}
