// The time seam of the queue logic: the poller reads time and sets timers only
// through this, so tests can drive it with a fake clock in milliseconds.

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Uniform random number in [0, 1); injected so jitter is deterministic in tests. */
export type RandomSource = () => number;

/** The real clock, over the host's timers. */
export function createSystemClock(): Clock {
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}
