// The sandbox WebSocket: connect, reconnect with back-off, resume from the last resourceVersion.
// A first connection gets a snapshot; a reconnection (?resume=1) sends hello {rv, epoch} and gets
// the missed watch events (or a fresh snapshot when the server cannot tell what was missed).

export class Connection extends EventTarget {
  constructor(path, state) {
    super();
    this.path = path;
    this.state = state;
    this.socket = null;
    this.queue = [];
    this.retry = 0;
    this.everOpened = false;
  }

  url() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const resume = this.everOpened && this.state.rv !== null ? "?resume=1" : "";
    return `${scheme}//${location.host}${this.path}${resume}`;
  }

  connect() {
    this.setStatus("connecting");
    const socket = new WebSocket(this.url());
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.retry = 0;
      if (this.everOpened && this.state.rv !== null) {
        this.rawSend({ type: "hello", rv: this.state.rv, epoch: this.state.epoch });
      }
      this.everOpened = true;
      this.setStatus("open");
      for (const message of this.queue.splice(0)) this.rawSend(message);
    });
    socket.addEventListener("message", (event) => {
      const data = JSON.parse(event.data);
      for (const message of Array.isArray(data) ? data : [data]) {
        this.dispatchEvent(new CustomEvent("message", { detail: message }));
      }
    });
    socket.addEventListener("close", (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.setStatus("closed", event.code);
      if (event.code === 4404) return; // the sandbox is gone or not ours: reconnecting will not help
      const delay = Math.min(10000, 500 * 2 ** this.retry++);
      setTimeout(() => this.connect(), delay);
    });
  }

  setStatus(status, code) {
    this.dispatchEvent(new CustomEvent("status", { detail: { status, code } }));
  }

  rawSend(message) {
    this.socket.send(JSON.stringify(message));
  }

  // Messages sent while disconnected wait for the next connection.
  send(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.rawSend(message);
    else this.queue.push(message);
  }
}
