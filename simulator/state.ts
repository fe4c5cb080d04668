// The simulator's in-memory world: resource classes, runners, task counts and issued tokens.

import { randomBytes } from 'node:crypto';
import { seedDemoData } from './demoData';
import { isResourceClassName, namespaceOf } from './names';
import { Random, seededRandom } from './random';
import { GenerateSpec, SimResourceClass, SimRunner, SimulatorState, TaskCounts } from './types';

/** Fixed so demo ids and generated fleets are the same on every start. */
const DATA_SEED = 20240611;

interface ClassRecord {
  info: SimResourceClass;
  unclaimed: number;
  running: number;
  tokens: string[];
}

export interface IssuedToken {
  id: string;
  token: string;
  createdAt: string;
}

export class SimState implements SimulatorState {
  private readonly classes = new Map<string, ClassRecord>();
  private runnerList: SimRunner[] = [];
  private random: Random = seededRandom(DATA_SEED);

  constructor(private readonly clock: () => number) {}

  namespaces(): string[] {
    const found = new Set<string>();
    for (const name of this.classes.keys()) {
      found.add(namespaceOf(name));
    }
    for (const runner of this.runnerList) {
      found.add(namespaceOf(runner.resource_class));
    }
    return [...found].sort();
  }

  resourceClasses(namespace?: string): SimResourceClass[] {
    const out: SimResourceClass[] = [];
    for (const [name, record] of this.classes) {
      if (namespace === undefined || namespaceOf(name) === namespace) {
        out.push({ ...record.info });
      }
    }
    return out;
  }

  /** Adds a class, or updates the description of one that exists. Throws on a bad name. */
  addResourceClass(fullName: string, description = ''): SimResourceClass {
    if (!isResourceClassName(fullName)) {
      throw new Error(`not a resource class name (namespace/name): ${fullName}`);
    }
    const existing = this.classes.get(fullName);
    if (existing) {
      existing.info.description = description || existing.info.description;
      return { ...existing.info };
    }
    const info = { id: this.random.uuid(), resource_class: fullName, description };
    this.classes.set(fullName, { info, unclaimed: 0, running: 0, tokens: [] });
    return { ...info };
  }

  /** Removes the class with its counts, tokens and runners, as a deleted class has none left. */
  removeResourceClass(fullName: string): boolean {
    if (!this.classes.delete(fullName)) {
      return false;
    }
    this.runnerList = this.runnerList.filter((r) => r.resource_class !== fullName);
    return true;
  }

  hasResourceClass(fullName: string): boolean {
    return this.classes.has(fullName);
  }

  resourceClass(fullName: string): SimResourceClass | undefined {
    const record = this.classes.get(fullName);
    return record ? { ...record.info } : undefined;
  }

  resourceClassById(id: string): SimResourceClass | undefined {
    for (const record of this.classes.values()) {
      if (record.info.id === id) {
        return { ...record.info };
      }
    }
    return undefined;
  }

  runners(filter?: { namespace?: string; resourceClass?: string }): SimRunner[] {
    return this.liveRunners(filter).map((r) => ({ ...r }));
  }

  /** The stored runner objects themselves, for the server and live mode to read and update. */
  liveRunners(filter?: { namespace?: string; resourceClass?: string }): SimRunner[] {
    const prefix = filter?.namespace === undefined ? undefined : `${filter.namespace}/`;
    const exact = filter?.resourceClass;
    return this.runnerList.filter(
      (r) =>
        (prefix === undefined || r.resource_class.startsWith(prefix)) &&
        (exact === undefined || r.resource_class === exact),
    );
  }

  addRunner(runner: SimRunner): SimRunner {
    const stored = { ...runner };
    this.runnerList.push(stored);
    return { ...stored };
  }

  /** Without a predicate, removes every runner. */
  removeRunners(predicate?: (r: SimRunner) => boolean): number {
    const before = this.runnerList.length;
    this.runnerList = predicate ? this.runnerList.filter((r) => !predicate({ ...r })) : [];
    return before - this.runnerList.length;
  }

