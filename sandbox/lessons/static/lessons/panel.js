// The lesson panel: the current step's text, clickable commands, hints, and the goal beside the current state.
//
//   mountLessonPanel(element, {lessonId, sandboxId, lang, onPasteCommand})
//
// It re-checks the lesson after every terminal command (window event `kubesandbox:command-done`, dispatched by
// the terminal) and, debounced, whenever the cluster or its clock changes (`kubesandbox:cluster-changed`,
// `kubesandbox:clock-changed`). Its clock buttons send explicit pause / play / step to the lesson API. The server does the
// checking (GET /learn/api/<lesson>/state); this module only renders what it answers.

import { escapeHtml, renderInline, renderMarkdown } from "./markdown.js";

const TEXTS = {
  en: {
    step: "Step", of: "of", commands: "Commands", par: "par", hints: "hints", time: "time",
    hint: "Show a hint", hintsLeft: (n) => `${n} left`, goal: "Goal", now: "now", met: "met",
    missing: "Still missing", done: "Step done!", complete: "Lesson complete!", exerciseComplete: "Exercise solved!",
    reset: "Reset lesson", resetConfirm: "Start this lesson over with a fresh cluster?", course: "Course",
    paste: "Click to paste into the terminal", pause: "Pause", play: "Play", stepOnce: "Step", error: "Could not check the lesson right now.",
    files: "Files for this step", checking: "Checking…", golf: (c, p) => `${c} commands (par ${p})`,
    task: "Your task",
  },
  ko: {
    step: "단계", of: "/", commands: "명령", par: "기준", hints: "힌트", time: "시간",
    hint: "힌트 보기", hintsLeft: (n) => `${n}개 남음`, goal: "목표", now: "지금", met: "완료",
    missing: "아직 남은 것", done: "단계 완료!", complete: "레슨 완료!", exerciseComplete: "연습 문제 해결!",
    reset: "레슨 다시 시작", resetConfirm: "새 클러스터로 이 레슨을 처음부터 다시 할까요?", course: "코스",
    paste: "클릭하면 터미널에 붙여 넣습니다", pause: "일시정지", play: "재생", stepOnce: "한 단계", error: "지금은 레슨을 확인할 수 없습니다.",
    files: "이 단계의 파일", checking: "확인 중…", golf: (c, p) => `명령 ${c}개 (기준 ${p})`,
    task: "할 일",
  },
};

const el = (tag, attrs = {}, html = "") => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (html) node.innerHTML = html;
  return node;
};

function duration(seconds) {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m ? `${m}m ${String(s).padStart(2, "0")}s` : `${s}s`;
}

export function mountLessonPanel(element, options) {
  const panel = new LessonPanel(element, options);
  panel.start();
  return panel;
}

class LessonPanel {
  constructor(root, options) {
    const base = `/learn/api/${encodeURIComponent(options.lessonId)}`;
    this.root = root;
    this.options = {
      stateUrl: `${base}/state`, hintUrl: `${base}/hint`, resetUrl: `${base}/reset`, clockUrl: `${base}/clock`,
      courseUrl: "/learn/", ...options,
    };
    this.lang = options.lang === "ko" ? "ko" : "en";
    this.t = TEXTS[this.lang];
    this.state = null;
    this.timer = null;
    this.inflight = false;
    this.again = false;
  }

  start() {
    this.root.classList.add("lesson-panel");
    this.root.innerHTML = `<p class="muted">${this.t.checking}</p>`;
    window.addEventListener("kubesandbox:command-done", () => this.schedule(250));
    window.addEventListener("kubesandbox:cluster-changed", () => this.schedule(800));
    // The clock in the top bar was paused or played (a step may be waiting for exactly that).
    window.addEventListener("kubesandbox:clock-changed", () => this.schedule(250));
    this.root.addEventListener("click", (event) => this.onClick(event));
    this.refresh();
  }

