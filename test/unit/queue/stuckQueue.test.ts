import * as assert from 'node:assert/strict';
import { StuckQueueTracker, type StuckQueueObservation } from '../../../src/queue/stuckQueue';

const A = 'acme/linux';
const B = 'acme/macos';

function obs(
  resourceClass: string,
  queued: number | undefined,
  onlineRunners: number | undefined,
): StuckQueueObservation {
  return { resourceClass, queued, onlineRunners };
}

describe('stuck-queue episodes', () => {
  it('starts an episode only on the second stuck poll in a row, and reports it once', () => {
    const tracker = new StuckQueueTracker({ enabled: true, muted: [] });
    const reported: string[] = [];
    tracker.onEpisodeStart((name) => reported.push(name));

    assert.deepEqual(tracker.update([obs(A, 3, 0)]).started, []);
    assert.equal(tracker.anyActive, false);

    const second = tracker.update([obs(A, 3, 0)]);
    assert.deepEqual(second.started, [A]);
    assert.equal(second.activeChanged, true);
    assert.equal(tracker.anyActive, true);

    for (let i = 0; i < 5; i += 1) {
      assert.deepEqual(tracker.update([obs(A, 7, 0)]).started, []);
    }
    assert.deepEqual(reported, [A]);
  });

  it('ends when the queue empties or a runner is online; a new one can start', () => {
    const tracker = new StuckQueueTracker({ enabled: true, muted: [] });
    tracker.update([obs(A, 1, 0), obs(B, 1, 0)]);
    tracker.update([obs(A, 1, 0), obs(B, 1, 0)]);
    assert.deepEqual(tracker.activeEpisodes(), [A, B]);

    const recovery = tracker.update([obs(A, 0, 0), obs(B, 4, 1)]);
    assert.deepEqual(recovery.ended, [A, B]);
    assert.equal(tracker.anyActive, false);

    assert.deepEqual(tracker.update([obs(A, 2, 0)]).started, []);
    assert.deepEqual(tracker.update([obs(A, 2, 0)]).started, [A]);
  });

  it('does not count a poll with an unknown runner count towards the streak', () => {
    const tracker = new StuckQueueTracker({ enabled: true, muted: [] });
    tracker.update([obs(A, 2, 0)]);
    tracker.update([obs(A, 2, undefined)]);
    assert.deepEqual(tracker.update([obs(A, 2, 0)]).started, []);
    assert.deepEqual(tracker.update([obs(A, 2, 0)]).started, [A]);
    // Nor does an unknown count end an episode.
    tracker.update([obs(A, undefined, undefined)]);
    assert.equal(tracker.isActive(A), true);
  });

  it('neither reports nor shows a muted class, and does not re-report on unmute', () => {
    const tracker = new StuckQueueTracker({ enabled: true, muted: [A] });
    tracker.update([obs(A, 2, 0), obs(B, 2, 0)]);
    const update = tracker.update([obs(A, 2, 0), obs(B, 2, 0)]);
    assert.deepEqual(update.started, [B]);
    assert.deepEqual(tracker.activeEpisodes(), [B]);

    assert.equal(tracker.setOptions({ enabled: true, muted: [] }), true);
    assert.deepEqual(tracker.activeEpisodes(), [A, B]);
    assert.deepEqual(tracker.update([obs(A, 2, 0)]).started, []);
  });

  it('reports nothing and shows nothing while alerts are disabled', () => {
    const tracker = new StuckQueueTracker({ enabled: false, muted: [] });
    const reported: string[] = [];
    tracker.onEpisodeStart((name) => reported.push(name));
    tracker.update([obs(A, 2, 0)]);
    const update = tracker.update([obs(A, 2, 0)]);
    assert.deepEqual(update.started, []);
    assert.equal(update.activeChanged, false);
    assert.equal(tracker.anyActive, false);
    assert.deepEqual(reported, []);
  });

  it('forgets classes that are no longer configured', () => {
    const tracker = new StuckQueueTracker({ enabled: true, muted: [] });
    tracker.update([obs(A, 2, 0)]);
    tracker.update([obs(A, 2, 0)]);
    assert.equal(tracker.retain([B]), true);
    assert.equal(tracker.anyActive, false);
  });
});
