import * as assert from 'node:assert/strict';
import { Simulator, startSimulator } from '../../simulator/index';
import { call, field, items } from './helpers';

describe('simulator: spec endpoints', () => {
  let sim: Simulator;

  beforeEach(async () => {
    sim = await startSimulator();
  });

  afterEach(async () => {
    await sim.close();
  });

  it('binds loopback and serves under /api/v3', () => {
    assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+\/api\/v3$/);
  });

  it('lists runners of a namespace and of one resource class', async () => {
    const byNamespace = await call(sim.url, 'GET', '/runner?namespace=acme');
    assert.equal(byNamespace.status, 200);
    assert.equal(byNamespace.headers.get('content-type'), 'application/json');
    const runners = items(byNamespace.json);
    assert.ok(runners.length >= 8);
    assert.ok(runners.every((r) => String(r.resource_class).startsWith('acme/')));

    const byClass = await call(sim.url, 'GET', '/runner?resource-class=acme%2Fmacos');
    const macs = items(byClass.json);
    assert.equal(macs.length, 2);
    assert.deepEqual(new Set(macs.map((r) => r.os)), new Set(['darwin']));
  });

  it('demands exactly one runner filter', async () => {
    for (const query of ['', '?namespace=acme&resource-class=acme/macos']) {
      const reply = await call(sim.url, 'GET', `/runner${query}`);
      assert.equal(reply.status, 400, query);
      assert.equal(typeof field(reply.json, 'message'), 'string');
    }
    const badName = await call(sim.url, 'GET', '/runner?resource-class=Acme_Linux');
    assert.equal(badName.status, 400);
  });

  it('reports unclaimed and running task counts per resource class', async () => {
    sim.state.setTaskCounts('acme/macos', { unclaimed: 7, running: 2 });
    const unclaimed = await call(sim.url, 'GET', '/runner/tasks?resource-class=acme/macos');
    assert.deepEqual(unclaimed.json, { unclaimed_task_count: 7 });
    const running = await call(sim.url, 'GET', '/runner/tasks/running?resource-class=acme/macos');
    assert.deepEqual(running.json, { running_runner_tasks: 2 });
    const missing = await call(sim.url, 'GET', '/runner/tasks');
    assert.equal(missing.status, 400);
  });

  it('lists, creates, gets and deletes resource classes', async () => {
    const list = await call(sim.url, 'GET', '/runner/resource-class?namespace=globex');
    const names = items(list.json).map((c) => c.resource_class);
    assert.ok(names.includes('globex/legacy-build'));
    assert.ok(items(list.json).every((c) => typeof c.description === 'string'));

    const created = await call(sim.url, 'POST', '/runner/resource-class', {
      body: { resource_class: 'globex/new-pool', description: 'A new pool' },
    });
    assert.equal(created.status, 200);
    assert.equal(field(created.json, 'resource_class'), 'globex/new-pool');
    assert.equal(field(created.json, 'description'), 'A new pool');
    const token = field(created.json, 'token');
    assert.equal(typeof token, 'string');
    assert.deepEqual(sim.state.issuedTokens('globex/new-pool'), [token]);

    const got = await call(sim.url, 'GET', '/runner/resource-class/globex%2Fnew-pool');
    assert.equal(got.status, 200);
    assert.equal(field(got.json, 'id'), field(created.json, 'id'));
    assert.equal(field(got.json, 'token'), undefined, 'the token is shown only once');

    const deleted = await call(sim.url, 'DELETE', '/runner/resource-class/globex%2Fnew-pool');
    assert.equal(deleted.status, 200);
    assert.equal(deleted.text, '');
    const gone = await call(sim.url, 'GET', '/runner/resource-class/globex%2Fnew-pool');
    assert.equal(gone.status, 404);
  });

  it('issues a fresh token on every create', async () => {
    const body = { resource_class: 'acme/again', description: 'd' };
    const first = await call(sim.url, 'POST', '/runner/resource-class', { body });
    await call(sim.url, 'DELETE', '/runner/resource-class/acme%2Fagain');
    const second = await call(sim.url, 'POST', '/runner/resource-class', { body });
    assert.notEqual(field(first.json, 'token'), field(second.json, 'token'));
  });

  it('refuses to create a class that exists, with 400', async () => {
    const reply = await call(sim.url, 'POST', '/runner/resource-class', {
      body: { resource_class: 'acme/macos', description: 'dup' },
    });
    assert.equal(reply.status, 400);
    assert.match(String(field(reply.json, 'message')), /already exists/);
  });

  it('rejects bad create input with 400 and a message', async () => {
    const cases: { body?: unknown; rawBody?: string }[] = [
      { body: { resource_class: 'acme/ok' } },
      { body: { resource_class: 'no-slash', description: 'd' } },
      { body: { resource_class: 'acme/Upper', description: 'd' } },
      { body: { description: 'd' } },
      { rawBody: '{"resource_class": ' },
      { rawBody: '' },
      { body: ['acme/x'] },
    ];
    for (const input of cases) {
      const reply = await call(sim.url, 'POST', '/runner/resource-class', input);
      assert.equal(reply.status, 400, JSON.stringify(input));
      assert.equal(typeof field(reply.json, 'message'), 'string');
    }
    assert.equal(sim.state.resourceClasses('acme').length, 5, 'nothing was created');
  });

  it('takes the path parameter as one encoded segment only', async () => {
    const literal = await call(sim.url, 'GET', '/runner/resource-class/acme/macos');
    assert.equal(literal.status, 404);
    const lower = await call(sim.url, 'GET', '/runner/resource-class/acme%2fmacos');
    assert.equal(lower.status, 200);
    const unknown = await call(sim.url, 'GET', '/runner/resource-class/acme%2Fnope');
    assert.equal(unknown.status, 404);
    const deleteUnknown = await call(sim.url, 'DELETE', '/runner/resource-class/acme%2Fnope');
    assert.equal(deleteUnknown.status, 404);
    const literalDelete = await call(sim.url, 'DELETE', '/runner/resource-class/acme/macos');
    assert.equal(literalDelete.status, 404);
    assert.ok(sim.state.resourceClasses().some((c) => c.resource_class === 'acme/macos'));
  });

  it('answers 401 without the right token, and 404 for unknown routes', async () => {
    const none = await call(sim.url, 'GET', '/runner?namespace=acme', { token: null });
    assert.equal(none.status, 401);
    assert.equal(typeof field(none.json, 'message'), 'string');
    const wrong = await call(sim.url, 'GET', '/runner/tasks?resource-class=acme/macos', {
      token: 'not-the-token',
    });
    assert.equal(wrong.status, 401);
    const create = await call(sim.url, 'POST', '/runner/resource-class', {
      token: null,
      body: { resource_class: 'acme/sneaky', description: 'd' },
    });
    assert.equal(create.status, 401);
    assert.equal(sim.state.issuedTokens('acme/sneaky').length, 0);

    for (const route of ['/runners', '/runner/resource-class/a%2Fb/extra', '/']) {
      const reply = await call(sim.url, 'GET', route);
      assert.equal(reply.status, 404, route);
      assert.equal(typeof field(reply.json, 'message'), 'string');
    }
  });

  it('accepts the tokens it was started with', async () => {
    const custom = await startSimulator({ tokens: ['t-one', 't-two'], data: 'empty' });
    try {
      assert.equal((await call(custom.url, 'GET', '/runner?namespace=x')).status, 401);
      const ok = await call(custom.url, 'GET', '/runner?namespace=x', { token: 't-two' });
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.json, { items: [] });
    } finally {
      await custom.close();
    }
  });

  it('records every API request in order', async () => {
    await call(sim.url, 'GET', '/runner/resource-class/acme%2Fmacos');
    await call(sim.url, 'POST', '/runner/resource-class', {
      body: { resource_class: 'acme/logged', description: 'd' },
      token: null,
    });
    assert.equal(sim.requests.length, 2);
    const [get, post] = sim.requests;
    assert.equal(get?.path, '/runner/resource-class/acme%2Fmacos');
    assert.equal(get?.rawPath, '/api/v3/runner/resource-class/acme%2Fmacos');
    assert.equal(get?.status, 200);
    assert.equal(get?.accept, 'application/json');
    assert.equal(post?.circleToken, undefined);
    assert.deepEqual(post?.body, { resource_class: 'acme/logged', description: 'd' });
    assert.equal(post?.status, 401);
    sim.clearRequests();
    assert.equal(sim.requests.length, 0);
  });
});
