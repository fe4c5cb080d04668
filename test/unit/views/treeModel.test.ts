// The Runners view's model, fed by the fleet store from the simulator over
// real HTTP: what a person would read in the tree, without VS Code.

import * as assert from 'node:assert/strict';
import { RunnerApiClient } from '../../../src/api/client';
import { createResourceClassEndpoints } from '../../../src/api/resourceClassEndpoints';
import { FleetStore } from '../../../src/fleet/fleetStore';
import { defaultThresholds } from '../../../src/fleet/runnerStatus';
import { silentLogger } from '../../../src/log';
import { TreeModel, type TreeNode } from '../../../src/views/treeModel';
import { DEMO_TOKEN, startSimulator, type Simulator } from '../../../simulator/index';

describe('tree model', () => {
  let sim: Simulator;
  let store: FleetStore;
  let model: TreeModel;
  let withToken: Set<string>;
  let counts: Map<string, { unclaimed: number; running: number }>;

  beforeEach(async () => {
    sim = await startSimulator();
    const client = new RunnerApiClient({
      baseUrl: sim.url,
      token: DEMO_TOKEN,
      retry: { retries: 0 },
    });
    const classes = createResourceClassEndpoints('spec', client);
    store = new FleetStore({ now: Date.now, logger: silentLogger });
    store.setSource({
      listRunners: (filter, options) => client.listRunners(filter, options),
      listResourceClasses: (namespace, options) => classes.list(namespace, options),
    });
    store.setNamespaces(['acme', 'globex']);
    withToken = new Set();
    counts = new Map();
    model = new TreeModel({
      fleet: store,
      now: Date.now,
      thresholds: () => defaultThresholds,
      hasStoredToken: (name) => withToken.has(name),
      queueCounts: (name) => counts.get(name),
    });
  });

  afterEach(async () => {
    store.dispose();
    await sim.close();
  });

  const labels = (nodes: TreeNode[]) => nodes.map((node) => model.present(node).label);

  it('shows namespaces, then classes, then runners, with statuses from last contact', async () => {
    await store.refresh();

    assert.deepEqual(labels(model.roots()), ['acme', 'globex']);
    const acme = model.children(model.roots()[0]);
    assert.deepEqual(
      labels(acme),
      sim.state
        .resourceClasses('acme')
        .map((c) => c.resource_class.split('/')[1])
        .sort(),
    );

    const linux = acme.find((node) => model.present(node).label === 'linux-amd64');
    assert.ok(linux);
    const runners = model.children(linux);
    const status = (name: string) =>
      model.present(runners.find((n) => model.present(n).label === name) as TreeNode).status;
    assert.equal(status('acme-build-01'), 'online');
    assert.equal(status('acme-build-04'), 'idle');
    assert.equal(status('acme-build-05'), 'offline');

    const presented = model.present(linux);
    assert.match(presented.description ?? '', /^3 of 5 online/);
    assert.equal(presented.contextValue, 'resourceClass');
    const namespace = model.present(model.roots()[0] as TreeNode);
    assert.match(namespace.description ?? '', /classes · \d+ of \d+ online/);
  });

  it('describes a runner by hostname, version and last contact, with every field', async () => {
    await store.refresh();
    const runner = model
      .children(model.classNode('acme/linux-amd64'))
      .find((n) => model.present(n).label === 'acme-build-04') as TreeNode;
    const view = model.present(runner);

    assert.match(
      view.description ?? '',
      /^seen 12 min ago · acme-build-04\.build\.internal · 3\.0\.25-\S+$/,
    );
    const rows = Object.fromEntries(view.tooltip.rows.map((row) => [row.label, row.value]));
    assert.equal(rows.IP, '10.20.1.14');
    assert.equal(rows.OS, 'linux');
    assert.equal(rows.Arch, 'amd64');
    assert.match(rows['Last connected'] ?? '', /UTC \(12 min ago\)$/);
    assert.match(rows['First connected'] ?? '', /d ago\)$/);
    assert.equal(view.contextValue, 'runner;hasHostname;hasIp');
    assert.equal(view.icon?.id, 'circle-filled');
  });

  it('draws a runner row without its tooltip, which hovering builds', async () => {
    await store.refresh();
    const runner = model.children(model.classNode('acme/linux-amd64'))[0] as TreeNode;
    const row = model.presentRow(runner);
    const full = model.present(runner);

    assert.equal(row.tooltipDeferred, true);
    assert.deepEqual(row.tooltip.rows, []);
    assert.equal(full.tooltipDeferred, false);
    assert.equal(full.tooltip.rows.length, 11);
    assert.deepEqual(
      { ...row, tooltip: undefined, tooltipDeferred: undefined },
      {
        ...full,
        tooltip: undefined,
        tooltipDeferred: undefined,
      },
    );
  });

  it('says so when a class has no runners, and flags classes with a stored token', async () => {
    const empty = sim.state
      .resourceClasses()
      .find((c) => sim.state.runners({ resourceClass: c.resource_class }).length === 0);
    assert.ok(empty, 'the demo data has a class without runners');
    withToken.add(empty.resource_class);
    await store.refresh();

    const node = model.classNode(empty.resource_class);
    const children = model.children(node);
    assert.equal(children.length, 1);
    assert.equal(children[0]?.kind, 'message');
    assert.match(model.present(children[0]).label, /No runners have connected/);
    assert.equal(model.present(node).contextValue, 'resourceClass;hasToken');
  });

  it('shows queue counts from the queue store on class rows', async () => {
    await store.refresh();
    counts.set('acme/linux-amd64', { unclaimed: 7, running: 2 });
    assert.match(
      model.present(model.classNode('acme/linux-amd64')).description ?? '',
      /7 queued · 2 running/,
    );
    assert.match(model.present(model.namespaceNode('acme')).description ?? '', /7 queued/);
  });

  it('shows a failed load as an error child with Retry, above stale data', async () => {
    await store.refresh();
    sim.faults.inject({ status: 500, match: { path: '/runner' } });
    await store.refresh('acme');

    const children = model.children(model.namespaceNode('acme'));
    const first = children[0];
    assert.equal(first?.kind, 'message');
    const view = model.present(first);
    assert.equal(view.contextValue, 'error;retryable');
    assert.match(view.label, /500|server/i);
    assert.ok(children.length > 1, 'the classes loaded before stay visible');
    assert.match(model.present(model.namespaceNode('acme')).description ?? '', /stale/);
  });

  it('marks classes derived from runners and explains why in the tooltip', async () => {
    sim.setResourceClassEndpoints('none');
    await store.refresh();
    const view = model.present(model.classNode('acme/linux-amd64'));
    assert.match(view.description ?? '', /seen from runners/);
    assert.match(view.tooltip.notes.join(' '), /cannot be listed this way/);
  });

  it('shows hostile server text as plain, bounded text', async () => {
    sim.state.addRunner({
      resource_class: 'acme/linux-amd64',
      name: `[click](command:workbench.action.terminal.new)\u202e\u0007${'x'.repeat(10_000)}`,
      hostname: '<img src=x onerror=alert(1)>',
      last_connected: new Date().toISOString(),
    });
    await store.refresh();
    const runner = model
      .children(model.classNode('acme/linux-amd64'))
      .find((n) => n.kind === 'runner' && n.runner.name?.startsWith('[click]')) as TreeNode;
    const view = model.present(runner);

    assert.ok(view.label.length <= 100);
    assert.ok(!view.label.includes('\u202e') && !view.label.includes('\u0007'));
    assert.ok(view.tooltip.rows.every((row) => row.value.length <= 200));
  });
});
