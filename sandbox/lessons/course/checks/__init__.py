"""Declarative lesson checks: parse (``spec``), evaluate against a ``World`` (``evaluate``), explain (``outcome``)."""

from sandbox.lessons.course.checks.evaluate import evaluate
from sandbox.lessons.course.checks.outcome import Outcome
from sandbox.lessons.course.checks.spec import CHECK_KEYS, Check, SpecError, parse_check

__all__ = ["CHECK_KEYS", "Check", "Outcome", "SpecError", "evaluate", "parse_check"]
