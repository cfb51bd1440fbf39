"""apimachinery types every kind shares: ObjectMeta, LabelSelector, Time, Quantity, IntOrString."""

from __future__ import annotations

from cluster.core.schema.model import Field, define, define_scalar, f, list_of, map_of

META_V1 = "io.k8s.apimachinery.pkg.apis.meta.v1."

TIME = define_scalar(
    META_V1 + "Time", "A timestamp in RFC 3339 form with second precision, e.g. 2026-01-02T15:04:05Z.", "string"
)
MICRO_TIME = define_scalar(META_V1 + "MicroTime", "A timestamp in RFC 3339 form with microsecond precision.", "string")
QUANTITY = define_scalar(
    "io.k8s.apimachinery.pkg.api.resource.Quantity",
    "A fixed-point number with an optional SI (k, M, G…) or binary (Ki, Mi, Gi…) suffix or milli (m), "
    "e.g. 500m, 2, 128Mi.",
    "quantity",
)
INT_OR_STRING = define_scalar(
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
    "Either an integer or a string (such as a port name or a percentage like 25%).",
    "int-or-string",
)
FIELDS_V1 = define_scalar(
    META_V1 + "FieldsV1", "The set of fields a manager owns, in the fieldsV1 trie format.", "object"
)
RAW_EXTENSION = define_scalar(
    "io.k8s.apimachinery.pkg.runtime.RawExtension", "An embedded, arbitrary object.", "object"
)

STRING_MAP = map_of("string")
STRINGS = list_of("string")

OWNER_REFERENCE = define(
    META_V1 + "OwnerReference",
    "Identifies an owning object. The owner must be in the same namespace (or be cluster-scoped).",
    f("apiVersion", "string", "API version of the owner.", required=True),
    f("blockOwnerDeletion", "boolean", "When true, foreground deletion of the owner waits for this object to go."),
    f("controller", "boolean", "When true, the owner is the managing controller; at most one owner may set this."),
    f("kind", "string", "Kind of the owner.", required=True),
    f("name", "string", "Name of the owner.", required=True),
    f("uid", "string", "UID of the owner.", required=True),
)

MANAGED_FIELDS_ENTRY = define(
    META_V1 + "ManagedFieldsEntry",
    "Records which fields a field manager set, and with which operation.",
    f("apiVersion", "string", "Version of the resource the field set applies to."),
    f("fieldsType", "string", 'Format of the field set; only "FieldsV1" exists.'),
    f("fieldsV1", FIELDS_V1, "The field set itself."),
    f("manager", "string", "Identifier of the workflow that manages these fields."),
    f("operation", "string", "The operation that produced the entry: Apply or Update."),
    f("subresource", "string", "Subresource used to update the object, if any (e.g. status)."),
    f("time", TIME, "When the fields were last changed by this manager."),
)

OBJECT_META = define(
    META_V1 + "ObjectMeta",
    "Metadata every persisted object carries: name, namespace, labels, annotations and server-set fields.",
    f("annotations", STRING_MAP, "Arbitrary non-identifying key/value data for tools and humans."),
    f("creationTimestamp", TIME, "When the server created the object. Set by the system; read-only."),
    f("deletionGracePeriodSeconds", "integer", "Seconds the object is given to terminate once deletion started."),
    f("deletionTimestamp", TIME, "When the object will be removed; set by the server once deletion is requested."),
    f("finalizers", STRINGS, "Keys that must be removed before the object is deleted from storage."),
    f("generateName", "string", "Prefix the server uses to generate a unique name when name is empty."),
    f("generation", "integer", "Sequence number of the desired state; the server increments it on spec changes."),
    f("labels", STRING_MAP, "Key/value pairs used to organise and select objects."),
    f("managedFields", list_of(MANAGED_FIELDS_ENTRY), "Which field manager owns which fields. Internal."),
    f("name", "string", "Name, unique within a namespace for a kind. Cannot be updated."),
    f("namespace", "string", "Namespace the object lives in; empty for cluster-scoped kinds."),
    f("ownerReferences", list_of(OWNER_REFERENCE), "Objects this one depends on; used by garbage collection."),
    f("resourceVersion", "string", "Opaque version of the object, used for optimistic concurrency and watches."),
    f("selfLink", "string", "Deprecated and unset."),
    f("uid", "string", "Unique identifier assigned by the server at creation; never reused."),
)

LIST_META = define(
    META_V1 + "ListMeta",
    "Metadata of a list response.",
    f("continue", "string", "Token to fetch the next page of a chunked list."),
    f("remainingItemCount", "integer", "Number of items not yet returned, when known."),
    f("resourceVersion", "string", "Version of the collection at the time of the list."),
    f("selfLink", "string", "Deprecated and unset."),
)

LABEL_SELECTOR_REQUIREMENT = define(
    META_V1 + "LabelSelectorRequirement",
    "A key, an operator and values that a label must satisfy.",
    f("key", "string", "The label key the requirement applies to.", required=True),
    f("operator", "string", "How the key relates to the values: In, NotIn, Exists or DoesNotExist.", required=True),
    f("values", STRINGS, "Values for In and NotIn; must be empty for Exists and DoesNotExist."),
)

LABEL_SELECTOR = define(
    META_V1 + "LabelSelector",
    "A query over labels. All requirements are ANDed; an empty selector matches everything.",
    f("matchExpressions", list_of(LABEL_SELECTOR_REQUIREMENT), "List of label requirements."),
    f("matchLabels", STRING_MAP, "Labels that must be present with exactly these values."),
)

CONDITION = define(
    META_V1 + "Condition",
    "One aspect of an object's current state.",
    f("lastTransitionTime", TIME, "When the status last changed.", required=True),
    f("message", "string", "Human-readable details about the transition.", required=True),
    f("observedGeneration", "integer", "The generation the condition was computed for."),
    f("reason", "string", "CamelCase reason for the last transition.", required=True),
    f("status", "string", "True, False or Unknown.", required=True, enum=("False", "True", "Unknown")),
    f("type", "string", "Type of the condition in CamelCase.", required=True),
)


def kind_header(description: str = "Standard object metadata.") -> tuple[Field, ...]:
    """``apiVersion``, ``kind`` and ``metadata``: the fields every top-level kind starts with."""
    return (
        f("apiVersion", "string", "Versioned schema of this object, e.g. apps/v1; the server converts known versions."),
        f("kind", "string", "REST resource this object represents, in CamelCase. Cannot be updated."),
        f("metadata", OBJECT_META, description),
    )
