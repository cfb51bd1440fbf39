"""Importing this package registers every kubectl verb."""

from cluster.kubectl.commands import apply, create, delete, describe, get, run, scale  # noqa: F401
