// The Runners view and its commands in a real VS Code, against the simulator.

import * as assert from 'assert';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/views/treeModel';
import { ScriptedPrompts, configure, connectedTo, useExtension, waitFor } from './helpers';

describe('Runners view', function () {
  this.timeout(60_000);
  const suite = useExtension();

  const label = (node: TreeNode) => suite.api.model.present(node).label;

  it('shows namespaces, classes and runners with statuses from the simulator', async () => {
    suite.sim = await connectedTo(suite.api);

    const roots = suite.api.model.children();
    assert.deepStrictEqual(roots.map(label), ['acme', 'globex']);

    for (const namespace of ['acme', 'globex']) {
      const classes = suite.api.model.children(suite.api.model.namespaceNode(namespace));
      const expected = suite.sim.state
        .resourceClasses(namespace)
        .map((c) => c.resource_class.split('/')[1])
        .sort();
      assert.deepStrictEqual(classes.map(label).sort(), expected);
    }

    const runners = suite.api.model.children(suite.api.model.classNode('acme/linux-amd64'));
    const statuses = Object.fromEntries(
      runners.map((node) => [label(node), suite.api.model.present(node).status]),
    );
    assert.strictEqual(statuses['acme-build-01'], 'online');
    assert.strictEqual(statuses['acme-build-04'], 'idle');
    assert.strictEqual(statuses['acme-build-05'], 'offline');
  });

  it('shows the welcome for no token, then for no namespaces', async () => {
    await configure({ namespaces: ['acme'] });
    await waitFor('the no-token state', () => suite.api.viewState() === 'noToken');
    suite.sim = await connectedTo(suite.api, { namespaces: [] });
    assert.strictEqual(suite.api.viewState(), 'noNamespaces');
  });

  it('Set API Token saves an accepted token and refuses a rejected one', async () => {
    suite.sim = await connectedTo(suite.api);
    const hostKey = suite.api.connections.hostKey() as string;
    await suite.api.tokens.clearApiToken(hostKey);
    await waitFor('the no-token state', () => suite.api.viewState() === 'noToken');

    const wrong = new ScriptedPrompts([{ input: 'wrong-token' }]);
    suite.api.setPrompts(wrong);
    await vscode.commands.executeCommand('circleciRunners.setApiToken');
    assert.strictEqual(await suite.api.tokens.hasStoredApiToken(hostKey), false);
    assert.ok(wrong.asked.some((q) => q.kind === 'error' && /rejected/.test(q.text)));

    suite.api.setPrompts(new ScriptedPrompts([{ input: 'simulator-demo-token' }]));
    await vscode.commands.executeCommand('circleciRunners.setApiToken');
    assert.strictEqual(
      (await suite.api.tokens.getApiToken(hostKey))?.value,
      'simulator-demo-token',
    );
    await waitFor('the view to be ready', () => suite.api.viewState() === 'ready');
  });

  it('shows the token-rejected welcome when the server stops accepting the token', async () => {
    suite.sim = await connectedTo(suite.api, { tokens: ['simulator-demo-token'] });
    await suite.api.tokens.setApiToken(suite.api.connections.hostKey() as string, 'revoked-token');
    await waitFor('the rejected state', () => suite.api.viewState() === 'tokenRejected');
  });

  it('creates a resource class from the palette, keeps its token and copies it', async () => {
    suite.sim = await connectedTo(suite.api);
    const prompts = new ScriptedPrompts([
      { pick: 'acme' },
      { input: 'Not Valid' },
      { input: 'linux-ci' },
      { input: 'Runners for the CI pipeline' },
      { button: 'Copy Token' },
    ]);
    suite.api.setPrompts(prompts);

    await vscode.commands.executeCommand('circleciRunners.createResourceClass');

    const created = suite.sim.state
      .resourceClasses('acme')
      .find((c) => c.resource_class === 'acme/linux-ci');
    assert.ok(created, 'the class exists on the server');
    assert.strictEqual(created.description, 'Runners for the CI pipeline');

    const nameQuestion = prompts.asked.find((q) => q.kind === 'input');
    assert.match(nameQuestion?.validation?.[0] ?? '', /uppercase|space/i);
    assert.strictEqual(nameQuestion?.validation?.[1], undefined);

    const issued = suite.sim.state.issuedTokens('acme/linux-ci');
    assert.strictEqual(issued.length, 1);
    const hostKey = suite.api.connections.hostKey() as string;
    assert.strictEqual(
      await suite.api.tokens.getResourceClassToken(hostKey, 'acme/linux-ci'),
      issued[0],
    );
    assert.strictEqual(await vscode.env.clipboard.readText(), issued[0]);

    const modal = prompts.asked.find((q) => q.kind === 'info' && q.modal);
    assert.match(modal?.detail ?? '', /will not show this token again/);
    assert.match(modal?.detail ?? '', /secret storage/);

    await vscode.env.clipboard.writeText('');
    suite.api.setPrompts(new ScriptedPrompts([]));
    await vscode.commands.executeCommand(
      'circleciRunners.copyResourceClassToken',
      suite.api.model.classNode('acme/linux-ci'),
    );
    assert.strictEqual(await vscode.env.clipboard.readText(), issued[0]);
    await waitFor(
      'the tree to show the new class',
      () => suite.api.fleet.findClass('acme/linux-ci') !== undefined,
    );
    assert.match(
      suite.api.model.present(suite.api.model.classNode('acme/linux-ci')).contextValue,
      /hasToken/,
    );
  });

  it('creates from a namespace node without asking for the namespace', async () => {
    suite.sim = await connectedTo(suite.api);
    const prompts = new ScriptedPrompts([
      { input: 'deploy-2' },
      { input: 'Second deploy pool' },
      { button: undefined },
    ]);
    suite.api.setPrompts(prompts);
    await vscode.commands.executeCommand(
      'circleciRunners.createResourceClass',
      suite.api.model.namespaceNode('globex'),
    );
    assert.ok(prompts.asked.every((q) => q.kind !== 'pick'));
    assert.ok(
      suite.sim.state.resourceClasses('globex').some((c) => c.resource_class === 'globex/deploy-2'),
    );
  });

  it('deletes a resource class after confirmation, with its token', async () => {
    suite.sim = await connectedTo(suite.api);
    const hostKey = suite.api.connections.hostKey() as string;
    await suite.api.tokens.setResourceClassToken(hostKey, 'acme/linux-arm64', 'stored-class-token');

    const prompts = new ScriptedPrompts([{ button: 'Delete' }]);
    suite.api.setPrompts(prompts);
    await vscode.commands.executeCommand(
      'circleciRunners.deleteResourceClass',
      suite.api.model.classNode('acme/linux-arm64'),
    );

    const confirm = prompts.asked[0];
    assert.strictEqual(confirm?.modal, true);
    assert.match(confirm?.text ?? '', /acme\/linux-arm64/);
    assert.match(confirm?.detail ?? '', /3 runners are attached/);
    assert.ok(
      !suite.sim.state.resourceClasses('acme').some((c) => c.resource_class === 'acme/linux-arm64'),
    );
    assert.strictEqual(
      await suite.api.tokens.getResourceClassToken(hostKey, 'acme/linux-arm64'),
      undefined,
    );
    await waitFor(
      'the class to leave the tree',
      () => suite.api.fleet.findClass('acme/linux-arm64') === undefined,
    );
  });

  it('deletes nothing when the confirmation is dismissed', async () => {
    suite.sim = await connectedTo(suite.api);
    suite.api.setPrompts(new ScriptedPrompts([{ pick: 'acme/windows' }, { button: undefined }]));
    await vscode.commands.executeCommand('circleciRunners.deleteResourceClass');
    assert.ok(
      suite.sim.state.resourceClasses('acme').some((c) => c.resource_class === 'acme/windows'),
    );
  });

  it('says a class deleted elsewhere was already gone', async () => {
    suite.sim = await connectedTo(suite.api);
    suite.sim.state.removeResourceClass('acme/windows');
    const prompts = new ScriptedPrompts([{ button: 'Delete' }]);
    suite.api.setPrompts(prompts);
    await vscode.commands.executeCommand(
      'circleciRunners.deleteResourceClass',
      suite.api.model.classNode('acme/windows'),
    );
    assert.ok(prompts.asked.some((q) => /already deleted/.test(q.text)));
  });

  it('says clearly when no token is stored for a class', async () => {
    suite.sim = await connectedTo(suite.api);
    const prompts = new ScriptedPrompts([]);
    suite.api.setPrompts(prompts);
    await vscode.commands.executeCommand(
      'circleciRunners.copyResourceClassToken',
      suite.api.model.classNode('globex/deploy'),
    );
    assert.ok(prompts.asked.some((q) => /No token is stored for globex\/deploy/.test(q.text)));
  });

  it('copies a runner hostname and IP from a runner row and from the palette', async () => {
    suite.sim = await connectedTo(suite.api);
    const runner = suite.api.model
      .children(suite.api.model.classNode('acme/linux-amd64'))
      .find((node) => label(node) === 'acme-build-02');
    assert.ok(runner);
    await vscode.commands.executeCommand('circleciRunners.copyRunnerHostname', runner);
    assert.strictEqual(await vscode.env.clipboard.readText(), 'acme-build-02.build.internal');

    suite.api.setPrompts(new ScriptedPrompts([{ pick: 'acme-build-03' }]));
    await vscode.commands.executeCommand('circleciRunners.copyRunnerIp');
    assert.strictEqual(await vscode.env.clipboard.readText(), '10.20.1.13');
  });

  it('adds and removes namespaces through the setting', async () => {
    suite.sim = await connectedTo(suite.api, { namespaces: ['acme'] });
    suite.api.setPrompts(new ScriptedPrompts([{ input: 'acme' }, { input: 'globex' }]));
    await vscode.commands.executeCommand('circleciRunners.addNamespace');
    await waitFor('globex to load', () => suite.api.fleet.snapshot('globex')?.state === 'loaded');
    assert.deepStrictEqual(vscode.workspace.getConfiguration('circleciRunners').get('namespaces'), [
      'acme',
      'globex',
    ]);

    await vscode.commands.executeCommand(
      'circleciRunners.removeNamespace',
      suite.api.model.namespaceNode('acme'),
    );
    await waitFor('acme to leave', () => !suite.api.fleet.namespaces().includes('acme'));
  });

  it('shows a failed load as an error row and recovers on Retry', async () => {
    suite.sim = await connectedTo(suite.api);
    suite.sim.faults.inject({ status: 503, match: { path: '/runner' } });
    await vscode.commands.executeCommand(
      'circleciRunners.refreshNamespace',
      suite.api.model.namespaceNode('acme'),
    );
    const first = suite.api.model.children(suite.api.model.namespaceNode('acme'))[0];
    assert.strictEqual(first?.kind, 'message');
    assert.match(suite.api.model.present(first).contextValue, /^error/);

    suite.sim.faults.clear();
    await vscode.commands.executeCommand('circleciRunners.retry', first);
    assert.strictEqual(suite.api.fleet.snapshot('acme')?.state, 'loaded');
  });
});
