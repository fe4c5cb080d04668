// A deterministic clock for tests: time moves only when a test advances it,
// and due timers run in order of due time, then of creation.

import type { Clock } from '../../../src/queue/clock';

interface FakeTimer {
  id: number;
  dueAt: number;
  fn: () => void;
}

export class FakeClock implements Clock {
  private time: number;
  private nextId = 1;
  private timers: FakeTimer[] = [];

  constructor(startAt = 1_700_000_000_000) {
    this.time = startAt;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { id: this.nextId, dueAt: this.time + Math.max(0, ms), fn };
    this.nextId += 1;
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Timers not yet run. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Due time of the earliest pending timer, if any. */
  get nextDueAt(): number | undefined {
    return this.earliest()?.dueAt;
  }

  /**
   * Moves time forward by `ms`, running each timer when its time comes and
   * settling promise callbacks after each, so async work started by a timer
   * finishes before the next one fires. Bounded by a run count.
   */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await settle();
    for (let runs = 0; runs < 10_000; runs += 1) {
      const timer = this.earliest();
      if (timer === undefined || timer.dueAt > target) {
        break;
      }
      this.timers = this.timers.filter((t) => t !== timer);
      this.time = Math.max(this.time, timer.dueAt);
      timer.fn();
      await settle();
    }
    this.time = target;
    await settle();
  }

  private earliest(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const timer of this.timers) {
      if (best === undefined || timer.dueAt < best.dueAt) {
        best = timer;
      }
    }
    return best;
  }
}

/**
 * Lets every queued promise callback run: a macrotask turn runs only after the
 * microtask queue is empty. A few turns cover chains that hop through one.
 */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
