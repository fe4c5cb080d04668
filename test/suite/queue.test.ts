// The queue in the status bar, the tree's per-class counts and the
// stuck-queue alert, in the real VS Code against the simulator.

import * as assert from 'assert';
import * as vscode from 'vscode';
import type { Simulator, SimulatorServer } from '../../simulator/index';
import { statusBar } from './reliabilityKit';
import { ScriptedPrompts, configure, connectedTo, useExtension, waitFor } from './helpers';

describe('Queue watch', function () {
  this.timeout(90_000);
  const suite = useExtension();

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
    await suite.api.settled();
  }

  it('sums queued and running tasks of every class in the status bar', async () => {
    suite.sim = await connectedTo(suite.api);
    await waitFor('the first poll', () => suite.api.queue.state.kind === 'ok');

    const totals = simulatorTotals(suite.sim);
    assert.ok(totals.unclaimed > 0 && totals.running > 0, 'the demo data has work');
    assert.strictEqual(
      suite.api.statusBarText(),
      `$(server-process) ${totals.unclaimed} queued · ${totals.running} running`,
    );
    const classes =
      suite.sim.state.resourceClasses('acme').length +
      suite.sim.state.resourceClasses('globex').length;
    const taskRequests = suite.sim.requests.filter((r) => r.path.startsWith('/runner/tasks'));
    assert.ok(taskRequests.length >= 2 * classes, 'both counts were asked for every class');
  });

  it('follows the simulator as tasks queue, start and finish', async () => {
    suite.sim = await connectedTo(suite.api);
    await waitFor('the first poll', () => suite.api.queue.state.kind === 'ok');
    const server = suite.sim as SimulatorServer;
    const seen = new Set<string>();

    for (let step = 0; step < 6; step++) {
      server.tickLive();
      await pollOnce();
      const totals = simulatorTotals(suite.sim);
      const expected = `$(server-process) ${totals.unclaimed} queued · ${totals.running} running`;
      await waitFor(
        `status bar to read "${expected}"`,
        () => suite.api.statusBarText() === expected,
      );
      seen.add(expected);
    }
    assert.ok(seen.size > 1, 'the live simulator changed the counts at least once');
  });

  it('shows each class’s counts in the tree from the same poll', async () => {
    suite.sim = await connectedTo(suite.api);
    suite.sim.state.setTaskCounts('acme/linux-amd64', { unclaimed: 11, running: 4 });
    await pollOnce();
    await waitFor('the class row to show its counts', () =>
      /11 queued · 4 running/.test(
        suite.api.model.present(suite.api.model.classNode('acme/linux-amd64')).description ?? '',
      ),
    );
    assert.strictEqual(suite.api.queue.get('acme/linux-amd64')?.unclaimed, 11);
  });

  it('alerts once per episode when a class has queued tasks and no runner online', async () => {
    suite.sim = await connectedTo(suite.api);
    const prompts = new ScriptedPrompts([]);
    suite.api.setPrompts(prompts);
    const stuck = 'globex/legacy-build';
    const alerts = () =>
      prompts.asked.filter((q) => q.kind === 'warning' && q.text.includes(stuck));

    await waitFor('the first poll', () => suite.api.queue.state.kind === 'ok');
    await pollOnce();
    await waitFor('the alert', () => alerts().length === 1);
    assert.deepStrictEqual(alerts()[0]?.items, ['Show Runners', "Don't Alert for This Class"]);
    assert.ok(suite.api.stuckQueue.activeEpisodes().includes(stuck));

    await pollOnce();
    await pollOnce();
    assert.strictEqual(alerts().length, 1, 'one notification for the whole episode');

    suite.sim.state.setTaskCounts(stuck, { unclaimed: 0 });
    await pollOnce();
    await waitFor(
      'the episode to end',
      () => !suite.api.stuckQueue.activeEpisodes().includes(stuck),
    );

    suite.sim.state.setTaskCounts(stuck, { unclaimed: 3 });
    await pollOnce();
    await pollOnce();
    await waitFor('a second episode', () => alerts().length === 2);
  });

  it('does not alert for a muted class or with alerts turned off', async () => {
    await configure({ 'alerts.mutedResourceClasses': ['globex/legacy-build'] });
    suite.sim = await connectedTo(suite.api);
    suite.sim.state.setTaskCounts('acme/windows', { unclaimed: 2 });
    suite.sim.state.setRunnersLastConnected('acme/windows', 3 * 3600_000);
    await configure({ 'alerts.stuckQueue': false });
    const prompts = new ScriptedPrompts([]);
    suite.api.setPrompts(prompts);

    for (let i = 0; i < 3; i++) {
      await pollOnce();
    }
    assert.deepStrictEqual(
      prompts.asked.filter((q) => q.kind === 'warning').map((q) => q.text),
      [],
    );
  });

  it('says in the status bar when nothing could be loaded at all', async () => {
    suite.sim = await connectedTo(suite.api, { namespaces: [] });
    suite.sim.faults.inject({ status: 502 });
    await configure({ namespaces: ['acme', 'globex'] });
    await waitFor('the status bar to report the failure', () =>
      suite.api.statusBarText().includes('could not load'),
    );
    assert.match(
      statusBar(suite.api).tooltip,
      /(acme|globex): The Runner API had a server error \(502\)/,
    );

    suite.sim.faults.clear();
    await pollOnce();
    await waitFor('the figures to return', () => suite.api.statusBarText().includes('queued'));
  });

  it('hides the status bar item when the setting turns it off', async () => {
    suite.sim = await connectedTo(suite.api);
    await waitFor('the first poll', () => suite.api.queue.state.kind === 'ok');
    await configure({ 'statusBar.enabled': false });
    await waitFor('the item to hide', () => suite.api.statusBarText() === '');
    await configure({ 'statusBar.enabled': true });
    await waitFor('the item to return', () => suite.api.statusBarText().includes('queued'));
  });
});
