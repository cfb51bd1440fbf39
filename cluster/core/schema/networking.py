"""Ingress (networking.k8s.io/v1), EndpointSlice (discovery.k8s.io/v1) and Lease (coordination.k8s.io/v1)."""

from __future__ import annotations

from cluster.core.schema.container import PROTOCOLS
from cluster.core.schema.core import OBJECT_REFERENCE
from cluster.core.schema.meta import MICRO_TIME, STRING_MAP, STRINGS, kind_header
from cluster.core.schema.model import define, define_kind, f, list_of
from cluster.core.schema.volumes import TYPED_LOCAL_OBJECT_REFERENCE

NET = "io.k8s.api.networking.v1."
DISCOVERY = "io.k8s.api.discovery.v1."
COORDINATION = "io.k8s.api.coordination.v1."
PATH_TYPES = ("Exact", "ImplementationSpecific", "Prefix")

_BACKEND_PORT = define(
    NET + "ServiceBackendPort",
    "A port of the backend Service, by name or number.",
    f("name", "string", "Port name; mutually exclusive with number."),
    f("number", "integer", "Port number; mutually exclusive with name."),
)
_SERVICE_BACKEND = define(
    NET + "IngressServiceBackend",
    "A Service to send traffic to.",
    f("name", "string", "Name of the Service in the Ingress's namespace.", required=True),
    f("port", _BACKEND_PORT, "Port of the Service."),
)
_BACKEND = define(
    NET + "IngressBackend",
    "Where matching requests are sent: a Service or another resource.",
    f("resource", TYPED_LOCAL_OBJECT_REFERENCE, "Another object in the namespace; excludes service."),
    f("service", _SERVICE_BACKEND, "A Service; excludes resource."),
)
_PATH = define(
    NET + "HTTPIngressPath",
    "A path and the backend it routes to.",
    f("backend", _BACKEND, "Where matching requests go.", required=True),
    f("path", "string", "Path to match; must start with '/' for Exact and Prefix."),
    f(
        "pathType",
        "string",
        "How path matches: Exact, Prefix or ImplementationSpecific.",
        required=True,
        enum=PATH_TYPES,
    ),
)
_HTTP_RULE = define(
    NET + "HTTPIngressRuleValue",
    "HTTP paths of a rule.",
    f("paths", list_of(_PATH), "Paths, matched in order of specificity.", required=True),
)
_RULE = define(
    NET + "IngressRule",
    "Routes for one host (or every host when host is empty).",
    f("host", "string", "Fully qualified domain name; a leading '*.' wildcard is allowed."),
    f("http", _HTTP_RULE, "HTTP routes."),
)
_TLS = define(
    NET + "IngressTLS",
    "TLS settings for a set of hosts.",
    f("hosts", STRINGS, "Hosts in the certificate."),
    f("secretName", "string", "Secret holding the certificate and key."),
)
_INGRESS_SPEC = define(
    NET + "IngressSpec",
    "How the Ingress routes traffic.",
    f("defaultBackend", _BACKEND, "Backend for requests that match no rule."),
    f("ingressClassName", "string", "Name of the IngressClass (controller) to use."),
    f("rules", list_of(_RULE), "Host rules; requests matching none go to the default backend."),
    f("tls", list_of(_TLS), "TLS configuration."),
)
_INGRESS_PORT_STATUS = define(
    NET + "IngressPortStatus",
    "Status of one ingress port.",
    f("error", "string", "Problem with the port, if any."),
    f("port", "integer", "Port number.", required=True),
    f("protocol", "string", "TCP, UDP or SCTP.", required=True, enum=PROTOCOLS),
)
_INGRESS_LB_INGRESS = define(
    NET + "IngressLoadBalancerIngress",
    "An ingress point of the load balancer.",
    f("hostname", "string", "DNS name of the ingress point."),
    f("ip", "string", "IP of the ingress point."),
    f("ports", list_of(_INGRESS_PORT_STATUS), "Status of the ports."),
)
_INGRESS_STATUS = define(
    NET + "IngressStatus",
    "Current state of the Ingress.",
    f(
        "loadBalancer",
        define(
            NET + "IngressLoadBalancerStatus",
            "Status of the load balancer.",
            f("ingress", list_of(_INGRESS_LB_INGRESS), "Ingress points."),
        ),
        "Status of the load balancer.",
    ),
)
INGRESS = define_kind(
    NET + "Ingress",
    "Rules that route external HTTP(S) traffic to Services.",
    ("networking.k8s.io", "v1", "Ingress"),
    *kind_header(),
    f("spec", _INGRESS_SPEC, "Desired state of the Ingress."),
    f("status", _INGRESS_STATUS, "Current state of the Ingress."),
)

