// READY and STATUS of a pod as `kubectl get pods` shows them (printPod's walk, K8S_FACTS §6.2).
// Simplification: restartable init containers (sidecars) are not counted separately.

function containerReason(cs) {
  const state = cs.state || {};
  if (state.waiting && state.waiting.reason) return state.waiting.reason;
  if (state.terminated) {
    const term = state.terminated;
    if (term.reason) return term.reason;
    return term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode ?? 0}`;
  }
  return null;
}

function initReason(index, total, cs) {
  const state = cs.state || {};
  if (state.terminated) {
    const term = state.terminated;
    if (!term.reason) return term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode ?? 0}`;
    return `Init:${term.reason}`;
  }
  if (state.waiting && state.waiting.reason && state.waiting.reason !== "PodInitializing") {
    return `Init:${state.waiting.reason}`;
  }
  return `Init:${index}/${total}`;
}

function conditionTrue(pod, type) {
  return ((pod.status || {}).conditions || []).some((c) => c.type === type && c.status === "True");
}

export function podSummary(pod) {
  const status = pod.status || {};
  const spec = pod.spec || {};
  let reason = status.reason || status.phase || "";
  const total = (spec.containers || []).length;
  let ready = 0;
  let restarts = 0;
  let initializing = false;
  const inits = status.initContainerStatuses || [];
  for (let i = 0; i < inits.length; i++) {
    const cs = inits[i];
    restarts += cs.restartCount || 0;
    const term = (cs.state || {}).terminated;
    if (term && (term.exitCode || 0) === 0) continue;
    reason = initReason(i, (spec.initContainers || []).length, cs);
    initializing = true;
    break;
  }
  if (!initializing || conditionTrue(pod, "Initialized")) {
    restarts = 0;
    let hasRunning = false;
    const statuses = status.containerStatuses || [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += cs.restartCount || 0;
      const found = containerReason(cs);
      if (found !== null) reason = found;
      else if (cs.ready && (cs.state || {}).running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === "Completed" && hasRunning) reason = conditionTrue(pod, "Ready") ? "Running" : "NotReady";
  }
  if ((pod.metadata || {}).deletionTimestamp) {
    if (status.reason === "NodeLost") reason = "Unknown";
    else if (status.phase !== "Succeeded" && status.phase !== "Failed") reason = "Terminating";
  }
  return { ready: `${ready}/${total}`, reason, restarts };
}

// Which colour a STATUS text gets: ok / pending / error / done / terminating.
export function statusTone(reason) {
  if (reason === "Running") return "ok";
  if (reason === "Completed" || reason === "Succeeded") return "done";
  if (reason === "Terminating") return "terminating";
  if (reason === "Pending" || reason === "ContainerCreating" || reason === "PodInitializing" ||
      reason.startsWith("Init:") && /^Init:\d+\/\d+$/.test(reason)) return "pending";
  return "error";
}
