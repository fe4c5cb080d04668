import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { DEMO_TOKEN, Simulator, startSimulator } from '../../simulator/index';
import { call, field } from './helpers';

/** Reads an answer with node:http so each arriving chunk is seen separately. */
function chunksOf(url: string): Promise<{ chunks: Buffer[]; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { 'Circle-Token': DEMO_TOKEN } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ chunks, ms: Date.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

describe('simulator: fault injection on the wire', () => {
  let sim: Simulator;

  beforeEach(async () => {
    sim = await startSimulator();
  });

  afterEach(async () => {
    await sim.close();
  });

  it('answers with a status and Retry-After', async () => {
    sim.faults.inject({ status: 429, retryAfterSeconds: 7 });
    const reply = await call(sim.url, 'GET', '/runner/tasks?resource-class=acme/macos');
    assert.equal(reply.status, 429);
    assert.equal(reply.headers.get('retry-after'), '7');
    assert.equal(typeof field(reply.json, 'message'), 'string');
    assert.equal(sim.requests.at(-1)?.status, 429);
  });

  it('does not carry out an operation whose answer it replaces, unless asked to', async () => {
    sim.faults.inject({ status: 503, count: 1 });
    const body = { resource_class: 'acme/maybe', description: 'd' };
    assert.equal((await call(sim.url, 'POST', '/runner/resource-class', { body })).status, 503);
    assert.equal(sim.state.issuedTokens('acme/maybe').length, 0);

    sim.faults.inject({ drop: true, count: 1, applyOperation: true });
    await assert.rejects(call(sim.url, 'POST', '/runner/resource-class', { body }));
    assert.equal(sim.state.issuedTokens('acme/maybe').length, 1, 'created, answer lost');
  });

  it('sends an HTML page, an empty body, truncated and malformed JSON', async () => {
    sim.faults.inject({ status: 502, body: 'html', count: 1 });
    const html = await call(sim.url, 'GET', '/runner?namespace=acme');
    assert.equal(html.status, 502);
    assert.match(html.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(html.text, /^<!DOCTYPE html>/);

    sim.faults.inject({ body: 'empty', count: 1 });
    const empty = await call(sim.url, 'GET', '/runner?namespace=acme');
    assert.equal(empty.status, 200);
    assert.equal(empty.text, '');

    sim.faults.inject({ body: 'truncated', count: 1 });
    const truncated = await call(sim.url, 'GET', '/runner?namespace=acme');
    assert.ok(truncated.text.startsWith('{"items":['));
    assert.throws(() => JSON.parse(truncated.text) as unknown);

    sim.faults.inject({ body: 'malformed', count: 1 });
    const malformed = await call(sim.url, 'GET', '/runner/tasks?resource-class=acme/macos');
    assert.throws(() => JSON.parse(malformed.text) as unknown);
  });

  it('sends well-formed JSON of the wrong shape, and negative counts', async () => {
    sim.faults.inject({ body: 'wrongShape', count: 2 });
    const runners = await call(sim.url, 'GET', '/runner?namespace=acme');
    assert.equal(typeof field(runners.json, 'items'), 'string');
    const count = await call(sim.url, 'GET', '/runner/tasks?resource-class=acme/macos');
    assert.equal(typeof field(count.json, 'unclaimed_task_count'), 'string');

    sim.faults.inject({ body: 'negativeCounts', count: 1 });
    const negative = await call(sim.url, 'GET', '/runner/tasks/running?resource-class=acme/macos');
    const value = field(negative.json, 'running_runner_tasks');
    assert.ok(typeof value === 'number' && value < 0, String(value));
  });

  it('drops the connection so the client errors', async () => {
    sim.faults.inject({ drop: true });
    await assert.rejects(call(sim.url, 'GET', '/runner?namespace=acme'), TypeError);
    assert.equal(sim.requests.at(-1)?.status, 0);
  });

  it('hangs until the client gives up, and close() still returns', async () => {
    sim.faults.inject({ hang: true });
    const reply = fetch(`${sim.url}/runner?namespace=acme`, {
      headers: { 'Circle-Token': DEMO_TOKEN },
      signal: AbortSignal.timeout(150),
    });
    await assert.rejects(reply, (err: Error) => err.name === 'TimeoutError');
    const hung = fetch(`${sim.url}/runner?namespace=acme`, {
      headers: { 'Circle-Token': DEMO_TOKEN },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sim.close();
    await assert.rejects(hung);
  });

  it('adds latency per fault and for every answer', async () => {
    sim.faults.inject({ latencyMs: 200, count: 1 });
    let started = Date.now();
    await call(sim.url, 'GET', '/runner/tasks?resource-class=acme/macos');
    assert.ok(Date.now() - started >= 190, 'fault latency');

    sim.setLatency(150);
    started = Date.now();
    await call(sim.url, 'GET', '/runner/tasks?resource-class=acme/macos');
    assert.ok(Date.now() - started >= 140, 'simulator latency');
  });

  it('trickles the body in several chunks, slowly', async () => {
    sim.faults.inject({ trickle: { bytesPerChunk: 16, intervalMs: 40 } });
    const { chunks, ms } = await chunksOf(`${sim.url}/runner/resource-class/acme%2Fmacos`);
    const text = Buffer.concat(chunks).toString('utf8');
    assert.equal(field(JSON.parse(text) as unknown, 'resource_class'), 'acme/macos');
    const expectedChunks = Math.ceil(Buffer.byteLength(text) / 16);
    assert.ok(chunks.length >= expectedChunks - 1, `${chunks.length} chunks`);
    assert.ok(chunks.length >= 4);
    assert.ok(ms >= (expectedChunks - 1) * 40, `${ms} ms`);
  });

  it('respects count', async () => {
    sim.faults.inject({ status: 500, count: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await call(sim.url, 'GET', '/runner/tasks?resource-class=acme/gpu')).status);
    }
    assert.deepEqual(statuses, [500, 500, 200, 200]);
  });

  it('respects match by method and path prefix', async () => {
    sim.faults.inject({ status: 503, match: { method: 'get', path: '/runner/tasks' } });
    const tasks = await call(sim.url, 'GET', '/runner/tasks?resource-class=acme/gpu');
    const running = await call(sim.url, 'GET', '/runner/tasks/running?resource-class=acme/gpu');
    const runners = await call(sim.url, 'GET', '/runner?namespace=acme');
    assert.deepEqual([tasks.status, running.status, runners.status], [503, 503, 200]);

    sim.faults.clear();
    sim.faults.inject({ status: 500, match: { method: 'DELETE' } });
    const get = await call(sim.url, 'GET', '/runner/resource-class/acme%2Fgpu');
    const del = await call(sim.url, 'DELETE', '/runner/resource-class/acme%2Fgpu');
    assert.deepEqual([get.status, del.status], [200, 500]);
  });

  it('respects fraction, repeatably', async () => {
    const run = async (): Promise<number[]> => {
      sim.faults.clear();
      sim.faults.inject({ status: 500, fraction: 0.3 });
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++) {
        statuses.push((await call(sim.url, 'GET', '/runner/tasks?resource-class=acme/gpu')).status);
      }
      return statuses;
    };
    const first = await run();
    const failed = first.filter((s) => s === 500).length;
    assert.ok(failed >= 8 && failed <= 30, `${failed} of 60 failed`);
    assert.ok(first.includes(200));
    assert.deepEqual(await run(), first, 'the same seed gives the same pattern');
  });

  it('is driven over the control endpoints too', async () => {
    const control = sim.url.replace('/api/v3', '/__simulator');
    const post = await fetch(`${control}/faults`, {
      method: 'POST',
      body: JSON.stringify({ status: 429, retryAfterSeconds: 2, count: 1 }),
    });
    assert.equal(post.status, 200);
    const limited = await call(sim.url, 'GET', '/runner?namespace=acme');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '2');

    const bad = await fetch(`${control}/faults`, { method: 'POST', body: '{"fraction": 3}' });
    assert.equal(bad.status, 400);

    await fetch(`${control}/faults`, { method: 'POST', body: '{"status": 500}' });
    await fetch(`${control}/faults`, { method: 'DELETE' });
    assert.equal((await call(sim.url, 'GET', '/runner?namespace=acme')).status, 200);
  });
});
