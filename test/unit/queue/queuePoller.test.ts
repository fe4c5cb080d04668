import * as assert from 'node:assert/strict';
import {
  NotFoundError,
  RateLimitedError,
  ServerError,
  UnauthorizedError,
} from '../../../src/api/errors';
import type { Logger } from '../../../src/log';
import { QueuePoller, type PollCycleReport } from '../../../src/queue/queuePoller';
import { QueueStore } from '../../../src/queue/queueStore';
import type { PollSettings } from '../../../src/queue/schedule';
import { FakeClock, settle } from './fakeClock';
import { FakeTaskApi, type Answer, type CountKind } from './fakeTaskApi';

const SEC = 1000;

/** Read through a call, so the compiler does not narrow the state between steps. */
function stateOf(store: QueueStore): string {
  return store.state.kind;
}

interface HarnessOptions {
  classes?: string[];
  answer?: (resourceClass: string, kind: CountKind) => Answer;
  settings?: PollSettings;
  random?: () => number;
}

function harness(options: HarnessOptions = {}) {
  const clock = new FakeClock();
  const store = new QueueStore();
  const t0 = clock.now();
  const h = {
    clock,
    store,
    t0,
    classes: options.classes ?? ['acme/a', 'acme/b'],
    settings: options.settings ?? { intervalSeconds: 30, maxConcurrent: 4 },
    answer: options.answer ?? ((): Answer => 1),
    /** Seconds since start at which each request was sent. */
    sentAt: [] as number[],
    warnings: [] as string[],
    reports: [] as PollCycleReport[],
  };
  const api = new FakeTaskApi((resourceClass, kind) => {
    h.sentAt.push((clock.now() - t0) / SEC);
    return h.answer(resourceClass, kind);
  });
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (message) => h.warnings.push(message),
    error: (message) => h.warnings.push(message),
  };
  const poller = new QueuePoller({
    api,
    getResourceClasses: () => h.classes,
    clock,
    random: options.random ?? (() => 0.5),
    logger,
    getSettings: () => h.settings,
    store,
  });
  poller.onDidCompleteCycle((report) => h.reports.push(report));
  /** Distinct times (s since start) at which a cycle sent its first request. */
  const cycleTimes = () => [...new Set(h.sentAt)];
  return { ...h, h, api, poller, cycleTimes };
}

