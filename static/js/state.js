// The page's copy of the sandbox: objects by key, applied from watch events.
// applyWatchEvents mirrors cluster.protocol.apply_watch_events (the Python side tests the contract:
// snapshot + events == the next snapshot).

export function objectKey(obj) {
  const meta = obj.metadata || {};
  return `${obj.kind || ""}/${meta.namespace || ""}/${meta.name || ""}`;
}

export function applyWatchEvents(objects, events) {
  for (const event of events) {
    const key = objectKey(event.object);
    if (event.event === "DELETED") objects.delete(key);
    else objects.set(key, event.object);
  }
  return objects;
}

export class SandboxState extends EventTarget {
  constructor() {
    super();
    this.rv = null;
    this.epoch = 0;
    this.objects = new Map();
    this.clock = null;
    this.namespace = "default";
  }

  loadSnapshot(snapshot) {
    this.rv = snapshot.rv;
    this.epoch = snapshot.epoch;
    this.objects = new Map(snapshot.objects.map((obj) => [objectKey(obj), obj]));
    this.clock = snapshot.clock;
    this.namespace = snapshot.namespace || "default";
    this.dispatchEvent(new CustomEvent("reset", { detail: snapshot }));
  }

  // Events at or below the resourceVersion already applied are ignored (a resync may repeat some).
  applyEvents(events) {
    const fresh = events.filter((e) => this.rv === null || e.rv > this.rv);
    if (!fresh.length) return [];
    applyWatchEvents(this.objects, fresh);
    this.rv = Math.max(this.rv ?? 0, ...fresh.map((e) => e.rv));
    this.dispatchEvent(new CustomEvent("events", { detail: fresh }));
    return fresh;
  }

  list(kind) {
    const found = [];
    for (const obj of this.objects.values()) if (obj.kind === kind) found.push(obj);
    return found;
  }
}
