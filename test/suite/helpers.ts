// Shared set-up for the in-editor tests: the extension's exports, a simulator
// running inside the extension host, settings, and scripted answers for the
// questions commands ask (a test inside the host cannot click a dialog; the
// UI tests drive the real dialogs).

import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/app';
import type { Prompts } from '../../src/commands/prompts';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator/index';

export const extensionId = 'runnerdesk.circleci-runners';

export async function extensionApi(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(extensionId);
  assert.ok(extension, `${extensionId} is not installed`);
  return extension.activate();
}

export async function waitFor(
  what: string | (() => string),
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`timed out waiting for: ${typeof what === 'string' ? what : what()}`);
}

const keys = [
  'apiUrl',
  'namespaces',
  'api.resourceClassEndpoints',
  'pollIntervalSeconds',
  'statusBar.enabled',
  'alerts.stuckQueue',
  'alerts.mutedResourceClasses',
  'runnerStatus.onlineWithinSeconds',
  'runnerStatus.idleWithinSeconds',
] as const;

export async function configure(settings: Partial<Record<(typeof keys)[number], unknown>>) {
  const config = vscode.workspace.getConfiguration('circleciRunners');
  for (const [key, value] of Object.entries(settings)) {
    await config.update(key, value, vscode.ConfigurationTarget.Global);
  }
}

export async function resetSettings(): Promise<void> {
  const config = vscode.workspace.getConfiguration('circleciRunners');
  for (const key of keys) {
    await config.update(key, undefined, vscode.ConfigurationTarget.Global);
  }
}

/** A simulator in the extension host, and the extension pointed at it with a stored token. */
export async function connectedTo(
  api: ExtensionApi,
  options: SimulatorOptions & { namespaces?: string[]; token?: string } = {},
): Promise<Simulator> {
  const sim = await startSimulator(options);
  await configure({ apiUrl: sim.url, namespaces: options.namespaces ?? ['acme', 'globex'] });
  await waitFor('the API URL to apply', () => api.connections.baseUrl() === sim.url);
  const hostKey = api.connections.hostKey();
  assert.ok(hostKey);
  await api.tokens.setApiToken(hostKey, options.token ?? 'simulator-demo-token');
  const expected = (options.namespaces ?? ['acme']).length > 0 ? 'ready' : 'noNamespaces';
  await waitFor(`the view to be ${expected}`, () => api.viewState() === expected);
  await api.settled();
  await waitFor(
    () =>
      'the fleet to load: ' +
      api.fleet
        .namespaces()
        .map(
          (ns) =>
            `${ns} ${api.fleet.snapshot(ns)?.state} ${api.fleet.snapshot(ns)?.error?.message}`,
        )
        .join('; '),
    () => api.fleet.namespaces().every((ns) => api.fleet.snapshot(ns)?.state === 'loaded'),
  );
  return sim;
}

/** What an in-editor test file shares: the extension's exports and the test's simulator. */
export interface SuiteContext {
  api: ExtensionApi;
  sim: Simulator | undefined;
}

/**
 * Registers the hooks every in-editor test file needs: the extension's
 * exports and its view before the first test, and after each test the
 * simulator it started stopped and the extension put back as it was.
 */
export function useExtension(): SuiteContext {
  const suite = { sim: undefined } as SuiteContext;
  before(async () => {
    suite.api = await extensionApi();
    await vscode.commands.executeCommand('workbench.view.extension.circleciRunners');
  });
  afterEach(async () => {
    await disconnect(suite.api, suite.sim);
    suite.sim = undefined;
  });
  return suite;
}

export async function disconnect(api: ExtensionApi, sim: Simulator | undefined): Promise<void> {
  const hostKey = api.connections.hostKey();
  if (hostKey !== undefined) {
    await api.tokens.clearApiToken(hostKey);
  }
  api.setPrompts(undefined);
  await resetSettings();
  await sim?.close();
}

export type Answer =
  { input: string } | { pick: string } | { button: string | undefined } | { cancel: true };

export interface AskedQuestion {
  kind: 'input' | 'pick' | 'warning' | 'info' | 'error';
  text: string;
  detail?: string;
  modal?: boolean;
  items?: string[];
  /** What validateInput said about each typed answer (undefined: accepted). */
  validation?: Array<string | undefined>;
}

/**
 * Answers questions in order. An input answer that validateInput rejects is
 * refused as the real input box refuses Enter, and the next input answer is
 * typed instead.
 */
export class ScriptedPrompts implements Prompts {
  readonly asked: AskedQuestion[] = [];

  constructor(private readonly answers: Answer[]) {}

  get remaining(): number {
    return this.answers.length;
  }

  async showInputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const question: AskedQuestion = {
      kind: 'input',
      text: [options.title, options.prompt].filter(Boolean).join(' | '),
      validation: [],
    };
    this.asked.push(question);
    for (;;) {
      const answer = this.answers.shift();
      if (answer === undefined || 'cancel' in answer) {
        return undefined;
      }
      assert.ok('input' in answer, `expected an input answer for "${question.text}"`);
      const problem = await options.validateInput?.(answer.input);
      const message = typeof problem === 'string' ? problem : (problem?.message ?? undefined);
      question.validation?.push(message ?? undefined);
      if (!message) {
        return answer.input;
      }
    }
  }

  showQuickPick<T extends vscode.QuickPickItem>(
    items: readonly T[],
    options: vscode.QuickPickOptions,
  ): Promise<T | undefined> {
    this.asked.push({
      kind: 'pick',
      text: options.title ?? options.placeHolder ?? '',
      items: items.map((item) => item.label),
    });
    const answer = this.answers.shift();
    if (answer === undefined || 'cancel' in answer) {
      return Promise.resolve(undefined);
    }
    assert.ok('pick' in answer, 'expected a pick answer');
    const picked = items.find((item) => item.label === answer.pick);
    assert.ok(picked, `no item "${answer.pick}" among ${items.map((i) => i.label).join(', ')}`);
    return Promise.resolve(picked);
  }

  showWarningMessage(message: string, options: vscode.MessageOptions, ...items: string[]) {
    return this.message('warning', message, options, items);
  }

  showInformationMessage(message: string, options: vscode.MessageOptions, ...items: string[]) {
    return this.message('info', message, options, items);
  }

  showErrorMessage(message: string, options: vscode.MessageOptions, ...items: string[]) {
    return this.message('error', message, options, items);
  }

  private message(
    kind: 'warning' | 'info' | 'error',
    text: string,
    options: vscode.MessageOptions,
    items: string[],
  ): Promise<string | undefined> {
    this.asked.push({ kind, text, detail: options.detail, modal: options.modal, items });
    // Messages without buttons are not questions: they take no answer.
    if (items.length === 0 && !options.modal) {
      return Promise.resolve(undefined);
    }
    const next = this.answers[0];
    if (next === undefined || !('button' in next)) {
      return Promise.resolve(undefined);
    }
    this.answers.shift();
    return Promise.resolve(next.button);
  }
}