_CONDITIONS = define(
    DISCOVERY + "EndpointConditions",
    "Readiness of one endpoint.",
    f("ready", "boolean", "Ready to receive traffic (serving and not terminating)."),
    f("serving", "boolean", "Ready, regardless of terminating state."),
    f("terminating", "boolean", "Being terminated."),
)
_FOR_ZONE = define(DISCOVERY + "ForZone", "A zone hint.", f("name", "string", "Zone name.", required=True))
_HINTS = define(
    DISCOVERY + "EndpointHints",
    "Hints for topology-aware routing.",
    f("forZones", list_of(_FOR_ZONE), "Zones that should consume the endpoint."),
)
_ENDPOINT = define(
    DISCOVERY + "Endpoint",
    "One backend of a Service.",
    f("addresses", STRINGS, "Addresses of the endpoint (usually one IP).", required=True),
    f("conditions", _CONDITIONS, "Readiness of the endpoint."),
    f("deprecatedTopology", STRING_MAP, "Deprecated topology labels."),
    f("hints", _HINTS, "Routing hints."),
    f("hostname", "string", "Hostname of the endpoint."),
    f("nodeName", "string", "Node hosting the endpoint."),
    f("targetRef", OBJECT_REFERENCE, "The object (pod) providing the endpoint."),
    f("zone", "string", "Zone of the endpoint."),
)
_SLICE_PORT = define(
    DISCOVERY + "EndpointPort",
    "A port of the endpoints.",
    f("appProtocol", "string", "Application protocol hint."),
    f("name", "string", "Name, matching the Service port name."),
    f("port", "integer", "Port number."),
    f("protocol", "string", "TCP, UDP or SCTP.", enum=PROTOCOLS),
)
ENDPOINT_SLICE = define_kind(
    DISCOVERY + "EndpointSlice",
    "A subset of the endpoints of a Service.",
    ("discovery.k8s.io", "v1", "EndpointSlice"),
    f("addressType", "string", "IPv4, IPv6 or FQDN.", required=True, enum=("FQDN", "IPv4", "IPv6")),
    *kind_header(),
    f("endpoints", list_of(_ENDPOINT), "Endpoints of the slice (at most 1000).", required=True),
    f("ports", list_of(_SLICE_PORT), "Ports exposed by every endpoint of the slice."),
)

LEASE = define_kind(
    COORDINATION + "Lease",
    "A lease: a lock held by one holder and renewed periodically (node heartbeats, leader election).",
    ("coordination.k8s.io", "v1", "Lease"),
    *kind_header(),
    f(
        "spec",
        define(
            COORDINATION + "LeaseSpec",
            "The holder and timing of a lease.",
            f("acquireTime", MICRO_TIME, "When the current holder acquired the lease."),
            f("holderIdentity", "string", "Identity of the current holder."),
            f("leaseDurationSeconds", "integer", "How long others wait before taking over the lease."),
            f("leaseTransitions", "integer", "How many times the holder changed."),
            f("preferredHolder", "string", "Holder that should take over (coordinated leader election)."),
            f("renewTime", MICRO_TIME, "When the holder last renewed the lease."),
            f("strategy", "string", "Strategy for picking the leader (coordinated leader election)."),
        ),
        "Specification of the lease.",
    ),
)
