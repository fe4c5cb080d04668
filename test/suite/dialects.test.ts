// Against servers as CircleCI deploys them: without the spec's
// resource-class endpoints, and with the endpoints its command-line client uses.

import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/app';
import type { Simulator } from '../../simulator/index';
import {
  ScriptedPrompts,
  configure,
  connectedTo,
  disconnect,
  extensionApi,
  waitFor,
} from './helpers';

describe('Resource-class endpoints', function () {
  this.timeout(60_000);
  let api: ExtensionApi;
  let sim: Simulator | undefined;

  before(async () => {
    api = await extensionApi();
  });

  afterEach(async () => {
    await disconnect(api, sim);
    sim = undefined;
  });

  describe('a server without /runner/resource-class', () => {
    it('shows classes derived from runners, with their runners and queue counts', async () => {
      sim = await connectedTo(api, { resourceClassEndpoints: 'circleci-cli' });

      const withRunners = [
        ...new Set(sim.state.runners({ namespace: 'acme' }).map((r) => r.resource_class)),
      ].sort();
      const classes = api.model.children(api.model.namespaceNode('acme'));
      assert.deepStrictEqual(
        classes.map((node) => (node.kind === 'resourceClass' ? node.resourceClass : '')).sort(),
        withRunners,
      );
      const view = api.model.present(api.model.classNode('acme/linux-amd64'));
      assert.match(view.description ?? '', /seen from runners/);
      assert.match(view.tooltip.notes.join(' '), /class with no connected runner cannot be listed/);
      assert.strictEqual(api.model.children(api.model.classNode('acme/linux-amd64')).length, 5);

      await waitFor('queue counts for derived classes', () => api.queue.state.kind === 'ok');
      const counts = sim.state.taskCounts('acme/linux-amd64');
      assert.strictEqual(api.queue.get('acme/linux-amd64')?.unclaimed, counts.unclaimed);
      assert.match(api.statusBarText(), /queued · \d+ running/);
    });

    it('explains why create and delete are unavailable, and how to switch', async () => {
      sim = await connectedTo(api, { resourceClassEndpoints: 'circleci-cli' });
      const prompts = new ScriptedPrompts([{ pick: 'acme' }]);
      api.setPrompts(prompts);
      await vscode.commands.executeCommand('circleciRunners.createResourceClass');
      await vscode.commands.executeCommand(
        'circleciRunners.deleteResourceClass',
        api.model.classNode('acme/linux-amd64'),
      );

      const errors = prompts.asked.filter((q) => q.kind === 'error');
      assert.strictEqual(errors.length, 2);
      for (const error of errors) {
        assert.match(error.text, /does not offer resource classes at \/runner\/resource-class/);
        assert.match(error.text, /circleci-cli/);
        assert.deepStrictEqual(error.items, ['Open Setting']);
      }
      assert.ok(
        sim.state.resourceClasses('acme').some((c) => c.resource_class === 'acme/linux-amd64'),
      );
    });
  });

  describe('with circleci-cli selected', () => {
    beforeEach(async () => {
      await configure({ 'api.resourceClassEndpoints': 'circleci-cli' });
    });

    it('lists classes through /runner/resource, including those without runners', async () => {
      sim = await connectedTo(api, { resourceClassEndpoints: 'circleci-cli' });
      assert.ok(sim.requests.some((r) => r.path === '/runner/resource'));
      assert.ok(api.fleet.findClass('acme/gpu'), 'a class without runners is listed');
      assert.strictEqual(api.fleet.snapshot('acme')?.classesFromRunners, false);
    });

    it('creates a class with both calls and keeps the token', async () => {
      sim = await connectedTo(api, { resourceClassEndpoints: 'circleci-cli' });
      api.setPrompts(
        new ScriptedPrompts([
          { pick: 'acme' },
          { input: 'cli-made' },
          { input: 'Made through the CLI endpoints' },
          { button: undefined },
        ]),
      );
      await vscode.commands.executeCommand('circleciRunners.createResourceClass');

      const posts = sim.requests.filter((r) => r.method === 'POST').map((r) => r.path);
      assert.deepStrictEqual(posts, ['/runner/resource', '/runner/token']);
      const issued = sim.state.issuedTokens('acme/cli-made');
      assert.strictEqual(issued.length, 1);
      const hostKey = api.connections.hostKey() as string;
      assert.strictEqual(
        await api.tokens.getResourceClassToken(hostKey, 'acme/cli-made'),
        issued[0],
      );
    });

    it('says exactly what happened when the token call fails after the class was made', async () => {
      sim = await connectedTo(api, { resourceClassEndpoints: 'circleci-cli' });
      sim.faults.inject({
        status: 500,
        count: 1,
        match: { method: 'POST', path: '/runner/token' },
      });
      const prompts = new ScriptedPrompts([
        { pick: 'acme' },
        { input: 'half-made' },
        { input: 'The token call fails' },
      ]);
      api.setPrompts(prompts);
      await vscode.commands.executeCommand('circleciRunners.createResourceClass');

      assert.ok(
        sim.state.resourceClasses('acme').some((c) => c.resource_class === 'acme/half-made'),
      );
      const error = prompts.asked.find((q) => q.kind === 'error');
      assert.match(
        error?.text ?? '',
        /acme\/half-made was created, but no resource class token was made/,
      );
      const hostKey = api.connections.hostKey() as string;
      assert.strictEqual(
        await api.tokens.getResourceClassToken(hostKey, 'acme/half-made'),
        undefined,
      );
    });

    it('deletes a class by the id found in the listing', async () => {
      sim = await connectedTo(api, { resourceClassEndpoints: 'circleci-cli' });
      const id = sim.state
        .resourceClasses('acme')
        .find((c) => c.resource_class === 'acme/macos')?.id;
      api.setPrompts(new ScriptedPrompts([{ button: 'Delete' }]));
      await vscode.commands.executeCommand(
        'circleciRunners.deleteResourceClass',
        api.model.classNode('acme/macos'),
      );
      assert.ok(
        sim.requests.some((r) => r.method === 'DELETE' && r.path === `/runner/resource/${id}`),
      );
      assert.ok(!sim.state.resourceClasses('acme').some((c) => c.resource_class === 'acme/macos'));
    });
  });
});
