// Live mode: on every tick tasks arrive, online runners claim and finish them, runners check
// in, a few drift away and some come back. Seeded, so a run with the same seed repeats.

import { Random, seededRandom } from './random';
import type { SimState } from './state';
import type { SimRunner } from './types';

export const DEFAULT_TICK_MS = 2000;
export const DEFAULT_LIVE_SEED = 7;

const ONLINE_MS = 2 * 60_000;
const IDLE_MS = 30 * 60_000;
/** Queues stop growing here, so a session left running for hours stays readable. */
const MAX_UNCLAIMED = 40;

interface RunnerLife {
  /** Stopped checking in during this session; may come back. */
  away: boolean;
  /** Tick at which its current task finishes; undefined when free. */
  busyUntil?: number;
}

export class LiveMode {
  private timer: NodeJS.Timeout | undefined;
  private random: Random;
  private tickNumber = 0;
  private readonly lives = new Map<SimRunner, RunnerLife>();

  constructor(
    private readonly state: SimState,
    private readonly clock: () => number,
    private readonly tickMs = DEFAULT_TICK_MS,
    seed = DEFAULT_LIVE_SEED,
  ) {
    this.random = seededRandom(seed);
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    if (this.timer) {
      return;
    }
    this.timer = setInterval(() => this.tick(), this.tickMs);
    // A dev tool's timer must never keep a test process alive.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** One step of the simulation; public so tests and tools can drive it directly. */
  tick(): void {
    this.tickNumber += 1;
    const now = this.clock();
    const iso = new Date(now).toISOString();
    const byClass = new Map<string, SimRunner[]>();
    for (const runner of this.state.liveRunners()) {
      const list = byClass.get(runner.resource_class) ?? [];
      list.push(runner);
      byClass.set(runner.resource_class, list);
    }
    for (const info of this.state.resourceClasses()) {
      const runners = byClass.get(info.resource_class) ?? [];
      this.stepClass(info.resource_class, runners, now, iso);
    }
  }

  private life(runner: SimRunner): RunnerLife {
    let life = this.lives.get(runner);
    if (!life) {
      life = { away: false };
      this.lives.set(runner, life);
    }
    return life;
  }

  private stepClass(name: string, runners: SimRunner[], now: number, iso: string): void {
    const counts = this.state.taskCounts(name);
    let { unclaimed, running } = counts;

    // Finished tasks free their runners.
    for (const runner of runners) {
      const life = this.life(runner);
      if (life.busyUntil !== undefined && life.busyUntil <= this.tickNumber) {
        life.busyUntil = undefined;
        runner.last_used = iso;
        running = Math.max(0, running - 1);
      }
    }
    const busy = runners.filter((r) => this.life(r).busyUntil !== undefined).length;
    // Tasks that were running before live mode began have no runner; let them end too.
    if (running > busy && this.random.chance(0.3)) {
      running -= 1;
    }

    // Check-ins, departures and returns.
    for (const runner of runners) {
      this.stepRunner(runner, now, iso);
    }

    // New work arrives only where some runner has ever served the class, a little slower than
    // the online runners can take it (a task lasts two to five ticks), with an occasional burst;
    // so queues rise and drain instead of growing without end.
    if (runners.length > 0) {
      const online = runners.filter((r) => this.isOnline(r, now)).length;
      if (this.random.chance(Math.min(0.9, 0.04 + 0.18 * online))) {
        unclaimed += 1;
      }
      if (this.random.chance(0.01)) {
        unclaimed += this.random.int(3, 5);
      }
      unclaimed = Math.min(MAX_UNCLAIMED, unclaimed);
    }

    // Online, present, free runners claim queued tasks.
    for (const runner of runners) {
      if (unclaimed === 0) {
        break;
      }
      const life = this.life(runner);
      if (life.away || life.busyUntil !== undefined || !this.isOnline(runner, now)) {
        continue;
      }
      life.busyUntil = this.tickNumber + this.random.int(2, 5);
      runner.last_used = iso;
      unclaimed -= 1;
      running += 1;
    }
    this.state.setTaskCounts(name, { unclaimed, running });
  }

  private stepRunner(runner: SimRunner, now: number, iso: string): void {
    const life = this.life(runner);
    const age = this.ageMs(runner, now);
    if (life.busyUntil !== undefined) {
      runner.last_connected = iso;
      return;
    }
    if (!life.away && age < ONLINE_MS) {
      if (this.random.chance(0.02)) {
        life.away = true;
      } else if (this.random.chance(0.85)) {
        runner.last_connected = iso;
      }
      return;
    }
    // Runners seen within the idle window, or that left during this session, may return;
    // those silent for longer stay gone, so a stuck queue stays stuck.
    const mayReturn = life.away || age < IDLE_MS;
    if (mayReturn && this.random.chance(0.05)) {
      life.away = false;
      runner.last_connected = iso;
    }
  }

  private isOnline(runner: SimRunner, now: number): boolean {
    return this.ageMs(runner, now) < ONLINE_MS;
  }

  private ageMs(runner: SimRunner, now: number): number {
    const seen = runner.last_connected ? Date.parse(runner.last_connected) : Number.NaN;
    return Number.isNaN(seen) ? Number.POSITIVE_INFINITY : now - seen;
  }
}
