// Kubernetes words on the map in the learner's language: kind names (Pod → 파드) and translations with a
// context (the same English word can need different Korean, e.g. a subject with its particle).
// Call sites use pgettext("…", "…") literally so that `makemessages -d djangojs` finds the strings.

export function pgettext(context, text) {
  return typeof window.pgettext === "function" ? window.pgettext(context, text) : text;
}

const KINDS = {
  Pod: () => pgettext("kind", "Pod"),
  Deployment: () => pgettext("kind", "Deployment"),
  ReplicaSet: () => pgettext("kind", "ReplicaSet"),
  Service: () => pgettext("kind", "Service"),
  Node: () => pgettext("kind", "Node"),
  Event: () => pgettext("kind", "Event"),
  Endpoints: () => pgettext("kind", "Endpoints"),
  EndpointSlice: () => pgettext("kind", "EndpointSlice"),
  Ingress: () => pgettext("kind", "Ingress"),
  ConfigMap: () => pgettext("kind", "ConfigMap"),
  Secret: () => pgettext("kind", "Secret"),
  Namespace: () => pgettext("kind", "Namespace"),
  StatefulSet: () => pgettext("kind", "StatefulSet"),
  DaemonSet: () => pgettext("kind", "DaemonSet"),
  Job: () => pgettext("kind", "Job"),
  CronJob: () => pgettext("kind", "CronJob"),
  HorizontalPodAutoscaler: () => pgettext("kind", "HorizontalPodAutoscaler"),
  PersistentVolumeClaim: () => pgettext("kind", "PersistentVolumeClaim"),
  ServiceAccount: () => pgettext("kind", "ServiceAccount"),
  Lease: () => pgettext("kind", "Lease"),
};

// The API's plural resource names (trace steps carry these) → kinds.
const PLURALS = {
  endpoints: "Endpoints",
  endpointslices: "EndpointSlice",
  horizontalpodautoscalers: "HorizontalPodAutoscaler",
  persistentvolumeclaims: "PersistentVolumeClaim",
  serviceaccounts: "ServiceAccount",
  replicasets: "ReplicaSet",
  statefulsets: "StatefulSet",
  daemonsets: "DaemonSet",
  cronjobs: "CronJob",
  configmaps: "ConfigMap",
  ingresses: "Ingress",
};

export function kindOfResource(resource) {
  const plural = (resource || "").toLowerCase();
  if (PLURALS[plural]) return PLURALS[plural];
  const known = Object.keys(KINDS).find((kind) => `${kind.toLowerCase()}s` === plural);
  if (known) return known;
  const singular = plural.replace(/ies$/, "y").replace(/(ch|sh|ss|x)es$/, "$1").replace(/s$/, "");
  return singular.charAt(0).toUpperCase() + singular.slice(1);
}

// "Deployment" in English, "디플로이먼트" in Korean; unknown kinds stay as the API spells them.
export function kindName(kind) {
  return KINDS[kind] ? KINDS[kind]() : kind;
}
