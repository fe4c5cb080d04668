// QueueStore: the single source of truth for task-queue figures per resource class.
//
// Read side (views):
//   store.state: QueueState            idle | firstPoll | ok | signedOut
//                                       | failing{reason, nextRetryAt, consecutiveFailures}
//   store.get(resourceClass): ClassQueue | undefined
//   store.classes(): ClassQueue[]       by resource class name
//   store.sorted(): ClassQueue[]        most unclaimed first, then by name; unknown counts last
//   store.totals: { unclaimed, running, known, total }
//   store.lastUpdatedAt: number | undefined   latest time any class got fresh counts
//   store.onDidChange(listener: (change: QueueChange) => void): Disposable
//     QueueChange = { classes, membershipChanged, totalsChanged, stateChanged }
//     Fired once per batch of writes, and only when a figure, an error, a stale
//     flag, the set of classes or the state changed. Timestamps alone never fire it,
//     so a status bar that redraws on this event redraws only when its text changes.
//
// Write side (the poller): batch(fn), setState, syncClasses, applyResults,
// markAllStale, clear. Entries are replaced, never mutated, so a view may keep one.

import type { RunnerApiErrorKind } from '../api/errors';
import { Emitter, type Event } from './emitter';

/** What a view needs to show about a failed request; never the raw error object. */
export interface QueueErrorSummary {
  kind: RunnerApiErrorKind | 'unknown';
  message: string;
  status?: number;
  /** When the failure was seen (epoch ms). Not compared when deciding whether to fire. */
  at: number;
}

export interface ClassQueue {
  readonly resourceClass: string;
  /** Unclaimed (queued) tasks; undefined until the server has answered once. */
  readonly unclaimed?: number;
  /** Running tasks; undefined until the server has answered once. */
  readonly running?: number;
  /** When both counts were last fetched together (epoch ms). */
  readonly updatedAt?: number;
  /** The failure of the latest poll of this class, if it failed. */
  readonly error?: QueueErrorSummary;
  /** True when the latest poll of this class failed: any counts shown are older. */
  readonly stale: boolean;
}

export type QueueState =
  /** Nothing to poll: no token, no namespaces, no resource classes, or stopped. */
  | { readonly kind: 'idle' }
  /** Started, first answers not in yet: show a spinner. */
  | { readonly kind: 'firstPoll' }
  | { readonly kind: 'ok' }
  /** Polls fail for a reason that should pass (rate limit, server, network, time-out). */
  | {
      readonly kind: 'failing';
      readonly reason: string;
      readonly nextRetryAt: number;
      readonly consecutiveFailures: number;
    }
  /** The token was rejected (401); polling stopped until a new start. */
  | { readonly kind: 'signedOut' };

export interface QueueTotals {
  /** Sum of the known unclaimed counts (stale ones included: they are the last known). */
  readonly unclaimed: number;
  /** Sum of the known running counts. */
  readonly running: number;
  /** Classes with both counts known. */
  readonly known: number;
  /** All classes in the store. */
  readonly total: number;
}

export interface QueueChange {
  /** Classes whose entry changed, appeared or disappeared, by name. */
  readonly classes: readonly string[];
  /** A class appeared or disappeared. */
  readonly membershipChanged: boolean;
  readonly totalsChanged: boolean;
  readonly stateChanged: boolean;
}

/** One class's outcome in a poll. A count left undefined failed or was not fetched. */
export interface ClassPollResult {
  resourceClass: string;
  unclaimed?: number;
  running?: number;
  error?: QueueErrorSummary;
}

export class QueueStore {
  private readonly entries = new Map<string, ClassQueue>();
  private currentState: QueueState = { kind: 'idle' };
  private readonly emitter: Emitter<QueueChange>;
  private batchDepth = 0;
  private pending: PendingChange | undefined;

  readonly onDidChange: Event<QueueChange>;

  constructor(onListenerError?: (error: unknown) => void) {
    this.emitter = new Emitter<QueueChange>(onListenerError);
    this.onDidChange = this.emitter.event;
  }

  get state(): QueueState {
    return this.currentState;
  }

  get(resourceClass: string): ClassQueue | undefined {
    return this.entries.get(resourceClass);
  }

  classes(): ClassQueue[] {
    return [...this.entries.values()].sort((a, b) => compareNames(a, b));
  }

  sorted(): ClassQueue[] {
    return [...this.entries.values()].sort(compareByQueued);
  }

  get totals(): QueueTotals {
    let unclaimed = 0;
    let running = 0;
    let known = 0;
    for (const entry of this.entries.values()) {
      unclaimed += entry.unclaimed ?? 0;
      running += entry.running ?? 0;
      if (entry.unclaimed !== undefined && entry.running !== undefined) {
        known += 1;
      }
    }
    return { unclaimed, running, known, total: this.entries.size };
  }

  get lastUpdatedAt(): number | undefined {
    let latest: number | undefined;
    for (const entry of this.entries.values()) {
      if (entry.updatedAt !== undefined && (latest === undefined || entry.updatedAt > latest)) {
        latest = entry.updatedAt;
      }
    }
    return latest;
  }

  /** Runs several writes and fires at most one change event for all of them. */
  batch(fn: () => void): void {
    this.begin();
    try {
      fn();
    } finally {
      this.end();
    }
  }

  setState(state: QueueState): void {
    this.batch(() => {
      if (!sameState(this.currentState, state)) {
        this.currentState = state;
        this.pendingChange().stateChanged = true;
      }
    });
  }

