// One line per trace step in the learner's language: what just happened, in Kubernetes words.
// Captions are built from a step's code + params (never by parsing its English text); the Korean comes from the
// page's JavaScript catalog (sandbox/locale/ko/LC_MESSAGES/djangojs.po).
//
// Korean needs a particle after the subject (가/이) that depends on the word, so the subjects are translated
// whole, particle included, with the context "subject" ("The scheduler" → "스케줄러가"); sentences are phrased
// so that no particle follows a name or a number that the page fills in.

import { gettext, tf } from "../i18n.js";
import { kindName, kindOfResource, pgettext } from "./words.js";

const SUBJECTS = {
  "deployment-controller": () => pgettext("subject", "The Deployment controller"),
  "replicaset-controller": () => pgettext("subject", "The ReplicaSet controller"),
  "default-scheduler": () => pgettext("subject", "The scheduler"),
  scheduler: () => pgettext("subject", "The scheduler"),
  "node-controller": () => pgettext("subject", "The node lifecycle controller"),
  "taint-eviction-controller": () => pgettext("subject", "The taint eviction controller"),
  "endpoint-controller": () => pgettext("subject", "The endpoints controller"),
  "endpointslice-controller": () => pgettext("subject", "The EndpointSlice controller"),
  "garbage-collector": () => pgettext("subject", "The garbage collector"),
  "pod-garbage-collector": () => pgettext("subject", "The pod garbage collector"),
  "namespace-controller": () => pgettext("subject", "The namespace controller"),
  "horizontal-pod-autoscaler": () => pgettext("subject", "The HPA controller"),
  "service-controller": () => pgettext("subject", "The cloud controller manager"),
  "cloud-controller-manager": () => pgettext("subject", "The cloud controller manager"),
  "nginx-ingress-controller": () => pgettext("subject", "The ingress controller"),
  "ingress-nginx": () => pgettext("subject", "The ingress controller"),
  "controller-manager": () => pgettext("subject", "The controller manager"),
};

function isKubectl(step) {
  const params = step.params || {};
  return step.from === "kubectl" || step.from.startsWith("kubectl") || params.component === "kubectl";
}

function subject(step) {
  const params = step.params || {};
  if (step.from.startsWith("kubelet:")) return tf(pgettext("subject", "The kubelet on %(node)s"), { node: step.from.slice(8) });
  const known = SUBJECTS[params.component] || SUBJECTS[step.from];
  if (known) return known();
  const component = params.component || step.from;
  return component ? tf(pgettext("subject", "%(component)s"), { component }) : pgettext("subject", "A controller");
}

function apiCaption(step) {
  const p = step.params || {};
  const kind = kindOfResource(p.resource);
  const values = { who: subject(step), kind: kindName(kind), name: p.name || "" };
  const verb = step.verb.toUpperCase();
  if (verb === "POST BINDING") return tf(gettext("The scheduler binds Pod %(name)s to the node it chose"), values);
  if (kind === "Event" && !isKubectl(step)) {
    if (verb === "POST") return tf(gettext("%(who)s records Event %(name)s"), values);
    if (verb === "PUT" || verb === "PATCH") return tf(gettext("%(who)s counts Event %(name)s again (the same thing happened once more)"), values);
  }
  if (isKubectl(step)) {
    if (verb === "POST") return tf(gettext("With kubectl, you ask the API server to create %(kind)s %(name)s"), values);
    if (verb === "DELETE") return tf(gettext("With kubectl, you ask the API server to delete %(kind)s %(name)s"), values);
    if (verb === "GET") return tf(gettext("With kubectl, you read %(kind)s %(name)s from the API server"), values);
    if (verb === "LIST") return tf(gettext("With kubectl, you list the %(kind)s objects from the API server"), values);
    return tf(gettext("With kubectl, you ask the API server to change %(kind)s %(name)s"), values);
  }
  if (verb === "POST") return tf(gettext("%(who)s asks the API server to create %(kind)s %(name)s"), values);
  if (verb.endsWith("STATUS")) return tf(gettext("%(who)s reports the status of %(kind)s %(name)s"), values);
  if (verb === "DELETE") return tf(gettext("%(who)s asks the API server to delete %(kind)s %(name)s"), values);
  if (verb === "GET") return tf(gettext("%(who)s reads %(kind)s %(name)s"), values);
  if (verb === "LIST") return tf(gettext("%(who)s lists the %(kind)s objects"), values);
  return tf(gettext("%(who)s asks the API server to change %(kind)s %(name)s"), values);
}

function lastPart(object) {
  return (object || "").split("/").pop();
}

