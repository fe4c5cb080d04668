// QueuePoller: polls unclaimed and running task counts per resource class into a QueueStore.
//
//   new QueuePoller({ api, getResourceClasses, clock, random, logger, getSettings, store })
//     api                 Pick<RunnerApi, 'getUnclaimedTaskCount' | 'getRunningTaskCount'>
//     getResourceClasses  () => readonly string[]   read at the start of every cycle
//     clock, random       Clock and () => number in [0, 1), for timers and backoff jitter
//     logger              Logger
//     getSettings         () => { intervalSeconds?, maxConcurrent? }  defaults 30 s and 4;
//                         interval clamped to 10..3600 s, concurrency to 1..16
//     store               QueueStore that receives every result
//
//   start()          poll at once, then on schedule; also the way back after signedOut
//   stop()           abort requests, cancel the timer, clear the store (state idle)
//   dispose()        abort and cancel as stop(), leave the store as it is; final
//   pollNow()        Promise<void>: start a cycle at once (even during backoff) and resolve
//                    when it ends; during a running cycle, one follow-up cycle runs after
//                    it (shared by every call made meanwhile) and the promise follows that
//   setFocused(b)    unfocused: a fifth of the rate; refocus: poll at once if overdue by
//                    the focused interval, otherwise reschedule to the focused interval
//   updateSettings() re-read getSettings() and reschedule (polls at once if now overdue)
//   notifyClassesChanged()  the class list changed: removed classes leave the store now;
//                    a new class is polled at once unless backing off or a cycle runs
//   stats            PollerStats: last cycle's requests, duration, peak in-flight, ...
//   onDidCompleteCycle(listener: (report: PollCycleReport) => void): Disposable
//                    fired after each cycle that wrote to the store (feeds the stuck-queue
//                    tracker with the classes that got fresh counts)
//
// Never two cycles at once. Transient failures (429, 5xx, network, time-out) back off;
// a 404 is recorded on its class only; a 401 stops polling and sets `signedOut`.

import { setMaxListeners } from 'node:events';
import {
  isRunnerApiError,
  RateLimitedError,
  UnauthorizedError,
  type RunnerApiError,
} from '../api/errors';
import type { RunnerApi } from '../api/types';
import type { Logger } from '../log';
import type { Clock, RandomSource } from './clock';
import { Emitter, type Event } from './emitter';
import type { ClassPollResult, QueueErrorSummary, QueueStore } from './queueStore';
import {
  backoffDelay,
  combineDelays,
  resolvePollSettings,
  type PollSettings,
  type ResolvedPollSettings,
} from './schedule';

export type TaskCountApi = Pick<RunnerApi, 'getUnclaimedTaskCount' | 'getRunningTaskCount'>;

export interface QueuePollerOptions {
  api: TaskCountApi;
  getResourceClasses: () => readonly string[];
  clock: Clock;
  random: RandomSource;
  logger: Logger;
  getSettings: () => PollSettings;
  store: QueueStore;
}

export interface PollerStats {
  /** Cycles that ran to the end since construction. */
  readonly cycles: number;
  /** Requests sent in the last finished cycle (2 per class unless it stopped early). */
  readonly lastCycleRequests: number;
  /** Wall time of the last finished cycle, by the injected clock. */
  readonly lastCycleMs: number;
  /** Most requests in flight at once during the last finished cycle. */
  readonly lastCycleMaxInFlight: number;
  readonly consecutiveFailures: number;
  readonly cycleRunning: boolean;
  /** When the pending timer fires, if one is set (epoch ms). */
  readonly nextPollAt?: number;
}

export type CycleOutcome = 'ok' | 'backoff' | 'signedOut';

export interface PollCycleReport {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly outcome: CycleOutcome;
  /** Classes whose two counts both arrived in this cycle. */
  readonly succeeded: readonly string[];
  /** Classes that failed or were not reached in this cycle. */
  readonly failed: readonly string[];
  readonly requests: number;
}

type CountKind = 'unclaimed' | 'running';

interface CountTask {
  resourceClass: string;
  kind: CountKind;
}

/** Failures that say "not now" rather than "not this class": they trigger backoff. */
const TRANSIENT_KINDS: ReadonlySet<string> = new Set([
  'rateLimited',
  'server',
  'network',
  'timeout',
]);

/** Order in which a cycle's transient failures name the failing state. */
const REASON_PRIORITY = ['rateLimited', 'server', 'timeout', 'network'] as const;

export class QueuePoller {
  private readonly options: QueuePollerOptions;
  private readonly cycleEmitter: Emitter<PollCycleReport>;
  readonly onDidCompleteCycle: Event<PollCycleReport>;