describe('queue poller', () => {
  it('polls both counts of every class at start, then once per interval', async () => {
    const { poller, api, store, clock, cycleTimes } = harness();
    poller.start();
    await settle();

    assert.equal(api.calls.length, 4);
    assert.deepEqual(api.calls.map((c) => `${c.resourceClass}:${c.kind}`).sort(), [
      'acme/a:running',
      'acme/a:unclaimed',
      'acme/b:running',
      'acme/b:unclaimed',
    ]);
    assert.equal(stateOf(store), 'ok');
    assert.deepEqual(store.totals, { unclaimed: 2, running: 2, known: 2, total: 2 });

    await clock.advance(30 * SEC - 1);
    assert.equal(api.calls.length, 4);
    await clock.advance(1);
    await clock.advance(60 * SEC);
    assert.deepEqual(cycleTimes(), [0, 30, 60, 90]);
    assert.equal(poller.stats.lastCycleRequests, 4);
    assert.equal(clock.pendingTimers, 1);
    poller.dispose();
    assert.equal(clock.pendingTimers, 0);
  });

  it('follows the interval setting, never below 10 s, and reschedules on a change', async () => {
    const t = harness({ settings: { intervalSeconds: 2 } });
    t.poller.start();
    await t.clock.advance(25 * SEC);
    assert.deepEqual(t.cycleTimes(), [0, 10, 20]);

    t.h.settings = { intervalSeconds: 60 };
    t.poller.updateSettings();
    await t.clock.advance(60 * SEC);
    assert.deepEqual(t.cycleTimes(), [0, 10, 20, 80]);

    // Shortening the interval so that a poll is overdue polls at once.
    await t.clock.advance(20 * SEC);
    t.h.settings = { intervalSeconds: 10 };
    t.poller.updateSettings();
    await settle();
    assert.deepEqual(t.cycleTimes(), [0, 10, 20, 80, 105]);
    t.poller.dispose();
  });

  it('never runs two cycles at once: slow answers hold the next poll back', async () => {
    const t = harness({ answer: () => 'hold' });
    t.poller.start();
    await settle();
    assert.equal(t.api.pending.length, 4);

    await t.clock.advance(10 * 60 * SEC);
    assert.equal(t.api.calls.length, 4, 'no request of a second cycle while the first runs');
    assert.equal(t.clock.pendingTimers, 0);
    assert.equal(stateOf(t.store), 'firstPoll');

    // Refresh during a cycle waits for it, then runs one follow-up cycle
    // shared by every press made meanwhile.
    let refreshed = 0;
    void t.poller.pollNow().then(() => refreshed++);
    void t.poller.pollNow().then(() => refreshed++);
    await settle();
    assert.equal(t.api.calls.length, 4);
    assert.equal(refreshed, 0);

    t.api.resolvePending(2);
    await settle();
    assert.equal(stateOf(t.store), 'ok');
    assert.equal(t.poller.stats.lastCycleMs, 10 * 60 * SEC);
    assert.equal(t.api.calls.length, 8, 'one follow-up cycle, not two');
    assert.equal(refreshed, 0, 'the presses wait for the follow-up cycle');

    t.api.resolvePending(2);
    await settle();
    assert.equal(refreshed, 2);
    assert.equal(t.api.calls.length, 8);
    // The next poll is one interval after the follow-up cycle ended.
    assert.equal(t.clock.nextDueAt, t.clock.now() + 30 * SEC);
    t.poller.dispose();
  });

  it('keeps at most maxConcurrent requests in flight', async () => {
    const classes = Array.from({ length: 10 }, (_, i) => `acme/class-${i}`);
    const t = harness({ classes, answer: () => 'hold', settings: { maxConcurrent: 3 } });
    t.poller.start();
    await settle();
    assert.equal(t.api.inFlight, 3);

    // Bounded: 20 requests, one answered per pass.
    for (let i = 0; i < 40 && t.api.pending.length > 0; i += 1) {
      t.api.pending[0]?.resolve(i);
      await settle();
      assert.ok(t.api.inFlight <= 3, `in flight ${t.api.inFlight}`);
    }
    assert.equal(t.api.calls.length, 20);
    assert.equal(t.api.maxInFlight, 3);
    assert.equal(t.poller.stats.lastCycleMaxInFlight, 3);
    assert.equal(t.poller.stats.lastCycleRequests, 20);
    assert.equal(t.store.totals.known, 10);
    t.poller.dispose();
  });

  it('polls at a fifth of the rate while unfocused', async () => {
    const t = harness();
    t.poller.start();
    await settle();
    t.poller.setFocused(false);
    await t.clock.advance(149 * SEC);
    assert.deepEqual(t.cycleTimes(), [0]);
    await t.clock.advance(1 * SEC);
    await t.clock.advance(150 * SEC);
    assert.deepEqual(t.cycleTimes(), [0, 150, 300]);
    t.poller.dispose();
  });

  it('on refocus polls at once if overdue, else keeps the focused interval', async () => {
    const t = harness();
    t.poller.start();
    await settle();
    t.poller.setFocused(false);
    await t.clock.advance(40 * SEC);
    t.poller.setFocused(true);
    await settle();
    assert.deepEqual(t.cycleTimes(), [0, 40], 'overdue by the focused interval: poll now');

    t.poller.setFocused(false);
    await t.clock.advance(10 * SEC);
    t.poller.setFocused(true);
    await settle();
    assert.deepEqual(t.cycleTimes(), [0, 40], 'not overdue: no immediate poll');
    await t.clock.advance(20 * SEC);
    assert.deepEqual(t.cycleTimes(), [0, 40, 70]);
    t.poller.dispose();
  });

  it('backs off exponentially up to 5 minutes on server errors, then recovers', async () => {
    let failing = true;
    const t = harness({
      answer: () => (failing ? new ServerError('Bad gateway', { status: 502 }) : 1),
      random: () => 1,
    });
    t.poller.start();
    await settle();
    const state = t.store.state;
    assert.equal(state.kind, 'failing');
    assert.equal(state.kind === 'failing' && state.nextRetryAt, t.t0 + 60 * SEC);
    assert.match(state.kind === 'failing' ? state.reason : '', /502/);

    await t.clock.advance(1500 * SEC);
    // Gaps 60, 120, 240, then capped at 300.
    assert.deepEqual(t.cycleTimes(), [0, 60, 180, 420, 720, 1020, 1320]);
    assert.equal(t.poller.stats.consecutiveFailures, 7);

    failing = false;
    await t.clock.advance(210 * SEC);
    assert.equal(stateOf(t.store), 'ok');
    assert.deepEqual(t.cycleTimes().slice(-4), [1620, 1650, 1680, 1710], 'normal interval again');
    t.poller.dispose();
  });

  it('draws the backoff from the injected random source', async () => {
    const t = harness({
      answer: () => new ServerError('down', { status: 503 }),
      random: () => 0.5,
    });
    t.poller.start();
    await t.clock.advance(100 * SEC);
    // First failure: ceiling 60 s, equal jitter at 0.5 gives 45 s.
    assert.deepEqual(t.cycleTimes(), [0, 45]);
    t.poller.dispose();
  });

  it("waits for the largest Retry-After of a cycle's 429 answers", async () => {
    const t = harness({
      answer: (resourceClass) =>
        new RateLimitedError('Too many requests', {
          status: 429,
          retryAfterMs: resourceClass === 'acme/a' ? 100 * SEC : 200 * SEC,
        }),
      random: () => 0,
    });
    t.poller.start();
    await t.clock.advance(199 * SEC);
    assert.deepEqual(t.cycleTimes(), [0]);
    const state = t.store.state;
    assert.equal(state.kind === 'failing' && state.nextRetryAt, t.t0 + 200 * SEC);
    assert.match(state.kind === 'failing' ? state.reason : '', /429/);
    await t.clock.advance(1 * SEC);
    assert.deepEqual(t.cycleTimes(), [0, 200]);
    t.poller.dispose();
  });

  it('sends no more requests in a cycle once the server answers 429', async () => {
    const classes = ['acme/a', 'acme/b', 'acme/c', 'acme/d'];
    const t = harness({
      classes,
      answer: () => new RateLimitedError('Too many requests', { status: 429 }),
      settings: { maxConcurrent: 1 },
    });
    t.poller.start();
    await settle();
    assert.equal(t.api.calls.length, 1);
    assert.equal(t.poller.stats.lastCycleRequests, 1);
    for (const name of classes) {
      assert.equal(t.store.get(name)?.error?.kind, 'rateLimited', name);
    }
    t.poller.dispose();
  });

  it('records a deleted class (404) on that class without backing off', async () => {
    const t = harness({
      answer: (resourceClass) =>
        resourceClass === 'acme/b' ? new NotFoundError('Not found', { status: 404 }) : 3,
    });
    t.poller.start();
    await t.clock.advance(60 * SEC);
    assert.deepEqual(t.cycleTimes(), [0, 30, 60]);
    assert.equal(stateOf(t.store), 'ok');
    assert.equal(t.store.get('acme/b')?.error?.kind, 'notFound');
    assert.equal(t.store.get('acme/a')?.unclaimed, 3);
    assert.equal(t.store.get('acme/a')?.error, undefined);
    assert.deepEqual(t.h.reports.at(-1)?.succeeded, ['acme/a']);
    assert.deepEqual(t.h.reports.at(-1)?.failed, ['acme/b']);
    t.poller.dispose();
  });

  it('keeps the last counts of a class whose poll failed, marked stale', async () => {
    let broken = false;
    const t = harness({
      answer: (resourceClass) =>
        broken && resourceClass === 'acme/a' ? new ServerError('oops', { status: 500 }) : 7,
    });
    t.poller.start();
    await settle();
    broken = true;
    await t.clock.advance(30 * SEC);
    const a = t.store.get('acme/a');
    assert.equal(a?.unclaimed, 7);
    assert.equal(a?.stale, true);
    assert.equal(a?.updatedAt, t.t0);
    assert.equal(t.store.get('acme/b')?.stale, false);
    assert.equal(stateOf(t.store), 'failing');
    t.poller.dispose();
  });

  it('stops on 401, aborts the requests in flight, and resumes only on start()', async () => {
    let rejected = true;
    const t = harness({
      classes: ['acme/a', 'acme/b', 'acme/c'],
      answer: (resourceClass, kind) => {
        if (!rejected) {
          return 1;
        }
        return resourceClass === 'acme/a' && kind === 'running'
          ? new UnauthorizedError('Unauthorized', { status: 401 })
          : 'hold';
      },
    });
    t.poller.start();
    await settle();

    assert.equal(stateOf(t.store), 'signedOut');
    assert.equal(t.api.pending.length, 0);
    const held = t.api.calls.filter((c) => !(c.resourceClass === 'acme/a' && c.kind === 'running'));
    assert.ok(held.length > 0);
    assert.ok(held.every((c) => c.signal?.aborted === true));
    assert.equal(t.clock.pendingTimers, 0);
    assert.equal(t.h.reports.at(-1)?.outcome, 'signedOut');

    const sent = t.api.calls.length;
    await t.clock.advance(3600 * SEC);
    await t.poller.pollNow();
    assert.equal(t.api.calls.length, sent, 'no request after a 401');

    rejected = false;
    t.poller.start();
    await settle();
    assert.equal(stateOf(t.store), 'ok');
    assert.equal(t.clock.pendingTimers, 1);
    t.poller.dispose();
  });

  it('stays idle with no timers when there is no class to poll', async () => {
    const t = harness({ classes: [] });
    t.poller.start();
    await t.clock.advance(600 * SEC);
    assert.equal(stateOf(t.store), 'idle');
    assert.equal(t.api.calls.length, 0);
    assert.equal(t.clock.pendingTimers, 0);

    // Focus and settings changes do not wake an idle poller.
    t.poller.setFocused(false);
    t.poller.setFocused(true);
    t.poller.updateSettings();
    assert.equal(t.clock.pendingTimers, 0);
    await t.poller.pollNow();
    assert.equal(t.api.calls.length, 0);
    assert.equal(t.clock.pendingTimers, 0);

    t.h.classes = ['acme/new'];
    t.poller.notifyClassesChanged();
    await settle();
    assert.equal(stateOf(t.store), 'ok');
    assert.equal(t.api.calls.length, 2);

    t.h.classes = [];
    t.poller.notifyClassesChanged();
    assert.equal(stateOf(t.store), 'idle');
    assert.equal(t.store.totals.total, 0);
    assert.equal(t.clock.pendingTimers, 0);
    t.poller.dispose();
  });

  it('polls a newly added class at once and drops a removed one from the store', async () => {
    const t = harness();
    t.poller.start();
    await t.clock.advance(10 * SEC);
    t.h.classes = ['acme/b', 'acme/c'];
    t.poller.notifyClassesChanged();
    await settle();
    assert.equal(t.store.get('acme/a'), undefined);
    assert.equal(t.store.get('acme/c')?.unclaimed, 1);
    assert.deepEqual(t.cycleTimes(), [0, 10]);
    t.poller.dispose();
  });

  it('stop() aborts the cycle, writes nothing afterwards, and leaves no timer', async () => {
    const t = harness({ answer: () => 'hold' });
    t.poller.start();
    await settle();
    const changes: unknown[] = [];
    t.poller.stop();
    t.store.onDidChange((change) => changes.push(change));
    await settle();

    assert.ok(t.api.calls.every((c) => c.signal?.aborted === true));
    assert.equal(stateOf(t.store), 'idle');
    assert.deepEqual(changes, []);
    await t.clock.advance(600 * SEC);
    assert.equal(t.api.calls.length, 4);
    assert.equal(t.clock.pendingTimers, 0);
  });

  it('pollNow() polls at once, even while backing off, and restarts the interval', async () => {
    let failing = true;
    const t = harness({
      answer: () => (failing ? new ServerError('down', { status: 503 }) : 4),
      random: () => 1,
    });
    t.poller.start();
    await t.clock.advance(10 * SEC);
    failing = false;
    await t.poller.pollNow();
    assert.equal(stateOf(t.store), 'ok');
    await t.clock.advance(30 * SEC);
    assert.deepEqual(t.cycleTimes(), [0, 10, 40]);
    t.poller.dispose();
  });

  it('restarting during a cycle waits for the aborted one, so cycles never overlap', async () => {
    const t = harness({ answer: () => 'hold' });
    t.poller.start();
    await settle();
    t.poller.start();
    await settle();
    assert.equal(t.api.calls.length, 8);
    assert.equal(t.api.pending.length, 4);
    assert.equal(t.api.maxInFlight, 4);
    t.poller.dispose();
  });
});
