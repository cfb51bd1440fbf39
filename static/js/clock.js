// The simulated clock: shows simulated time (ticking locally from the server's anchor) and sends the controls.
//
// The state is kept in the DOM for other modules (the lesson panel, tests): #clock[data-state] is "paused" or
// "running", and the toggle's data-action names what a click on it does next ("play" or "pause"). Every clock
// from the server is also announced as the window event `kubesandbox:clock-changed` {paused, speed}.

import { gettext } from "./i18n.js";

function pad(n) {
  return String(n).padStart(2, "0");
}

export class ClockControls {
  constructor({ root, time, toggle, speed, step, advance, send }) {
    this.root = root;
    this.time = time;
    this.toggle = toggle;
    this.speed = speed;
    this.clock = null;
    this.offset = 0; // server wall clock − this browser's
    toggle.addEventListener("click", () => send({ type: "clock", action: this.clock?.paused ? "play" : "pause" }));
    speed.addEventListener("change", () => send({ type: "clock", action: "speed", value: Number(speed.value) }));
    step.addEventListener("click", () => send({ type: "clock", action: "step" }));
    advance.addEventListener("click", () => send({ type: "clock", action: "advance", value: advance.dataset.value }));
    setInterval(() => this.render(), 250);
  }

  set(clock) {
    this.clock = clock;
    this.offset = clock.server_wall_ms - Date.now();
    this.root.classList.toggle("paused", clock.paused);
    this.root.dataset.state = clock.paused ? "paused" : "running";
    this.toggle.dataset.action = clock.paused ? "play" : "pause";
    this.toggle.setAttribute("aria-pressed", String(clock.paused));
    const label = clock.paused ? gettext("Play the simulated clock") : gettext("Pause the simulated clock");
    this.toggle.title = label;
    this.toggle.querySelector(".clock-toggle-label").textContent = clock.paused ? gettext("Play") : gettext("Pause");
    const value = String(clock.speed);
    if ([...this.speed.options].some((o) => o.value === value)) this.speed.value = value;
    this.render();
    window.dispatchEvent(
      new CustomEvent("kubesandbox:clock-changed", { detail: { paused: clock.paused, speed: clock.speed } }),
    );
  }

  now() {
    const c = this.clock;
    if (!c) return null;
    if (c.paused) return c.sim_ms;
    return c.sim_ms + (Date.now() + this.offset - c.wall_ms) * c.speed;
  }

  render() {
    const now = this.now();
    if (now === null) return;
    const d = new Date(now);
    this.time.textContent = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    this.time.dataset.simMs = String(Math.floor(now));
  }
}
