import * as assert from 'node:assert/strict';
import { QueueStore, type QueueChange } from '../../../src/queue/queueStore';

const T0 = 1_700_000_000_000;

function recording(store: QueueStore): QueueChange[] {
  const changes: QueueChange[] = [];
  store.onDidChange((change) => changes.push(change));
  return changes;
}

function serverError(at: number) {
  return { kind: 'server' as const, message: 'Server error', status: 502, at };
}

describe('queue store', () => {
  it('sums the counts and sorts by queued tasks, then by name, unknown counts last', () => {
    const store = new QueueStore();
    store.syncClasses(['acme/zeta', 'acme/alpha', 'acme/beta', 'acme/new']);
    store.applyResults(
      [
        { resourceClass: 'acme/zeta', unclaimed: 5, running: 1 },
        { resourceClass: 'acme/alpha', unclaimed: 2, running: 4 },
        { resourceClass: 'acme/beta', unclaimed: 5, running: 0 },
      ],
      T0,
    );

    assert.deepEqual(store.totals, { unclaimed: 12, running: 5, known: 3, total: 4 });
    assert.deepEqual(
      store.sorted().map((c) => c.resourceClass),
      ['acme/beta', 'acme/zeta', 'acme/alpha', 'acme/new'],
    );
    assert.equal(store.lastUpdatedAt, T0);
  });

  it('fires once per batch, naming the classes that changed', () => {
    const store = new QueueStore();
    store.syncClasses(['acme/a', 'acme/b']);
    const changes = recording(store);

    store.batch(() => {
      store.applyResults([{ resourceClass: 'acme/a', unclaimed: 1, running: 0 }], T0);
      store.setState({ kind: 'ok' });
    });

    assert.equal(changes.length, 1);
    assert.deepEqual(changes[0], {
      classes: ['acme/a'],
      membershipChanged: false,
      totalsChanged: true,
      stateChanged: true,
    });
  });

  it('does not fire when a poll brings the same figures, yet records the newer time', () => {
    const store = new QueueStore();
    const poll = [{ resourceClass: 'acme/a', unclaimed: 3, running: 2 }];
    store.applyResults(poll, T0);
    store.setState({ kind: 'ok' });
    const changes = recording(store);

    store.applyResults(poll, T0 + 30_000);
    store.setState({ kind: 'ok' });

    assert.deepEqual(changes, []);
    assert.equal(store.get('acme/a')?.updatedAt, T0 + 30_000);
    assert.equal(store.lastUpdatedAt, T0 + 30_000);
  });

  it('tells a class change with unchanged totals from a change of totals', () => {
    const store = new QueueStore();
    store.applyResults(
      [
        { resourceClass: 'acme/a', unclaimed: 3, running: 0 },
        { resourceClass: 'acme/b', unclaimed: 1, running: 0 },
      ],
      T0,
    );
    const changes = recording(store);
    store.applyResults(
      [
        { resourceClass: 'acme/a', unclaimed: 2, running: 0 },
        { resourceClass: 'acme/b', unclaimed: 2, running: 0 },
      ],
      T0 + 1,
    );
    assert.equal(changes.length, 1);
    assert.deepEqual(changes[0]?.classes, ['acme/a', 'acme/b']);
    assert.equal(changes[0]?.totalsChanged, false);
  });

  it('keeps the last counts of a failed class and marks them stale until it recovers', () => {
    const store = new QueueStore();
    store.applyResults([{ resourceClass: 'acme/a', unclaimed: 4, running: 1 }], T0);
    const changes = recording(store);

    store.applyResults([{ resourceClass: 'acme/a', error: serverError(T0 + 1) }], T0 + 1);
    const failed = store.get('acme/a');
    assert.equal(failed?.unclaimed, 4);
    assert.equal(failed?.running, 1);
    assert.equal(failed?.stale, true);
    assert.equal(failed?.error?.status, 502);
    assert.equal(failed?.updatedAt, T0);
    assert.equal(changes.length, 1);
    assert.equal(changes[0]?.totalsChanged, false);

    // The same error again is no news.
    store.applyResults([{ resourceClass: 'acme/a', error: serverError(T0 + 2) }], T0 + 2);
    assert.equal(changes.length, 1);

    store.applyResults([{ resourceClass: 'acme/a', unclaimed: 4, running: 1 }], T0 + 3);
    assert.equal(store.get('acme/a')?.stale, false);
    assert.equal(store.get('acme/a')?.error, undefined);
    assert.equal(changes.length, 2);
  });

  it('keeps a count that did arrive when the other one failed', () => {
    const store = new QueueStore();
    store.applyResults([{ resourceClass: 'acme/a', unclaimed: 4, running: 1 }], T0);
    store.applyResults(
      [{ resourceClass: 'acme/a', unclaimed: 9, error: serverError(T0 + 1) }],
      T0 + 1,
    );
    const entry = store.get('acme/a');
    assert.equal(entry?.unclaimed, 9);
    assert.equal(entry?.running, 1);
    assert.equal(entry?.stale, true);
  });

  it('announces classes that appear and disappear, and fires on a state change only', () => {
    const store = new QueueStore();
    const changes = recording(store);
    store.syncClasses(['acme/a', 'acme/b']);
    store.syncClasses(['acme/b', 'acme/a']);
    store.syncClasses(['acme/b']);
    assert.deepEqual(
      changes.map((c) => [c.classes, c.membershipChanged]),
      [
        [['acme/a', 'acme/b'], true],
        [['acme/a'], true],
      ],
    );

    store.setState({ kind: 'failing', reason: 'x', nextRetryAt: 1, consecutiveFailures: 1 });
    store.setState({ kind: 'failing', reason: 'x', nextRetryAt: 1, consecutiveFailures: 1 });
    store.setState({ kind: 'failing', reason: 'x', nextRetryAt: 2, consecutiveFailures: 2 });
    assert.equal(changes.filter((c) => c.stateChanged).length, 2);
  });

  it('keeps delivering to other listeners when one throws', () => {
    const errors: unknown[] = [];
    const store = new QueueStore((error) => errors.push(error));
    let heard = 0;
    store.onDidChange(() => {
      throw new Error('view bug');
    });
    store.onDidChange(() => (heard += 1));
    store.setState({ kind: 'ok' });
    assert.equal(heard, 1);
    assert.equal(errors.length, 1);
  });
});
