// Every fault the Runner API (or what stands in front of it) can produce, in
// the real VS Code: the tree and the status bar say what happened and mark old
// data stale, nothing is left unhandled, nobody is spammed with notifications,
// the stored token stays, and the view comes back when the server does.

import * as assert from 'assert';
import dns from 'node:dns';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/app';
import { startSimulator, type FaultSpec, type Simulator } from '../../simulator/index';
import {
  ScriptedPrompts,
  configure,
  connectedTo,
  disconnect,
  extensionApi,
  waitFor,
} from './helpers';
import { RejectionWatch, setTimeoutSeconds, statusBar } from './reliabilityKit';

const token = 'simulator-demo-token';

interface FaultCase {
  title: string;
  spec: FaultSpec;
  /** The error row under the namespace. */
  tree: RegExp;
  /** The status bar text while it lasts. */
  bar: RegExp;
  /** Whether the poller backs off (passing failures) or marks the classes stale and carries on. */
  poll: 'failing' | 'stale';
}

const cases: FaultCase[] = [
  {
    title: 'a time-out (the server never answers)',
    spec: { hang: true },
    tree: /did not answer within 1 second/,
    bar: /Runners: The Runner API did not answer in time/,
    poll: 'failing',
  },
  {
    title: 'a slow trickle of bytes',
    spec: { trickle: { bytesPerChunk: 1, intervalMs: 400 } },
    tree: /did not answer within 1 second/,
    bar: /Runners: The Runner API did not answer in time/,
    poll: 'failing',
  },
  {
    title: 'a dropped connection',
    spec: { drop: true },
    tree: /closed before a full answer arrived/,
    bar: /Runners: Cannot reach the Runner API/,
    poll: 'failing',
  },
  {
    title: '400 Bad Request',
    spec: { status: 400 },
    tree: /refused the request as invalid \(400\)/,
    bar: /queued · \d+ running \(stale\)/,
    poll: 'stale',
  },
  {
    title: '403 Forbidden',
    spec: { status: 403 },
    tree: /refused this for the API token's user \(403\)/,
    bar: /\(stale\)/,
    poll: 'stale',
  },
  {
    title: '404 Not Found',
    spec: { status: 404 },
    tree: /found no .*\(404\)/,
    bar: /\(stale\)/,
    poll: 'stale',
  },
  {
    title: '429 with Retry-After',
    spec: { status: 429, retryAfterSeconds: 120 },
    tree: /limiting how often it may be called \(429\)\. Wait 120 seconds/,
    bar: /Runners: Rate limited by the Runner API \(HTTP 429\)/,
    poll: 'failing',
  },
  ...[500, 502, 503].map((status): FaultCase => ({
    title: `${status} from the server`,
    spec: { status },
    tree: new RegExp(`server error \\(${status}\\)`),
    bar: new RegExp(`Runners: Runner API server error \\(HTTP ${status}\\)`),
    poll: 'failing',
  })),
  {
    title: 'an HTML page instead of JSON',
    spec: { body: 'html' },
    tree: /sent a web page instead of JSON/,
    bar: /\(stale\)/,
    poll: 'stale',
  },
  {
    title: 'an empty body',
    spec: { body: 'empty' },
    tree: /sent an empty answer where JSON was expected/,
    bar: /\(stale\)/,
    poll: 'stale',
  },
  {
    title: 'truncated JSON',
    spec: { body: 'truncated' },
    tree: /JSON that is cut off or malformed/,
    bar: /\(stale\)/,
    poll: 'stale',
  },
  {
    title: 'JSON of the wrong shape (wrong types, missing fields)',
    spec: { body: 'wrongShape' },
    tree: /sent an answer this extension cannot use: The (field|answer)/,
    bar: /\(stale\)/,
    poll: 'stale',
  },
];