  private active = false;
  private disposed = false;
  private focused = true;
  /** Bumped by start/stop/dispose, so a cycle aborted by them never writes afterwards. */
  private epoch = 0;
  private timer: unknown;
  private timerDueAt: number | undefined;
  private currentCycle: Promise<void> | undefined;
  private followUp: Promise<void> | undefined;
  private controller: AbortController | undefined;
  private lastCycleEndedAt: number | undefined;
  private consecutiveFailures = 0;
  /** The backoff drawn at the end of the last failed cycle; kept so refocus does not redraw it. */
  private backoffMs = 0;
  private counters = { cycles: 0, requests: 0, ms: 0, maxInFlight: 0 };

  constructor(options: QueuePollerOptions) {
    this.options = options;
    this.cycleEmitter = new Emitter<PollCycleReport>((error) =>
      options.logger.error(`Queue cycle listener failed: ${describe(error)}`),
    );
    this.onDidCompleteCycle = this.cycleEmitter.event;
  }

  get stats(): PollerStats {
    return {
      cycles: this.counters.cycles,
      lastCycleRequests: this.counters.requests,
      lastCycleMs: this.counters.ms,
      lastCycleMaxInFlight: this.counters.maxInFlight,
      consecutiveFailures: this.consecutiveFailures,
      cycleRunning: this.currentCycle !== undefined,
      nextPollAt: this.timerDueAt,
    };
  }

  start(): void {
    if (this.disposed) {
      return;
    }
    this.halt();
    this.active = true;
    this.consecutiveFailures = 0;
    this.backoffMs = 0;
    this.lastCycleEndedAt = undefined;

    if (this.readClasses().length === 0) {
      this.options.store.clear();
      return;
    }
    this.options.store.setState({ kind: 'firstPoll' });

    const draining = this.currentCycle;
    if (draining === undefined) {
      this.beginCycle();
      return;
    }
    // An aborted cycle is still settling; start after it so two never overlap.
    const epoch = this.epoch;
    void draining.then(() => {
      if (this.active && this.epoch === epoch && this.currentCycle === undefined) {
        this.beginCycle();
      }
    });
  }

  stop(): void {
    if (this.disposed) {
      return;
    }
    this.halt();
    this.options.store.clear();
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.halt();
    this.disposed = true;
    this.cycleEmitter.dispose();
  }

  pollNow(): Promise<void> {
    if (!this.active || this.disposed) {
      return Promise.resolve();
    }
    if (this.currentCycle !== undefined) {
      // Whoever presses Refresh wants figures newer than the press, and the
      // running cycle may have read some classes before it. One follow-up
      // cycle serves every press made meanwhile.
      this.followUp ??= this.currentCycle.then(() => {
        this.followUp = undefined;
        return this.pollNow();
      });
      return this.followUp;
    }
    this.beginCycle();
    return this.currentCycle ?? Promise.resolve();
  }

  setFocused(focused: boolean): void {
    if (this.focused === focused) {
      return;
    }
    this.focused = focused;
    this.reschedule();
  }

  updateSettings(): void {
    this.reschedule();
  }

  notifyClassesChanged(): void {
    if (!this.active || this.disposed || this.currentCycle !== undefined) {
      // A running cycle reads the list again when it ends.
      return;
    }
    const classes = this.readClasses();
    if (classes.length === 0) {
      this.cancelTimer();
      this.options.store.clear();
      return;
    }

    const store = this.options.store;
    const added = classes.filter((name) => store.get(name) === undefined);
    const wasIdle = store.state.kind === 'idle';
    store.syncClasses(classes);
    if (wasIdle) {
      store.setState({ kind: 'firstPoll' });
      this.beginCycle();
    } else if (added.length > 0 && this.consecutiveFailures === 0) {
      this.beginCycle();
    }
  }

  /** Cancels the timer and any running cycle's requests; leaves the store alone. */
  private halt(): void {
    this.epoch += 1;
    this.active = false;
    this.cancelTimer();
    this.controller?.abort();
    this.controller = undefined;
  }

  private readClasses(): string[] {
    return [...new Set(this.options.getResourceClasses())];
  }

