import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { RequestLog } from '../../simulator/requestLog';
import { parseCliArgs, runCli } from '../../simulator/cli';
import { DEMO_TOKEN, REQUEST_LOG_CAP, Simulator, startSimulator } from '../../simulator/index';
import { call, field, repoRoot } from './helpers';

const MINUTE = 60_000;

function ageBucket(lastConnected: string | undefined, now: number): string {
  const age = now - Date.parse(lastConnected ?? '');
  if (age < 2 * MINUTE) {
    return 'online';
  }
  if (age < 30 * MINUTE) {
    return 'idle';
  }
  return age > 24 * 60 * MINUTE ? 'days' : 'offline';
}

describe('simulator: state, demo data and generated fleets', () => {
  let sim: Simulator;
  const now = Date.parse('2025-03-01T12:00:00Z');

  beforeEach(async () => {
    sim = await startSimulator({ clock: () => now });
  });

  afterEach(async () => {
    await sim.close();
  });

  it('seeds a realistic demo fleet', () => {
    const state = sim.state;
    assert.deepEqual(state.namespaces(), ['acme', 'globex']);
    for (const namespace of state.namespaces()) {
      const classes = state.resourceClasses(namespace);
      assert.ok(classes.length >= 3, namespace);
      assert.ok(classes.every((c) => c.description.length > 0));
    }
    const runners = state.runners();
    assert.deepEqual(new Set(runners.map((r) => r.os)), new Set(['linux', 'darwin', 'windows']));
    assert.deepEqual(new Set(runners.map((r) => r.arch)), new Set(['amd64', 'arm64']));
    const buckets = new Set(runners.map((r) => ageBucket(r.last_connected, now)));
    assert.deepEqual(buckets, new Set(['online', 'idle', 'offline', 'days']));
    assert.ok(runners.every((r) => r.ip === undefined || /^(10|172|192)\./.test(r.ip)));

    const empty = state
      .resourceClasses()
      .filter((c) => state.runners({ resourceClass: c.resource_class }).length === 0);
    assert.ok(empty.length >= 1, 'a class without runners');
    const stuck = state.resourceClasses().filter((c) => {
      const own = state.runners({ resourceClass: c.resource_class });
      return (
        state.taskCounts(c.resource_class).unclaimed > 0 &&
        own.length > 0 &&
        own.every((r) => ['offline', 'days'].includes(ageBucket(r.last_connected, now)))
      );
    });
    assert.deepEqual(
      stuck.map((c) => c.resource_class),
      ['globex/legacy-build'],
    );
  });

  it('resets to empty and back to demo', async () => {
    sim.state.reset('empty');
    assert.deepEqual(sim.state.namespaces(), []);
    assert.deepEqual((await call(sim.url, 'GET', '/runner?namespace=acme')).json, { items: [] });
    sim.state.reset('demo');
    assert.equal(sim.state.resourceClasses('acme').length, 5);
  });

  it('adds and removes classes and runners, duplicates included', () => {
    sim.state.addResourceClass('lab/one', 'Lab');
    const runner = { resource_class: 'lab/one', name: 'twin', hostname: 'twin.lab' };
    sim.state.addRunner(runner);
    sim.state.addRunner(runner);
    assert.equal(sim.state.runners({ resourceClass: 'lab/one' }).length, 2);
    sim.state.setRunnersLastConnected('lab/one', 5 * MINUTE);
    assert.ok(
      sim.state
        .runners({ namespace: 'lab' })
        .every((r) => ageBucket(r.last_connected, now) === 'idle'),
    );
    assert.equal(
      sim.state.removeRunners((r) => r.name === 'twin'),
      2,
    );
    assert.throws(() => sim.state.addResourceClass('Bad Name'));
    assert.throws(() => sim.state.setTaskCounts('lab/none', { unclaimed: 1 }));
    assert.throws(() => sim.state.setTaskCounts('lab/one', { unclaimed: -1 }));
    assert.equal(sim.state.removeResourceClass('lab/one'), true);
    assert.equal(sim.state.removeResourceClass('lab/one'), false);
  });

  it('generates a large fleet quickly (prints the time)', () => {
    sim.state.reset('empty');
    const started = process.hrtime.bigint();
    sim.state.generate({ namespace: 'bulk', resourceClasses: 1000, runners: 20_000 });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`      generate(1,000 classes, 20,000 runners): ${ms.toFixed(1)} ms`);
    assert.equal(sim.state.resourceClasses('bulk').length, 1000);
    assert.equal(sim.state.runners({ namespace: 'bulk' }).length, 20_000);
    assert.equal(sim.state.runners({ resourceClass: 'bulk/pool-0007' }).length, 20);
    const buckets = new Set(sim.state.runners().map((r) => ageBucket(r.last_connected, now)));
    assert.deepEqual(buckets, new Set(['online', 'idle', 'offline', 'days']));
  });

  it('caps the request log', () => {
    const log = new RequestLog(100);
    for (let i = 0; i < 1000; i++) {
      log.add({ method: 'GET', path: '/runner', rawPath: '/x', query: {}, status: 200, at: i });
    }
    assert.ok(log.all.length <= 110 && log.all.length >= 100, String(log.all.length));
    assert.equal(log.all.at(-1)?.at, 999);
    assert.ok(REQUEST_LOG_CAP >= 1000);
  });
});

