import * as assert from 'node:assert/strict';
import { Simulator, startSimulator } from '../../simulator/index';
import { call, field, items } from './helpers';

describe('simulator: resource-class endpoint sets', () => {
  let sim: Simulator;

  beforeEach(async () => {
    sim = await startSimulator({ resourceClassEndpoints: 'circleci-cli' });
  });

  afterEach(async () => {
    await sim.close();
  });

  it('serves the command-line client endpoints: list, create, token, delete by id', async () => {
    const list = await call(sim.url, 'GET', '/runner/resource?namespace=acme');
    assert.equal(list.status, 200);
    const classes = items(list.json);
    assert.ok(classes.some((c) => c.resource_class === 'acme/macos'));

    const created = await call(sim.url, 'POST', '/runner/resource', {
      body: { resource_class: 'acme/cli-made', description: 'From the CLI' },
    });
    assert.equal(created.status, 200);
    assert.equal(field(created.json, 'token'), undefined);
    const id = field(created.json, 'id');
    assert.equal(typeof id, 'string');

    const token = await call(sim.url, 'POST', '/runner/token', {
      body: { resource_class: 'acme/cli-made', nickname: 'laptop' },
    });
    assert.equal(token.status, 200);
    assert.equal(field(token.json, 'resource_class'), 'acme/cli-made');
    assert.equal(field(token.json, 'nickname'), 'laptop');
    assert.ok(!Number.isNaN(Date.parse(String(field(token.json, 'created_at')))));
    assert.deepEqual(sim.state.issuedTokens('acme/cli-made'), [field(token.json, 'token')]);

    const deleted = await call(sim.url, 'DELETE', `/runner/resource/${String(id)}`);
    assert.equal(deleted.status, 200);
    assert.ok(!sim.state.resourceClasses('acme').some((c) => c.resource_class === 'acme/cli-made'));
    const again = await call(sim.url, 'DELETE', `/runner/resource/${String(id)}`);
    assert.equal(again.status, 404);
  });

  it('rejects bad command-line client input', async () => {
    const noClass = await call(sim.url, 'POST', '/runner/token', {
      body: { resource_class: 'acme/none-such', nickname: 'x' },
    });
    assert.equal(noClass.status, 404);
    const noNick = await call(sim.url, 'POST', '/runner/token', {
      body: { resource_class: 'acme/macos' },
    });
    assert.equal(noNick.status, 400);
    const badName = await call(sim.url, 'POST', '/runner/resource', {
      body: { resource_class: 'nope', description: 'd' },
    });
    assert.equal(badName.status, 400);
    const noAuth = await call(sim.url, 'GET', '/runner/resource?namespace=acme', { token: null });
    assert.equal(noAuth.status, 401);
  });

  it('hides the spec endpoints in circleci-cli mode and shows both in both', async () => {
    const hidden = await call(sim.url, 'GET', '/runner/resource-class?namespace=acme');
    assert.equal(hidden.status, 404);
    assert.equal(typeof field(hidden.json, 'message'), 'string');

    sim.setResourceClassEndpoints('both');
    assert.equal((await call(sim.url, 'GET', '/runner/resource-class?namespace=acme')).status, 200);
    assert.equal((await call(sim.url, 'GET', '/runner/resource?namespace=acme')).status, 200);

    sim.setResourceClassEndpoints('spec');
    assert.equal((await call(sim.url, 'GET', '/runner/resource?namespace=acme')).status, 404);

    sim.setResourceClassEndpoints('none');
    for (const route of [
      '/runner/resource?namespace=acme',
      '/runner/resource-class?namespace=acme',
    ]) {
      assert.equal((await call(sim.url, 'GET', route)).status, 404, route);
    }
    // Runner and task-count endpoints stay in every set.
    assert.equal((await call(sim.url, 'GET', '/runner?namespace=acme')).status, 200);
    assert.equal((await call(sim.url, 'GET', '/runner/tasks?resource-class=acme/gpu')).status, 200);
  });
});
