import * as assert from 'node:assert/strict';
import * as path from 'node:path';

import nodeFetch from 'node-fetch';

import { RunnerApiClient, type FetchLike } from '../../src/api/client';
import { createResourceClassEndpoints } from '../../src/api/resourceClassEndpoints';
import type { RequestRecord } from '../../src/api/types';
import { startPrism, type PrismServer } from './prismServer';

// The client against Prism serving the spec. Prism adds an `sl-violations` header
// whenever a request breaks the spec (wrong path, query, header or body), so every
// call here is checked for that header through the client's injectable fetch.
//
// Base URL: Prism mock serves the spec's paths at its root and ignores the `servers`
// entries, so the client talks to http://127.0.0.1:PORT, not .../api/v3 (checked below).

const root = path.resolve(__dirname, '..', '..', '..');
const spec = path.join(root, 'test', 'fixtures', 'runner-api.openapi.yml');
const token = 'simulator-demo-token';
// The time every date-time in the schema's static example carries.
const exampleTime = Date.UTC(2019, 7, 24, 14, 15, 22);

interface Exchange {
  method: string;
  url: string;
  status: number;
  violations: string | null;
}

describe('Runner API client against the spec (Prism)', function () {
  this.timeout(60_000);

  let prism: PrismServer;
  let exchanges: Exchange[];
  let records: RequestRecord[];
  let client: RunnerApiClient;

  const watchingFetch: FetchLike = async (url, init) => {
    const response = await nodeFetch(url, init);
    exchanges.push({
      method: init.method,
      url,
      status: response.status,
      violations: response.headers.get('sl-violations'),
    });
    return response;
  };

  before(async () => {
    prism = await startPrism(spec, root);
  });

  after(async () => {
    await prism?.stop();
  });

  beforeEach(() => {
    exchanges = [];
    records = [];
    client = new RunnerApiClient({
      baseUrl: prism.url,
      token,
      fetch: watchingFetch,
      retry: { retries: 0 },
      onRequest: (record) => records.push(record),
    });
  });

  function violationsSeen(): string[] {
    return exchanges
      .filter((e) => e.violations !== null)
      .map((e) => `${e.method} ${e.url}: ${e.violations}`);
  }

  /** Runs client calls, then fails if Prism flagged any request they sent. */
  async function checked<T>(operation: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await operation();
    } catch (error) {
      const seen = violationsSeen().join('\n');
      throw new Error(`${(error as Error).message}\nPrism flagged: ${seen || 'nothing'}`, {
        cause: error,
      });
    }
    assert.deepEqual(violationsSeen(), [], 'Prism reported requests that break the spec');
    return result;
  }

  function assertOneCleanExchange(method: string, pathAndQuery: string): void {
    assert.equal(exchanges.length, 1);
    const [exchange] = exchanges;
    assert.equal(exchange?.method, method);
    assert.equal(exchange?.url, `${prism.url}${pathAndQuery}`);
    assert.equal(exchange?.status, 200);
    assert.equal(exchange?.violations, null);
  }

  it('listRunners by namespace', async () => {
    const runners = await checked(() => client.listRunners({ namespace: 'acme' }));
    assertOneCleanExchange('GET', '/runner?namespace=acme');
    assert.equal(runners.length, 1);
    assert.equal(runners[0]?.lastConnected, exampleTime);
    assert.equal(typeof runners[0]?.hostname, 'string');
  });

  it('listRunners by resource class', async () => {
    const runners = await checked(() => client.listRunners({ resourceClass: 'acme/linux' }));
    assertOneCleanExchange('GET', '/runner?resource-class=acme%2Flinux');
    assert.equal(runners[0]?.firstConnected, exampleTime);
  });

  it('getUnclaimedTaskCount', async () => {
    const count = await checked(() => client.getUnclaimedTaskCount('acme/linux'));
    assertOneCleanExchange('GET', '/runner/tasks?resource-class=acme%2Flinux');
    assert.equal(count, 0);
  });

  it('getRunningTaskCount', async () => {
    const count = await checked(() => client.getRunningTaskCount('acme/linux'));
    assertOneCleanExchange('GET', '/runner/tasks/running?resource-class=acme%2Flinux');
    assert.equal(count, 0);
  });

  it('listResourceClasses', async () => {
    const classes = await checked(() => client.listResourceClasses('acme'));
    assertOneCleanExchange('GET', '/runner/resource-class?namespace=acme');
    assert.equal(classes.length, 1);
    assert.equal(typeof classes[0]?.id, 'string');
  });

  it('createResourceClass', async () => {
    const created = await checked(() =>
      client.createResourceClass({
        resourceClass: 'acme/linux',
        description: 'Linux machines',
      }),
    );
    assertOneCleanExchange('POST', '/runner/resource-class');
    assert.equal(typeof created.token, 'string');
  });

  it('getResourceClass', async () => {
    const found = await checked(() => client.getResourceClass('acme/linux'));
    assertOneCleanExchange('GET', '/runner/resource-class/acme%2Flinux');
    assert.equal(typeof found.resourceClass, 'string');
  });

  it('deleteResourceClass', async () => {
    await checked(() => client.deleteResourceClass('acme/linux'));
    assertOneCleanExchange('DELETE', '/runner/resource-class/acme%2Flinux');
  });

  it('the spec dialect of the resource-class seam sends the same requests', async () => {
    const endpoints = createResourceClassEndpoints('spec', client);
    await checked(() => endpoints.list('acme'));
    await checked(() => endpoints.get('acme/linux'));
    await checked(() => endpoints.create({ resourceClass: 'acme/linux', description: '' }));
    await checked(() => endpoints.delete('acme/linux'));
    assert.deepEqual(
      exchanges.map((e) => `${e.method} ${e.url.slice(prism.url.length)} ${e.status}`),
      [
        'GET /runner/resource-class?namespace=acme 200',
        'GET /runner/resource-class/acme%2Flinux 200',
        'POST /runner/resource-class 200',
        'DELETE /runner/resource-class/acme%2Flinux 200',
      ],
    );
  });

  it('reports each attempt to onRequest without the token', async () => {
    await checked(() => client.getRunningTaskCount('acme/linux'));
    assert.equal(records.length, 1);
    assert.equal(records[0]?.path, '/runner/tasks/running?resource-class=acme%2Flinux');
    assert.equal(records[0]?.status, 200);
    assert.ok(!JSON.stringify(records).includes(token));
  });

  describe('the violation check itself', () => {
    // These requests are wrong on purpose, so they bypass the watching fetch.
    it('Prism flags a create without a description', async () => {
      const response = await nodeFetch(`${prism.url}/runner/resource-class`, {
        method: 'POST',
        headers: { 'Circle-Token': token, 'Content-Type': 'application/json' },
        body: JSON.stringify({ resource_class: 'acme/linux' }),
      });
      const violations = response.headers.get('sl-violations') ?? '';
      assert.match(violations, /description/);
    });

    it('Prism flags a request without the Circle-Token header', async () => {
      const response = await nodeFetch(`${prism.url}/runner/tasks?resource-class=acme%2Flinux`);
      assert.equal(response.status, 401);
      assert.notEqual(response.headers.get('sl-violations'), null);
    });

    it('Prism serves at its root, not under the /api/v3 of the servers entry', async () => {
      const response = await nodeFetch(`${prism.url}/api/v3/runner?namespace=acme`, {
        headers: { 'Circle-Token': token },
      });
      assert.equal(response.status, 404);
    });
  });
});