  schedule(ms) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), ms);
  }

  async refresh() {
    if (this.inflight) {
      this.again = true;
      return;
    }
    this.inflight = true;
    try {
      const url = `${this.options.stateUrl}?lang=${this.lang}`;
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      this.render(await response.json());
    } catch (error) {
      this.showError();
    } finally {
      this.inflight = false;
      if (this.again) {
        this.again = false;
        this.schedule(100);
      }
    }
  }

  async post(url, body = {}) {
    const form = new URLSearchParams(body);
    const response = await fetch(url, {
      method: "POST",
      body: form,
      credentials: "same-origin",
      headers: { "X-CSRFToken": this.options.csrfToken || csrfCookie(), Accept: "application/json" },
    });
    if (!response.ok) throw new Error(String(response.status));
    return response.json();
  }

  showError() {
    let box = this.root.querySelector(".lesson-error");
    if (!box) {
      box = el("p", { class: "lesson-error", role: "alert" });
      this.root.prepend(box);
    }
    box.textContent = this.t.error;
  }

  render(state) {
    const previous = this.state;
    this.state = state;
    const t = this.t;
    const root = this.root;
    root.dataset.stepIndex = String(state.stepIndex);
    root.dataset.complete = String(state.complete);
    root.innerHTML = "";
    root.append(this.header(state));
    // An exercise is one goal: a list of one step would only repeat it.
    if (state.steps.length > 1) root.append(this.stepList(state));
    if (state.justDone.length || (previous && previous.stepIndex < state.stepIndex)) {
      root.append(el("p", { class: "lesson-toast", role: "status" }, `✓ ${escapeHtml(t.done)}`));
    }
    if (state.complete) root.append(this.completeBox(state));
    else root.append(this.stepBox(state.current, state));
    root.append(this.footer());
  }

  header(state) {
    const t = this.t;
    const head = el("header", { class: "lesson-head" });
    head.append(el("a", { class: "lesson-course small", href: this.options.courseUrl }, `← ${escapeHtml(t.course)}`));
    head.append(el("h2", { class: "lesson-title" }, escapeHtml(state.lesson.title)));
    const stats = state.stats;
    const golf = state.lesson.par ? t.golf(stats.commands, stats.par) : `${t.commands}: ${stats.commands}`;
    head.append(
      el("p", { class: "lesson-stats small muted", "data-role": "stats" },
        `${escapeHtml(golf)} · ${t.hints}: ${stats.hints} · ${t.time}: ${duration(stats.elapsedSeconds)}`),
    );
    return head;
  }

  stepList(state) {
    const list = el("ol", { class: "lesson-steps", "aria-label": this.t.step });
    state.steps.forEach((step, i) => {
      const item = el("li", {
        class: `step-item${step.done ? " is-done" : ""}${step.current ? " is-current" : ""}`,
        "data-step-id": step.id,
        title: step.title,
      });
      item.innerHTML = `<span class="step-mark" aria-hidden="true">${step.done ? "✓" : i + 1}</span>` +
        `<span class="sr-only">${escapeHtml(step.title)}${step.done ? " ✓" : ""}</span>`;
      list.append(item);
    });
    return list;
  }

  stepBox(step, state) {
    const t = this.t;
    const box = el("section", { class: "lesson-step", "data-step-id": step.id });
    const heading = state.steps.length > 1
      ? `${t.step} ${state.stepIndex + 1} ${t.of} ${state.steps.length} · ${escapeHtml(step.title)}`
      : escapeHtml(state.lesson.kind === "exercise" ? t.task : step.title);
    box.append(el("h3", {}, heading));
    box.append(el("div", { class: "lesson-text" }, renderMarkdown(step.text)));
    if (step.actions.length) box.append(this.actions(step.actions));
    if (step.commands.length) {
      const list = el("ul", { class: "lesson-commands", "aria-label": t.commands });
      for (const line of step.commands) {
        const item = el("li");
        const button = el("button", { type: "button", class: "cmd", "data-command": line, title: t.paste });
        button.textContent = line;
        item.append(button);
        list.append(item);
      }
      box.append(list);
    }
    if (step.files.length) {
      box.append(el("p", { class: "small muted" }, `${t.files}: ${step.files.map((f) => `<code>${escapeHtml(f)}</code>`).join(", ")}`));
    }
    box.append(this.goal(step));
    box.append(this.hints(step));
    return box;
  }

  actions(actions) {
    const labels = { pause: `⏸ ${this.t.pause}`, play: `▶ ${this.t.play}`, step: `⏭ ${this.t.stepOnce}` };
    const bar = el("div", { class: "lesson-actions" });
    for (const action of actions) {
      const button = el("button", { type: "button", class: "action", "data-action": action }, escapeHtml(labels[action]));
      bar.append(button);
    }
    return bar;
  }

  goal(step) {
    const t = this.t;
    const box = el("div", { class: "lesson-goal", "data-role": "goal" });
    box.append(el("h4", {}, `${escapeHtml(t.goal)} <span class="muted small">↔ ${escapeHtml(t.now)}</span>`));
    if (step.check) box.append(this.outcomeTree(step.check));
    return box;
  }

  outcomeTree(node) {
    const list = el("ul", { class: "outcome" });
    const add = (n, parent) => {
      const item = el("li", { class: n.ok ? "ok" : "todo" });
      const mark = n.ok ? "✓" : "○";
      const have = n.have !== null && n.have !== undefined && !n.ok ? ` <span class="have">${escapeHtml(this.t.now)}: ${escapeHtml(n.have)}</span>` : "";
      item.innerHTML = `<span class="mark" aria-hidden="true">${mark}</span> <span class="want">${renderInline(n.want)}</span>${have}`;
      if (n.children.length) {
        const sub = el("ul");
        n.children.forEach((c) => add(c, sub));
        item.append(sub);
      }
      parent.append(item);
    };
    if (node.children.length && (node.want === "all of" || node.want === "모두 만족")) node.children.forEach((c) => add(c, list));
    else add(node, list);
    return list;
  }

  hints(step) {
    const t = this.t;
    const box = el("div", { class: "lesson-hints" });
    if (step.hints.length) {
      const list = el("ol", { class: "hint-list" });
      for (const hint of step.hints) list.append(el("li", {}, renderMarkdown(hint)));
      box.append(list);
    }
    if (step.hintsLeft > 0) {
      box.append(el("button", { type: "button", class: "hint-button", "data-role": "hint" },
        `${escapeHtml(t.hint)} <span class="muted">(${escapeHtml(t.hintsLeft(step.hintsLeft))})</span>`));
    }
    return box;
  }

  completeBox(state) {
    const t = this.t;
    const box = el("section", { class: "lesson-complete", role: "status" });
    box.append(el("h3", {}, `✓ ${escapeHtml(state.lesson.kind === "exercise" ? t.exerciseComplete : t.complete)}`));
    if (state.lesson.par) box.append(el("p", {}, escapeHtml(t.golf(state.stats.commands, state.lesson.par))));
    box.append(el("p", {}, `<a href="${escapeHtml(this.options.courseUrl)}">${escapeHtml(t.course)} →</a>`));
    return box;
  }

  footer() {
    const foot = el("footer", { class: "lesson-foot" });
    foot.append(el("button", { type: "button", class: "danger-outline small", "data-role": "reset" }, escapeHtml(this.t.reset)));
    return foot;
  }

  async onClick(event) {
    const target = event.target.closest("button");
    if (!target || !this.root.contains(target)) return;
    if (target.dataset.command !== undefined) {
      this.options.onPasteCommand?.(target.dataset.command);
    } else if (target.dataset.role === "hint") {
      await this.post(this.options.hintUrl).catch(() => this.showError());
      this.refresh();
    } else if (target.dataset.role === "reset") {
      if (!window.confirm(this.t.resetConfirm)) return;
      target.disabled = true;
      await this.post(this.options.resetUrl).catch(() => this.showError());
      window.location.reload();
    } else if (target.dataset.action) {
      target.disabled = true;
      await this.clock(target.dataset.action);
      target.disabled = false;
      this.schedule(0);
    }
  }

  async clock(action) {
    // Always an explicit action ("pause" of a paused clock stays paused), answered once the server has applied it,
    // so the re-check that follows sees the new clock. The server tells every open page of the sandbox, so the
    // clock in the top bar follows.
    return this.post(this.options.clockUrl, { action }).catch(() => this.showError());
  }
}

function csrfCookie() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}
