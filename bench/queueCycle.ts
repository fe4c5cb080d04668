// One real queue poll cycle with the real clock, for the benchmark that runs
// it against the simulator: how many requests a poll costs and how long it takes.

import { performance } from 'node:perf_hooks';
import { silentLogger, type Logger } from '../src/log';
import { createSystemClock } from '../src/queue/clock';
import { QueuePoller, type CycleOutcome, type TaskCountApi } from '../src/queue/queuePoller';
import { QueueStore } from '../src/queue/queueStore';

export interface PollCycleMeasureInput {
  api: TaskCountApi;
  classes: readonly string[];
  maxConcurrent: number;
  logger?: Logger;
}

export interface PollCycleMeasurement {
  /** Requests sent in the cycle (2 per class unless the server stopped it early). */
  requests: number;
  /** Wall time of the cycle in milliseconds, sub-millisecond resolution. */
  ms: number;
  /** Most requests in flight at once. */
  maxInFlight: number;
  /** 'ok', 'backoff' (a transient failure) or 'signedOut' (401); undefined if nothing ran. */
  outcome: CycleOutcome | undefined;
  /** Classes whose two counts both arrived. */
  succeeded: number;
}

export async function measurePollCycle(
  input: PollCycleMeasureInput,
): Promise<PollCycleMeasurement> {
  const store = new QueueStore();
  const poller = new QueuePoller({
    api: input.api,
    getResourceClasses: () => input.classes,
    clock: createSystemClock(),
    random: Math.random,
    logger: input.logger ?? silentLogger,
    // A long interval, so no second cycle can start before dispose.
    getSettings: () => ({ intervalSeconds: 3600, maxConcurrent: input.maxConcurrent }),
    store,
  });
  let outcome: CycleOutcome | undefined;
  let succeeded = 0;
  // The first report ends the measured cycle. pollNow() would not do: asked
  // while a cycle runs, it also waits for a follow-up cycle.
  const firstCycle = new Promise<void>((resolve) => {
    poller.onDidCompleteCycle((report) => {
      if (outcome === undefined) {
        outcome = report.outcome;
        succeeded = report.succeeded.length;
      }
      resolve();
    });
  });

  const started = performance.now();
  try {
    poller.start();
    // With nothing to poll, start() begins no cycle and no report will come.
    if (poller.stats.cycleRunning) {
      await firstCycle;
    }
    const ms = performance.now() - started;
    const stats = poller.stats;
    return {
      requests: outcome === undefined ? 0 : stats.lastCycleRequests,
      ms,
      maxInFlight: outcome === undefined ? 0 : stats.lastCycleMaxInFlight,
      outcome,
      succeeded,
    };
  } finally {
    poller.dispose();
    store.dispose();
  }
}