  private settings(): ResolvedPollSettings {
    return resolvePollSettings(this.options.getSettings());
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) {
      this.options.clock.clearTimeout(this.timer);
    }
    this.timer = undefined;
    this.timerDueAt = undefined;
  }

  /** Sets the one timer for the next cycle, measured from the end of the last one. */
  private reschedule(): void {
    if (!this.active || this.disposed || this.currentCycle !== undefined) {
      return;
    }
    if (this.options.store.state.kind === 'idle') {
      // No classes to poll: no timer, until notifyClassesChanged or start.
      return;
    }
    this.cancelTimer();

    const { clock } = this.options;
    const now = clock.now();
    const { intervalMs } = this.settings();
    const delay = combineDelays(intervalMs, this.focused, this.backoffMs);
    const dueAt = (this.lastCycleEndedAt ?? now) + delay;
    if (dueAt <= now) {
      this.beginCycle();
      return;
    }
    this.timerDueAt = dueAt;
    this.timer = clock.setTimeout(() => {
      this.timer = undefined;
      this.timerDueAt = undefined;
      this.beginCycle();
    }, dueAt - now);
  }

  private beginCycle(): void {
    if (!this.active || this.disposed || this.currentCycle !== undefined) {
      return;
    }
    this.cancelTimer();

    const classes = this.readClasses();
    if (classes.length === 0) {
      this.options.store.clear();
      return;
    }
    this.options.store.syncClasses(classes);

    const controller = new AbortController();
    this.controller = controller;
    const epoch = this.epoch;
    const cycle = this.runCycle(classes, controller, epoch)
      .catch((error: unknown) => {
        // A bug here must not end polling silently: log it and keep the schedule.
        this.options.logger.error(`Queue poll failed unexpectedly: ${describe(error)}`);
      })
      .finally(() => {
        if (this.currentCycle === cycle) {
          this.currentCycle = undefined;
        }
        if (this.controller === controller) {
          this.controller = undefined;
        }
        if (this.epoch === epoch) {
          this.reschedule();
        }
      });
    this.currentCycle = cycle;
  }

  private async runCycle(
    classes: readonly string[],
    controller: AbortController,
    epoch: number,
  ): Promise<void> {
    const { clock, store, logger } = this.options;
    const { maxConcurrent } = this.settings();
    const startedAt = clock.now();
    const run = await this.fetchCounts(classes, controller, maxConcurrent);
    const endedAt = clock.now();

    if (epoch !== this.epoch) {
      // Stopped, restarted or disposed meanwhile: these answers belong to nobody.
      return;
    }
    this.counters = {
      cycles: this.counters.cycles + 1,
      requests: run.requests,
      ms: endedAt - startedAt,
      maxInFlight: run.maxInFlight,
    };
    this.lastCycleEndedAt = endedAt;

    const current = new Set(this.readClasses());
    const results = [...run.results.values()].filter((r) => current.has(r.resourceClass));
    const succeeded = results.filter((r) => r.error === undefined).map((r) => r.resourceClass);
    const failed = results.filter((r) => r.error !== undefined).map((r) => r.resourceClass);
    const report = { startedAt, endedAt, succeeded, failed, requests: run.requests };

    const unauthorized = run.unauthorized;
    if (unauthorized !== undefined) {
      this.active = false;
      this.cancelTimer();
      store.batch(() => {
        store.syncClasses([...current]);
        store.markAllStale(summarize(unauthorized, endedAt));
        store.setState({ kind: 'signedOut' });
      });
      logger.warn('The Runner API rejected the token (401); queue polling stopped.');
      this.cycleEmitter.fire({ ...report, succeeded: [], outcome: 'signedOut' });
      return;
    }

    const transient = run.transient;
    if (transient.length === 0) {
      if (this.consecutiveFailures > 0) {
        logger.info('Queue polling recovered.');
      }
      this.consecutiveFailures = 0;
      this.backoffMs = 0;
      store.batch(() => {
        store.syncClasses([...current]);
        store.applyResults(results, endedAt);
        store.setState({ kind: 'ok' });
      });
      logger.debug(
        `Queue poll: ${classes.length} classes, ${run.requests} requests, ` +
          `${endedAt - startedAt} ms`,
      );
      this.cycleEmitter.fire({ ...report, outcome: 'ok' });
      return;
    }

    this.consecutiveFailures += 1;
    const { intervalMs } = this.settings();
    const retryAfterMs = largestRetryAfter(transient);
    this.backoffMs = backoffDelay(
      intervalMs,
      this.consecutiveFailures,
      retryAfterMs,
      this.options.random,
    );
    const nextRetryAt = endedAt + combineDelays(intervalMs, this.focused, this.backoffMs);
    const reason = failingReason(transient);
    store.batch(() => {
      store.syncClasses([...current]);
      store.applyResults(results, endedAt);
      store.setState({
        kind: 'failing',
        reason,
        nextRetryAt,
        consecutiveFailures: this.consecutiveFailures,
      });
    });
    logger.warn(
      `Queue poll failed (${reason}); attempt ${this.consecutiveFailures}, ` +
        `next in ${Math.round((nextRetryAt - endedAt) / 1000)} s.`,
    );
    this.cycleEmitter.fire({ ...report, outcome: 'backoff' });
  }

  /**
   * Sends both count requests for every class through at most `maxConcurrent`
   * workers. A 429 stops further requests in this cycle (the server asked for
   * quiet); a 401 also aborts those in flight.
   */
  private async fetchCounts(
    classes: readonly string[],
    controller: AbortController,
    maxConcurrent: number,
  ): Promise<CycleRun> {
    const { api, clock } = this.options;
    const tasks: CountTask[] = classes.flatMap((resourceClass) => [
      { resourceClass, kind: 'unclaimed' as const },
      { resourceClass, kind: 'running' as const },
    ]);
    const run: CycleRun = {
      results: new Map(classes.map((c) => [c, { resourceClass: c }])),
      requests: 0,
      maxInFlight: 0,
      transient: [],
      unauthorized: undefined,
    };
    // In an object, so the workers' writes are visible to the checks after them.
    const halt: { rateLimited?: RateLimitedError } = {};
    let next = 0;
    let inFlight = 0;
    const signal = controller.signal;
    // Each request in flight may listen on the shared signal; up to 16 is expected, not a leak.
    setMaxListeners(Math.max(10, maxConcurrent * 2), signal);

    const worker = async (): Promise<void> => {
      // Bounded: each pass takes one task off a finite list.
      while (next < tasks.length && halt.rateLimited === undefined && !signal.aborted) {
        const task = tasks[next];
        next += 1;
        if (task === undefined) {
          return;
        }
        const result = run.results.get(task.resourceClass);
        if (result === undefined) {
          continue;
        }
        run.requests += 1;
        inFlight += 1;
        run.maxInFlight = Math.max(run.maxInFlight, inFlight);
        try {
          const count =
            task.kind === 'unclaimed'
              ? await api.getUnclaimedTaskCount(task.resourceClass, { signal })
              : await api.getRunningTaskCount(task.resourceClass, { signal });
          result[task.kind] = count;
        } catch (error: unknown) {
          if (error instanceof UnauthorizedError) {
            run.unauthorized ??= error;
            controller.abort();
          } else if (!signal.aborted) {
            result.error ??= summarize(error, clock.now());
            if (isTransient(error)) {
              run.transient.push(error);
            }
            if (error instanceof RateLimitedError) {
              halt.rateLimited ??= error;
            }
          }
        } finally {
          inFlight -= 1;
        }
      }
    };

    const workers = Math.max(1, Math.min(maxConcurrent, tasks.length));
    await Promise.all(Array.from({ length: workers }, () => worker()));

    if (halt.rateLimited !== undefined) {
      // Classes not (fully) asked this cycle carry the rate limit as their reason.
      const skipped = summarize(halt.rateLimited, clock.now());
      for (const result of run.results.values()) {
        const complete = result.unclaimed !== undefined && result.running !== undefined;
        if (!complete && result.error === undefined) {
          result.error = skipped;
        }
      }
    }
    return run;
  }
}

