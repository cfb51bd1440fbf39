"""Messages of ``k8s.io/apimachinery``: ObjectMeta, LabelSelector, DeleteOptions and the ``runtime.Unknown`` envelope.

Field numbers are those of ``pkg/apis/meta/v1/generated.proto`` and
``pkg/runtime/generated.proto``.
"""

from __future__ import annotations

from cluster.core.protobuf.message import BYTES, INT, RAW_JSON, TIME, F, b, i, m, message, rm, rs, s, smap

message("runtime.TypeMeta", {1: s("apiVersion"), 2: s("kind")})
message(
    "runtime.Unknown",
    {1: m("typeMeta", "runtime.TypeMeta"), 2: F("raw", BYTES), 3: s("contentEncoding"), 4: s("contentType")},
)

message(
    "meta.v1.ObjectMeta",
    {
        1: s("name"),
        2: s("generateName"),
        3: s("namespace"),
        4: s("selfLink"),
        5: s("uid"),
        6: s("resourceVersion"),
        7: i("generation"),
        8: F("creationTimestamp", TIME),
        9: F("deletionTimestamp", TIME),
        10: i("deletionGracePeriodSeconds", keep=True),
        11: smap("labels"),
        12: smap("annotations"),
        13: rm("ownerReferences", "meta.v1.OwnerReference"),
        14: rs("finalizers"),
        17: rm("managedFields", "meta.v1.ManagedFieldsEntry"),
    },
)
message(
    "meta.v1.OwnerReference",
    {
        1: s("kind"),
        3: s("name"),
        4: s("uid"),
        5: s("apiVersion"),
        6: b("controller", keep=True),
        7: b("blockOwnerDeletion", keep=True),
    },
)
message(
    "meta.v1.ManagedFieldsEntry",
    {
        1: s("manager"),
        2: s("operation"),
        3: s("apiVersion"),
        4: F("time", TIME),
        6: s("fieldsType"),
        7: m("fieldsV1", "meta.v1.FieldsV1", inline=False),
        8: s("subresource"),
    },
)
# FieldsV1 is raw JSON on the wire (field 1) and the same JSON object in the JSON form.
message("meta.v1.FieldsV1", {1: F("Raw", RAW_JSON, inline=True)})
message(
    "meta.v1.LabelSelector", {1: smap("matchLabels"), 2: rm("matchExpressions", "meta.v1.LabelSelectorRequirement")}
)
message("meta.v1.LabelSelectorRequirement", {1: s("key"), 2: s("operator"), 3: rs("values")})
message(
    "meta.v1.Condition",
    {
        1: s("type"),
        2: s("status"),
        3: i("observedGeneration"),
        4: F("lastTransitionTime", TIME),
        5: s("reason"),
        6: s("message"),
    },
)
message(
    "meta.v1.DeleteOptions",
    {
        1: F("gracePeriodSeconds", INT, keep_zero=True),
        2: m("preconditions", "meta.v1.Preconditions"),
        3: b("orphanDependents", keep=True),
        4: s("propagationPolicy", keep=True),
        5: rs("dryRun"),
        6: b("ignoreStoreReadErrorWithClusterBreakingPotential", keep=True),
    },
)
message("meta.v1.Preconditions", {1: s("uid", keep=True), 2: s("resourceVersion", keep=True)})
