// Token safety in the real VS Code: every command and both views run with
// known tokens, then everything the extension wrote and showed is searched for
// them; and a token saved for one host never travels to another.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/app';
import type { TreeNode } from '../../src/views/treeModel';
import { startSimulator, type Simulator } from '../../simulator/index';
import {
  ScriptedPrompts,
  configure,
  disconnect,
  extensionApi,
  waitFor,
  type Answer,
  type AskedQuestion,
} from './helpers';
import { everythingShown } from './reliabilityKit';

// Obviously fake values, distinctive enough that a hit cannot be a coincidence.
const apiToken = 'fake-api-token-for-scan-7c1d';
const otherHostToken = 'fake-other-host-token-42ab';
const storedClassToken = 'fake-class-token-stored-93ef';

describe('Token safety', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  let sim: Simulator | undefined;
  let other: Simulator | undefined;

  before(async () => {
    api = await extensionApi();
    await vscode.commands.executeCommand('workbench.view.extension.circleciRunners');
  });

  afterEach(async () => {
    await disconnect(api, sim);
    await other?.close();
    sim = undefined;
    other = undefined;
  });

  it('is in no log, message, tree item, tooltip or status bar after every command', async () => {
    sim = await startSimulator({ tokens: [apiToken] });
    const server = sim;
    const asked: AskedQuestion[] = [];
    const shown: string[] = [];
    const executed = new Set<string>();
    const look = (): void => {
      shown.push(...everythingShown(api));
    };
    const run = async (command: string, answers: Answer[], ...args: unknown[]) => {
      const prompts = new ScriptedPrompts(answers);
      api.setPrompts(prompts);
      await vscode.commands.executeCommand(`circleciRunners.${command}`, ...args);
      asked.push(...prompts.asked);
      executed.add(`circleciRunners.${command}`);
      await api.settled();
      look();
    };
    const classNode = (name: string): TreeNode => api.model.classNode(name);

    await configure({ apiUrl: server.url, namespaces: ['acme'], pollIntervalSeconds: 10 });
    await waitFor('no token', () => api.viewState() === 'noToken');
    await run('setApiToken', [{ input: apiToken }]);
    await waitFor('ready', () => api.viewState() === 'ready');
    await waitFor('loaded', () => api.fleet.snapshot('acme')?.state === 'loaded');
    await waitFor('polled', () => api.queue.state.kind === 'ok');
    const hostKey = api.connections.hostKey() as string;
    await api.tokens.setResourceClassToken(hostKey, 'acme/windows', storedClassToken);

    await run('refresh', []);
    await run('refreshNamespace', [], api.model.namespaceNode('acme'));
    await run('addNamespace', [{ input: 'globex' }]);
    await waitFor('globex', () => api.fleet.snapshot('globex')?.state === 'loaded');
    await run('showQueue', [{ pick: 'acme/linux-amd64' }]);
    await run('createResourceClass', [
      { pick: 'acme' },
      { input: 'scan-one' },
      { input: 'Made by the token scan' },
      { button: 'Copy Token' },
    ]);
    const classTokens = [...server.state.issuedTokens('acme/scan-one')];
    assert.strictEqual(classTokens.length, 1, 'scan-one got its token');
    // A create whose answer is lost: the server issued a token the editor never saw.
    server.faults.inject({
      drop: true,
      applyOperation: true,
      count: 1,
      match: { method: 'POST', path: '/runner/resource-class' },
    });
    await run(
      'createResourceClass',
      [{ input: 'scan-two' }, { input: 'Lost answer' }, { button: undefined }],
      api.model.namespaceNode('acme'),
    );
    const lostTokens = [...server.state.issuedTokens('acme/scan-two')];
    assert.strictEqual(lostTokens.length, 1, 'the lost create did issue a token on the server');
    await waitFor('the new classes', () => api.fleet.findClass('acme/scan-one') !== undefined);
    await run('copyResourceClassToken', [], classNode('acme/scan-one'));
    await run('copyResourceClassToken', [], classNode('acme/windows'));
    await run('copyResourceClassToken', [{ pick: 'acme/scan-one' }]);
    const runner = api.model.children(classNode('acme/linux-amd64'))[0];
    await run('copyRunnerHostname', [], runner);
    await run('copyRunnerIp', [{ pick: 'acme-build-03' }]);
    await run('deleteResourceClass', [{ button: 'Delete' }], classNode('acme/scan-one'));

    server.faults.inject({ status: 500, match: { path: '/runner' } });
    await run('refreshNamespace', [], api.model.namespaceNode('acme'));
    const errorRow = api.model.children(api.model.namespaceNode('acme'))[0];
    assert.strictEqual(errorRow?.kind, 'message');
    server.faults.clear();
    await run('retry', [], errorRow);
    await run('muteStuckQueueAlert', [], 'acme/windows');
    await run('showLogs', []);

    // A rejected token: the welcome, the status bar and the logs say so, without it.
    server.faults.inject({ status: 401, count: 4 });
    await run('refresh', []);
    await waitFor('rejected', () => api.viewState() === 'tokenRejected');
    look();
    server.faults.clear();
    await run('refresh', []);
    await waitFor('ready again', () => api.viewState() === 'ready');

    await run('removeNamespace', [], api.model.namespaceNode('globex'));
    await run('clearApiToken', [{ button: 'Clear Token' }]);
    await waitFor('no token', () => api.viewState() === 'noToken');
    // A last line in the log, so the scan knows the log file has caught up.
    await run('setApiToken', [{ input: 'fake-rejected-token-0000' }]);

    const manifest = vscode.extensions.getExtension('runnerdesk.circleci-runners')?.packageJSON as {
      contributes: { commands: Array<{ command: string }> };
    };
    const missed = manifest.contributes.commands
      .map((entry) => entry.command)
      .filter((command) => !executed.has(command));
    assert.deepStrictEqual(missed, [], 'commands the scan did not run');

    const secrets = [apiToken, storedClassToken, ...classTokens, ...lostTokens];

    // The scan must have looked at something: the messages and views it expects.
    assert.ok(asked.some((q) => /was created/.test(q.text)));
    assert.ok(asked.some((q) => /token never reached the editor/.test(q.text)));
    assert.ok(shown.some((text) => /linux-amd64/.test(text)));
    assert.ok(shown.some((text) => /token rejected/.test(text)));

    const logDir = api.logUri.fsPath;
    const ownLog = () =>
      fs.existsSync(logDir)
        ? fs
            .readdirSync(logDir)
            .map((name) => fs.readFileSync(path.join(logDir, name), 'utf8'))
            .join('\n')
        : '';
    await waitFor(
      'the log to be written',
      () => /rejected the token; it was not saved/.test(ownLog()),
      20_000,
    );
    assert.match(ownLog(), /Connected to http:\/\/127\.0\.0\.1/);

    // Every log of this editor session: the extension host's, the window's, the server's.
    const sessionLogs = path.dirname(path.dirname(logDir));
    const logs = listFiles(sessionLogs).map((file) => ({
      file,
      text: fs.readFileSync(file, 'utf8'),
    }));
    assert.ok(logs.length > 1, `logs found under ${sessionLogs}`);

    const messages = asked.map((q) =>
      [q.text, q.detail ?? '', ...(q.items ?? []), ...(q.validation ?? [])].join('\n'),
    );
    for (const secret of secrets) {
      const inLogs = logs.filter((log) => log.text.includes(secret)).map((log) => log.file);
      assert.deepStrictEqual(inLogs, [], `a token is in these logs`);
      assert.ok(!messages.some((m) => m.includes(secret)), 'a token is in a message');
      assert.ok(!shown.some((text) => text.includes(secret)), 'a token is shown in a view');
    }
  });

  it('is sent only to the host it was saved for', async () => {
    sim = await startSimulator({ tokens: [apiToken] });
    other = await startSimulator({ tokens: [otherHostToken] });
    await configure({ apiUrl: sim.url, namespaces: ['acme'] });
    await waitFor('the first host', () => api.connections.baseUrl() === sim?.url);
    const firstHost = api.connections.hostKey() as string;
    await api.tokens.setApiToken(firstHost, apiToken);
    await waitFor('ready', () => api.viewState() === 'ready');
    await api.settled();
    assert.ok(sim.requests.length > 0);

    // Another host with no token of its own: nothing is sent there at all.
    await configure({ apiUrl: other.url });
    await waitFor('no token for the other host', () => api.viewState() === 'noToken');
    await vscode.commands.executeCommand('circleciRunners.refresh');
    assert.deepStrictEqual(
      other.requests.filter((r) => r.circleToken !== undefined).map((r) => r.path),
      [],
      'requests carried a token to a host that has none saved',
    );

    // With its own token saved, the other host gets that token and only that one.
    const otherHost = api.connections.hostKey() as string;
    assert.notStrictEqual(otherHost, firstHost);
    await api.tokens.setApiToken(otherHost, otherHostToken);
    await waitFor('ready on the other host', () => api.viewState() === 'ready');
    await api.settled();
    await vscode.commands.executeCommand('circleciRunners.refresh');
    assert.ok(other.requests.length > 0);
    assert.ok(other.requests.every((r) => r.circleToken === otherHostToken));

    // And back: the first host gets its own token again, never the other's.
    sim.clearRequests();
    await configure({ apiUrl: sim.url });
    await waitFor('back on the first host', () => api.connections.baseUrl() === sim?.url);
    await waitFor('ready', () => api.viewState() === 'ready');
    await api.settled();
    await vscode.commands.executeCommand('circleciRunners.refresh');
    assert.ok(sim.requests.length > 0);
    assert.ok(sim.requests.every((r) => r.circleToken === apiToken));
    await api.tokens.clearApiToken(otherHost);
  });
});

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => fs.statSync(file).isFile());
}
