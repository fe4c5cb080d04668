// The fleet as the server last described it: per namespace, its resource
// classes and their runners, with load state, error and fetch time. Views
// read it and listen to `onDidChange`; only refresh() talks to the API.

import { HttpError, NotFoundError, UnauthorizedError, isRunnerApiError } from '../api/errors';
import type { RequestOptions, ResourceClass, Runner, RunnerFilter } from '../api/types';
import { Emitter, type Event } from '../util/emitter';
import type { Logger } from '../log';
import { groupRunners, type ResourceClassEntry } from './grouping';

export interface FleetSource {
  listRunners(filter: RunnerFilter, options?: RequestOptions): Promise<Runner[]>;
  listResourceClasses(namespace: string, options?: RequestOptions): Promise<ResourceClass[]>;
}

export type LoadState = 'idle' | 'loading' | 'loaded' | 'error';

export interface NamespaceSnapshot {
  readonly namespace: string;
  readonly state: LoadState;
  /** The last classes that loaded; kept through a failed refresh, then marked stale. */
  readonly classes: readonly ResourceClassEntry[];
  readonly fetchedAt?: number;
  readonly error?: Error;
  /** True when the server could not list classes and they were derived from runners. */
  readonly classesFromRunners: boolean;
  /** The data shown is older than the last attempt, which failed. */
  readonly stale: boolean;
}

export interface FleetChange {
  namespace?: string;
}

interface Entry {
  snapshot: NamespaceSnapshot;
  controller?: AbortController;
  running?: Promise<void>;
  again: boolean;
}

export interface FleetStoreOptions {
  now: () => number;
  logger: Logger;
}

export class FleetStore {
  private readonly entries = new Map<string, Entry>();
  private source: FleetSource | undefined;
  private readonly changed = new Emitter<FleetChange>();
  private readonly unauthorized = new Emitter<UnauthorizedError>();

  readonly onDidChange: Event<FleetChange> = this.changed.event;
  /** The server rejected the token: the caller shows the signed-out state. */
  readonly onUnauthorized: Event<UnauthorizedError> = this.unauthorized.event;

  constructor(private readonly options: FleetStoreOptions) {}

  /** A new connection (or none): what was loaded from the old one is dropped. */
  setSource(source: FleetSource | undefined): void {
    this.source = source;
    for (const [namespace, entry] of this.entries) {
      entry.controller?.abort();
      entry.again = false;
      entry.snapshot = emptySnapshot(namespace);
    }
    this.changed.fire({});
  }

  setNamespaces(namespaces: readonly string[]): void {
    const wanted = new Set(namespaces);
    let changed = false;

    for (const [namespace, entry] of this.entries) {
      if (!wanted.has(namespace)) {
        entry.controller?.abort();
        this.entries.delete(namespace);
        changed = true;
      }
    }
    for (const namespace of namespaces) {
      if (!this.entries.has(namespace)) {
        this.entries.set(namespace, { snapshot: emptySnapshot(namespace), again: false });
        changed = true;
      }
    }

    if (changed) {
      this.changed.fire({});
    }
  }

  namespaces(): string[] {
    return [...this.entries.keys()];
  }

  snapshot(namespace: string): NamespaceSnapshot | undefined {
    return this.entries.get(namespace)?.snapshot;
  }

  /** Every loaded class, across namespaces, in namespace order. */
  allClasses(): ResourceClassEntry[] {
    return [...this.entries.values()].flatMap((entry) => entry.snapshot.classes);
  }

  findClass(fullName: string): ResourceClassEntry | undefined {
    const namespace = fullName.split('/')[0] ?? '';
    return this.entries.get(namespace)?.snapshot.classes.find((c) => c.name === fullName);
  }

  /** Refreshes one namespace, or all. Resolves when the data is in; never rejects. */
  async refresh(namespace?: string): Promise<void> {
    const names = namespace === undefined ? this.namespaces() : [namespace];
    await Promise.all(names.map((name) => this.refreshOne(name)));
  }

  /** Refreshes the namespaces that have never loaded (a view opening for the first time). */
  async ensureLoaded(): Promise<void> {
    const pending = [...this.entries.values()]
      .filter((entry) => entry.snapshot.state === 'idle')
      .map((entry) => this.refreshOne(entry.snapshot.namespace));
    await Promise.all(pending);
  }

