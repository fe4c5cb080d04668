// Resource-class changes when answers go missing: the user is told what is
// true on the server and what it means for the one-time token, and tokens are
// saved before they are shown, kept through concurrent creates, and removed
// only with their own class.

import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/app';
import type { Prompts } from '../../src/commands/prompts';
import type { FaultSpec, Simulator } from '../../simulator/index';
import {
  ScriptedPrompts,
  connectedTo,
  disconnect,
  extensionApi,
  type AskedQuestion,
} from './helpers';
import { RejectionWatch, setTimeoutSeconds } from './reliabilityKit';

const createPath = { method: 'POST', path: '/runner/resource-class' };

/** Answers by question rather than by order, for commands that run at the same time. */
class KeyedPrompts implements Prompts {
  readonly asked: AskedQuestion[] = [];
  onMessage: ((text: string) => Promise<void>) | undefined;

  constructor(private readonly inputs: Array<[RegExp, string]>) {}

  showInputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const text = options.title ?? '';
    this.asked.push({ kind: 'input', text });
    return Promise.resolve(this.inputs.find(([question]) => question.test(text))?.[1]);
  }

  showQuickPick<T extends vscode.QuickPickItem>(): Promise<T | undefined> {
    return Promise.resolve(undefined);
  }

  showWarningMessage(text: string, options: vscode.MessageOptions) {
    return this.message('warning', text, options);
  }

  showInformationMessage(text: string, options: vscode.MessageOptions) {
    return this.message('info', text, options);
  }

  showErrorMessage(text: string, options: vscode.MessageOptions) {
    return this.message('error', text, options);
  }

  private async message(
    kind: 'warning' | 'info' | 'error',
    text: string,
    options: vscode.MessageOptions,
  ): Promise<string | undefined> {
    this.asked.push({ kind, text, detail: options.detail, modal: options.modal });
    await this.onMessage?.(text);
    return undefined;
  }
}