interface CycleRun {
  results: Map<string, ClassPollResult>;
  requests: number;
  maxInFlight: number;
  transient: RunnerApiError[];
  unauthorized: UnauthorizedError | undefined;
}

function isTransient(error: unknown): error is RunnerApiError {
  return isRunnerApiError(error) && TRANSIENT_KINDS.has(error.kind);
}

function largestRetryAfter(errors: readonly RunnerApiError[]): number | undefined {
  let largest: number | undefined;
  for (const error of errors) {
    if (error instanceof RateLimitedError && error.retryAfterMs !== undefined) {
      largest = Math.max(largest ?? 0, error.retryAfterMs);
    }
  }
  return largest;
}

function failingReason(errors: readonly RunnerApiError[]): string {
  const kind = REASON_PRIORITY.find((k) => errors.some((e) => e.kind === k));
  const status = errors.find((e) => e.kind === kind)?.status;
  switch (kind) {
    case 'rateLimited':
      return 'Rate limited by the Runner API (HTTP 429)';
    case 'server':
      return `Runner API server error${status === undefined ? '' : ` (HTTP ${status})`}`;
    case 'timeout':
      return 'The Runner API did not answer in time';
    default:
      return 'Cannot reach the Runner API';
  }
}

function summarize(error: unknown, at: number): QueueErrorSummary {
  if (isRunnerApiError(error)) {
    return { kind: error.kind, message: error.message, status: error.status, at };
  }
  return { kind: 'unknown', message: describe(error), at };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
