import * as assert from 'node:assert/strict';

import {
  NotFoundError,
  ServerError,
  TimeoutError,
  TokenNotIssuedError,
  type RunnerApiError,
} from '../../src/api/errors';
import { createResourceClassEndpoints } from '../../src/api/resourceClassEndpoints';
import { startSimulator, type Simulator } from '../../simulator/index';
import { simulatorClient } from './apiTestKit';

// Both ways of managing resource classes, each against a simulator that offers
// only that dialect's endpoints, so a request to the wrong endpoint fails.

async function rejection(promise: Promise<unknown>): Promise<RunnerApiError> {
  try {
    await promise;
  } catch (error) {
    return error as RunnerApiError;
  }
  throw new assert.AssertionError({ message: 'expected the call to fail, but it succeeded' });
}

describe('Resource class endpoints', () => {
  let sim: Simulator;

  afterEach(async () => {
    await sim.close();
  });

  describe('spec dialect', () => {
    beforeEach(async () => {
      sim = await startSimulator({ data: 'empty', resourceClassEndpoints: 'spec' });
      sim.state.addResourceClass('acme/linux', 'Linux');
      sim.clearRequests();
    });

    it('lists, creates with a token, gets and deletes', async () => {
      const { client } = simulatorClient(sim);
      const endpoints = createResourceClassEndpoints('spec', client);
      assert.equal(endpoints.dialect, 'spec');

      const created = await endpoints.create({ resourceClass: 'acme/arm', description: 'Arm' });
      assert.deepEqual(sim.state.issuedTokens('acme/arm'), [created.token]);
      assert.deepEqual((await endpoints.list('acme')).map((c) => c.resourceClass).sort(), [
        'acme/arm',
        'acme/linux',
      ]);
      assert.equal((await endpoints.get('acme/arm')).description, 'Arm');
      await endpoints.delete('acme/arm');

      assert.deepEqual(
        sim.requests.map((r) => `${r.method} ${r.rawPath.replace(/\?.*/, '')}`),
        [
          'POST /api/v3/runner/resource-class',
          'GET /api/v3/runner/resource-class',
          'GET /api/v3/runner/resource-class/acme%2Farm',
          'DELETE /api/v3/runner/resource-class/acme%2Farm',
        ],
      );
    });
  });

  describe('circleci-cli dialect', () => {
    beforeEach(async () => {
      sim = await startSimulator({ data: 'empty', resourceClassEndpoints: 'circleci-cli' });
      sim.state.addResourceClass('acme/linux', 'Linux');
      sim.state.addResourceClass('acme/gpu', 'GPU');
      sim.clearRequests();
    });

    it('lists through /runner/resource', async () => {
      const { client } = simulatorClient(sim);
      const endpoints = createResourceClassEndpoints('circleci-cli', client);
      assert.equal(endpoints.dialect, 'circleci-cli');

      const classes = await endpoints.list('acme');
      assert.deepEqual(classes.map((c) => c.resourceClass).sort(), ['acme/gpu', 'acme/linux']);
      assert.ok(classes.every((c) => typeof c.id === 'string'));
      assert.deepEqual(
        sim.requests.map((r) => [r.method, r.path, r.query]),
        [['GET', '/runner/resource', { namespace: 'acme' }]],
      );
    });

    it('creates the class, then issues its token', async () => {
      const { client } = simulatorClient(sim);
      const endpoints = createResourceClassEndpoints('circleci-cli', client);

      const created = await endpoints.create({ resourceClass: 'acme/arm', description: 'Arm' });
      assert.equal(created.resourceClass, 'acme/arm');
      assert.equal(created.description, 'Arm');
      assert.deepEqual(sim.state.issuedTokens('acme/arm'), [created.token]);

      const [classCall, tokenCall] = sim.requests;
      assert.equal(sim.requests.length, 2);
      assert.equal(`${classCall?.method} ${classCall?.path}`, 'POST /runner/resource');
      assert.deepEqual(classCall?.body, { resource_class: 'acme/arm', description: 'Arm' });
      assert.equal(`${tokenCall?.method} ${tokenCall?.path}`, 'POST /runner/token');
      assert.equal((tokenCall?.body as { resource_class?: unknown }).resource_class, 'acme/arm');
      assert.equal(typeof (tokenCall?.body as { nickname?: unknown }).nickname, 'string');
    });

    it('gets a class by listing its namespace', async () => {
      const { client } = simulatorClient(sim);
      const endpoints = createResourceClassEndpoints('circleci-cli', client);

      assert.equal((await endpoints.get('acme/gpu')).description, 'GPU');
      const missing = await rejection(endpoints.get('acme/absent'));
      assert.ok(missing instanceof NotFoundError);
      assert.match(missing.message, /acme\/absent/);
    });

    it('deletes by the id found in the listing', async () => {
      const { client } = simulatorClient(sim);
      const endpoints = createResourceClassEndpoints('circleci-cli', client);
      const id = sim.state.resourceClasses('acme').find((c) => c.resource_class === 'acme/gpu')?.id;

      await endpoints.delete('acme/gpu');
      assert.deepEqual(
        sim.state.resourceClasses('acme').map((c) => c.resource_class),
        ['acme/linux'],
      );
      assert.equal(
        sim.requests[1]?.rawPath,
        `/api/v3/runner/resource/${encodeURIComponent(id ?? '')}`,
      );
      assert.equal(sim.requests[1]?.method, 'DELETE');
    });

    it('deleting a class that is not listed is NotFoundError, and deletes nothing', async () => {
      const { client } = simulatorClient(sim);
      const endpoints = createResourceClassEndpoints('circleci-cli', client);

      const error = await rejection(endpoints.delete('acme/absent'));
      assert.ok(error instanceof NotFoundError);
      assert.ok(sim.requests.every((r) => r.method === 'GET'));
      assert.equal(sim.state.resourceClasses('acme').length, 2);
    });

    it('says the class exists and no token was issued when the token call fails', async () => {
      sim.faults.inject({ status: 500, match: { method: 'POST', path: '/runner/token' } });
      const { client } = simulatorClient(sim);
      const endpoints = createResourceClassEndpoints('circleci-cli', client);

      const error = await rejection(
        endpoints.create({ resourceClass: 'acme/arm', description: 'Arm' }),
      );
      assert.ok(error instanceof TokenNotIssuedError, String(error));
      assert.equal(error.kind, 'tokenNotIssued');
      assert.equal(error.resourceClass.resourceClass, 'acme/arm');
      assert.ok(error.cause instanceof ServerError);
      assert.match(error.message, /acme\/arm was created and exists now/);
      assert.match(error.message, /no token was issued/);
      // The class really is there, and no token was handed out.
      assert.ok(sim.state.resourceClasses('acme').some((c) => c.resource_class === 'acme/arm'));
      assert.deepEqual(sim.state.issuedTokens('acme/arm'), []);
      // A POST is never retried, the token call included.
      assert.equal(sim.requests.filter((r) => r.path === '/runner/token').length, 1);
    });

    it('says no token was received when the token call times out', async () => {
      sim.faults.inject({ hang: true, match: { path: '/runner/token' } });
      const { client } = simulatorClient(sim, { timeoutMs: 200 });
      const endpoints = createResourceClassEndpoints('circleci-cli', client);

      const error = await rejection(
        endpoints.create({ resourceClass: 'acme/arm', description: 'Arm' }),
      );
      assert.ok(error instanceof TokenNotIssuedError, String(error));
      assert.ok(error.cause instanceof TimeoutError);
      assert.match(error.message, /no token was received/);
    });

    it('a create that fails before the class exists is not TokenNotIssuedError', async () => {
      sim.faults.inject({ status: 500, match: { path: '/runner/resource' } });
      const { client } = simulatorClient(sim);
      const endpoints = createResourceClassEndpoints('circleci-cli', client);

      const error = await rejection(
        endpoints.create({ resourceClass: 'acme/arm', description: 'Arm' }),
      );
      assert.ok(error instanceof ServerError);
      assert.equal(sim.requests.length, 1);
    });

    it('the spec dialect against this server gets 404 from the missing endpoints', async () => {
      const { client } = simulatorClient(sim);
      const endpoints = createResourceClassEndpoints('spec', client);
      assert.ok((await rejection(endpoints.list('acme'))) instanceof NotFoundError);
    });
  });
});
