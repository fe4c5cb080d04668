// The fleet store against the simulator over real HTTP, with the real client.

import * as assert from 'node:assert/strict';
import { RunnerApiClient } from '../../../src/api/client';
import { UnauthorizedError } from '../../../src/api/errors';
import { createResourceClassEndpoints } from '../../../src/api/resourceClassEndpoints';
import { FleetStore, type FleetSource } from '../../../src/fleet/fleetStore';
import { silentLogger } from '../../../src/log';
import { DEMO_TOKEN, startSimulator, type Simulator } from '../../../simulator/index';

function sourceFor(sim: Simulator, token = DEMO_TOKEN): FleetSource {
  const client = new RunnerApiClient({ baseUrl: sim.url, token, retry: { retries: 0 } });
  const classes = createResourceClassEndpoints('spec', client);
  return {
    listRunners: (filter, options) => client.listRunners(filter, options),
    listResourceClasses: (namespace, options) => classes.list(namespace, options),
  };
}

describe('fleet store', () => {
  let sim: Simulator;
  let store: FleetStore;

  beforeEach(async () => {
    sim = await startSimulator();
    store = new FleetStore({ now: Date.now, logger: silentLogger });
  });

  afterEach(async () => {
    store.dispose();
    await sim.close();
  });

  it('loads every namespace with two requests each, and groups runners by class', async () => {
    store.setSource(sourceFor(sim));
    store.setNamespaces(['acme', 'globex']);
    sim.clearRequests();

    await store.refresh();

    const paths = sim.requests.map((r) => `${r.path}?${new URLSearchParams(r.query).toString()}`);
    assert.deepEqual(paths.sort(), [
      '/runner/resource-class?namespace=acme',
      '/runner/resource-class?namespace=globex',
      '/runner?namespace=acme',
      '/runner?namespace=globex',
    ]);

    for (const namespace of ['acme', 'globex']) {
      const snapshot = store.snapshot(namespace);
      assert.equal(snapshot?.state, 'loaded');
      const expected = sim.state
        .resourceClasses(namespace)
        .map((c) => c.resource_class)
        .sort();
      assert.deepEqual(snapshot?.classes.map((c) => c.name).sort(), expected);
      for (const entry of snapshot?.classes ?? []) {
        const names = sim.state
          .runners({ resourceClass: entry.name })
          .map((r) => r.name)
          .sort();
        assert.deepEqual(entry.runners.map((r) => r.name).sort(), names, entry.name);
      }
    }
  });

  it('keeps the last data, marked stale, when a refresh fails', async () => {
    store.setSource(sourceFor(sim));
    store.setNamespaces(['acme']);
    await store.refresh();
    const before = store.snapshot('acme')?.classes.length;

    sim.faults.inject({ status: 503, match: { path: '/runner' } });
    await store.refresh('acme');

    const snapshot = store.snapshot('acme');
    assert.equal(snapshot?.state, 'error');
    assert.equal(snapshot?.stale, true);
    assert.equal(snapshot?.classes.length, before);
    assert.match(snapshot?.error?.message ?? '', /503|server/i);

    sim.faults.clear();
    await store.refresh('acme');
    assert.equal(store.snapshot('acme')?.state, 'loaded');
    assert.equal(store.snapshot('acme')?.stale, false);
  });

  it('announces a rejected token', async () => {
    store.setSource(sourceFor(sim, 'not-the-demo-token'));
    store.setNamespaces(['acme']);
    const seen: UnauthorizedError[] = [];
    store.onUnauthorized((error) => seen.push(error));

    await store.refresh();

    assert.equal(seen.length, 1);
    assert.ok(store.snapshot('acme')?.error instanceof UnauthorizedError);
  });

  it('derives classes from runners when the server has no resource-class endpoints', async () => {
    sim.setResourceClassEndpoints('none');
    store.setSource(sourceFor(sim));
    store.setNamespaces(['acme']);

    await store.refresh();

    const snapshot = store.snapshot('acme');
    assert.equal(snapshot?.state, 'loaded');
    assert.equal(snapshot?.classesFromRunners, true);
    const withRunners = new Set(
      sim.state.runners({ namespace: 'acme' }).map((r) => r.resource_class),
    );
    assert.deepEqual(snapshot?.classes.map((c) => c.name).sort(), [...withRunners].sort());
    assert.ok(snapshot?.classes.every((c) => c.seenFromRunnersOnly));
  });

  it('runs a refresh asked for during another once more, after it', async () => {
    store.setSource(sourceFor(sim));
    store.setNamespaces(['acme']);
    sim.setLatency(50);
    const first = store.refresh('acme');
    sim.state.addResourceClass('acme/added-meanwhile', 'created while loading');
    const second = store.refresh('acme');
    await Promise.all([first, second]);
    sim.setLatency(0);

    // The follow-up refresh is not awaited by either caller: wait for it to land.
    for (let i = 0; i < 50 && !store.findClass('acme/added-meanwhile'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(store.findClass('acme/added-meanwhile'));
  });
});
