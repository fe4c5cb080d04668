// Prism, in proxy mode in front of the simulator, judges every exchange against the spec and
// reports what it dislikes in an `sl-violations` header.

import * as assert from 'node:assert/strict';
import { spawn, ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { Simulator, startSimulator } from '../../simulator/index';
import { call, repoRoot } from './helpers';
import { SPEC_CALLS } from './specCalls';

async function freePort(): Promise<number> {
  const probe = await startSimulator({ data: 'empty' });
  const port = Number(new URL(probe.url).port);
  await probe.close();
  return port;
}

async function waitForAnswer(url: string, child: ChildProcess, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`Prism exited with code ${child.exitCode}`);
    }
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`Prism did not answer within ${limitMs} ms`);
}

/** Stops Prism and the workers it started: it runs in its own process group. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) {
    return;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  const force = setTimeout(() => {
    if (child.pid !== undefined && child.exitCode === null) {
      process.kill(-child.pid, 'SIGKILL');
    }
  }, 3000);
  await exited;
  clearTimeout(force);
}

describe('simulator: behind a Prism validation proxy', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let prism: ChildProcess | undefined;
  let prismUrl = '';
  let output = '';

  before(async () => {
    sim = await startSimulator();
    const port = await freePort();
    const root = repoRoot();
    const spec = path.join(root, 'test', 'fixtures', 'runner-api.openapi.yml');
    const bin = path.join(root, 'node_modules', '.bin', 'prism');
    const args = [
      'proxy',
      spec,
      sim.url,
      '--errors',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ];
    prism = spawn(bin, args, { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-20_000);
    };
    prism.stdout?.on('data', keep);
    prism.stderr?.on('data', keep);
    prismUrl = `http://127.0.0.1:${port}`;
    await waitForAnswer(`${prismUrl}/`, prism, 40_000);
  });

  after(async () => {
    if (prism) {
      await stopGroup(prism);
    }
    await sim?.close();
  });

  it('raises no violation for any answer of the seven operations', async () => {
    const calls = SPEC_CALLS.filter((c) => c.breaksPrism !== true);
    for (const c of calls) {
      const label = `${c.method} ${c.path}`;
      const reply = await call(prismUrl, c.method, c.path, c).catch((err: Error) => {
        throw new Error(`${label}: ${err.message}\n${output.slice(-3000)}`, { cause: err });
      });
      assert.equal(reply.headers.get('sl-violations'), null, `${label}\n${output.slice(-2000)}`);
      // Prism itself refuses a request without a token (401), one against the spec's request
      // rules (422) and a body that is not JSON (400); the request count below shows which.
      const expected = c.token === null ? [401] : c.specInvalid === true ? [400, 422] : [c.expect];
      assert.ok(expected.includes(reply.status), `${label}: ${reply.status} ${reply.text}`);
    }
    const reached = calls.filter((c) => c.token !== null && c.specInvalid !== true);
    assert.equal(sim.requests.length, reached.length, 'the others reached the simulator');
  });

  it('flags an answer that breaks the spec, so the check can fail', async () => {
    sim.faults.inject({ body: 'wrongShape', count: 1 });
    const reply = await call(prismUrl, 'GET', '/runner/tasks?resource-class=acme/macos');
    const flagged = reply.headers.get('sl-violations') !== null || reply.status >= 500;
    assert.ok(flagged, `${reply.status} ${reply.text}`);
  });
});