describe('Resource-class changes when answers go missing', function () {
  this.timeout(60_000);
  let api: ExtensionApi;
  let sim: Simulator | undefined;
  const rejections = new RejectionWatch();

  before(async () => {
    rejections.install();
    api = await extensionApi();
    await vscode.commands.executeCommand('workbench.view.extension.circleciRunners');
  });

  after(() => rejections.uninstall());

  beforeEach(() => setTimeoutSeconds(1));

  afterEach(async () => {
    await disconnect(api, sim);
    await setTimeoutSeconds(undefined);
    sim = undefined;
    rejections.assertNone();
  });

  async function createWith(faults: FaultSpec[], name: string): Promise<ScriptedPrompts> {
    sim = await connectedTo(api, { namespaces: ['acme'] });
    for (const fault of faults) {
      sim.faults.inject(fault);
    }
    const prompts = new ScriptedPrompts([{ input: name }, { input: 'Lost on the way' }]);
    api.setPrompts(prompts);
    await vscode.commands.executeCommand(
      'circleciRunners.createResourceClass',
      api.model.namespaceNode('acme'),
    );
    return prompts;
  }

  function told(prompts: ScriptedPrompts): AskedQuestion {
    const messages = prompts.asked.filter((q) => q.kind !== 'input');
    assert.strictEqual(messages.length, 1, `one message: ${JSON.stringify(messages)}`);
    return messages[0] as AskedQuestion;
  }

  async function storedToken(name: string): Promise<string | undefined> {
    return api.tokens.getResourceClassToken(api.connections.hostKey() as string, name);
  }

  const lostButMade: Array<[string, FaultSpec]> = [
    ['a dropped connection', { drop: true, applyOperation: true, count: 1, match: createPath }],
    ['a time-out', { hang: true, applyOperation: true, count: 1, match: createPath }],
    ['a 502 from a proxy', { status: 502, applyOperation: true, count: 1, match: createPath }],
  ];
  for (const [what, fault] of lostButMade) {
    it(`says the class was created and its token is lost, after ${what}`, async () => {
      const prompts = await createWith([fault], 'lost-answer');
      assert.ok(
        sim?.state.resourceClasses('acme').some((c) => c.resource_class === 'acme/lost-answer'),
      );
      const message = told(prompts);
      assert.strictEqual(message.kind, 'warning');
      assert.strictEqual(message.modal, true);
      assert.match(message.text, /acme\/lost-answer was created, but its token never reached/);
      assert.match(message.detail ?? '', /only once.*delete the class and create it again/s);
      assert.strictEqual(await storedToken('acme/lost-answer'), undefined);
    });
  }

  it('says nothing was created when the request never got through', async () => {
    const prompts = await createWith([{ drop: true, count: 1, match: createPath }], 'not-made');
    assert.ok(
      !sim?.state.resourceClasses('acme').some((c) => c.resource_class === 'acme/not-made'),
    );
    const message = told(prompts);
    assert.strictEqual(message.kind, 'error');
    assert.match(message.text, /acme\/not-made was not created .*Nothing changed on the server/);
  });

  it('says the outcome is unknown when the check fails as well', async () => {
    const prompts = await createWith(
      [
        { drop: true, applyOperation: true, count: 1, match: createPath },
        { status: 503, match: { method: 'GET', path: '/runner/resource-class/' } },
      ],
      'unknown',
    );
    const message = told(prompts);
    assert.strictEqual(message.kind, 'error');
    assert.match(message.text, /not known whether acme\/unknown was created/);
    assert.match(message.text, /its token was not received/);
  });

  it('saves the token before it is shown', async () => {
    sim = await connectedTo(api, { namespaces: ['acme'] });
    const server = sim;
    const prompts = new KeyedPrompts([
      [/\(1\/2\)/, 'saved-first'],
      [/\(2\/2\)/, 'Token order'],
    ]);
    let storedWhenShown: string | undefined = 'not shown';
    prompts.onMessage = async (text) => {
      if (/was created/.test(text)) {
        storedWhenShown = await storedToken('acme/saved-first');
      }
    };
    api.setPrompts(prompts);
    await vscode.commands.executeCommand(
      'circleciRunners.createResourceClass',
      api.model.namespaceNode('acme'),
    );
    const issued = server.state.issuedTokens('acme/saved-first');
    assert.strictEqual(issued.length, 1);
    assert.strictEqual(storedWhenShown, issued[0], 'the token was not stored when shown');
  });

  it('keeps both tokens when two creates run at once', async () => {
    sim = await connectedTo(api, { namespaces: ['acme', 'globex'] });
    const server = sim;
    server.setLatency(150);
    const prompts = new KeyedPrompts([
      [/in acme \(1\/2\)/, 'twin-a'],
      [/in globex \(1\/2\)/, 'twin-b'],
      [/\(2\/2\)/, 'Created at the same time'],
    ]);
    api.setPrompts(prompts);
    await Promise.all(
      ['acme', 'globex'].map((namespace) =>
        vscode.commands.executeCommand(
          'circleciRunners.createResourceClass',
          api.model.namespaceNode(namespace),
        ),
      ),
    );
    const hostKey = api.connections.hostKey() as string;
    for (const name of ['acme/twin-a', 'globex/twin-b']) {
      const issued = server.state.issuedTokens(name);
      assert.strictEqual(issued.length, 1, name);
      assert.strictEqual(await storedToken(name), issued[0], `${name}: token kept`);
      assert.ok(api.tokens.resourceClassesWithToken(hostKey).has(name), `${name}: indexed`);
    }
  });

  it('removes only the deleted class’s own token', async () => {
    sim = await connectedTo(api, { namespaces: ['acme'] });
    const hostKey = api.connections.hostKey() as string;
    const elsewhere = 'https://runner.example.invalid';
    await api.tokens.setResourceClassToken(hostKey, 'acme/windows', 'fake-windows-token');
    await api.tokens.setResourceClassToken(hostKey, 'acme/macos', 'fake-macos-token');
    await api.tokens.setResourceClassToken(elsewhere, 'acme/windows', 'fake-elsewhere-token');
    api.setPrompts(new ScriptedPrompts([{ button: 'Delete' }]));
    await vscode.commands.executeCommand(
      'circleciRunners.deleteResourceClass',
      api.model.classNode('acme/windows'),
    );
    assert.strictEqual(await storedToken('acme/windows'), undefined);
    assert.strictEqual(await storedToken('acme/macos'), 'fake-macos-token');
    assert.strictEqual(
      await api.tokens.getResourceClassToken(elsewhere, 'acme/windows'),
      'fake-elsewhere-token',
    );
    assert.deepStrictEqual([...api.tokens.resourceClassesWithToken(hostKey)], ['acme/macos']);
    await api.tokens.deleteResourceClassToken(hostKey, 'acme/macos');
    await api.tokens.deleteResourceClassToken(elsewhere, 'acme/windows');
  });
});
