// The queue in the status bar, the tree's per-class counts and the
// stuck-queue alert, in the real VS Code against the simulator.

import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/app';
import type { Simulator, SimulatorServer } from '../../simulator/index';
import { statusBar } from './reliabilityKit';
import {
  ScriptedPrompts,
  configure,
  connectedTo,
  disconnect,
  extensionApi,
  waitFor,
} from './helpers';

describe('Queue watch', function () {
  this.timeout(90_000);
  let api: ExtensionApi;
  let sim: Simulator | undefined;

  before(async () => {
    api = await extensionApi();
  });

  afterEach(async () => {
    await disconnect(api, sim);
    sim = undefined;
  });

  function simulatorTotals(server: Simulator): { unclaimed: number; running: number } {
    let unclaimed = 0;
    let running = 0;
    for (const namespace of ['acme', 'globex']) {
      for (const rc of server.state.resourceClasses(namespace)) {
        const counts = server.state.taskCounts(rc.resource_class);
        unclaimed += counts.unclaimed;
        running += counts.running;
      }
    }
    return { unclaimed, running };
  }

  async function pollOnce(): Promise<void> {
    await vscode.commands.executeCommand('circleciRunners.refresh');
    await api.settled();
  }

  it('sums queued and running tasks of every class in the status bar', async () => {
    sim = await connectedTo(api);
    await waitFor('the first poll', () => api.queue.state.kind === 'ok');

    const totals = simulatorTotals(sim);
    assert.ok(totals.unclaimed > 0 && totals.running > 0, 'the demo data has work');
    assert.strictEqual(
      api.statusBarText(),
      `$(server-process) ${totals.unclaimed} queued · ${totals.running} running`,
    );
    const classes =
      sim.state.resourceClasses('acme').length + sim.state.resourceClasses('globex').length;
    const taskRequests = sim.requests.filter((r) => r.path.startsWith('/runner/tasks'));
    assert.ok(taskRequests.length >= 2 * classes, 'both counts were asked for every class');
  });

  it('follows the simulator as tasks queue, start and finish', async () => {
    sim = await connectedTo(api);
    await waitFor('the first poll', () => api.queue.state.kind === 'ok');
    const server = sim as SimulatorServer;
    const seen = new Set<string>();

    for (let step = 0; step < 6; step++) {
      server.tickLive();
      await pollOnce();
      const totals = simulatorTotals(sim);
      const expected = `$(server-process) ${totals.unclaimed} queued · ${totals.running} running`;
      await waitFor(`status bar to read "${expected}"`, () => api.statusBarText() === expected);
      seen.add(expected);
    }
    assert.ok(seen.size > 1, 'the live simulator changed the counts at least once');
  });

  it('shows each class’s counts in the tree from the same poll', async () => {
    sim = await connectedTo(api);
    sim.state.setTaskCounts('acme/linux-amd64', { unclaimed: 11, running: 4 });
    await pollOnce();
    await waitFor('the class row to show its counts', () =>
      /11 queued · 4 running/.test(
        api.model.present(api.model.classNode('acme/linux-amd64')).description ?? '',
      ),
    );
    assert.strictEqual(api.queue.get('acme/linux-amd64')?.unclaimed, 11);
  });

  it('alerts once per episode when a class has queued tasks and no runner online', async () => {
    sim = await connectedTo(api);
    const prompts = new ScriptedPrompts([]);
    api.setPrompts(prompts);
    const stuck = 'globex/legacy-build';
    const alerts = () =>
      prompts.asked.filter((q) => q.kind === 'warning' && q.text.includes(stuck));

    await waitFor('the first poll', () => api.queue.state.kind === 'ok');
    await pollOnce();
    await waitFor('the alert', () => alerts().length === 1);
    assert.deepStrictEqual(alerts()[0]?.items, ['Show Runners', "Don't Alert for This Class"]);
    assert.ok(api.stuckQueue.activeEpisodes().includes(stuck));

    await pollOnce();
    await pollOnce();
    assert.strictEqual(alerts().length, 1, 'one notification for the whole episode');

    sim.state.setTaskCounts(stuck, { unclaimed: 0 });
    await pollOnce();
    await waitFor('the episode to end', () => !api.stuckQueue.activeEpisodes().includes(stuck));

    sim.state.setTaskCounts(stuck, { unclaimed: 3 });
    await pollOnce();
    await pollOnce();
    await waitFor('a second episode', () => alerts().length === 2);
  });

  it('does not alert for a muted class or with alerts turned off', async () => {
    await configure({ 'alerts.mutedResourceClasses': ['globex/legacy-build'] });
    sim = await connectedTo(api);
    sim.state.setTaskCounts('acme/windows', { unclaimed: 2 });
    sim.state.setRunnersLastConnected('acme/windows', 3 * 3600_000);
    await configure({ 'alerts.stuckQueue': false });
    const prompts = new ScriptedPrompts([]);
    api.setPrompts(prompts);

    for (let i = 0; i < 3; i++) {
      await pollOnce();
    }
    assert.deepStrictEqual(
      prompts.asked.filter((q) => q.kind === 'warning').map((q) => q.text),
      [],
    );
  });

  it('says in the status bar when nothing could be loaded at all', async () => {
    sim = await connectedTo(api, { namespaces: [] });
    sim.faults.inject({ status: 502 });
    await configure({ namespaces: ['acme', 'globex'] });
    await waitFor('the status bar to report the failure', () =>
      api.statusBarText().includes('could not load'),
    );
    assert.match(
      statusBar(api).tooltip,
      /(acme|globex): The Runner API had a server error \(502\)/,
    );

    sim.faults.clear();
    await pollOnce();
    await waitFor('the figures to return', () => api.statusBarText().includes('queued'));
  });

  it('hides the status bar item when the setting turns it off', async () => {
    sim = await connectedTo(api);
    await waitFor('the first poll', () => api.queue.state.kind === 'ok');
    await configure({ 'statusBar.enabled': false });
    await waitFor('the item to hide', () => api.statusBarText() === '');
    await configure({ 'statusBar.enabled': true });
    await waitFor('the item to return', () => api.statusBarText().includes('queued'));
  });
});
