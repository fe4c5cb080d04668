// The fleet and tree measurements the benchmark runs in plain Node: the real
// client talking HTTP to a simulator, the fleet store and the tree model, as
// the extension wires them, without VS Code around them.

import { performance } from 'node:perf_hooks';
import { RunnerApiClient } from '../src/api/client';
import { createResourceClassEndpoints } from '../src/api/resourceClassEndpoints';
import { FleetStore } from '../src/fleet/fleetStore';
import { defaultThresholds } from '../src/fleet/runnerStatus';
import { silentLogger } from '../src/log';
import { TreeModel, type Presentation, type TreeNode } from '../src/views/treeModel';

export interface Fleet {
  client: RunnerApiClient;
  store: FleetStore;
  model: TreeModel;
  dispose(): void;
}

/** The extension's wiring of client, fleet store and tree model (see src/app.ts). */
export function createFleet(baseUrl: string, token: string): Fleet {
  const client = new RunnerApiClient({ baseUrl, token, retry: { retries: 0 } });
  const classes = createResourceClassEndpoints('spec', client);
  const store = new FleetStore({ now: Date.now, logger: silentLogger });
  store.setSource({
    listRunners: (filter, options) => client.listRunners(filter, options),
    listResourceClasses: (namespace, options) => classes.list(namespace, options),
  });
  const model = new TreeModel({
    fleet: store,
    now: Date.now,
    thresholds: () => defaultThresholds,
    hasStoredToken: () => false,
    queueCounts: () => undefined,
  });
  return { client, store, model, dispose: () => store.dispose() };
}

/**
 * What VS Code asks of a provider when a node expands: its children, then
 * each one's row. Runner tooltips are built later, on hover.
 */
export function expand(model: TreeModel, node?: TreeNode): Presentation[] {
  return model.children(node).map((child) => model.presentRow(child));
}

export interface FillMeasurement {
  /** From refresh() to every node of the tree built, in ms. */
  ms: number;
  nodes: number;
}

/**
 * Fills the whole tree the way the view does on opening: load every
 * namespace, then expand every namespace and every class.
 */
export async function fillTree(
  fleet: Fleet,
  namespaces: readonly string[],
): Promise<FillMeasurement> {
  fleet.store.setNamespaces(namespaces);
  const started = performance.now();
  await fleet.store.refresh();
  let nodes = 0;
  const visit = (node?: TreeNode): void => {
    for (const child of fleet.model.children(node)) {
      fleet.model.presentRow(child);
      nodes += 1;
      visit(child);
    }
  };
  visit();
  return { ms: performance.now() - started, nodes };
}

export interface ExpandMeasurement {
  /** children() plus presentRow() for every child, in ms. */
  ms: number;
  items: number;
}

export function timeExpand(model: TreeModel, node: TreeNode): ExpandMeasurement {
  const started = performance.now();
  const items = expand(model, node);
  return { ms: performance.now() - started, items: items.length };
}