describe('Faults, as a person sees them', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  let sim: Simulator | undefined;
  let prompts: ScriptedPrompts;
  const rejections = new RejectionWatch();

  before(async () => {
    rejections.install();
    api = await extensionApi();
    await vscode.commands.executeCommand('workbench.view.extension.circleciRunners');
  });

  after(() => rejections.uninstall());

  beforeEach(async () => {
    await configure({ pollIntervalSeconds: 10, 'alerts.stuckQueue': false });
    await setTimeoutSeconds(1);
  });

  afterEach(async () => {
    await disconnect(api, sim);
    await setTimeoutSeconds(undefined);
    sim = undefined;
    rejections.assertNone();
  });

  /** Connected, loaded, polled once, with a notification recorder in place. */
  async function healthy(): Promise<Simulator> {
    const server = await connectedTo(api, { namespaces: ['acme'] });
    await waitFor('the first poll', () => api.queue.state.kind === 'ok');
    prompts = new ScriptedPrompts([]);
    api.setPrompts(prompts);
    return server;
  }

  function namespaceView() {
    return api.model.present(api.model.namespaceNode('acme'));
  }

  function errorRow(): string | undefined {
    const first = api.model.children(api.model.namespaceNode('acme'))[0];
    return first?.kind === 'message' && first.tone === 'error' ? first.text : undefined;
  }

  async function refresh(): Promise<void> {
    await vscode.commands.executeCommand('circleciRunners.refresh');
  }

  async function assertTokenKept(): Promise<void> {
    const hostKey = api.connections.hostKey();
    assert.ok(hostKey);
    assert.strictEqual((await api.tokens.getApiToken(hostKey))?.value, token, 'token lost');
  }

  /** The view and status bar show current data again, with nothing marked stale. */
  function assertRecovered(): void {
    assert.strictEqual(errorRow(), undefined, 'the error row is gone');
    assert.doesNotMatch(namespaceView().description ?? '', /stale|failed/);
    assert.strictEqual(api.queue.state.kind, 'ok');
    assert.match(statusBar(api).text, /^\$\(server-process\) \d+ queued · \d+ running$/);
    for (const node of api.model.children(api.model.namespaceNode('acme'))) {
      assert.doesNotMatch(api.model.present(node).description ?? '', /stale/);
    }
  }

  for (const fault of cases) {
    it(`shows ${fault.title}, keeps the token, notifies at most once and recovers`, async () => {
      sim = await healthy();
      const started = Date.now();
      sim.faults.inject(fault.spec);
      // Two polls in the episode: the second must not notify again.
      await refresh();
      await refresh();

      // A refresh asked for while a load runs follows it, unawaited: wait for the row.
      await waitFor(
        () => `the error row: ${errorRow() ?? 'none'}`,
        () => errorRow() !== undefined,
        20_000,
      );
      assert.match(errorRow() ?? '(no error row)', fault.tree);
      assert.match(namespaceView().description ?? '', /stale/, 'the namespace is marked stale');
      const className = api.fleet.allClasses()[0]?.name;
      assert.ok(className);
      assert.match(
        api.model.present(api.model.classNode(className)).description ?? '',
        /\(stale\)/,
        'the class counts are marked stale',
      );
      assert.match(statusBar(api).text, fault.bar);
      const state = api.queue.state;
      if (fault.poll === 'failing') {
        assert.strictEqual(state.kind, 'failing');
        assert.ok(state.kind === 'failing' && state.nextRetryAt > Date.now(), 'a retry is due');
        assert.match(statusBar(api).tooltip, /Next try at/);
      } else {
        assert.strictEqual(state.kind, 'ok', 'a refused answer is not retried in a loop');
        assert.match(statusBar(api).tooltip, /Figures marked stale are the last known/);
      }
      if (fault.spec.retryAfterSeconds !== undefined) {
        assert.ok(state.kind === 'failing');
        const waitMs = state.nextRetryAt - started;
        assert.ok(waitMs >= 115_000, `next poll after ${waitMs} ms despite Retry-After: 120`);
      }
      assert.ok(prompts.asked.length <= 1, `notifications: ${JSON.stringify(prompts.asked)}`);
      await assertTokenKept();

      sim.faults.clear();
      await refresh();
      assertRecovered();
      await assertTokenKept();
    });
  }

  it('shows negative task counts as unusable data, not as figures', async () => {
    sim = await healthy();
    sim.faults.inject({ body: 'negativeCounts', match: { path: '/runner/tasks' } });
    await refresh();
    const name = api.fleet.allClasses()[0]?.name ?? '';
    const entry = api.queue.get(name);
    assert.ok(entry?.stale, 'the class counts are stale');
    assert.match(entry?.error?.message ?? '', /is negative/);
    assert.ok((entry?.unclaimed ?? 0) >= 0 && (entry?.running ?? 0) >= 0);
    assert.match(api.model.present(api.model.classNode(name)).description ?? '', /\(stale\)/);
    assert.match(statusBar(api).text, /\(stale\)/);
    assert.match(statusBar(api).tooltip, /is negative/);
    assert.ok(prompts.asked.length <= 1);

    sim.faults.clear();
    await refresh();
    assertRecovered();
  });

  it('shows 401 as a rejected token, keeps it, and resumes on Refresh', async () => {
    sim = await healthy();
    sim.faults.inject({ status: 401 });
    await refresh();
    await waitFor('the rejected state', () => api.viewState() === 'tokenRejected');
    assert.strictEqual(api.queue.state.kind, 'signedOut');
    assert.match(statusBar(api).text, /Runners: token rejected/);
    assert.match(statusBar(api).tooltip, /rejected the API token/);
    assert.ok(prompts.asked.length <= 1);
    await assertTokenKept();

    sim.faults.clear();
    await refresh();
    await waitFor('the view to be ready', () => api.viewState() === 'ready');
    await api.settled();
    await waitFor('a poll', () => api.queue.state.kind === 'ok');
    assertRecovered();
    await assertTokenKept();
  });

  /** No queued class without an online runner: nothing but the retries reloads the fleet. */
  function quiet(server: Simulator): void {
    for (const entry of server.state.resourceClasses()) {
      server.state.setTaskCounts(entry.resource_class, { unclaimed: 0 });
    }
  }

  it('shows a refused connection and recovers by itself when the server is back', async () => {
    sim = await healthy();
    quiet(sim);
    const port = Number(new URL(sim.url).port);
    await sim.close();
    await refresh();
    assert.match(errorRow() ?? '', /the connection was refused \(ECONNREFUSED\)/);
    assert.match(namespaceView().description ?? '', /stale/);
    assert.match(statusBar(api).text, /Runners: Cannot reach the Runner API/);
    const state = api.queue.state;
    assert.ok(state.kind === 'failing');
    const dueInMs = state.nextRetryAt - Date.now();
    assert.ok(dueInMs > 0 && dueInMs <= 20_000, `next poll in ${dueInMs} ms`);

    sim = await startSimulator({ port });
    quiet(sim);
    // No Refresh: the poller's timer and the fleet's retry bring everything back.
    await waitFor(
      () => `recovery: ${statusBar(api).text} / ${errorRow() ?? 'no error row'}`,
      () => api.queue.state.kind === 'ok' && api.fleet.snapshot('acme')?.state === 'loaded',
      45_000,
    );
    assertRecovered();
    assert.ok(prompts.asked.length <= 1);
    await assertTokenKept();
  });

  it('shows 503 and recovers by itself when the server does', async () => {
    sim = await healthy();
    quiet(sim);
    sim.faults.inject({ status: 503 });
    await vscode.commands.executeCommand(
      'circleciRunners.refreshNamespace',
      api.model.namespaceNode('acme'),
    );
    assert.match(errorRow() ?? '', /server error \(503\)/);
    await waitFor('the poller to back off', () => api.queue.state.kind === 'failing', 30_000);
    sim.faults.clear();
    await waitFor(
      () => `recovery: ${statusBar(api).text} / ${errorRow() ?? 'no error row'}`,
      () => api.queue.state.kind === 'ok' && api.fleet.snapshot('acme')?.state === 'loaded',
      45_000,
    );
    assertRecovered();
    assert.ok(prompts.asked.length <= 1);
  });

  it('shows a host name that cannot be resolved, without asking any DNS server', async () => {
    sim = await startSimulator();
    // Resolution of a real unknown name would leave this machine (its resolver is
    // remote), so the name of the loopback simulator is made to fail the same way
    // getaddrinfo fails, and the test proves the lookup was intercepted.
    const url = sim.url.replace('127.0.0.1', 'localhost');
    await configure({ apiUrl: url, namespaces: ['acme'] });
    await waitFor('the API URL', () => api.connections.baseUrl() === url);
    await api.tokens.setApiToken(api.connections.hostKey() as string, token);
    await waitFor('ready', () => api.viewState() === 'ready');
    await api.settled();
    await waitFor('the first poll', () => api.queue.state.kind === 'ok');
    prompts = new ScriptedPrompts([]);
    api.setPrompts(prompts);

    const realLookup = dns.lookup;
    const intercepted: string[] = [];
    const failing = (hostname: string, ...rest: unknown[]): void => {
      const callback = rest[rest.length - 1] as (error: Error) => void;
      if (hostname !== 'localhost') {
        (realLookup as (...args: unknown[]) => void)(hostname, ...rest);
        return;
      }
      intercepted.push(hostname);
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
        code: 'ENOTFOUND',
        hostname,
      });
      process.nextTick(() => callback(error));
    };
    (dns as { lookup: unknown }).lookup = failing;
    try {
      await refresh();
    } finally {
      dns.lookup = realLookup;
    }
    assert.ok(intercepted.length > 0, 'the lookup was not intercepted');
    assert.match(errorRow() ?? '', /could not be resolved \(ENOTFOUND\)/);
    assert.match(namespaceView().description ?? '', /stale/);
    assert.match(statusBar(api).text, /Runners: Cannot reach the Runner API/);
    assert.ok(prompts.asked.length <= 1);
    await assertTokenKept();

    await refresh();
    assertRecovered();
  });

  it('shows a first load that fails as failed, not as an empty fleet', async () => {
    sim = await healthy();
    sim.faults.inject({ status: 502 });
    await configure({ namespaces: ['acme', 'globex'] });
    await waitFor('globex to fail', () => api.fleet.snapshot('globex')?.state === 'error');
    const view = api.model.present(api.model.namespaceNode('globex'));
    assert.strictEqual(view.description, 'failed to load');
    const rows = api.model.children(api.model.namespaceNode('globex'));
    assert.match(rows[0]?.kind === 'message' ? rows[0].text : '', /server error \(502\)/);
    sim.faults.clear();
    await refresh();
    assert.strictEqual(api.fleet.snapshot('globex')?.state, 'loaded');
  });

  it('shows a huge fleet (20,000 runners) and stays responsive', async () => {
    sim = await startSimulator({ data: 'empty' });
    sim.state.generate({ namespace: 'bigco', resourceClasses: 40, runners: 20_000 });
    const started = Date.now();
    await configure({ apiUrl: sim.url, namespaces: ['bigco'] });
    await waitFor('the API URL', () => api.connections.baseUrl() === sim?.url);
    await api.tokens.setApiToken(api.connections.hostKey() as string, token);
    await waitFor(
      'the fleet to load',
      () => api.fleet.snapshot('bigco')?.state === 'loaded',
      60_000,
    );
    const loadMs = Date.now() - started;
    const classes = api.model.children(api.model.namespaceNode('bigco'));
    assert.strictEqual(classes.length, 40);
    let runners = 0;
    const started2 = Date.now();
    for (const node of classes) {
      for (const runner of api.model.children(node)) {
        runners += 1;
        api.treeItem(runner);
      }
    }
    assert.strictEqual(runners, 20_000);
    assert.match(api.model.present(api.model.namespaceNode('bigco')).description ?? '', /of 20000/);
    await waitFor('the poll', () => api.queue.state.kind === 'ok', 60_000);
    assert.match(statusBar(api).text, /queued · \d+ running$/);
    console.log(
      `huge fleet: loaded 20,000 runners in ${loadMs} ms; ` +
        `built every tree item in ${Date.now() - started2} ms`,
    );
  });

  it('shows each duplicated runner once', async () => {
    sim = await healthy();
    const original = sim.state.runners({ resourceClass: 'acme/linux-amd64' });
    for (const runner of original.slice(0, 3)) {
      sim.state.addRunner({ ...runner });
      sim.state.addRunner({ ...runner });
    }
    await refresh();
    const rows = api.model.children(api.model.classNode('acme/linux-amd64'));
    assert.strictEqual(rows.length, original.length);
    const ids = rows.map((node) => api.treeItem(node).id);
    assert.strictEqual(new Set(ids).size, ids.length, 'tree item ids are unique');
    assert.match(
      api.model.present(api.model.classNode('acme/linux-amd64')).description ?? '',
      new RegExp(`of ${original.length} online`),
    );
    assert.deepStrictEqual(prompts.asked, []);
  });
});
