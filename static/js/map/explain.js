// "Why?": plain-language answers for the object the learner clicked, from its live status, its events and the
// scheduler's trace (which node it chose and every node's score, or why each node was filtered out).

import { gettext, tf } from "../i18n.js";
import { nodeState } from "./render.js";
import { podView } from "./pods.js";

function condition(obj, type) {
  return ((obj.status || {}).conditions || []).find((c) => c.type === type);
}

function scheduling(pod, decision) {
  const lines = [];
  const scheduled = condition(pod, "PodScheduled");
  if (!(pod.spec || {}).nodeName) {
    if (scheduled && scheduled.status === "False") {
      lines.push(tf(gettext("Pending: the scheduler found no node that fits. It said: “%(message)s”"), { message: scheduled.message || scheduled.reason }));
    } else lines.push(gettext("Pending: the scheduler has not looked at this pod yet."));
  }
  if (!decision) return lines;
  for (const [node, reasons] of Object.entries(decision.filtered || {})) {
    lines.push(tf(gettext("%(node)s was ruled out: %(reasons)s"), { node, reasons: reasons.join("; ") }));
  }
  const totals = Object.entries(decision.total || {}).sort((a, b) => b[1] - a[1]);
  if (decision.node && totals.length) {
    const scores = totals.map(([node, score]) => `${node} ${score}`).join(", ");
    lines.push(tf(gettext("Why %(node)s: every node that fits gets a score and the highest wins (a tie is broken at random): %(scores)s."), { node: decision.node, scores }));
  }
  return lines;
}

function containers(pod) {
  const lines = [];
  for (const cs of (pod.status || {}).containerStatuses || []) {
    const waiting = (cs.state || {}).waiting;
    if (waiting) {
      lines.push(tf(gettext("Container %(name)s is waiting: %(reason)s%(message)s"), { name: cs.name, reason: waiting.reason || "", message: waiting.message ? ` — ${waiting.message}` : "" }));
    }
    const last = (cs.lastState || {}).terminated;
    if (cs.restartCount && last) {
      lines.push(tf(gettext("Container %(name)s restarted %(count)s time(s); last time it exited with code %(code)s (%(reason)s)."), { name: cs.name, count: cs.restartCount, code: last.exitCode, reason: last.reason || "" }));
    }
  }
  return lines;
}

function podWhy(pod, ctx) {
  const view = podView(pod);
  const lines = [tf(gettext("STATUS %(state)s, READY %(ready)s, RESTARTS %(restarts)s."), view)];
  lines.push(...scheduling(pod, ctx.decisions.get(`Pod/${view.namespace}/${view.name}`)));
  lines.push(...containers(pod));
  const ready = condition(pod, "Ready");
  if ((pod.spec || {}).nodeName && ready && ready.status !== "True" && !pod.metadata.deletionTimestamp) {
    lines.push(tf(gettext("Not Ready (%(reason)s): Services send it no traffic until it is."), { reason: ready.reason || ready.message || "" }));
  }
  if (pod.metadata.deletionTimestamp) {
    lines.push(tf(gettext("Terminating: deleted at %(time)s; the kubelet stops its containers (grace period %(grace)ss), then it is gone."), { time: pod.metadata.deletionTimestamp, grace: pod.metadata.deletionGracePeriodSeconds ?? 30 }));
  }
  return lines;
}

function nodeWhy(node) {
  const state = nodeState(node);
  const lines = [tf(gettext("STATUS %(state)s."), { state: state.word })];
  const ready = condition(node, "Ready");
  if (ready) lines.push(`Ready=${ready.status}: ${ready.message || ready.reason || ""}`);
  if ((node.spec || {}).unschedulable) lines.push(gettext("Cordoned: the scheduler places no new pods here; pods already running stay."));
  for (const taint of (node.spec || {}).taints || []) {
    lines.push(tf(gettext("Taint %(key)s:%(effect)s — only pods that tolerate it may run here."), taint));
  }
  return lines;
}

// The HPA's formula with live numbers: desired = ceil(current replicas × current / target), within min..max.
export function hpaWhy(hpa) {
  const spec = hpa.spec || {};
  const status = hpa.status || {};
  const metric = (spec.metrics || [])[0];
  const current = ((status.currentMetrics || [])[0] || {}).resource?.current?.averageUtilization;
  const target = metric?.resource?.target?.averageUtilization;
  const replicas = status.currentReplicas ?? 0;
  if (current === undefined || !target) {
    return [gettext("The HPA has no metric yet (metrics-server reports every 15 s; pods need CPU requests).")];
  }
  const raw = Math.ceil((replicas * current) / target);
  const ratio = current / target;
  const within = Math.abs(ratio - 1) <= 0.1;
  const desired = within ? replicas : Math.min(spec.maxReplicas, Math.max(spec.minReplicas ?? 1, raw));
  return [
    tf(gettext("desiredReplicas = ceil(currentReplicas × currentUtilization / target) = ceil(%(replicas)s × %(current)s% / %(target)s%) = %(raw)s"), { replicas, current, target, raw }),
    within ? gettext("The ratio is within the 10% tolerance: no change.")
      : tf(gettext("Clamped to min %(min)s … max %(max)s: %(desired)s replicas."), { min: spec.minReplicas ?? 1, max: spec.maxReplicas, desired }),
  ];
}

function deploymentWhy(obj) {
  const s = obj.status || {};
  return [tf(gettext("Wants %(want)s replicas: %(updated)s up to date, %(ready)s ready, %(available)s available."),
    { want: (obj.spec || {}).replicas ?? 1, updated: s.updatedReplicas || 0, ready: s.readyReplicas || 0, available: s.availableReplicas || 0 })];
}

function serviceWhy(svc, ctx) {
  const selector = (svc.spec || {}).selector || {};
  const match = (pod) => Object.entries(selector).every(([k, v]) => (pod.metadata.labels || {})[k] === v);
  const pods = [...ctx.objects.values()].filter((o) => o.kind === "Pod" && o.metadata.namespace === svc.metadata.namespace && Object.keys(selector).length && match(o));
  const ready = pods.filter((p) => condition(p, "Ready")?.status === "True");
  return [tf(gettext("Selector %(selector)s matches %(count)s pod(s); %(ready)s of them are Ready and get traffic."),
    { selector: Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(",") || "<none>", count: pods.length, ready: ready.length }),
  ctx.proxyMode === "ipvs"
    ? gettext("kube-proxy is in IPVS mode: new connections go to the ready pods in turn (round robin). In iptables mode each would go to a random ready pod (probability 1/n).")
    : gettext("kube-proxy is in iptables mode: each new connection goes to a random ready pod (probability 1/n), so counts even out only over many requests. In IPVS mode they would go to the ready pods in turn (round robin).")];
}

export function explain(obj, ctx) {
  if (obj.kind === "Pod") return podWhy(obj, ctx);
  if (obj.kind === "Node") return nodeWhy(obj);
  if (obj.kind === "HorizontalPodAutoscaler") return hpaWhy(obj);
  if (obj.kind === "Deployment" || obj.kind === "ReplicaSet") return deploymentWhy(obj);
  if (obj.kind === "Service") return serviceWhy(obj, ctx);
  return [];
}