describe('simulator: control endpoints', () => {
  let sim: Simulator;
  let control: string;

  beforeEach(async () => {
    sim = await startSimulator();
    control = sim.url.replace('/api/v3', '/__simulator');
  });

  afterEach(async () => {
    await sim.close();
  });

  async function post(action: string, body: unknown): Promise<unknown> {
    const response = await fetch(`${control}/${action}`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 200, action);
    return response.json();
  }

  it('reports state and request counts, and resets, toggles live and sets latency', async () => {
    const state = (await (await fetch(`${control}/state`)).json()) as Record<string, unknown>;
    assert.deepEqual(state.namespaces, ['acme', 'globex']);
    assert.equal(state.live, false);

    await call(sim.url, 'GET', '/runner?namespace=acme');
    await call(sim.url, 'GET', '/runner?namespace=globex');
    const requests = (await (await fetch(`${control}/requests`)).json()) as Record<string, unknown>;
    assert.equal(requests.total, 2);
    assert.deepEqual(requests.byPath, { 'GET /runner': 2 });
    await fetch(`${control}/requests`, { method: 'DELETE' });
    assert.equal(sim.requests.length, 0);

    assert.equal(field(await post('reset', { data: 'empty' }), 'runners'), 0);
    assert.deepEqual(field(await post('live', { live: true }), 'live'), true);
    assert.deepEqual(field(await post('live', { live: false }), 'live'), false);
    await post('latency', { ms: 120 });
    const started = Date.now();
    await call(sim.url, 'GET', '/runner?namespace=acme');
    assert.ok(Date.now() - started >= 110);
    assert.equal((await fetch(`${control}/nothing`)).status, 404);
  });
});

describe('simulator: command line', () => {
  it('turns flags into options and a fault', () => {
    const config = parseCliArgs([
      '--port',
      '4321',
      '--live',
      '--latency',
      '50',
      '--empty',
      '--endpoints',
      'both',
      '--fail',
      '429',
      '--retry-after',
      '5',
      '--count',
      '3',
      '--fraction',
      '0.5',
      '--path',
      '/runner/tasks',
    ]);
    assert.equal(config.options.port, 4321);
    assert.equal(config.options.data, 'empty');
    assert.equal(config.options.resourceClassEndpoints, 'both');
    assert.equal(config.options.latencyMs, 50);
    assert.ok(config.options.live);
    assert.deepEqual(config.fault, {
      status: 429,
      retryAfterSeconds: 5,
      count: 3,
      fraction: 0.5,
      match: { path: '/runner/tasks', method: undefined },
    });
    assert.deepEqual(parseCliArgs(['--body', 'html', '--drop']).fault, {
      body: 'html',
      drop: true,
    });
    assert.throws(() => parseCliArgs(['--endpoints', 'all']));
    assert.throws(() => parseCliArgs(['--count', '2']), /need a fault/);
    assert.throws(() => parseCliArgs(['--nonsense']));
    assert.throws(() => parseCliArgs(['--body', 'garbled']), /body must be one of/);
    assert.throws(() => parseCliArgs(['--fail', '429', '--fraction', '2']), /fraction/);
  });

  it('starts with a fault in place, prints URL and token, and stops', async () => {
    const lines: string[] = [];
    let stop: () => void = () => undefined;
    const sim = await runCli(['--fail', '503', '--count', '1'], {
      print: (line) => lines.push(line),
      onStop: (handler) => (stop = handler),
    });
    assert.ok(sim);
    assert.ok(lines.includes(`Runner API simulator: ${sim.url}`));
    assert.ok(lines.includes(`Token: ${DEMO_TOKEN}`));
    assert.equal((await call(sim.url, 'GET', '/runner?namespace=acme')).status, 503);
    assert.equal((await call(sim.url, 'GET', '/runner?namespace=acme')).status, 200);
    stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(lines.includes('Simulator stopped.'));
    await assert.rejects(call(sim.url, 'GET', '/runner?namespace=acme'));
  });

  it('runs from scripts/simulator.mjs and exits cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [path.join(repoRoot(), 'scripts', 'simulator.mjs'), '--empty'],
      {
        cwd: repoRoot(),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString('utf8');
          const found = /Runner API simulator: (http:\/\/127\.0\.0\.1:\d+\/api\/v3)/.exec(output);
          if (found?.[1] && output.includes('Token: simulator-demo-token')) {
            resolve(found[1]);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited early (${code}): ${output}`)));
      });
      assert.deepEqual((await call(url, 'GET', '/runner?namespace=acme')).json, { items: [] });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.match(output, /Simulator stopped\./);
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
      }
    }
  });
});