  /** A string is stored as given (an ISO time); a number means that many milliseconds ago. */
  setRunnersLastConnected(resourceClass: string, isoOrMsAgo: string | number): void {
    const value =
      typeof isoOrMsAgo === 'string'
        ? isoOrMsAgo
        : new Date(this.clock() - isoOrMsAgo).toISOString();
    for (const runner of this.runnerList) {
      if (runner.resource_class === resourceClass) {
        runner.last_connected = value;
      }
    }
  }

  setTaskCounts(fullName: string, counts: { unclaimed?: number; running?: number }): void {
    const record = this.classes.get(fullName);
    if (!record) {
      throw new Error(`no resource class ${fullName}`);
    }
    for (const value of [counts.unclaimed, counts.running]) {
      if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
        throw new Error(`task counts are whole numbers from 0: ${value}`);
      }
    }
    record.unclaimed = counts.unclaimed ?? record.unclaimed;
    record.running = counts.running ?? record.running;
  }

  /** Zero for a class the simulator does not know, as the real server reports. */
  taskCounts(fullName: string): TaskCounts {
    const record = this.classes.get(fullName);
    return { unclaimed: record?.unclaimed ?? 0, running: record?.running ?? 0 };
  }

  issuedTokens(fullName: string): string[] {
    return [...(this.classes.get(fullName)?.tokens ?? [])];
  }

  /** Hands out a fresh one-time token; random on every call, never derived from the seed. */
  issueToken(fullName: string): IssuedToken {
    const record = this.classes.get(fullName);
    if (!record) {
      throw new Error(`no resource class ${fullName}`);
    }
    const token = `simrc-${randomBytes(20).toString('hex')}`;
    record.tokens.push(token);
    return { id: this.random.uuid(), token, createdAt: new Date(this.clock()).toISOString() };
  }

  /** Bulk data for benchmarks: classes `NS/pool-0001...` with runners spread round-robin. */
  generate(spec: GenerateSpec): void {
    const now = this.clock();
    const names: string[] = [];
    const width = String(spec.resourceClasses).length;
    for (let i = 1; i <= spec.resourceClasses; i++) {
      const name = `${spec.namespace}/pool-${String(i).padStart(width, '0')}`;
      names.push(name);
      this.addResourceClass(name, `Generated pool ${i}`);
      const record = this.classes.get(name);
      if (record) {
        record.unclaimed = this.random.int(0, 4);
        record.running = this.random.int(0, 3);
      }
    }
    if (names.length === 0) {
      return;
    }
    const osArch = [
      ['linux', 'amd64'],
      ['linux', 'arm64'],
      ['darwin', 'arm64'],
      ['windows', 'amd64'],
    ] as const;
    for (let i = 0; i < spec.runners; i++) {
      const resourceClass = names[i % names.length] ?? spec.namespace;
      const [os, arch] = osArch[i % osArch.length] ?? ['linux', 'amd64'];
      // Ages from seconds to days, so every status appears.
      const ageMs = Math.floor(this.random.next() ** 3 * 5 * 86_400_000);
      this.runnerList.push({
        resource_class: resourceClass,
        hostname: `gen-${i}.${spec.namespace}.internal`,
        name: `gen-runner-${i}`,
        first_connected: new Date(now - ageMs - 30 * 86_400_000).toISOString(),
        last_connected: new Date(now - ageMs).toISOString(),
        last_used: new Date(now - ageMs - 60_000).toISOString(),
        version: '1.1.73086-a5e5e5d',
        ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        os,
        arch,
      });
    }
  }

  reset(data: 'demo' | 'empty'): void {
    this.classes.clear();
    this.runnerList = [];
    this.random = seededRandom(DATA_SEED);
    if (data === 'demo') {
      seedDemoData(this, this.clock());
    }
  }
}
