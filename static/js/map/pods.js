// How a pod looks on the map: its state (the STATUS column of `kubectl get pods`, with "Pending" split into
// "not scheduled" and "ContainerCreating"), a tone for the colour AND a glyph + word, so colour is never the
// only signal.

import { podSummary } from "../podstatus.js";

const STATES = {
  Running: { tone: "ok", glyph: "✓" },
  NotReady: { tone: "warn", glyph: "◐" },
  Pending: { tone: "pending", glyph: "…" },
  ContainerCreating: { tone: "creating", glyph: "⟳" },
  PodInitializing: { tone: "creating", glyph: "⟳" },
  Terminating: { tone: "terminating", glyph: "◌" },
  Completed: { tone: "done", glyph: "■" },
  Succeeded: { tone: "done", glyph: "■" },
  Failed: { tone: "failed", glyph: "✕" },
  Unknown: { tone: "failed", glyph: "?" },
};

function readyCondition(pod) {
  return ((pod.status || {}).conditions || []).find((c) => c.type === "Ready");
}

export function imageTag(image) {
  if (!image) return "";
  const at = image.indexOf("@");
  if (at >= 0) return image.slice(at + 1, at + 20);
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  return colon > slash ? image.slice(colon + 1) : "latest";
}

export function podView(pod) {
  const summary = podSummary(pod);
  let state = summary.reason || "Pending";
  if (state === "Running" && readyCondition(pod)?.status !== "True") state = "NotReady";
  const known = STATES[state] || (state.startsWith("Init:") ? STATES.PodInitializing : { tone: "error", glyph: "✕" });
  const spec = pod.spec || {};
  const container = (spec.containers || [])[0] || {};
  return {
    name: pod.metadata.name,
    namespace: pod.metadata.namespace || "default",
    state,
    tone: known.tone,
    glyph: known.glyph,
    ready: summary.ready,
    restarts: summary.restarts,
    ip: (pod.status || {}).podIP || "",
    image: container.image || "",
    tag: imageTag(container.image || ""),
    node: spec.nodeName || "",
  };
}

// The owner chain a pod is grouped by: its ReplicaSet (named with its Deployment), else its direct controller,
// else none. Grouping by ReplicaSet shows a rolling update as it happens: the new group grows, the old shrinks.
// `parts` are the owners the group label names, each clickable for Explain.
export function ownerOf(pod, byUid) {
  const ref = (pod.metadata.ownerReferences || []).find((r) => r.controller) || null;
  if (!ref) return { key: "", label: "", parts: [] };
  const namespace = pod.metadata.namespace || "default";
  const owner = byUid.get(ref.uid);
  const parent = owner && (owner.metadata.ownerReferences || []).find((r) => r.controller);
  const part = (kind, name, short) => ({ kind, name, short, key: `${kind}/${namespace}/${name}` });
  const own = part(ref.kind, ref.name, ref.kind === "ReplicaSet" ? "rs" : ref.kind.toLowerCase());
  if (parent && parent.kind === "Deployment") {
    const parts = [part("Deployment", parent.name, "deploy"), own];
    return { key: own.key, label: `deploy/${parent.name} → rs/${ref.name}`, parts };
  }
  return { key: own.key, label: `${own.short}/${ref.name}`, parts: [own] };
}
