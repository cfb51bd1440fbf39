"""Lessons in real Chromium: the panel beside the sandbox page checks each step as the learner types.

Simulated time moves only when the test presses the page's +30s button; every
wait is Playwright's auto-waiting for something to appear. No reloads: a step
must be marked done by the panel reacting to the terminal's events.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect


def _open_lesson(browser: Any, url: str, lesson: str, locale: str = "en-US") -> Page:
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale=locale)
    page = context.new_page()
    page.goto(f"{url}/learn/{lesson}/")
    expect(page.locator("#conn-status")).to_have_attribute("data-state", "open")
    expect(page.locator("#lesson-panel .lesson-step")).to_be_visible()
    return page


def _advance(page: Page) -> None:
    before = int(page.locator("#clock-time").get_attribute("data-sim-ms") or 0)
    page.locator("#clock-advance").click()
    page.wait_for_function(f"Number(document.getElementById('clock-time').dataset.simMs) >= {before + 30_000}")


def _type(page: Page, line: str) -> None:
    terminal = page.locator("#term-input")
    terminal.fill(line)
    terminal.press("Enter")
    expect(page.locator("#term-line")).not_to_have_class("term-line busy")


def test_scaling_lesson_steps_tick_off_as_the_learner_types(browser: Any, server_url: str, artifacts: Path) -> None:
    page = _open_lesson(browser, server_url, "scaling")
    panel = page.locator("#lesson-panel")
    expect(panel.locator(".lesson-step")).to_have_attribute("data-step-id", "scale-to-3")
    expect(panel.locator(".outcome .todo").first).to_contain_text("spec.replicas: 3")

    # A clickable command pastes into the terminal; the learner presses Enter.
    panel.locator("button.cmd", has_text="--replicas=3").click()
    expect(page.locator("#term-input")).to_have_value("kubectl scale deployment dpy-nginx --replicas=3")
    page.locator("#term-input").press("Enter")
    expect(page.locator("#term-output")).to_contain_text("deployment.apps/dpy-nginx scaled")
    _advance(page)
    expect(panel.locator('.step-item[data-step-id="scale-to-3"]')).to_have_class("step-item is-done")
    expect(panel.locator(".lesson-step")).to_have_attribute("data-step-id", "distinct-ips")
    page.screenshot(path=str(artifacts / "lesson-scaling.png"))

    _type(page, "kubectl get pods -o wide")
    expect(panel.locator('.step-item[data-step-id="distinct-ips"]')).to_have_class("step-item is-done")
    _type(page, "kubectl scale deployment dpy-nginx --replicas=2")
    _advance(page)
    expect(panel.locator(".lesson-complete")).to_be_visible()
    expect(panel.locator('[data-role="stats"]')).to_contain_text("Commands: 3")


def test_an_exercise_is_solved_in_the_terminal_and_hints_unfold(browser: Any, server_url: str, artifacts: Path) -> None:
    page = _open_lesson(browser, server_url, "service-selector", locale="ko-KR")
    panel = page.locator("#lesson-panel")
    expect(panel.locator(".lesson-title")).to_contain_text("연습")
    expect(panel.locator(".outcome .todo").first).to_contain_text("subsets[0].addresses")

    panel.locator('[data-role="hint"]').click()
    expect(panel.locator(".hint-list li")).to_have_count(1)
    _type(page, "kubectl get endpoints web-svc")
    expect(page.locator("#term-output")).to_contain_text("<none>")
    _type(page, 'kubectl patch service web-svc -p \'{"spec":{"selector":{"app":"web"}}}\'')
    expect(page.locator("#term-output")).to_contain_text("service/web-svc patched")
    expect(panel.locator(".lesson-complete")).to_be_visible()
    expect(panel.locator(".lesson-complete")).to_contain_text("명령 2개 (기준 3)")
    page.screenshot(path=str(artifacts / "lesson-exercise.png"))


STEP_UNTIL_PLAY = """async (lesson) => {
  // What pressing the panel's step button many times does, without a round trip through the test per press.
  const { csrfToken } = JSON.parse(document.getElementById("lesson-config").textContent);
  for (let presses = 0; presses < 40; presses++) {
    const state = await (await fetch(`/learn/api/${lesson}/state`)).json();
    if (state.current && state.current.id === "play") return presses;
    const body = new URLSearchParams({ action: "step" });
    await fetch(`/learn/api/${lesson}/clock`, { method: "POST", body, headers: { "X-CSRFToken": csrfToken } });
  }
  return -1;
}"""


def test_the_panel_pause_and_play_buttons_set_the_clock(browser: Any, server_url: str, artifacts: Path) -> None:
    page = _open_lesson(browser, server_url, "pod-lifecycle")
    panel = page.locator("#lesson-panel")
    clock, toggle = page.locator("#clock"), page.locator("#clock-toggle")
    expect(clock).to_have_attribute("data-state", "running")
    expect(toggle).to_have_attribute("data-action", "pause")

    panel.locator('button[data-action="pause"]').click()
    expect(clock).to_have_attribute("data-state", "paused")
    expect(toggle).to_have_attribute("data-action", "play")
    expect(panel.locator('.step-item[data-step-id="pause"]')).to_have_class("step-item is-done")

    _type(page, "kubectl create deployment life --image=nginx")
    expect(panel.locator(".lesson-step")).to_have_attribute("data-step-id", "replicaset")
    panel.locator('button[data-action="step"]').click()
    expect(panel.locator(".lesson-step")).to_have_attribute("data-step-id", "pod-created")
    expect(clock).to_have_attribute("data-state", "paused")  # stepping leaves the clock paused

    assert page.evaluate(STEP_UNTIL_PLAY, "pod-lifecycle") >= 0
    expect(panel.locator(".lesson-step")).to_have_attribute("data-step-id", "play")
    expect(clock).to_have_attribute("data-state", "paused")
    panel.locator('button[data-action="play"]').click()
    expect(clock).to_have_attribute("data-state", "running")
    expect(toggle).to_have_attribute("data-action", "pause")
    expect(panel.locator(".lesson-complete")).to_be_visible()
    page.screenshot(path=str(artifacts / "lesson-pod-lifecycle.png"))


def test_the_top_bar_reset_of_a_lesson_page_rebuilds_the_lessons_cluster(browser: Any, server_url: str) -> None:
    page = _open_lesson(browser, server_url, "scaling")
    panel = page.locator("#lesson-panel")
    expect(page.locator(".reset-form:not(.lesson-reset-form)")).to_be_hidden()  # no reset to an empty cluster
    _type(page, "kubectl scale deployment dpy-nginx --replicas=3")
    _advance(page)
    expect(panel.locator(".lesson-step")).to_have_attribute("data-step-id", "distinct-ips")
    _type(page, "kubectl delete deployment dpy-nginx")
    expect(page.locator("#term-output")).to_contain_text('deployment.apps "dpy-nginx" deleted')

    messages: list[str] = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    with page.expect_navigation():
        page.locator(".lesson-reset-form button").click()
    assert "lesson" in messages[0]
    expect(page.locator("#conn-status")).to_have_attribute("data-state", "open")
    expect(panel.locator(".lesson-step")).to_have_attribute("data-step-id", "scale-to-3")
    _type(page, "kubectl get deployments")
    expect(page.locator("#term-output")).to_contain_text("dpy-nginx")
