// Against servers as CircleCI deploys them: without the spec's
// resource-class endpoints, and with the endpoints its command-line client uses.

import * as assert from 'assert';
import * as vscode from 'vscode';
import { ScriptedPrompts, configure, connectedTo, useExtension, waitFor } from './helpers';

describe('Resource-class endpoints', function () {
  this.timeout(60_000);
  const suite = useExtension();

  describe('a server without /runner/resource-class', () => {
    it('shows classes derived from runners, with their runners and queue counts', async () => {
      suite.sim = await connectedTo(suite.api, { resourceClassEndpoints: 'circleci-cli' });

      const withRunners = [
        ...new Set(suite.sim.state.runners({ namespace: 'acme' }).map((r) => r.resource_class)),
      ].sort();
      const classes = suite.api.model.children(suite.api.model.namespaceNode('acme'));
      assert.deepStrictEqual(
        classes.map((node) => (node.kind === 'resourceClass' ? node.resourceClass : '')).sort(),
        withRunners,
      );
      const view = suite.api.model.present(suite.api.model.classNode('acme/linux-amd64'));
      assert.match(view.description ?? '', /seen from runners/);
      assert.match(view.tooltip.notes.join(' '), /class with no connected runner cannot be listed/);
      assert.strictEqual(
        suite.api.model.children(suite.api.model.classNode('acme/linux-amd64')).length,
        5,
      );

      await waitFor('queue counts for derived classes', () => suite.api.queue.state.kind === 'ok');
      const counts = suite.sim.state.taskCounts('acme/linux-amd64');
      assert.strictEqual(suite.api.queue.get('acme/linux-amd64')?.unclaimed, counts.unclaimed);
      assert.match(suite.api.statusBarText(), /queued · \d+ running/);
    });

    it('explains why create and delete are unavailable, and how to switch', async () => {
      suite.sim = await connectedTo(suite.api, { resourceClassEndpoints: 'circleci-cli' });
      const prompts = new ScriptedPrompts([{ pick: 'acme' }]);
      suite.api.setPrompts(prompts);
      await vscode.commands.executeCommand('circleciRunners.createResourceClass');
      await vscode.commands.executeCommand(
        'circleciRunners.deleteResourceClass',
        suite.api.model.classNode('acme/linux-amd64'),
      );

      const errors = prompts.asked.filter((q) => q.kind === 'error');
      assert.strictEqual(errors.length, 2);
      for (const error of errors) {
        assert.match(error.text, /does not offer resource classes at \/runner\/resource-class/);
        assert.match(error.text, /circleci-cli/);
        assert.deepStrictEqual(error.items, ['Open Setting']);
      }
      assert.ok(
        suite.sim.state
          .resourceClasses('acme')
          .some((c) => c.resource_class === 'acme/linux-amd64'),
      );
    });
  });

  describe('with circleci-cli selected', () => {
    beforeEach(async () => {
      await configure({ 'api.resourceClassEndpoints': 'circleci-cli' });
    });

    it('lists classes through /runner/resource, including those without runners', async () => {
      suite.sim = await connectedTo(suite.api, { resourceClassEndpoints: 'circleci-cli' });
      assert.ok(suite.sim.requests.some((r) => r.path === '/runner/resource'));
      assert.ok(suite.api.fleet.findClass('acme/gpu'), 'a class without runners is listed');
      assert.strictEqual(suite.api.fleet.snapshot('acme')?.classesFromRunners, false);
    });

    it('creates a class with both calls and keeps the token', async () => {
      suite.sim = await connectedTo(suite.api, { resourceClassEndpoints: 'circleci-cli' });
      suite.api.setPrompts(
        new ScriptedPrompts([
          { pick: 'acme' },
          { input: 'cli-made' },
          { input: 'Made through the CLI endpoints' },
          { button: undefined },
        ]),
      );
      await vscode.commands.executeCommand('circleciRunners.createResourceClass');

      const posts = suite.sim.requests.filter((r) => r.method === 'POST').map((r) => r.path);
      assert.deepStrictEqual(posts, ['/runner/resource', '/runner/token']);
      const issued = suite.sim.state.issuedTokens('acme/cli-made');
      assert.strictEqual(issued.length, 1);
      const hostKey = suite.api.connections.hostKey() as string;
      assert.strictEqual(
        await suite.api.tokens.getResourceClassToken(hostKey, 'acme/cli-made'),
        issued[0],
      );
    });

    it('says exactly what happened when the token call fails after the create', async () => {
      suite.sim = await connectedTo(suite.api, { resourceClassEndpoints: 'circleci-cli' });
      suite.sim.faults.inject({
        status: 500,
        count: 1,
        match: { method: 'POST', path: '/runner/token' },
      });
      const prompts = new ScriptedPrompts([
        { pick: 'acme' },
        { input: 'half-made' },
        { input: 'The token call fails' },
      ]);
      suite.api.setPrompts(prompts);
      await vscode.commands.executeCommand('circleciRunners.createResourceClass');

      assert.ok(
        suite.sim.state.resourceClasses('acme').some((c) => c.resource_class === 'acme/half-made'),
      );
      const error = prompts.asked.find((q) => q.kind === 'error');
      assert.match(
        error?.text ?? '',
        /acme\/half-made was created, but no resource class token was made/,
      );
      const hostKey = suite.api.connections.hostKey() as string;
      assert.strictEqual(
        await suite.api.tokens.getResourceClassToken(hostKey, 'acme/half-made'),
        undefined,
      );
    });

    it('deletes a class by the id found in the listing', async () => {
      suite.sim = await connectedTo(suite.api, { resourceClassEndpoints: 'circleci-cli' });
      const id = suite.sim.state
        .resourceClasses('acme')
        .find((c) => c.resource_class === 'acme/macos')?.id;
      suite.api.setPrompts(new ScriptedPrompts([{ button: 'Delete' }]));
      await vscode.commands.executeCommand(
        'circleciRunners.deleteResourceClass',
        suite.api.model.classNode('acme/macos'),
      );
      assert.ok(
        suite.sim.requests.some(
          (r) => r.method === 'DELETE' && r.path === `/runner/resource/${id}`,
        ),
      );
      assert.ok(
        !suite.sim.state.resourceClasses('acme').some((c) => c.resource_class === 'acme/macos'),
      );
    });
  });
});
