// One benchmark task in its own Node process, so the simulator (which runs in
// the parent) shares neither its heap nor its event loop with what is measured.
// Usage: node --expose-gc out/bench/worker.js INPUT.json OUTPUT.json

import * as fs from 'node:fs';
import { RunnerApiClient } from '../src/api/client';
import { measurePollCycle } from './queueCycle';
import { createFleet, fillTree, timeExpand } from './fleetBench';

interface Common {
  url: string;
  token: string;
}

export type WorkerInput =
  | (Common & { task: 'fill'; namespaces: string[]; runs: number })
  | (Common & { task: 'scale'; namespace: string; resourceClass: string; repeats: number })
  | (Common & { task: 'poll'; classes: string[]; maxConcurrent: number });

function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) {
    throw new Error('run with node --expose-gc');
  }
  // Twice: the first pass can leave objects that only a second one frees.
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
};

async function fill(input: Extract<WorkerInput, { task: 'fill' }>) {
  const times: number[] = [];
  let nodes = 0;
  for (let run = 0; run < input.runs; run++) {
    const fleet = createFleet(input.url, input.token);
    try {
      const result = await fillTree(fleet, input.namespaces);
      times.push(result.ms);
      nodes = result.nodes;
    } finally {
      fleet.dispose();
    }
  }
  return { times, nodes };
}

async function scale(input: Extract<WorkerInput, { task: 'scale' }>) {
  const fleet = createFleet(input.url, input.token);
  const before = heapUsed();
  fleet.store.setNamespaces([input.namespace]);
  await fleet.store.refresh();
  const snapshot = fleet.store.snapshot(input.namespace);
  if (snapshot?.state !== 'loaded') {
    throw new Error(`${input.namespace} did not load: ${snapshot?.error?.message ?? 'unknown'}`);
  }
  const loaded = heapUsed();

  const namespaceNode = fleet.model.namespaceNode(input.namespace);
  const classNode = fleet.model.classNode(input.resourceClass);
  // The first expansion is what a person waits for; later ones run on warm code.
  const namespaceFirst = timeExpand(fleet.model, namespaceNode);
  const classFirst = timeExpand(fleet.model, classNode);
  // Kept alive so the memory figure includes the items the view holds.
  const kept = [fleet.model.children(namespaceNode), fleet.model.children(classNode)];
  const built = heapUsed();

  const namespaceWarm: number[] = [];
  const classWarm: number[] = [];
  for (let i = 0; i < input.repeats; i++) {
    namespaceWarm.push(timeExpand(fleet.model, namespaceNode).ms);
    classWarm.push(timeExpand(fleet.model, classNode).ms);
  }
  const result = {
    classes: snapshot.classes.length,
    runners: snapshot.classes.reduce((sum, entry) => sum + entry.runners.length, 0),
    namespaceItems: namespaceFirst.items,
    classItems: classFirst.items,
    namespaceFirstMs: namespaceFirst.ms,
    namespaceWarmMs: median(namespaceWarm),
    classFirstMs: classFirst.ms,
    classWarmMs: median(classWarm),
    heapBefore: before,
    heapLoaded: loaded,
    heapBuilt: built,
    keptNodes: kept.reduce((sum, list) => sum + list.length, 0),
  };
  fleet.dispose();
  return result;
}

async function poll(input: Extract<WorkerInput, { task: 'poll' }>) {
  const client = new RunnerApiClient({ baseUrl: input.url, token: input.token });
  // The extension starts polling only after the fleet load, so by its first
  // cycle node-fetch is loaded and a connection is open: do the same here.
  const namespace = input.classes[0]?.split('/')[0] ?? 'bench';
  await client.listRunners({ namespace }).catch(() => undefined);
  return measurePollCycle({
    api: client,
    classes: input.classes,
    maxConcurrent: input.maxConcurrent,
  });
}

async function main(): Promise<void> {
  const [inputFile, outputFile] = process.argv.slice(2);
  if (inputFile === undefined || outputFile === undefined) {
    throw new Error('usage: worker.js INPUT.json OUTPUT.json');
  }
  const input = JSON.parse(fs.readFileSync(inputFile, 'utf8')) as WorkerInput;
  const result =
    input.task === 'fill'
      ? await fill(input)
      : input.task === 'scale'
        ? await scale(input)
        : await poll(input);
  fs.writeFileSync(outputFile, `${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
