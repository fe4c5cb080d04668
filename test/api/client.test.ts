import * as assert from 'node:assert/strict';

import {
  AbortedError,
  BadRequestError,
  ForbiddenError,
  HttpError,
  InvalidNameError,
  InvalidResponseError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  UnauthorizedError,
  type RunnerApiError,
} from '../../src/api/errors';
import type { RunnerFilter } from '../../src/api/types';
import { DEMO_TOKEN, startSimulator, type Simulator } from '../../simulator/index';
import { closedPort, clientFor, fetchWithFailingLookup, simulatorClient } from './apiTestKit';

// The client over real HTTP against the simulator: each operation, each way a
// server or network can fail, the retry rules, encoding, validation and headers.

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

async function rejection(promise: Promise<unknown>): Promise<RunnerApiError> {
  try {
    await promise;
  } catch (error) {
    return error as RunnerApiError;
  }
  throw new assert.AssertionError({ message: 'expected the call to fail, but it succeeded' });
}

function assertNoToken(error: unknown): void {
  const text = `${String(error)} ${JSON.stringify(error)}`;
  assert.ok(!text.includes(DEMO_TOKEN), 'an error must never carry the token');
}

describe('RunnerApiClient against the simulator', () => {
  let sim: Simulator;

  beforeEach(async () => {
    sim = await startSimulator({ data: 'empty', clock: () => NOW });
    sim.state.addResourceClass('acme/linux', 'Linux machines');
    sim.state.addResourceClass('acme/gpu', 'GPU machines');
    sim.state.addResourceClass('globex/deploy', 'Deployers');
    sim.state.addRunner({
      resource_class: 'acme/linux',
      hostname: 'build-01',
      name: 'build-01',
      ip: '10.0.0.1',
      first_connected: '2026-01-01T08:00:00Z',
      last_connected: '2026-01-15T11:59:30.250Z',
      version: '3.0.20',
    });
    sim.state.addRunner({ resource_class: 'acme/gpu', hostname: 'gpu-01' });
    sim.state.addRunner({ resource_class: 'globex/deploy', hostname: 'deploy-01' });
    sim.state.setTaskCounts('acme/linux', { unclaimed: 7, running: 3 });
    sim.clearRequests();
  });

  afterEach(async () => {
    await sim.close();
  });

  describe('operations', () => {
    it('lists runners of a namespace, with times as epoch milliseconds', async () => {
      const { client } = simulatorClient(sim);
      const runners = await client.listRunners({ namespace: 'acme' });

      assert.deepEqual(runners.map((r) => r.hostname).sort(), ['build-01', 'gpu-01']);
      const build = runners.find((r) => r.hostname === 'build-01');
      assert.equal(build?.lastConnected, Date.UTC(2026, 0, 15, 11, 59, 30, 250));
      assert.equal(build?.firstConnected, Date.UTC(2026, 0, 1, 8, 0, 0));
      assert.equal(build?.ip, '10.0.0.1');
      assert.deepEqual(sim.requests[0]?.query, { namespace: 'acme' });
    });

    it('lists runners of one resource class', async () => {
      const { client } = simulatorClient(sim);
      const runners = await client.listRunners({ resourceClass: 'acme/gpu' });

      assert.deepEqual(
        runners.map((r) => r.hostname),
        ['gpu-01'],
      );
      assert.deepEqual(sim.requests[0]?.query, { 'resource-class': 'acme/gpu' });
    });

    it('reads the unclaimed and running task counts', async () => {
      const { client } = simulatorClient(sim);

      assert.equal(await client.getUnclaimedTaskCount('acme/linux'), 7);
      assert.equal(await client.getRunningTaskCount('acme/linux'), 3);
      assert.deepEqual(
        sim.requests.map((r) => `${r.path} ${r.query['resource-class']}`),
        ['/runner/tasks acme/linux', '/runner/tasks/running acme/linux'],
      );
    });

    it('lists, creates, gets and deletes resource classes', async () => {
      const { client } = simulatorClient(sim);

      const listed = await client.listResourceClasses('acme');
      assert.deepEqual(listed.map((c) => c.resourceClass).sort(), ['acme/gpu', 'acme/linux']);

      const created = await client.createResourceClass({
        resourceClass: 'acme/arm',
        description: 'Arm machines',
      });
      assert.equal(created.resourceClass, 'acme/arm');
      assert.equal(created.description, 'Arm machines');
      assert.equal(typeof created.token, 'string');
      assert.deepEqual(sim.state.issuedTokens('acme/arm'), [created.token]);

      const fetched = await client.getResourceClass('acme/arm');
      assert.equal(fetched.id, created.id);
      assert.ok(!('token' in fetched), 'the token is shown only once, at creation');

      await client.deleteResourceClass('acme/arm');
      const remaining = sim.state.resourceClasses('acme').map((c) => c.resource_class);
      assert.ok(!remaining.includes('acme/arm'));
    });
  });

  describe('requests on the wire', () => {
    it('sends the resource class in the path as one encoded segment', async () => {
      const { client } = simulatorClient(sim);
      await client.getResourceClass('acme/linux');
      await client.deleteResourceClass('acme/linux');

      assert.deepEqual(
        sim.requests.map((r) => `${r.method} ${r.rawPath} ${r.status}`),
        [
          'GET /api/v3/runner/resource-class/acme%2Flinux 200',
          'DELETE /api/v3/runner/resource-class/acme%2Flinux 200',
        ],
      );
    });

    it('sends the token, Accept and User-Agent headers, and the JSON body', async () => {
      const { client } = simulatorClient(sim, { userAgent: 'runner-tests/1.0' });
      await client.createResourceClass({ resourceClass: 'acme/new', description: 'New' });

      const [request] = sim.requests;
      assert.equal(request?.circleToken, DEMO_TOKEN);
      assert.equal(request?.accept, 'application/json');
      assert.equal(request?.userAgent, 'runner-tests/1.0');
      assert.deepEqual(request?.body, { resource_class: 'acme/new', description: 'New' });
    });

    it('uses circleci-runners-vscode as the default User-Agent', async () => {
      const { client } = simulatorClient(sim);
      await client.getRunningTaskCount('acme/linux');
      assert.equal(sim.requests[0]?.userAgent, 'circleci-runners-vscode');
    });

    it('sends Content-Type: application/json on POST only', async () => {
      const seen: Array<[string, string | undefined]> = [];
      const { client } = simulatorClient(sim, {
        fetch: async (url, init) => {
          seen.push([init.method, init.headers['Content-Type']]);
          const { default: nodeFetch } = await import('node-fetch');
          return nodeFetch(url, init);
        },
      });
      await client.createResourceClass({ resourceClass: 'acme/new', description: '' });
      await client.getResourceClass('acme/new');
      assert.deepEqual(seen, [
        ['POST', 'application/json'],
        ['GET', undefined],
      ]);
    });

    it('reports each attempt to onRequest, without the token', async () => {
      sim.faults.inject({ status: 503, count: 1 });
      const { client, records } = simulatorClient(sim);
      await client.getUnclaimedTaskCount('acme/linux');

      assert.deepEqual(
        records.map((r) => [r.method, r.path, r.status, r.attempt, r.error]),
        [
          ['GET', '/runner/tasks?resource-class=acme%2Flinux', 503, 1, 'server'],
          ['GET', '/runner/tasks?resource-class=acme%2Flinux', 200, 2, undefined],
        ],
      );
      assert.ok(records.every((r) => r.durationMs >= 0));
      assert.ok(!JSON.stringify(records).includes(DEMO_TOKEN));
    });
  });

  describe('input checks before any request', () => {
    const badNames = ['acme', 'Acme/linux', 'acme/lin ux', 'acme/linux/x', '/linux', 'acme/li_nux'];

    for (const name of badNames) {
      it(`refuses "${name}" without sending anything`, async () => {
        const { client, records } = simulatorClient(sim);
        const error = await rejection(client.getResourceClass(name));
        assert.ok(error instanceof InvalidNameError, String(error));
        assert.equal(sim.requests.length, 0);
        assert.equal(records.length, 0);
      });
    }

    it('refuses a bad name in every operation that takes one', async () => {
      const { client } = simulatorClient(sim);
      const calls: Array<Promise<unknown>> = [
        client.listRunners({ namespace: 'Acme' }),
        client.listRunners({ resourceClass: 'acme' }),
        client.getUnclaimedTaskCount('acme'),
        client.getRunningTaskCount('acme'),
        client.listResourceClasses('acme/linux'),
        client.createResourceClass({ resourceClass: 'acme', description: '' }),
        client.deleteResourceClass('acme'),
      ];
      for (const call of calls) {
        assert.ok((await rejection(call)) instanceof InvalidNameError);
      }
      assert.equal(sim.requests.length, 0);
    });

    it('refuses listRunners with both filters or neither, from untyped callers', async () => {
      const { client } = simulatorClient(sim);
      const both = { namespace: 'acme', resourceClass: 'acme/linux' } as unknown as RunnerFilter;
      const neither = {} as unknown as RunnerFilter;

      const bothError = await rejection(client.listRunners(both));
      assert.ok(bothError instanceof InvalidNameError);
      assert.match(bothError.message, /not both/);
      const neitherError = await rejection(client.listRunners(neither));
      assert.ok(neitherError instanceof InvalidNameError);
      assert.equal(sim.requests.length, 0);
    });
  });

  describe('status codes', () => {
    it('401: a wrong token is reported as rejected, without the token', async () => {
      const { client } = simulatorClient(sim, { token: 'not-the-right-token' });
      const error = await rejection(client.listResourceClasses('acme'));

      assert.ok(error instanceof UnauthorizedError);
      assert.equal(error.status, 401);
      assert.match(error.message, /rejected the API token \(401\)\. Set a new token\./);
      assert.ok(!`${error.message} ${JSON.stringify(error)}`.includes('not-the-right-token'));
    });

    it('403 is ForbiddenError', async () => {
      sim.faults.inject({ status: 403 });
      const { client } = simulatorClient(sim);
      const error = await rejection(
        client.createResourceClass({ resourceClass: 'acme/x', description: '' }),
      );
      assert.ok(error instanceof ForbiddenError);
      assert.match(error.message, /403/);
      assertNoToken(error);
    });

    it('404 names what was not found', async () => {
      const { client } = simulatorClient(sim);
      const error = await rejection(client.getResourceClass('acme/missing'));
      assert.ok(error instanceof NotFoundError);
      assert.match(error.message, /resource class acme\/missing \(404\)/);
    });

    it('400 carries the server message', async () => {
      const { client } = simulatorClient(sim);
      const error = await rejection(
        client.createResourceClass({ resourceClass: 'acme/linux', description: 'again' }),
      );
      assert.ok(error instanceof BadRequestError);
      assert.equal(error.serverMessage, 'Resource class acme/linux already exists.');
      assert.match(error.message, /already exists/);
    });

    for (const status of [500, 502, 503]) {
      it(`${status} is ServerError`, async () => {
        sim.faults.inject({ status });
        const { client } = simulatorClient(sim, { retry: { retries: 0 } });
        const error = await rejection(client.getRunningTaskCount('acme/linux'));
        assert.ok(error instanceof ServerError);
        assert.equal(error.status, status);
      });
    }

    it('an unexpected status is HttpError', async () => {
      sim.faults.inject({ status: 409 });
      const { client } = simulatorClient(sim);
      const error = await rejection(client.getRunningTaskCount('acme/linux'));
      assert.ok(error instanceof HttpError);
      assert.equal(error.status, 409);
    });

    it('429 is RateLimitedError with the Retry-After in milliseconds', async () => {
      sim.faults.inject({ status: 429, retryAfterSeconds: 3 });
      const { client } = simulatorClient(sim, { retry: { retries: 0 } });
      const error = await rejection(client.getRunningTaskCount('acme/linux'));
      assert.ok(error instanceof RateLimitedError);
      assert.equal(error.retryAfterMs, 3000);
      assert.match(error.message, /Wait 3 seconds/);
    });
  });

  describe('answers that are not the documented JSON', () => {
    const cases: Array<{ body: 'html' | 'empty' | 'truncated' | 'malformed'; text: RegExp }> = [
      { body: 'html', text: /web page instead of JSON/ },
      { body: 'empty', text: /empty answer/ },
      { body: 'truncated', text: /cut off or malformed/ },
      { body: 'malformed', text: /cut off or malformed/ },
    ];
    for (const { body, text } of cases) {
      it(`a ${body} body is InvalidResponseError, never data`, async () => {
        sim.faults.inject({ body });
        const { client, records } = simulatorClient(sim);
        const error = await rejection(client.listRunners({ namespace: 'acme' }));
        assert.ok(error instanceof InvalidResponseError, String(error));
        assert.match(error.message, text);
        assert.equal(error.status, 200);
        assert.equal(records[0]?.error, 'invalidResponse');
        // Not retried: the server answered, and asking again would give the same.
        assert.equal(sim.requests.length, 1);
      });
    }

    it('a list of the wrong shape names the field', async () => {
      sim.faults.inject({ body: 'wrongShape' });
      const { client } = simulatorClient(sim);
      const error = await rejection(client.listResourceClasses('acme'));
      assert.ok(error instanceof InvalidResponseError);
      assert.equal(error.field, 'items');
    });

    it('a count of the wrong type names the field', async () => {
      sim.faults.inject({ body: 'wrongShape' });
      const { client } = simulatorClient(sim);
      const error = await rejection(client.getUnclaimedTaskCount('acme/linux'));
      assert.ok(error instanceof InvalidResponseError);
      assert.equal(error.field, 'unclaimed_task_count');
    });

    it('a negative count is refused', async () => {
      sim.faults.inject({ body: 'negativeCounts' });
      const { client } = simulatorClient(sim);
      const unclaimed = await rejection(client.getUnclaimedTaskCount('acme/linux'));
      const running = await rejection(client.getRunningTaskCount('acme/linux'));
      assert.ok(unclaimed instanceof InvalidResponseError);
      assert.equal(unclaimed.field, 'unclaimed_task_count');
      assert.match(unclaimed.message, /negative/);
      assert.ok(running instanceof InvalidResponseError);
      assert.equal(running.field, 'running_runner_tasks');
    });

    it('a runner with a malformed date names the item and field', async () => {
      sim.state.addRunner({ resource_class: 'acme/linux', last_connected: 'yesterday' });
      const { client } = simulatorClient(sim);
      const error = await rejection(client.listRunners({ resourceClass: 'acme/linux' }));
      assert.ok(error instanceof InvalidResponseError);
      assert.equal(error.field, 'items[1].last_connected');
    });
  });

  describe('connection failures', () => {
    it('a dropped connection is NetworkError (reset)', async () => {
      sim.faults.inject({ drop: true });
      const { client } = simulatorClient(sim, { retry: { retries: 0 } });
      const error = await rejection(client.getRunningTaskCount('acme/linux'));
      assert.ok(error instanceof NetworkError, String(error));
      assert.equal(error.failure, 'reset');
      assert.match(error.message, /closed before a full answer arrived/);
    });

    it('a closed port is NetworkError (refused)', async () => {
      const port = await closedPort();
      const { client } = clientFor(`http://127.0.0.1:${port}/api/v3`, { retry: { retries: 0 } });
      const error = await rejection(client.getRunningTaskCount('acme/linux'));
      assert.ok(error instanceof NetworkError, String(error));
      assert.equal(error.failure, 'refused');
      assert.match(error.message, /connection was refused/);
    });

    it('an unresolvable host is NetworkError (host not found)', async () => {
      // https, so the URL check passes; the failing lookup keeps all traffic local.
      const { client } = clientFor('https://runner-api.invalid/api/v3', {
        fetch: fetchWithFailingLookup,
        retry: { retries: 0 },
      });
      const error = await rejection(client.getRunningTaskCount('acme/linux'));
      assert.ok(error instanceof NetworkError, String(error));
      assert.equal(error.failure, 'hostNotFound');
      assert.match(error.message, /runner-api\.invalid could not be resolved/);
    });

    it('a server that never answers is TimeoutError', async () => {
      sim.faults.inject({ hang: true });
      const { client } = simulatorClient(sim, { timeoutMs: 150, retry: { retries: 0 } });
      const error = await rejection(client.getRunningTaskCount('acme/linux'));
      assert.ok(error instanceof TimeoutError, String(error));
    });

    it('a body that trickles in past the time-out is TimeoutError', async () => {
      sim.faults.inject({ trickle: { bytesPerChunk: 1, intervalMs: 50 } });
      const { client } = simulatorClient(sim, { timeoutMs: 300, retry: { retries: 0 } });
      const error = await rejection(client.listRunners({ namespace: 'acme' }));
      assert.ok(error instanceof TimeoutError, String(error));
    });

    it('a caller abort is AbortedError and is not retried', async () => {
      sim.faults.inject({ hang: true });
      const { client, delays } = simulatorClient(sim);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const error = await rejection(
        client.getRunningTaskCount('acme/linux', { signal: controller.signal }),
      );
      assert.ok(error instanceof AbortedError, String(error));
      assert.deepEqual(delays, []);
      assert.equal(sim.requests.length <= 1, true);
    });

    it('an abort ends a pending retry sleep at once', async () => {
      sim.faults.inject({ status: 503 });
      // The real sleep this time, with a delay far longer than the test may take.
      const { client } = simulatorClient(sim, {
        sleep: undefined,
        retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 },
      });
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 100);
      const error = await rejection(
        client.getRunningTaskCount('acme/linux', { signal: controller.signal }),
      );
      assert.ok(error instanceof AbortedError, String(error));
      assert.ok(Date.now() - started < 5000);
      assert.equal(sim.requests.length, 1);
    });

    it('an already-aborted signal sends nothing', async () => {
      const { client } = simulatorClient(sim);
      const error = await rejection(
        client.getRunningTaskCount('acme/linux', { signal: AbortSignal.abort() }),
      );
      assert.ok(error instanceof AbortedError);
      assert.equal(sim.requests.length, 0);
    });
  });

  describe('retries', () => {
    it('retries a GET on 503 with growing, jittered delays, then succeeds', async () => {
      sim.faults.inject({ status: 503, count: 2 });
      const { client, delays } = simulatorClient(sim);

      assert.equal(await client.getUnclaimedTaskCount('acme/linux'), 7);
      assert.deepEqual(
        sim.requests.map((r) => r.status),
        [503, 503, 200],
      );
      // random() is 0.5: half of each ceiling fixed plus a quarter from jitter.
      assert.deepEqual(delays, [225, 450]);
    });

    it('gives up after the configured retries', async () => {
      sim.faults.inject({ status: 502 });
      const { client } = simulatorClient(sim, { retry: { retries: 1 } });
      const error = await rejection(client.listResourceClasses('acme'));
      assert.ok(error instanceof ServerError);
      assert.equal(sim.requests.length, 2);
    });

    it('caps the back-off at maxDelayMs', async () => {
      sim.faults.inject({ status: 500 });
      const { client, delays } = simulatorClient(sim, {
        random: () => 0.999,
        retry: { retries: 4, baseDelayMs: 1000, maxDelayMs: 1500 },
      });
      await rejection(client.listResourceClasses('acme'));
      assert.ok(
        delays.every((d) => d <= 1500),
        delays.join(','),
      );
      assert.equal(delays.length, 4);
    });

    it('retries a GET after a dropped connection', async () => {
      sim.faults.inject({ drop: true, count: 1 });
      const { client } = simulatorClient(sim);
      assert.equal(await client.getRunningTaskCount('acme/linux'), 3);
      assert.equal(sim.requests.filter((r) => r.status === 200).length, 1);
    });

    it('retries a GET that timed out', async () => {
      sim.faults.inject({ hang: true, count: 1 });
      const { client, records } = simulatorClient(sim, { timeoutMs: 200 });
      assert.equal(await client.getRunningTaskCount('acme/linux'), 3);
      assert.deepEqual(
        records.map((r) => r.error),
        ['timeout', undefined],
      );
    });

    it('sends a POST once on 503', async () => {
      sim.faults.inject({ status: 503, match: { method: 'POST' } });
      const { client, delays } = simulatorClient(sim);
      const error = await rejection(
        client.createResourceClass({ resourceClass: 'acme/new', description: '' }),
      );
      assert.ok(error instanceof ServerError);
      assert.equal(sim.requests.length, 1);
      assert.deepEqual(delays, []);
    });

    it('sends a DELETE once on 503', async () => {
      sim.faults.inject({ status: 503, match: { method: 'DELETE' } });
      const { client } = simulatorClient(sim);
      const error = await rejection(client.deleteResourceClass('acme/linux'));
      assert.ok(error instanceof ServerError);
      assert.equal(sim.requests.length, 1);
    });

    it('sends a POST once on a dropped connection', async () => {
      sim.faults.inject({ drop: true, match: { method: 'POST' } });
      const { client } = simulatorClient(sim);
      const error = await rejection(
        client.createResourceClass({ resourceClass: 'acme/new', description: '' }),
      );
      assert.ok(error instanceof NetworkError);
      assert.equal(sim.requests.length, 1);
    });

    it('honours Retry-After on 429 by sleeping exactly that long', async () => {
      sim.faults.inject({ status: 429, retryAfterSeconds: 2, count: 1 });
      const { client, delays } = simulatorClient(sim);
      assert.equal(await client.getRunningTaskCount('acme/linux'), 3);
      assert.deepEqual(delays, [2000]);
      assert.equal(sim.requests.length, 2);
    });

    it('does not sleep through a Retry-After longer than maxDelayMs', async () => {
      sim.faults.inject({ status: 429, retryAfterSeconds: 60, count: 1 });
      const { client, delays } = simulatorClient(sim);
      const error = await rejection(client.getRunningTaskCount('acme/linux'));
      assert.ok(error instanceof RateLimitedError);
      assert.equal(error.retryAfterMs, 60_000);
      assert.deepEqual(delays, []);
      assert.equal(sim.requests.length, 1);
    });

    it('does not retry 400, 401, 403 or 404', async () => {
      for (const status of [400, 401, 403, 404]) {
        sim.clearRequests();
        sim.faults.clear();
        sim.faults.inject({ status });
        const { client } = simulatorClient(sim);
        await rejection(client.getRunningTaskCount('acme/linux'));
        assert.equal(sim.requests.length, 1, `status ${status}`);
      }
    });
  });
});