// kubelet ⇄ container runtime (CRI calls, and what the runtime reports back).
function runtimeCaption(step) {
  const p = step.params || {};
  const values = { node: p.node || "", pod: lastPart(step.object), container: p.container || "", image: p.image || "",
    ip: p.podIP || "", code: p.code ?? "", verb: step.verb };
  if (step.from === "runtime") {
    if (step.verb === "ContainerExited") return tf(gettext("The container runtime on %(node)s reports that container %(container)s exited (exit code %(code)s)"), values);
    return tf(gettext("The container runtime on %(node)s reports %(verb)s"), values);
  }
  switch (step.verb) {
    case "RunPodSandbox":
      return tf(gettext("The kubelet on %(node)s asks the container runtime for the sandbox of Pod %(pod)s (IP %(ip)s)"), values);
    case "PullImage":
      return tf(gettext("The kubelet on %(node)s asks the container runtime to pull image %(image)s"), values);
    case "CreateContainer":
      return tf(gettext("The kubelet on %(node)s asks the container runtime to create container %(container)s"), values);
    case "StartContainer":
      return tf(gettext("The kubelet on %(node)s asks the container runtime to start container %(container)s"), values);
    case "StopContainer":
      return tf(gettext("The kubelet on %(node)s asks the container runtime to stop container %(container)s"), values);
    case "RemovePodSandbox":
      return tf(gettext("The kubelet on %(node)s asks the container runtime to remove the sandbox of Pod %(pod)s"), values);
    default:
      return tf(gettext("The kubelet on %(node)s calls the container runtime: %(verb)s"), values);
  }
}

export function caption(step) {
  const p = step.params || {};
  const code = step.code || "";
  if (code.startsWith("api.")) return apiCaption(step);
  if (code === "etcd.write") {
    const values = { kind: kindName(p.kind || ""), name: p.name || "", rv: p.rv ?? "" };
    return p.op === "delete"
      ? tf(gettext("The API server removes %(kind)s %(name)s from etcd"), values)
      : tf(gettext("The API server stores %(kind)s %(name)s in etcd (resourceVersion %(rv)s)"), values);
  }
  if (code === "scheduler.schedule") {
    const name = lastPart(step.object);
    return p.node
      ? tf(gettext("The scheduler picks %(node)s for Pod %(name)s"), { node: p.node, name })
      : tf(gettext("The scheduler finds no node for Pod %(name)s"), { name });
  }
  if (step.to === "runtime" || step.from === "runtime") return runtimeCaption(step);
  if (step.to === "metrics-server") return gettext("The HPA controller reads the pods' CPU usage from metrics-server");
  if (step.to === "cloud") {
    const values = { name: lastPart(step.object), ip: p.ip || "" };
    return step.verb === "release"
      ? tf(gettext("The cloud controller manager releases the load balancer of Service %(name)s"), values)
      : tf(gettext("The cloud controller manager gets load balancer %(ip)s for Service %(name)s"), values);
  }
  return `${step.from} → ${step.to}: ${step.text}`;
}

// How much a step says about what is happening: 2 for a main action (an object created, changed or deleted,
// a scheduling decision, a call to the container runtime), 1 for etcd storing such a change, 0 for bookkeeping
// (Events being recorded, status written back, reads, and etcd storing those). Bookkeeping still animates and
// stays in the trace log; it just does not take the caption away from the action it belongs to.
function bookkeeping(step) {
  const p = step.params || {};
  const verb = (step.verb || "").toUpperCase();
  return p.resource === "events" || verb.endsWith("STATUS") || verb === "GET" || verb === "LIST";
}

export function weight(step, previous) {
  const code = step.code || "";
  if (code.startsWith("api.")) return bookkeeping(step) ? 0 : 2;
  if (code === "etcd.write") {
    if ((step.params || {}).kind === "Event") return 0;
    return previous && (previous.code || "").startsWith("api.") && bookkeeping(previous) ? 0 : 1;
  }
  return 2;
}

// The step a batch (one commit: one Step click, one command) is about: its last main action, else the last
// change etcd stored, else its last bookkeeping request (rather than etcd's echo of it).
export function mainStep(steps) {
  let best = null;
  let bestScore = -1;
  steps.forEach((step, i) => {
    const score = 2 * weight(step, steps[i - 1]) + (step.code === "etcd.write" ? 0 : 1);
    if (score >= bestScore) {
      best = step;
      bestScore = score;
    }
  });
  return best;
}

// One request from curl: where it entered, which Service and pod answered, and the status.
export function requestCaption(record) {
  const values = { entry: record.entry || record.client || "", service: record.service || "", pod: record.pod || "",
    status: record.status || "", error: record.error || "" };
  if (!record.status) return tf(gettext("Request to %(entry)s failed: %(error)s"), values);
  if (record.pod && record.service) return tf(gettext("Request to %(entry)s → Service %(service)s → Pod %(pod)s: %(status)s"), values);
  if (record.pod) return tf(gettext("Request to %(entry)s → Pod %(pod)s: %(status)s"), values);
  return tf(gettext("Request to %(entry)s: %(status)s"), values);
}
