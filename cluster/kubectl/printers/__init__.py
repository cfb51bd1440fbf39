"""Everything that turns objects into what kubectl shows.

* server side: ``to_table`` builds the ``meta.k8s.io/v1`` Table the API server
  returns for ``Accept: ...;as=Table`` (columns and cell rules of K8S_FACTS §6.2);
* client side: ``render_table`` / ``render_get`` / ``TableStream`` print Tables the
  way kubectl does (§6.1), ``describe`` renders ``kubectl describe`` (§6.4);
* output formats: ``to_yaml``, ``to_json``, ``name_line``, ``jsonpath``,
  ``custom_columns``; and the ``rollout`` texts (§3.3).

The browser terminal, the CLI and the REST API all print through here, so a
table looks the same whichever client asked.
"""

from __future__ import annotations

from cluster.kubectl.printers.custom_columns import custom_columns
from cluster.kubectl.printers.describe import describe
from cluster.kubectl.printers.describe.misc import describe_hpa, describe_namespace
from cluster.kubectl.printers.describe.network import describe_ingress, describe_service
from cluster.kubectl.printers.describe.node import describe_node
from cluster.kubectl.printers.describe.pod import describe_pod
from cluster.kubectl.printers.describe.workloads import describe_deployment, describe_replicaset
from cluster.kubectl.printers.jsonpath import JSONPathError, JSONPathTemplate, PrinterError, jsonpath
from cluster.kubectl.printers.output import json_dumps, list_wrapper, name_line, to_json, to_yaml
from cluster.kubectl.printers.render import TableStream, render_get, render_table
from cluster.kubectl.printers.rollout import (
    RolloutError,
    rollout_history,
    rollout_history_revision,
    rollout_status_message,
)
from cluster.kubectl.printers.rows_pod import pod_summary
from cluster.kubectl.printers.table import partial_object_metadata, to_table
from cluster.kubectl.printers.yamlout import yaml_dump

__all__ = [
    "JSONPathError",
    "JSONPathTemplate",
    "PrinterError",
    "RolloutError",
    "TableStream",
    "custom_columns",
    "describe",
    "describe_deployment",
    "describe_hpa",
    "describe_ingress",
    "describe_namespace",
    "describe_node",
    "describe_pod",
    "describe_replicaset",
    "describe_service",
    "json_dumps",
    "jsonpath",
    "list_wrapper",
    "name_line",
    "partial_object_metadata",
    "pod_summary",
    "render_get",
    "render_table",
    "rollout_history",
    "rollout_history_revision",
    "rollout_status_message",
    "to_json",
    "to_table",
    "to_yaml",
    "yaml_dump",
]