  dispose(): void {
    for (const entry of this.entries.values()) {
      entry.controller?.abort();
    }
    this.entries.clear();
    this.changed.dispose();
    this.unauthorized.dispose();
  }

  private refreshOne(namespace: string): Promise<void> {
    const entry = this.entries.get(namespace);
    if (entry === undefined) {
      return Promise.resolve();
    }

    // A refresh asked for while one runs may follow a change on the server
    // that the running one started too early to see: run once more after it.
    if (entry.running !== undefined) {
      entry.again = true;
      return entry.running;
    }

    entry.running = this.load(namespace, entry).finally(() => {
      entry.running = undefined;
      if (entry.again && this.entries.get(namespace) === entry) {
        entry.again = false;
        void this.refreshOne(namespace);
      }
    });
    return entry.running;
  }

  private async load(namespace: string, entry: Entry): Promise<void> {
    const source = this.source;
    if (source === undefined) {
      return;
    }

    const controller = new AbortController();
    entry.controller = controller;
    entry.snapshot = { ...entry.snapshot, state: 'loading' };
    this.changed.fire({ namespace });

    const started = this.options.now();
    const signal = controller.signal;
    const [classes, runners] = await Promise.allSettled([
      source.listResourceClasses(namespace, { signal }),
      source.listRunners({ namespace }, { signal }),
    ]);

    // Superseded by setSource, setNamespaces or dispose while in flight.
    if (signal.aborted || this.entries.get(namespace) !== entry || this.source !== source) {
      return;
    }
    entry.controller = undefined;

    const failure = pickFailure(classes, runners);
    if (failure !== undefined) {
      this.fail(namespace, entry, failure);
      return;
    }

    const runnerList = runners.status === 'fulfilled' ? runners.value : [];
    const classList = classes.status === 'fulfilled' ? classes.value : undefined;
    const grouping = groupRunners(namespace, classList, runnerList);
    if (grouping.duplicatesDropped > 0) {
      this.options.logger.warn(
        `${namespace}: the server listed ${grouping.duplicatesDropped} runner(s) twice; ` +
          'each is shown once.',
      );
    }

    entry.snapshot = {
      namespace,
      state: 'loaded',
      classes: grouping.classes,
      fetchedAt: started,
      classesFromRunners: classList === undefined,
      stale: false,
    };
    this.changed.fire({ namespace });
  }

  private fail(namespace: string, entry: Entry, error: Error): void {
    const level = isRunnerApiError(error) && error.kind === 'aborted' ? 'debug' : 'warn';
    this.options.logger[level](`${namespace}: could not load the fleet: ${error.message}`);

    entry.snapshot = {
      ...entry.snapshot,
      state: 'error',
      error,
      stale: entry.snapshot.fetchedAt !== undefined,
    };
    this.changed.fire({ namespace });

    if (error instanceof UnauthorizedError) {
      this.unauthorized.fire(error);
    }
  }
}

function emptySnapshot(namespace: string): NamespaceSnapshot {
  return { namespace, state: 'idle', classes: [], classesFromRunners: false, stale: false };
}

/** Servers without the resource-class endpoints answer 404 or 405 for them. */
export function meansNoResourceClassEndpoint(error: unknown): boolean {
  return error instanceof NotFoundError || (error instanceof HttpError && error.status === 405);
}

/**
 * What failed, if anything must be shown as failed. A missing resource-class
 * endpoint is not a failure when the runners loaded: classes come from them.
 * A rejected token outranks everything else.
 */
function pickFailure(
  classes: PromiseSettledResult<ResourceClass[]>,
  runners: PromiseSettledResult<Runner[]>,
): Error | undefined {
  const errors = [classes, runners]
    .filter((result): result is PromiseRejectedResult => result.status === 'rejected')
    .map((result) => toError(result.reason));

  const unauthorized = errors.find((error) => error instanceof UnauthorizedError);
  if (unauthorized !== undefined) {
    return unauthorized;
  }
  if (runners.status === 'rejected') {
    return toError(runners.reason);
  }
  if (classes.status === 'rejected' && !meansNoResourceClassEndpoint(classes.reason)) {
    return toError(classes.reason);
  }
  return undefined;
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
