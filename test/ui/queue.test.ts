// The queue in the status bar of a real workbench, against the simulator in
// live mode: it follows the simulator, warns about a stuck class, and polls
// at the slow rate while the window has no focus.
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import { Editor, keepEvidence, openEditor } from './editor';

const itemId = 'runnerdesk.circleci-runners.queue';

describe('Queue in the status bar (UI)', function () {
  let editor: Editor | undefined;

  before(async function () {
    editor = await openEditor({
      label: 'ui-queue',
      token: 'simulator-demo-token',
      simulator: { live: { tickMs: 1000 } },
      settings: { 'circleciRunners.pollIntervalSeconds': 10 },
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await keepEvidence(editor, this.currentTest.fullTitle());
    }
  });

  after(async function () {
    await editor?.close();
  });

  function simulatorTotals(): string {
    const sim = editor?.simulator;
    assert.ok(sim);
    let queued = 0;
    let running = 0;
    for (const namespace of ['acme', 'globex']) {
      for (const rc of sim.state.resourceClasses(namespace)) {
        const counts = sim.state.taskCounts(rc.resource_class);
        queued += counts.unclaimed;
        running += counts.running;
      }
    }
    return `${queued} queued · ${running} running`;
  }

  it('shows the same totals as the simulator as tasks come and go', async function () {
    assert.ok(editor?.simulator);
    const wb = editor.workbench;
    await wb.openContainer('CircleCI Runners');
    const sim = editor.simulator;
    sim.setLive(false);

    const seen = new Set<string>();
    for (let round = 0; round < 3; round++) {
      (sim as unknown as { tickLive(): void }).tickLive();
      const expected = simulatorTotals();
      await wb.runCommand('CircleCI Runners: Refresh');
      await editor.page.waitForFunction(
        ({ id, text }) => document.getElementById(id)?.textContent?.includes(text) ?? false,
        { id: itemId, text: expected },
        { timeout: 20_000 },
      );
      seen.add(expected);
    }
    assert.ok(seen.size > 1, `the live simulator changed the counts: ${[...seen].join(' | ')}`);
  });

  it('warns once about a class with queued tasks and no runner online', async function () {
    assert.ok(editor);
    const wb = editor.workbench;
    await wb.runCommand('CircleCI Runners: Refresh');
    const toast = await wb.waitForNotification('globex/legacy-build');
    assert.match((await toast.innerText()) ?? '', /queued task.*no runner online/s);
    await wb.screenshot('stuck-queue-alert');
    const matching = (await wb.notifications()).filter((m) => m.includes('globex/legacy-build'));
    assert.strictEqual(matching.length, 1);
    const classes = await editor.page
      .locator(`.statusbar-item[id="${itemId}"]`)
      .getAttribute('class');
    assert.match(classes ?? '', /warning-kind/);
  });

  it('polls at a fifth of the rate while the window has no focus', async function () {
    this.timeout(120_000);
    assert.ok(editor?.simulator);
    const sim = editor.simulator;
    const taskRequests = () =>
      sim.requests.filter((r) => r.path === '/runner/tasks' || r.path === '/runner/tasks/running')
        .length;
    const classes = sim.state.resourceClasses().length;
    await editor.workbench.openContainer('CircleCI Runners');
    await editor.page.locator(`.statusbar-item[id="${itemId}"]`).waitFor();

    const focusedStart = taskRequests();
    await sleep(25_000);
    const focused = taskRequests() - focusedStart;

    const other: Page = await editor.context.newPage();
    await other.bringToFront();
    await blur(editor.page);
    const unfocusedStart = taskRequests();
    await sleep(25_000);
    const unfocused = taskRequests() - unfocusedStart;
    await other.close();

    // Focused: a poll every 10 s, so at least two cycles in 25 s. Unfocused:
    // every 50 s, so at most one cycle in 25 s.
    assert.ok(focused >= 2 * 2 * classes, `focused: ${focused} requests for ${classes} classes`);
    assert.ok(unfocused <= 2 * classes, `unfocused: ${unfocused} requests for ${classes} classes`);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Headless Chromium has no window manager to take focus away, so the page is
 * told what a real one would say: the document no longer has focus. The
 * workbench re-reads `document.hasFocus()` on visibility and focus events.
 */
async function blur(page: Page): Promise<void> {
  await page.evaluate(() => {
    Object.defineProperty(document, 'hasFocus', { value: () => false, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    window.dispatchEvent(new Event('blur'));
  });
}