  /** Makes the set of classes exactly `names`: new ones start empty, missing ones go. */
  syncClasses(names: readonly string[]): void {
    this.batch(() => {
      const wanted = new Set(names);
      for (const name of [...this.entries.keys()]) {
        if (!wanted.has(name)) {
          this.entries.delete(name);
          this.markClass(name, true);
        }
      }
      for (const name of wanted) {
        if (!this.entries.has(name)) {
          this.entries.set(name, { resourceClass: name, stale: false });
          this.markClass(name, true);
        }
      }
    });
  }

  /**
   * Records one poll's outcome. A class with both counts becomes fresh. A class
   * with an error keeps its earlier counts (a count that did arrive replaces
   * its old value) and is marked stale with the error.
   */
  applyResults(results: readonly ClassPollResult[], at: number): void {
    this.batch(() => {
      for (const result of results) {
        this.applyResult(result, at);
      }
    });
  }

  /** Marks every class stale, with the same error, keeping its last counts. */
  markAllStale(error: QueueErrorSummary): void {
    this.batch(() => {
      for (const entry of [...this.entries.values()]) {
        this.replace(entry, { ...entry, error, stale: true });
      }
    });
  }

  /** Forgets all classes and returns to idle. */
  clear(): void {
    this.batch(() => {
      this.syncClasses([]);
      this.setState({ kind: 'idle' });
    });
  }

  dispose(): void {
    this.emitter.dispose();
  }

  private applyResult(result: ClassPollResult, at: number): void {
    const name = result.resourceClass;
    let existing = this.entries.get(name);
    if (existing === undefined) {
      existing = { resourceClass: name, stale: false };
      this.entries.set(name, existing);
      this.markClass(name, true);
    }

    const complete =
      result.error === undefined && result.unclaimed !== undefined && result.running !== undefined;
    if (complete) {
      this.replace(existing, {
        resourceClass: name,
        unclaimed: result.unclaimed,
        running: result.running,
        updatedAt: at,
        stale: false,
      });
      return;
    }

    const error = result.error ?? {
      kind: 'unknown' as const,
      message: 'The poll returned no counts for this resource class.',
      at,
    };
    this.replace(existing, {
      ...existing,
      unclaimed: result.unclaimed ?? existing.unclaimed,
      running: result.running ?? existing.running,
      error,
      stale: true,
    });
  }

  /** Stores `next`; records a change only if a figure, flag or error differs. */
  private replace(previous: ClassQueue, next: ClassQueue): void {
    const changed = !sameFigures(previous, next);
    this.entries.set(
      next.resourceClass,
      changed ? next : { ...next, error: keepError(previous, next) },
    );
    if (changed) {
      this.markClass(next.resourceClass, false);
    }
  }

  private markClass(name: string, membership: boolean): void {
    const pending = this.pendingChange();
    pending.classes.add(name);
    pending.membershipChanged ||= membership;
  }

  private pendingChange(): PendingChange {
    if (this.pending === undefined) {
      throw new Error('QueueStore writes must run inside a batch');
    }
    return this.pending;
  }

  private begin(): void {
    if (this.batchDepth === 0) {
      const totals = this.totals;
      this.pending = {
        classes: new Set(),
        membershipChanged: false,
        stateChanged: false,
        unclaimedBefore: totals.unclaimed,
        runningBefore: totals.running,
        knownBefore: totals.known,
      };
    }
    this.batchDepth += 1;
  }

  private end(): void {
    this.batchDepth -= 1;
    if (this.batchDepth > 0 || this.pending === undefined) {
      return;
    }
    const pending = this.pending;
    this.pending = undefined;
    const totals = this.totals;
    const totalsChanged =
      totals.unclaimed !== pending.unclaimedBefore ||
      totals.running !== pending.runningBefore ||
      totals.known !== pending.knownBefore;
    if (pending.classes.size === 0 && !pending.stateChanged && !totalsChanged) {
      return;
    }
    this.emitter.fire({
      classes: [...pending.classes].sort(),
      membershipChanged: pending.membershipChanged,
      totalsChanged,
      stateChanged: pending.stateChanged,
    });
  }
}

interface PendingChange {
  classes: Set<string>;
  membershipChanged: boolean;
  stateChanged: boolean;
  unclaimedBefore: number;
  runningBefore: number;
  knownBefore: number;
}

function compareNames(a: ClassQueue, b: ClassQueue): number {
  return a.resourceClass < b.resourceClass ? -1 : a.resourceClass > b.resourceClass ? 1 : 0;
}

/** Most unclaimed first; classes with no known count after all others; then by name. */
export function compareByQueued(a: ClassQueue, b: ClassQueue): number {
  const aq = a.unclaimed ?? -1;
  const bq = b.unclaimed ?? -1;
  if (aq !== bq) {
    return bq - aq;
  }
  return compareNames(a, b);
}

function sameFigures(a: ClassQueue, b: ClassQueue): boolean {
  return (
    a.unclaimed === b.unclaimed &&
    a.running === b.running &&
    a.stale === b.stale &&
    sameError(a.error, b.error)
  );
}

/** When nothing visible changed, keep the first sighting time of an ongoing error. */
function keepError(previous: ClassQueue, next: ClassQueue): QueueErrorSummary | undefined {
  return next.error === undefined ? undefined : (previous.error ?? next.error);
}

function sameError(a: QueueErrorSummary | undefined, b: QueueErrorSummary | undefined): boolean {
  if (a === undefined || b === undefined) {
    return a === b;
  }
  return a.kind === b.kind && a.message === b.message && a.status === b.status;
}

function sameState(a: QueueState, b: QueueState): boolean {
  if (a.kind !== b.kind) {
    return false;
  }
  if (a.kind === 'failing' && b.kind === 'failing') {
    return (
      a.reason === b.reason &&
      a.nextRetryAt === b.nextRetryAt &&
      a.consecutiveFailures === b.consecutiveFailures
    );
  }
  return true;
}
